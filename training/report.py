"""The picture report of a published bundle: what the ratings factors encode, how training went, one film's neighbourhood.

PNGs for a person to look at (nothing reads them back); matplotlib and scikit-learn are imported only when drawing.
The map of films and the chart of a film's neighbours by view are in training/film_map.py.
"""
from __future__ import annotations

import json
import os
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine import film_label
from engine.normalize import split_disambiguator
from engine.vectors import normalize_rows

LABELLED = 40  # well-known films named on the ratings map
AXIS_POOL = 1000  # the axes' end films are picked among this many most popular rated films
AXIS_ENDS = 5
NEIGHBOURS = 30  # per view, in the neighbourhood map
FIGSIZE, DPI = (12, 9), 110
SPOTS = [(x, y) for y in (0, 9, -9, 20, -20, 30, -30, 45, -45, 60, -60, 80, -80) for x in (5, -5, 40, -40, 90, -90)]  # pt
COLOURS = {"links": "tab:blue", "ratings": "tab:orange", "both": "tab:green"}


@dataclass
class ReportData:
    """The parts of a published bundle the pictures draw on."""

    manifest: dict
    titles: list[str]
    years: list
    popularity: np.ndarray
    vectors: np.ndarray
    neighbours: np.ndarray
    factors: np.ndarray | None  # the ratings view; None when the bundle was trained without ratings
    counts: np.ndarray | None
    movielens_ids: list  # per film, None where MovieLens has no such film (posters are named by it)
    path: Path  # the version directory


def read_report_data(bundle_dir: Path) -> ReportData:
    """The arrays the pictures need; accepts a version directory or a models directory with CURRENT."""
    path = Path(bundle_dir)
    if not (path / "manifest.json").is_file() and (path / "CURRENT").is_file():
        path = path / (path / "CURRENT").read_text().strip()
    manifest = json.loads((path / "manifest.json").read_text())
    films = json.loads((path / "films.json").read_text())
    rated = "rating_factors.npy" in manifest["files"]
    return ReportData(manifest, films["titles"], films["years"], np.load(path / "popularity.npy"),
                  np.load(path / "film_vectors.npy"), np.load(path / "film_neighbours.npy"),
                  np.load(path / "rating_factors.npy") if rated else None,
                  np.load(path / "rating_counts.npy") if rated else None, films["movielens_ids"], path)


def label(data: ReportData, film: int) -> str:
    """A film as a reader would name it: short title and year."""
    return film_label(data.titles[film], data.years[film])


def rated_films(bundle: ReportData) -> np.ndarray:
    """Ids of the films with real ratings, most popular first (their factors are learnt, not estimated)."""
    ids = np.flatnonzero(bundle.counts > 0)
    return ids[np.argsort(-bundle.popularity[ids], kind="stable")]


def find_film(bundle: ReportData, film: str | None) -> int:
    """The film a name means (exact title, else title without disambiguator; most popular wins); default: the top film."""
    if film is None:
        return int(rated_films(bundle)[0]) if bundle.factors is not None else int(np.argmax(bundle.popularity))
    wanted = film.strip().casefold()
    for key in (lambda t: t.casefold(), lambda t: split_disambiguator(t)[0].strip().casefold()):
        matches = [i for i, t in enumerate(bundle.titles) if key(t) == wanted]
        if matches:
            return max(matches, key=lambda i: bundle.popularity[i])
    raise ValueError(f"No film called {film!r} in this bundle; try its Wikipedia title, e.g. 'Heat (1995 film)'.")


def new_figure(ncols: int = 1):
    """An Agg-backed figure of the report's size, outside pyplot so no global state is touched."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGSIZE if ncols == 1 else (6 * ncols, 6), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure, figure.subplots(1, ncols)


def save(figure, path: Path) -> Path:
    """Write the PNG under a temporary name and rename it into place, so a half-written file is never seen."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        figure.tight_layout()
        with warnings.catch_warnings():  # a title in a script the font lacks is drawn as boxes, not an error
            warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
            figure.savefig(temporary, format="png", dpi=DPI)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
        figure.clear()
    return path


def move_label(note, spot: tuple[int, int], renderer):
    """Put a name at an offset (points) from its point; returns where its words now are on screen."""
    from matplotlib.text import Text

    note.xyann = spot
    note.set_horizontalalignment("left" if spot[0] > 0 else "right")
    note.arrow_patch.set_visible(abs(spot[0]) > 5 or abs(spot[1]) > 9)  # a leader line for names set well away
    note.update_positions(renderer)
    return Text.get_window_extent(note, renderer)


