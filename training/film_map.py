"""Two of the report's pictures: a map of the best-known films (t-SNE of their link vectors, with their posters where
a poster folder has them), and a bar chart of one film's ten nearest films in each view with their scores."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from engine import Config, Engine
from engine.bundle import load_bundle
from engine.vectors import normalize_rows
from training.posters.images import folder_posters, thumbnails
from training.report import ReportData, label, new_figure, place_labels, save

MAP_FILMS = 400  # the best-known films on the map
MAP_NAMED = 45  # of which this many, the best known without a poster, are named
THUMBNAIL_SIZE = (23, 34)  # a poster on the map: width, height in pixels
BARS = 10
VIEW_TITLES = {"links": "links view: cosine + shared links", "ratings": "ratings view: taste cosine",
               "both": "blend (served by default)"}


def poster_files(bundle: ReportData, films: np.ndarray, posters: Path | None) -> dict[int, Path]:
    """Films among `films` with a poster in `posters` (JPEGs named by MovieLens id, as in the shared data)."""
    if posters is None or not Path(posters).is_dir():
        return {}
    wanted = set(films.tolist())
    return {film: path for film, path in folder_posters(Path(posters), bundle.movielens_ids).items() if film in wanted}


def plot_film_map(bundle: ReportData, path: Path, posters: Path | None = None) -> Path:
    """The MAP_FILMS best-known films placed by t-SNE on their link vectors (near on the map: linking to the same
    pages), posters drawn where `posters` has them, the best known of the others named."""
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage
    from sklearn.manifold import TSNE

    films = np.argsort(-bundle.popularity, kind="stable")[: min(MAP_FILMS, len(bundle.popularity))]
    xy = TSNE(n_components=2, perplexity=min(30.0, (len(films) - 1) / 3), init="pca", learning_rate="auto",
              metric="cosine", random_state=42).fit_transform(normalize_rows(bundle.vectors[films]))
    figure, ax = new_figure()
    figure.set_size_inches(16, 12)
    ax.scatter(xy[:, 0], xy[:, 1], s=12, c="tab:blue", alpha=0.5)
    pictures = poster_files(bundle, films, posters)
    drawn = set()
    small = thumbnails(list(pictures.values()), THUMBNAIL_SIZE)
    for (film, _), image in zip(pictures.items(), small):
        if image.std() > 0:  # an unreadable file comes back as a plain grey fill: named instead
            row = int(np.flatnonzero(films == film)[0])
            ax.add_artist(AnnotationBbox(OffsetImage(image, zoom=1.0), (xy[row, 0], xy[row, 1]), frameon=False))
            drawn.add(film)
    named = [row for row, film in enumerate(films.tolist()) if film not in drawn][:MAP_NAMED]
    place_labels(ax, xy[named], [label(bundle, int(films[row])) for row in named])
    posters_note = (f"{len(drawn)} with their posters" if drawn else "no posters given (--posters DIR)" if posters is None
                    else f"no poster of these films in {posters}")
    ax.set(xticks=[], yticks=[], title=f"The {len(films)} best-known films by their links (t-SNE of the link vectors; "
           f"{posters_note}; the {len(named)} best known of the others named)")
    return save(figure, path)


def plot_similarities(bundle_dir: Path, film: int, path: Path) -> Path:
    """One film's BARS nearest films in each view it has, as bars of their scores (what `similar` answers)."""
    bundle = load_bundle(Path(bundle_dir))
    engine = Engine(bundle, Config.from_env(), Path(bundle_dir).parent)
    views = [view for view in ("links", "ratings", "both") if view in engine.views_for(film)]
    figure, axes = new_figure(ncols=len(views))
    axes = np.atleast_1d(axes)
    for ax, view in zip(axes, views):
        results = engine.similar(film, BARS, by=view)
        names = [result.label for result in results][::-1]
        ax.barh(names, [result.score for result in results][::-1], color={"links": "tab:blue", "ratings": "tab:orange",
                                                                          "both": "tab:green"}[view])
        ax.set_title(VIEW_TITLES[view], fontsize=10)
        ax.tick_params(axis="y", labelsize=8)
        ax.set_xlabel("score")
    figure.suptitle(f"Films like {engine.film(film).label}: the {BARS} nearest in each view")
    return save(figure, path)
