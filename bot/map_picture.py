"""The picture `/movielike map TITLE` uploads: a film and the films most like it, laid out in 2-D by their link vectors,
each neighbour coloured by the view that found it (its poster drawn there when the model keeps poster thumbnails,
`movielike-train posters`), every title named without overlapping another.

numpy lays the films out; matplotlib (Agg, outside pyplot: no global figure state) draws, imported on the first
picture only, in the worker thread that draws (bot/maps.py), so the bot's start-up time and memory are unchanged
until someone asks for a map. Drawing takes about 0.1 s (0.2 s more the first time, for matplotlib's import).
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import numpy as np

from engine import Engine, Film

NEIGHBOURS = 20  # films drawn around the one asked for: the blend's top 20, as `similar` serves them
VIEW_DEPTH = 40  # a neighbour "comes from" a view when it is in that view's top VIEW_DEPTH
MAX_PNG_BYTES = 300_000  # Slack takes far larger files; a map this size shows at once on a phone
SIZE_INCHES, DPIS = (9.6, 7.2), (100, 72)  # 960 x 720 pixels; a smaller resolution only if the first is too big
LABEL_CHARS = 42
COLOURS = {"both views": "tab:green", "shared links": "tab:blue", "liked by the same people": "tab:orange",
           "the blend": "tab:grey"}
FILM_COLOUR = "tab:red"
# Where a name may go around its point, in steps of the point's marker radius plus 3 pixels (right and left first,
# then above and below, diagonals, then further out with a leader line): the first spot that covers nothing wins,
# else the least crowded.
SPOTS = [(dx * reach, dy * reach) for reach in (1.0, 2.4, 4.0) for dx, dy in
         ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))]
DOT_AREA, DOT_RADIUS = 36, 5  # a neighbour's marker: its area in points², its radius in pixels (at 100 dpi)
STAR_AREA, STAR_RADIUS = 300, 12  # the film's
POSTER_ZOOM, POSTER_RADIUS = 0.75, 20  # a poster thumbnail (32 x 48 pixels) drawn at 3/4 size: its half-height, about


class PictureTooLarge(Exception):
    """The PNG stayed over MAX_PNG_BYTES even at the smallest resolution tried."""


@dataclass(frozen=True)
class Neighbourhood:
    """What one map shows, read from one model version: the film first, then its neighbours best first."""

    version: str
    films: list[Film]
    views: list[str]  # per neighbour (not the film): a key of COLOURS
    vectors: np.ndarray  # (1 + neighbours, dim) link vectors, in the order of `films`
    posters: list[np.ndarray | None] | None = None  # per film, its poster thumbnail (uint8 RGB) where the model has one


def neighbourhood(engine: Engine, film: Film, k: int = NEIGHBOURS) -> Neighbourhood:
    """The film and its k nearest films by the blend, from one model version (read again if a new one was swapped in
    meanwhile), each marked with the view(s) whose top VIEW_DEPTH it is in."""
    for _ in range(3):
        model = engine.model
        films = [film, *engine.similar(film, k)]
        if engine.model is not model:  # a reload between the two reads: ids belong to one model only
            continue
        by_links = {s.id for s in engine.similar(film, VIEW_DEPTH, by="links")}
        by_ratings = ({s.id for s in engine.similar(film, VIEW_DEPTH, by="ratings")}
                      if "ratings" in engine.views_for(film) else set())
        views = [_view(s.id in by_links, s.id in by_ratings) for s in films[1:]]
        ids = [model.id_of_key[films[0].key], *(s.id for s in films[1:])]
        vectors = np.asarray(model.film_vectors[ids], dtype=np.float64)
        posters = [None if model.posters is None else model.posters.thumbnail(i) for i in ids]
        if engine.model is model:
            return Neighbourhood(model.bundle.version, [model.film(ids[0]), *films[1:]], views, vectors, posters)
    raise RuntimeError("the model changed three times while the map was read")


def _view(links: bool, ratings: bool) -> str:
    if links and ratings:
        return "both views"
    return "shared links" if links else "liked by the same people" if ratings else "the blend"


def layout(vectors: np.ndarray) -> np.ndarray:
    """(n, 2) positions for n vectors: classical MDS of their cosine distances, which for unit vectors is PCA of the
    centred unit vectors (squared distance = 2 - 2 cosine). The first vector sits at (0, 0); signs are fixed (each
    axis' largest coordinate positive) so a film always gets the same picture."""
    vectors = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms > 0, norms, 1.0)
    centred = unit - unit.mean(axis=0)
    left, singular, _ = np.linalg.svd(centred, full_matrices=False)
    xy = np.zeros((len(vectors), 2))
    dims = min(2, len(singular))
    xy[:, :dims] = left[:, :dims] * singular[:dims]
    for axis in range(2):
        if xy[np.argmax(np.abs(xy[:, axis])), axis] < 0:
            xy[:, axis] = -xy[:, axis]
    return xy - xy[0]