def place_labels(ax, points: np.ndarray, texts: list[str], sizes: list[float] | None = None) -> None:
    """Name points legibly: each name takes the spot around its point (inside the axes) that covers the fewest others."""
    from matplotlib.transforms import Bbox

    ax.figure.tight_layout()  # fix the axes' place first: the spots are measured on screen
    renderer, inside, sizes = ax.figure.canvas.get_renderer(), ax.bbox, sizes or [7] * len(texts)
    radii = [3 if size <= 7 else 14 for size in sizes]  # a big name's marker is big too
    dots = [Bbox.from_extents(x - r, y - r, x + r, y + r) for (x, y), r in zip(ax.transData.transform(points), radii)]
    taken = []
    for point, text, size in zip(points, texts, sizes):
        note = ax.annotate(text, point, xytext=SPOTS[0], textcoords="offset points", va="center", fontsize=size,
                           fontweight="bold" if size > 7 else "normal",
                           arrowprops={"arrowstyle": "-", "color": "dimgrey", "lw": 0.6})
        costs = {}
        for spot in SPOTS:  # the first free spot, else the least crowded
            costs[spot] = crowding(move_label(note, spot, renderer), inside, dots, taken)
            if costs[spot] == 0:
                break
        taken.append(move_label(note, min(costs, key=costs.get), renderer))


def crowding(box, inside, dots: list, names: list) -> int:
    """How bad a spot is for a name: the dots and (worse) names it covers, and far worse if it leaves the axes."""
    fits = inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1
    return (0 if fits else 100) + sum(map(box.overlaps, dots)) + 3 * sum(map(box.overlaps, names))


def axis_ends(bundle: ReportData, coords: np.ndarray, ids: np.ndarray) -> dict[str, tuple[list[str], list[str]]]:
    """For each principal component, the popular films at its low and high ends: what names the axis."""
    pool = np.arange(min(AXIS_POOL, len(ids)))  # ids are most popular first
    ends = {}
    for axis in range(2):
        order = pool[np.argsort(coords[pool, axis], kind="stable")]
        ends[f"PC{axis + 1}"] = ([label(bundle, ids[i]) for i in order[:AXIS_ENDS]],
                                 [label(bundle, ids[i]) for i in order[::-1][:AXIS_ENDS]])
    return ends


def plot_rating_factors(bundle: ReportData, path: Path, progress_out) -> Path:
    """The rated films' factors on their first two principal components, well-known films and axis ends named."""
    ids = rated_films(bundle)
    centred = bundle.factors[ids].astype(np.float64) - bundle.factors[ids].mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    coords, share = centred @ components[:2].T, singular**2 / np.sum(singular**2)
    figure, ax = new_figure()
    ax.scatter(coords[:, 0], coords[:, 1], s=4, c="lightgrey", linewidths=0)
    top = np.arange(min(LABELLED, len(ids)))
    ax.scatter(coords[top, 0], coords[top, 1], s=12, c="dimgrey", linewidths=0)
    ends = axis_ends(bundle, coords, ids)
    spots = {"PC1": (((0, 0), (0, -30), "left", "top"), ((1, 0), (0, -30), "right", "top")),  # below the x axis' ends
             "PC2": (((1, 0), (8, 0), "left", "bottom"), ((1, 1), (8, 0), "left", "top"))}  # right of the y axis' ends
    for axis, (low, high) in ends.items():
        print(f"{axis}: low end: {', '.join(low)} | high end: {', '.join(high)}", file=progress_out)
        for (xy, offset, ha, va), names, end in zip(spots[axis], (low, high), ("low", "high")):
            text = ", ".join(names[:3]) + ",\n" + ", ".join(names[3:]) if axis == "PC1" else "\n".join(names)
            ax.annotate(f"{axis} {end} end:\n{text}", xy, xycoords="axes fraction", xytext=offset,
                        textcoords="offset points", ha=ha, va=va, fontsize=7, color="tab:red")
    ax.set_xlabel(f"PC1 ({share[0]:.1%} of variance)")
    ax.set_ylabel(f"PC2 ({share[1]:.1%} of variance)")
    ax.set_title(f"Ratings model: film factors of the {len(ids):,} rated films on their first two principal components\n"
                 f"(films close together are liked by the same people; the {len(top)} best-known films are named)")
    place_labels(ax, coords[top], [label(bundle, i) for i in ids[top]])
    return save(figure, path)


def plot_curves(ax, curve: list[float] | None, colour: str, name: str, style: str = "-") -> list:
    """One per-epoch curve (epochs from 1), or nothing when it was not recorded."""
    return ax.plot(range(1, len(curve) + 1), curve, style, color=colour, marker=".", label=name) if curve else []


