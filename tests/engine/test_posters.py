"""The poster view in the engine: an optional bundle part (all or none, verified), similar(by="posters"), views_for,
NoPosterView, and the `movielike` CLI's answers and exit codes. The poster vectors here are real posters' pixels
(small thumbnails), published by the trainer's own publish_posters: no TensorFlow needed."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import Config, Engine, NoPosterView
from engine.bundle import POSTER_FILES, POSTER_THUMBNAILS, load_bundle
from engine.errors import BundleError
from engine.similar import WHY_POSTERS
from tests.conftest import data_dir, run_cli
from tests.models_copy import copy_bundle, copy_current, edit_manifest, relist
from training.posters.images import THUMBNAIL_SIZE, thumbnails
from training.posters.publish import publish_posters

POSTERS = data_dir() / "posters" / "ml_movieid_jpg"
N_POSTERS = 40


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB").resize((8, 12)), dtype=np.float32).ravel()


@pytest.fixture(scope="module")
def poster_models(models_dir, tmp_path_factory) -> Path:
    """A copy of the small model plus a poster view of the N_POSTERS best-known films with a shared poster."""
    models = tmp_path_factory.mktemp("poster-models")
    version = copy_current(models_dir, models)
    catalogue = json.loads((models / version / "films.json").read_text())
    popularity = np.load(models / version / "popularity.npy")
    films = [film for film in np.argsort(-popularity, kind="stable").tolist()
             if catalogue["movielens_ids"][film] is not None
             and (POSTERS / f"{catalogue['movielens_ids'][film]}.jpg").is_file()][:N_POSTERS]
    files = [POSTERS / f"{catalogue['movielens_ids'][film]}.jpg" for film in films]
    vectors = np.stack([pixels(path) for path in files])
    publish_posters(models, vectors, np.array(films), {"model": "pixels", "weights": "none"}, thumbnails=thumbnails(files))
    return models


@pytest.fixture(scope="module")
def poster_engine(poster_models) -> Engine:
    return Engine.load(poster_models)


def test_similar_by_posters_is_the_nearest_posters_by_cosine(poster_engine):
    arrays = poster_engine.model.bundle.posters
    film = int(arrays.films[0])
    alike = poster_engine.similar(film, 5, by="posters")
    cosine = arrays.vectors @ arrays.vectors[0]
    expected = [int(arrays.films[row]) for row in np.argsort(-cosine)[1:6]]
    assert [s.id for s in alike] == expected
    assert np.allclose([s.score for s in alike], np.sort(cosine)[::-1][1:6], atol=1e-4)
    assert all(s.why == WHY_POSTERS for s in alike)
    skipped = poster_engine.similar(film, 5, by="posters", exclude=[expected[0]])
    assert [s.id for s in skipped] == [*expected[1:], int(arrays.films[np.argsort(-cosine)[6]])]
    assert len(poster_engine.similar(film, 100, by="posters")) == N_POSTERS - 1  # every other film with a poster


def test_exact_and_annoy_search_agree(poster_models, poster_engine):
    film = int(poster_engine.model.bundle.posters.films[3])
    annoy = Engine.load(poster_models, Config(models_dir=poster_models, search="annoy"))
    assert annoy.model.posters.search.mode == "annoy" and poster_engine.model.posters.search.mode == "exact"
    assert [s.id for s in annoy.similar(film, 10, by="posters")] == [s.id for s in poster_engine.similar(film, 10, by="posters")]


def test_views_for_names_posters_only_for_films_with_one(poster_engine):
    with_poster = poster_engine.film(int(poster_engine.model.bundle.posters.films[0]))
    assert poster_engine.views_for(with_poster) == ("both", "links", "ratings", "posters")
    without = poster_engine.resolve("Blade Runner 2049")
    assert "posters" not in poster_engine.views_for(without)
    with pytest.raises(NoPosterView, match="Blade Runner 2049 \\(2017\\) has no poster") as caught:
        poster_engine.similar(without, by="posters")
    assert not caught.value.missing_part


def test_a_model_without_the_poster_view_says_how_to_add_it(engine):
    assert not engine.has_posters and "posters" not in engine.views_for(engine.resolve("Forrest Gump"))
    with pytest.raises(NoPosterView, match="movielike-train posters") as caught:
        engine.similar("Forrest Gump", by="posters")
    assert caught.value.missing_part


def test_recommend_has_no_poster_view(poster_engine):
    with pytest.raises(ValueError, match="by must be one of both, links, ratings"):
        poster_engine.recommend(["Forrest Gump"], by="posters")


@pytest.mark.parametrize("damage, message", [
    ("unlisted", "does not list posters.ann"),
    ("missing", "posters.ann is missing"),
    ("altered", "poster_vectors.npy does not match its checksum"),
    ("no section", "no posters section"),
    ("misfit", "the poster view does not fit"),
    ("thumbnails", "the poster thumbnails"),
])
def test_the_poster_part_is_verified_all_or_none(poster_models, tmp_path, damage, message):
    bundle = copy_bundle(poster_models, tmp_path / "models")
    assert load_bundle(bundle).posters is not None
    if damage == "unlisted":
        edit_manifest(bundle, lambda manifest: manifest["files"].pop("posters.ann"))
    elif damage == "missing":
        (bundle / "posters.ann").unlink()
    elif damage == "altered":
        with open(bundle / "poster_vectors.npy", "r+b") as handle:
            handle.seek(-4, 2)
            handle.write(b"\x00\x00\x80\x7f")
    elif damage == "no section":
        edit_manifest(bundle, lambda manifest: manifest.pop("posters"))
    elif damage == "thumbnails":  # a well-formed file (its checksum updated) with a row too few
        np.save(bundle / POSTER_THUMBNAILS, np.load(bundle / POSTER_THUMBNAILS)[1:])
        relist(bundle, POSTER_THUMBNAILS)
    else:
        edit_manifest(bundle, lambda manifest: manifest["posters"].update(dim=7))
    with pytest.raises(BundleError, match=message):
        load_bundle(bundle)


def test_posters_keep_a_thumbnail_for_pictures(poster_engine, models_dir):
    posters = poster_engine.model.posters
    film = int(posters.films[3])
    small = posters.thumbnail(film)
    width, height = THUMBNAIL_SIZE
    assert small.shape == (height, width, 3) and small.dtype == np.uint8 and small.std() > 10  # a picture, not a fill
    without = next(i for i in range(len(poster_engine)) if not posters.has_poster(i))
    assert posters.thumbnail(without) is None


def test_a_bundle_without_any_poster_file_loads_without_the_view(poster_models, tmp_path):
    bundle = copy_bundle(poster_models, tmp_path / "models")
    for name in (*POSTER_FILES, POSTER_THUMBNAILS):
        (bundle / name).unlink()

    def drop(manifest: dict) -> None:
        for name in (*POSTER_FILES, POSTER_THUMBNAILS):
            manifest["files"].pop(name)
        manifest.pop("posters")

    edit_manifest(bundle, drop)
    assert load_bundle(bundle).posters is None


def test_serving_the_poster_view_never_imports_tensorflow(poster_models):
    code = ("import sys, json; from engine import Engine; e = Engine.load(sys.argv[1]); f = e.model.bundle.posters.films[0]; "
            "e.similar(int(f), by='posters'); "
            "print(json.dumps([m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'training', 'bot')]))")
    result = subprocess.run([sys.executable, "-c", code, str(poster_models)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def movielike(models: Path, *args: str):
    return run_cli("engine.cli", "--models", str(models), *args, timeout=120)


def test_cli_similar_by_posters(poster_models, poster_engine):
    title = poster_engine.film(int(poster_engine.model.bundle.posters.films[0])).title
    result = movielike(poster_models, "similar", title, "--by", "posters", "-k", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "(by posters)" in lines[0] and len(lines) == 4 and all(WHY_POSTERS in line for line in lines[1:])
    payload = json.loads(movielike(poster_models, "similar", title, "--by", "posters", "--json").stdout)
    assert payload["by"] == "posters" and len(payload["results"]) == 10


@pytest.mark.parametrize("model, args, code, message", [
    ("posters", ("similar", "Blade Runner 2049", "--by", "posters"), 1, "has no poster in this model"),
    ("plain", ("similar", "Forrest Gump", "--by", "posters"), 3, "movielike-train posters"),
    ("posters", ("recommend", "--like", "Forrest Gump", "--by", "posters"), 2, "invalid choice"),
])
def test_cli_exit_codes_without_a_poster_view(poster_models, models_dir, model, args, code, message):
    result = movielike(poster_models if model == "posters" else models_dir, *args)
    assert result.returncode == code and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
