"""`movielike-train posters` end to end on a copy of the small model: a new version with the poster view, CURRENT moved,
a running engine reloads it and answers `similar(..., by="posters")`; from a folder and from a loopback download."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine import Engine, NoPosterView
from engine.bundle import POSTER_FILES, current_version, sha256_of
from tests.conftest import run_cli
from tests.models_copy import copy_current
from tests.training.posters.conftest import POSTERS
from training.publish.writer import write_json_atomically

FAST = ("--weights", "none", "--image-size", "64", "--quiet")


def posters(models: Path, *args: str):
    return run_cli("training.cli", "posters", "--models", str(models), *args, timeout=600)


def test_posters_publish_a_new_version_that_a_running_engine_loads(models_dir, films_file, tmp_path):
    models = tmp_path / "models"
    before = copy_current(models_dir, models)
    engine = Engine.load(models)
    assert not engine.has_posters
    result = posters(models, "--images", str(POSTERS), "--limit", "30", "--films", str(films_file), *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    after = current_version(models)
    assert after != before and (models / before).is_dir()  # the old version stays, for running engines
    manifest = json.loads((models / after / "manifest.json").read_text())
    section = manifest["posters"]
    assert {key: section[key] for key in ("model", "weights", "dim", "films", "image_size", "source")} == {
        "model": "vgg16", "weights": "none", "dim": 512, "films": 30, "image_size": 64, "source": "folder"}
    figures = section["figures"]["genre_share_at_10"]
    assert figures["films"] >= 20 and all(0 <= figures[view] <= 1 for view in ("posters", "links_among_posters",
                                                                             "links", "random"))
    assert "sharing a genre" in result.stderr and f"published {models / after}" in result.stderr
    assert manifest["derived_from"] == before and set(POSTER_FILES) <= set(manifest["files"])
    old = json.loads((models / before / "manifest.json").read_text())["files"]
    for name, entry in old.items():  # the current version's files, carried over unchanged as hard links
        assert manifest["files"][name] == entry
        assert os.path.samefile(models / before / name, models / after / name)
    assert not [p for p in models.iterdir() if p.name.startswith(".")]  # no staging directory or temporary file left

    assert engine.reload_if_changed() and engine.version == after and engine.has_posters
    forrest = engine.resolve("Forrest Gump")
    assert "posters" in engine.views_for(forrest)
    small = engine.model.posters.thumbnail(forrest.id)  # its poster, small, for pictures (the map in Slack)
    assert small.shape == (48, 32, 3) and small.std() > 10 and "poster_thumbnails.npy" in manifest["files"]
    alike = engine.similar(forrest, 5, by="posters")
    assert len(alike) == 5 and all(s.why == "poster looks alike" and s.id != forrest.id for s in alike)
    assert [s.score for s in alike] == sorted((s.score for s in alike), reverse=True)
    obscure = engine.resolve("Blade Runner 2049")  # a film outside the 30 best known
    assert "posters" not in engine.views_for(obscure)
    with pytest.raises(NoPosterView, match="no poster"):
        engine.similar(obscure, by="posters")


def test_posters_downloaded_from_the_catalogue_urls(models_dir, tmp_path, poster_server):
    models = tmp_path / "models"
    version = copy_current(models_dir, models)
    bundle = models / version
    catalogue = json.loads((bundle / "films.json").read_text())
    movies = [1, 2, 6, 10, 32]  # their posters, served on loopback; every other film without an image
    catalogue["images"] = [f"{poster_server.url}/p/{movie}.jpg" if movie in movies else None
                           for movie in catalogue["movielens_ids"]]
    catalogue["images"][catalogue["titles"].index("Blade Runner 2049")] = f"{poster_server.url}/missing.jpg"
    write_json_atomically(bundle / "films.json", catalogue)
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["files"]["films.json"] = {"sha256": sha256_of(bundle / "films.json"), "bytes": (bundle / "films.json").stat().st_size}
    write_json_atomically(bundle / "manifest.json", manifest)

    cache = tmp_path / "cache"
    args = ("--download", "--cache", str(cache), "--contact", "admin@example.org", "--delay", "0.05",
            "--model", "efficientnetb0", *FAST)
    result = posters(models, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "5 downloaded, 0 already cached, 1 failed" in result.stderr
    assert len(poster_server.seen) == 6 and all("admin@example.org" in seen.user_agent for seen in poster_server.seen)
    engine = Engine.load(models)
    assert engine.manifest["posters"]["source"] == "download" and engine.manifest["posters"]["films"] == 5
    assert len(engine.similar("Toy Story", 10, by="posters")) == 4  # every other film with a poster

    again = posters(models, *args)  # resumes from the cache: only the missing poster is asked for again
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 downloaded, 5 already cached, 1 failed" in again.stderr and len(poster_server.seen) == 7


@pytest.mark.parametrize("args, code, message", [
    (("--download",), 2, "--contact"),
    (("--weights", "/nowhere/vgg16.h5"), 2, "no such file"),
    (("--images", "/nowhere"), 2, "no poster folder"),
    (("--images", str(POSTERS), "--image-size", "8"), 2, "--image-size"),
])
def test_bad_arguments_are_refused_before_any_work(models_dir, args, code, message):
    result = posters(models_dir, *args)  # the shared small model: refused before anything is written
    assert result.returncode == code and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_no_model_and_no_posters(tmp_path):
    result = posters(tmp_path / "empty")
    assert result.returncode == 3 and "no model published" in result.stderr
