"""Publishing is atomic, keeps the last few versions, and the engine refuses what does not match its manifest."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from engine import BundleError, Engine
from engine.bundle import CURRENT, current_version, load_bundle
from engine.bundle import published_versions as versions
from engine.vectors import normalize_rows
from training.data.films import FilmRecord
from training.links.dataset import build_dataset
from training.publish.bundle import publish_bundle


@pytest.fixture()
def tiny():
    films = [FilmRecord(f"Film {i}", {"year": 1990 + i, "image": f"http://img/{i}.jpg"}, ("shared", f"group {i % 3}", f"own {i}"))
             for i in range(12)]
    data = build_dataset(films, min_films_per_link=2)
    rng = np.random.default_rng(0)
    return data, normalize_rows(rng.normal(size=(data.n_films, 8))), normalize_rows(rng.normal(size=(data.n_model_links, 8)))


def publish(models, tiny, **kwargs):
    data, film_vectors, link_vectors = tiny
    return publish_bundle(models, data, film_vectors, link_vectors, np.linspace(0, 1, data.n_films, dtype=np.float32),
                          {"metrics": {}}, n_trees=5, **kwargs)


def test_publish_writes_a_verified_bundle_and_points_current_at_it(tmp_path, tiny):
    bundle_dir = publish(tmp_path, tiny)
    assert current_version(tmp_path) == bundle_dir.name
    manifest = json.loads((bundle_dir / "manifest.json").read_text())
    assert manifest["counts"]["films"] == 12 and manifest["dim"] == 8 and manifest["metric"] == "angular"
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary files left behind"
    bundle = load_bundle(bundle_dir)
    assert bundle.films["titles"][3] == "Film 3" and bundle.films["years"][3] == 1993
    engine = Engine.load(tmp_path)
    results = engine.similar("film 4", k=3)
    assert len(results) == 3 and "Film 4" not in [r.title for r in results]


def test_only_the_last_versions_are_kept(tmp_path, tiny):
    published = [publish(tmp_path, tiny, keep=2).name for _ in range(4)]
    assert versions(tmp_path) == published[-2:]
    assert current_version(tmp_path) == published[-1]


@pytest.mark.parametrize("damage", ["flip", "remove", "manifest", "format"])
def test_engine_refuses_a_damaged_bundle(tmp_path, tiny, damage):
    bundle_dir = publish(tmp_path, tiny)
    if damage == "flip":
        path = bundle_dir / "films.json"
        path.write_text(path.read_text().replace("Film 3", "Film 9"))
    elif damage == "remove":
        os.remove(bundle_dir / "links.ann")
    elif damage == "manifest":
        (bundle_dir / "manifest.json").write_text("{not json")
    else:
        manifest = json.loads((bundle_dir / "manifest.json").read_text())
        manifest["format"] = 99
        (bundle_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BundleError) as caught:
        Engine.load(tmp_path)
    assert str(bundle_dir) in str(caught.value)


def test_failed_publish_leaves_current_alone(tmp_path, tiny):
    first = publish(tmp_path, tiny)
    data, film_vectors, link_vectors = tiny
    with pytest.raises(ValueError, match="dimension"):
        publish_bundle(tmp_path, data, film_vectors[:, :0], link_vectors, np.zeros(data.n_films), {}, n_trees=5)
    with pytest.raises(AttributeError):  # fails half-way through writing files
        publish_bundle(tmp_path, data, film_vectors, link_vectors, None, {}, n_trees=5)
    assert (tmp_path / CURRENT).read_text().strip() == first.name
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_stored_neighbours_without_link_evidence_are_the_exact_cosine_ones(monkeypatch):
    from engine.film_links import FilmLinks
    from training.publish import neighbours as scoring

    monkeypatch.setattr(scoring, "BLOCK", 64)  # several blocks, one partial
    rng = np.random.default_rng(1)
    vectors = normalize_rows(rng.normal(size=(300, 6)))
    indptr, indices = np.arange(301, dtype=np.int64), np.zeros(300, dtype=np.int32)  # every film links to one page
    no_kin = FilmLinks(["Page"], indptr, indices, [f"Film {i}" for i in range(300)], {})
    ids, scores = scoring.link_neighbours(vectors, indptr, indices, 1, no_kin, k=7, weights=(0.0, 0.0, 0.0))
    brute = vectors @ vectors.T
    np.fill_diagonal(brute, -np.inf)
    expected = np.argsort(-brute, axis=1)[:, :7]
    assert (ids == expected).all()
    np.testing.assert_allclose(scores, np.take_along_axis(brute, expected, axis=1), rtol=1e-5)


def test_redirects_become_names_the_engine_resolves(tmp_path, tiny):
    data, film_vectors, link_vectors = tiny
    publish_bundle(tmp_path, data, film_vectors, link_vectors, np.linspace(0, 1, data.n_films, dtype=np.float32), {},
                   n_trees=5, aliases=[("The Fourth One", "Film 4"), ("Nowhere", "No Such Film")])
    engine = Engine.load(tmp_path)
    assert engine.resolve("the fourth one").title == "Film 4"
    assert engine.resolve("Film 4").title == "Film 4"


def test_stable_keys_find_films_by_title_and_by_the_redirect_of_a_renamed_article(tmp_path, tiny):
    """A stored key is a film's article title; after a rename the dump's redirect (old title -> new) still finds it."""
    data, film_vectors, link_vectors = tiny
    publish_bundle(tmp_path, data, film_vectors, link_vectors, np.linspace(0, 1, data.n_films, dtype=np.float32), {},
                   n_trees=5, aliases=[("Film 4 (old title)", "Film 4"), ("Film 3", "Film 4")])
    engine = Engine.load(tmp_path)
    film = engine.film_by_key("Film 4")
    assert film is not None and film.key == "Film 4" and engine.film(film.id) == film
    assert engine.film_by_key("Film 4 (old title)") == film  # renamed: the old key still names it
    assert engine.film_by_key("Film 3").title == "Film 3"  # a title always wins over a redirect
    assert engine.film_by_key("Never Made") is None
    assert engine.ids_for(["Film 3", "Never Made", "Film 4 (old title)"]) == [engine.film_by_key("Film 3").id, film.id]
