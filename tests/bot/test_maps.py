"""The map's parts on their own: the layout, readable names, the picture cache and its bound, the setting, and a bot
that starts without matplotlib (it is imported by the first map)."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from bot.config import DEFAULT_MAP_CACHE, BotConfig
from bot.map_picture import NEIGHBOURS, layout, neighbourhood, place_labels
from bot.maps import MapCache
from tests.conftest import ROOT


def test_layout_is_classical_mds_with_the_film_at_the_centre():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(21, 32))
    xy = layout(vectors)
    assert xy.shape == (21, 2) and np.allclose(xy[0], 0)
    assert np.allclose(layout(vectors * 3.0), xy)  # cosine geometry: lengths do not matter
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    centred = unit - unit.mean(axis=0)
    # The two axes keep as much of the spread as any 2-D projection can: PCA's first two components.
    top_two = np.sum(np.linalg.svd(centred, compute_uv=False)[:2] ** 2)
    assert np.isclose(np.sum((xy - xy.mean(axis=0)) ** 2), top_two)
    for degenerate in (np.ones((3, 8)), np.zeros((2, 4)), rng.normal(size=(1, 4))):
        assert np.isfinite(layout(degenerate)).all()


def test_names_on_the_map_do_not_overlap(engine):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    hood = neighbourhood(engine, engine.resolve("Blade Runner"))
    assert len(hood.films) == NEIGHBOURS + 1 and hood.films[0].title == "Blade Runner"
    assert set(hood.views) <= {"both views", "shared links", "liked by the same people", "the blend"}
    figure = Figure(figsize=(9.6, 7.2), dpi=100)
    canvas = FigureCanvasAgg(figure)
    ax = figure.add_axes((0.015, 0.015, 0.97, 0.82))
    xy = layout(hood.vectors)
    ax.set_xlim(xy[:, 0].min() * 1.1, xy[:, 0].max() * 1.1)
    ax.set_ylim(xy[:, 1].min() * 1.1, xy[:, 1].max() * 1.1)
    place_labels(ax, canvas.get_renderer(), xy, [f.label for f in hood.films])
    renderer = canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    assert len(boxes) == NEIGHBOURS + 1
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    assert overlapping == []
    assert all(ax.bbox.x0 <= box.x0 and box.x1 <= ax.bbox.x1 for box in boxes)


def test_cache_keeps_the_newest_version_and_stays_under_its_bound(tmp_path):
    cache = MapCache(tmp_path / "maps", max_bytes=2500)
    assert cache.get("v1", "Alien (film)") is None
    cache.put("v1", "Alien (film)", b"a" * 1000)
    cache.put("v1", "../../etc/passwd", b"b" * 1000)  # any key is a safe name inside the folder
    assert cache.get("v1", "Alien (film)") == b"a" * 1000  # used: now the most recent
    assert all(path.parent == tmp_path / "maps" for path in (tmp_path / "maps").iterdir())
    os.utime(cache.path("v1", "Alien (film)"), (2e9, 2e9))
    cache.put("v1", "Heat (1995 film)", b"c" * 1000)  # over 2,500 bytes: the least recently used goes
    assert cache.get("v1", "../../etc/passwd") is None and cache.get("v1", "Alien (film)") is not None
    cache.put("v2", "Heat (1995 film)", b"d" * 1000)  # a new model version: the old one's pictures go
    assert [path.name.split("--")[0] for path in (tmp_path / "maps").iterdir()] == ["v2"]
    cache.put("v1", "Alien (film)", b"e" * 1000)  # a late drawing of the old version keeps the new one's pictures
    assert cache.get("v2", "Heat (1995 film)") == b"d" * 1000


def test_map_cache_folder_is_a_setting_with_a_default():
    required = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret"}
    assert BotConfig.from_env(required).map_cache == DEFAULT_MAP_CACHE
    assert str(BotConfig.from_env({**required, "MOVIELIKE_MAP_CACHE": "/srv/maps"}).map_cache) == "/srv/maps"


def test_the_bot_starts_without_matplotlib():
    """matplotlib is a serving dependency for maps only: loading the bot's modules and building its app leaves it
    unimported (start-up time and memory unchanged), the first map imports it in the drawing thread."""
    code = ("import sys; from bot.app import create_app; from bot.cli import main; from bot.config import BotConfig; "
            "from bot.services import Services; "
            "create_app(BotConfig(bot_token='xoxb-x', signing_secret='s'), Services(None, None)); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'PIL')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