@functools.cache
def _glyphs() -> frozenset[int]:
    """The characters the default font draws: others are replaced, never warned about from a worker thread."""
    from matplotlib import font_manager, ft2font

    return frozenset(ft2font.FT2Font(font_manager.findfont(font_manager.FontProperties())).get_charmap())


def printable(text: str, limit: int = LABEL_CHARS) -> str:
    """A title as the font can draw it, shortened to `limit` characters."""
    glyphs = _glyphs()
    text = "".join(c if ord(c) in glyphs else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def draw(hood: Neighbourhood) -> bytes:
    """The map as PNG bytes, under MAX_PNG_BYTES (PictureTooLarge otherwise)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    xy = layout(hood.vectors)
    figure = Figure(figsize=SIZE_INCHES, dpi=DPIS[0])
    canvas = FigureCanvasAgg(figure)
    ax = figure.add_axes((0.015, 0.015, 0.97, 0.82))
    ax.set(xticks=[], yticks=[])
    for side in ax.spines.values():
        side.set_color("lightgrey")
    span = np.ptp(xy, axis=0)
    span = np.where(span > 0, span, 1.0)
    ax.set_xlim(xy[:, 0].min() - 0.06 * span[0], xy[:, 0].max() + 0.06 * span[0])
    ax.set_ylim(xy[:, 1].min() - 0.06 * span[1], xy[:, 1].max() + 0.06 * span[1])
    shown = [view for view in COLOURS if view in hood.views]
    for view in shown:
        rows = [i + 1 for i, v in enumerate(hood.views) if v == view]
        ax.scatter(xy[rows, 0], xy[rows, 1], s=DOT_AREA, c=COLOURS[view], zorder=2)
    ax.scatter(xy[:1, 0], xy[:1, 1], s=STAR_AREA, marker="*", c=FILM_COLOUR, edgecolors="black", linewidths=0.6, zorder=3)
    posters = draw_posters(ax, xy, hood.posters or [])
    labels = [printable(hood.films[0].label), *(f"{rank}. {printable(f.label)}" for rank, f in enumerate(hood.films[1:], 1))]
    place_labels(ax, canvas.get_renderer(), xy, labels, big=1, posters=posters)
    film = printable(hood.films[0].label, 50)
    figure.text(0.015, 0.965, f"{film} and the {len(hood.films) - 1} films most like it", fontsize=14,
                fontweight="bold", va="center", parse_math=False)
    figure.text(0.015, 0.915, "Placed by their link vectors (classical MDS): near on the map = linking to the same pages. "
                "Numbered in the order movielike ranks them (both views blended);\ncoloured by the view that has them "
                f"in its top {VIEW_DEPTH}{'; posters where the model has them' if any(posters) else ''}. "
                f"Model {hood.version}.", fontsize=8, color="dimgrey", va="center",
                linespacing=1.4, parse_math=False)
    handles = [Line2D([], [], marker="*", ls="", markersize=11, color=FILM_COLOUR, label=film),
               *(Line2D([], [], marker="o", ls="", color=COLOURS[view], label=view) for view in shown)]
    figure.legend(handles=handles, loc="center left", bbox_to_anchor=(0.01, 0.862), ncols=len(handles), fontsize=8,
                  frameon=False, handletextpad=0.2, columnspacing=1.2)
    for dpi in DPIS:
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
        if out.tell() <= MAX_PNG_BYTES:
            return out.getvalue()
    raise PictureTooLarge(f"{out.tell()} bytes at {DPIS[-1]} dpi, over {MAX_PNG_BYTES}")


def draw_posters(ax, points: np.ndarray, posters: list) -> list[bool]:
    """Each film's poster thumbnail at its point, its marker's colour as a frame (the film's own a little larger);
    which points got one."""
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage

    drawn = []
    for i, point in enumerate(points):
        poster = posters[i] if i < len(posters) else None
        if poster is not None:
            image = OffsetImage(poster, zoom=POSTER_ZOOM * (1.25 if i == 0 else 1.0))
            ax.add_artist(AnnotationBbox(image, tuple(point), frameon=True, pad=0.1, zorder=3 if i else 5,
                                         bboxprops={"edgecolor": FILM_COLOUR if i == 0 else "grey", "linewidth": 1.2}))
        drawn.append(poster is not None)
    return drawn


def place_labels(ax, renderer, points: np.ndarray, texts: list[str], big: int = 1, posters: list[bool] = ()) -> None:
    """Name every point (data coordinates): each name, in order (the first `big` ones larger and bold), takes the
    first spot around its point that covers no other name, no point and no edge, else the least crowded one. Text
    sizes are measured once and spots are plain arithmetic on screen boxes, so 21 names take milliseconds."""
    from matplotlib.font_manager import FontProperties

    inside = ax.bbox.extents
    screen = ax.transData.transform(points)
    radii = np.array([POSTER_RADIUS if i < len(posters) and posters[i] else STAR_RADIUS if i < big else DOT_RADIUS
                      for i in range(len(points))])
    dots = np.column_stack([screen - radii[:, None], screen + radii[:, None]])  # x0, y0, x1, y1 per marker
    taken: list[np.ndarray] = []
    to_points = 72.0 / ax.figure.dpi  # offsets are given in points, so a smaller saved resolution scales them too
    for i, ((x, y), text) in enumerate(zip(screen, texts)):
        size, weight = (11, "bold") if i < big else (8, "normal")
        width, height, _ = renderer.get_text_width_height_descent(text, FontProperties(size=size, weight=weight),
                                                                  ismath=False)
        gap = radii[i] + 3
        best, best_cost = SPOTS[0], None
        for spot in SPOTS:
            box = _box(x, y, spot, width, height, gap)
            fits = inside[0] <= box[0] and box[2] <= inside[2] and inside[1] <= box[1] and box[3] <= inside[3]
            cost = (0 if fits else 100) + 3 * _overlaps(box, taken) + _overlaps(box, dots)
            if best_cost is None or cost < best_cost:
                best, best_cost = spot, cost
            if cost == 0:
                break
        taken.append(_box(x, y, best, width, height, gap))
        dx, dy = best
        ax.annotate(text, points[i], xytext=(dx * gap * to_points, dy * (gap + height / 2) * to_points),
                    textcoords="offset points", fontsize=size, fontweight=weight, va="center",
                    ha="left" if dx > 0 else "right" if dx < 0 else "center", parse_math=False, zorder=4,
                    arrowprops={"arrowstyle": "-", "color": "grey", "lw": 0.5} if max(abs(dx), abs(dy)) > 1 else None,
                    bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.75})


def _box(x: float, y: float, spot: tuple[float, float], width: float, height: float, gap: float) -> np.ndarray:
    """The screen box (x0, y0, x1, y1, with a 2-pixel margin) of a name set at `spot` of the point at (x, y), aligned
    as `place_labels` draws it."""
    dx, dy = spot
    left = x + dx * gap - (0 if dx > 0 else width if dx < 0 else width / 2)
    middle = y + dy * (gap + height / 2)
    return np.array([left - 2, middle - height / 2 - 2, left + width + 2, middle + height / 2 + 2])


def _overlaps(box: np.ndarray, boxes) -> int:
    """How many of `boxes` (rows x0, y0, x1, y1) overlap `box`."""
    if len(boxes) == 0:
        return 0
    others = np.asarray(boxes)
    return int(np.sum((others[:, 0] < box[2]) & (box[0] < others[:, 2]) & (others[:, 1] < box[3]) & (box[1] < others[:, 3])))