def plot_training(bundle: ReportData, path: Path) -> Path:
    """Link model loss per epoch, each rating predictor's training loss and validation RMSE with its best epoch, and
    the taste model's loss per epoch."""
    from matplotlib.ticker import MaxNLocator

    figure, (links, ratings, taste) = new_figure(ncols=3)
    for ax in (links, ratings, taste):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
    if plot_curves(links, bundle.manifest.get("training", {}).get("loss_curve"), "tab:blue", "training loss"):
        links.set(xlabel="epoch", ylabel="contrastive loss")
    links.set_title("Link model: training loss per epoch")
    kinds = (bundle.manifest.get("ratings") or {}).get("kinds") or {}
    rmse, handles = ratings.twinx(), []
    for colour, (kind, info) in zip(("tab:orange", "tab:purple", "tab:green", "tab:brown"), kinds.items()):
        handles += plot_curves(ratings, info.get("loss_curve"), colour, f"{kind}: training loss")
        validation = info.get("validation_rmse_curve") or []
        handles += plot_curves(rmse, validation, colour, f"{kind}: validation RMSE", "--")
        if validation:
            best = int(np.argmin(validation))
            handles += rmse.plot([best + 1], [validation[best]], "*", color=colour, markersize=14,
                                 label=f"{kind}: best epoch {best + 1} (RMSE {validation[best]:.4f})")
    ratings.set(xlabel="epoch", ylabel="training loss", title="Ratings models: loss and validation RMSE per epoch")
    rmse.set_ylabel("validation RMSE")
    if handles:
        ratings.legend(handles=handles, fontsize=8)
    else:
        ratings.text(0.5, 0.5, "no ratings curves in this bundle", ha="center", transform=ratings.transAxes)
    taste_curve = ((bundle.manifest.get("ratings") or {}).get("taste") or {}).get("loss_curve")
    if plot_curves(taste, taste_curve, "tab:green", "training loss"):
        taste.set(xlabel="epoch", ylabel="weighted squared error + penalty")
    else:
        taste.text(0.5, 0.5, "no taste model in this bundle", ha="center", transform=taste.transAxes)
    taste.set_title("Taste model: training loss per epoch")
    return save(figure, path)


def neighbourhood(bundle: ReportData, film: int) -> dict[int, str]:
    """The film's nearest films in the link model and (when it has ratings) the ratings view, by source."""
    links = [int(i) for i in bundle.neighbours[film] if i >= 0 and i != film][:NEIGHBOURS]
    found = dict.fromkeys(links, "links")
    if bundle.factors is not None and bundle.counts[film] > 0:
        rated = np.flatnonzero(bundle.counts > 0)
        cosine = normalize_rows(bundle.factors[rated]) @ normalize_rows(bundle.factors[film:film + 1])[0]
        nearest = [int(i) for i in rated[np.argsort(-cosine, kind="stable")] if i != film][:NEIGHBOURS]
        found.update({i: "both" if i in found else "ratings" for i in nearest})
    return found


def plot_neighbourhood(bundle: ReportData, film: int, path: Path) -> Path:
    """A t-SNE map of one film and its neighbours from both views, embedded on link vectors + ratings factors."""
    from sklearn.manifold import TSNE

    found = neighbourhood(bundle, film)
    ids = np.array([film, *found])
    features = normalize_rows(bundle.vectors[ids])
    if bundle.factors is not None:
        features = np.hstack([features, normalize_rows(bundle.factors[ids])])
    xy = TSNE(n_components=2, perplexity=min(15.0, (len(ids) - 1) / 3), init="pca", learning_rate="auto",
              metric="euclidean", method="exact", random_state=42).fit_transform(features)
    figure, ax = new_figure()
    sources = np.array(["film", *found.values()])
    for source, colour in COLOURS.items():
        chosen = sources == source
        if chosen.any():
            ax.scatter(xy[chosen, 0], xy[chosen, 1], s=40, c=colour, label=f"near in {source}", alpha=0.8)
    ax.scatter(xy[:1, 0], xy[:1, 1], s=400, c="tab:red", marker="*", label=label(bundle, film), zorder=3)
    ax.legend(loc="best", fontsize=9)
    views = "the link model and in the ratings view" if "ratings" in sources or "both" in sources else "the link model"
    embedded = "link vectors + ratings factors" if bundle.factors is not None else "link vectors"
    ax.set(xticks=[], yticks=[], title=f"Neighbourhood of {label(bundle, film)}: its {NEIGHBOURS} nearest films in "
           f"{views}\n(t-SNE of {embedded}: films drawn close together are similar)")
    place_labels(ax, xy, [label(bundle, i) for i in ids], sizes=[11] + [7] * len(found))  # the film's own first
    return save(figure, path)


def slug(text: str) -> str:
    """A file-name-safe form of a film's label."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "film"


def write_report(bundle_dir: Path, out_dir: Path, film: str | None = None, progress_out=sys.stderr,
                 posters: Path | None = None) -> list[Path]:
    """Write the report's PNGs into out_dir (created if needed) and return their paths; `posters`: a folder of
    poster JPEGs named by MovieLens id, drawn on the map of films."""
    from training.film_map import plot_film_map, plot_similarities

    bundle = read_report_data(bundle_dir)
    chosen = find_film(bundle, film)  # before drawing anything: a wrong name fails fast
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    if bundle.factors is None:
        print("no ratings view in this bundle: skipping the ratings map and the ratings parts", file=progress_out)
    else:
        written.append(plot_rating_factors(bundle, out_dir / "rating_factors_pca.png", progress_out))
    written.append(plot_training(bundle, out_dir / "training_curves.png"))
    written.append(plot_neighbourhood(bundle, chosen, out_dir / f"neighbourhood_{slug(label(bundle, chosen))}.png"))
    written.append(plot_similarities(bundle.path, chosen, out_dir / f"similarities_{slug(label(bundle, chosen))}.png"))
    written.append(plot_film_map(bundle, out_dir / "film_map.png", posters))
    return written
