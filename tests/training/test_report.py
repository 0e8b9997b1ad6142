"""The picture report, drawn from the session's real trained bundle."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from tests.conftest import data_dir
from training.film_map import THUMBNAIL_SIZE, poster_files
from training.posters.images import thumbnails
from training.report import read_report_data, write_report

MIN_BYTES = 20_000  # a real picture, not an empty canvas
POSTERS = data_dir() / "posters" / "ml_movieid_jpg"  # 300 real posters named by MovieLens id


@pytest.fixture(scope="module")
def bundle(models_dir):
    return models_dir / (models_dir / "CURRENT").read_text().strip()


def test_report_writes_real_pngs(bundle, tmp_path):
    progress = io.StringIO()
    paths = write_report(bundle, tmp_path / "report", film="Heat", progress_out=progress, posters=POSTERS)
    names = {path.name for path in paths}
    rated = "rating_factors.npy" in json.loads((bundle / "manifest.json").read_text())["files"]
    expected = {"training_curves.png", "film_map.png"} | ({"rating_factors_pca.png"} if rated else set())
    assert expected <= names, progress.getvalue()
    assert any(name.startswith("neighbourhood_heat") for name in names), names
    assert any(name.startswith("similarities_heat") for name in names), names
    assert len(paths) == (5 if rated else 4)  # a bundle trained without ratings has no ratings map
    for path in paths:
        assert path.is_file() and path.parent == tmp_path / "report"
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG"), path
        assert len(data) >= MIN_BYTES, (path, len(data))
        with Image.open(path) as image:
            assert image.width >= 1000 and image.height >= 500, (path, image.size)
    with Image.open(tmp_path / "report" / "film_map.png") as image:
        assert image.size == (16 * 110, 12 * 110)  # the map is drawn larger than the other pictures
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == sorted(names)  # no temporary files left
    if rated:
        assert "PC1: low end:" in progress.getvalue() and "PC2: low end:" in progress.getvalue()


def test_unknown_film_is_a_friendly_error(bundle, tmp_path):
    with pytest.raises(ValueError, match="No film called"):
        write_report(bundle, tmp_path, film="No Such Film Ever Made 1234")


def test_report_command_writes_the_pictures(models_dir, tmp_path):
    from tests.conftest import run_cli

    result = run_cli("training.cli", "report", "--models", str(models_dir), "--out", str(tmp_path / "report"),
                     "--film", "Blade Runner", timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    written = [line.removeprefix("wrote ") for line in result.stdout.splitlines() if line.startswith("wrote ")]
    assert len(written) == 5 and all(path.endswith(".png") for path in written)
    assert "PC1: low end:" in result.stderr
    missing = run_cli("training.cli", "report", "--models", str(models_dir), "--out", str(tmp_path / "r2"),
                      "--film", "No Such Film Zzyzx", timeout=300)
    assert missing.returncode == 1 and "No Such Film Zzyzx" in missing.stderr and "Traceback" not in missing.stderr


def test_the_map_finds_the_posters_of_its_films_and_shrinks_them(bundle, tmp_path):
    data = read_report_data(bundle)
    films = np.argsort(-data.popularity, kind="stable")[:400]
    found = poster_files(data, films, POSTERS)
    assert len(found) >= 100  # the shared posters are of well-known films
    assert all(path.name == f"{data.movielens_ids[film]}.jpg" for film, path in found.items())
    broken = tmp_path / "1.jpg"
    broken.write_bytes(b"not a jpeg")
    picture, unreadable = thumbnails([next(iter(found.values())), broken], THUMBNAIL_SIZE)
    assert picture.shape == (34, 23, 3) and picture.std() > 10  # a portrait poster, small
    assert unreadable.std() == 0  # a plain fill: the map names that film instead of drawing it
    assert poster_files(data, films, tmp_path / "missing") == {}
