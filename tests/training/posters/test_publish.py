"""Publishing the poster view: a new version over the current one's files, a second run replacing the first's
posters, and input that does not fit refused before anything is written."""
from __future__ import annotations

import json

import numpy as np
import pytest

from engine.bundle import current_version, load_bundle
from engine.errors import BundleError
from tests.models_copy import copy_current
from training.posters.publish import publish_posters


def test_a_second_run_replaces_the_poster_view(models_dir, tmp_path):
    models = tmp_path / "models"
    first_source = copy_current(models_dir, models)
    rng = np.random.default_rng(0)
    first = publish_posters(models, rng.normal(size=(6, 4)), np.arange(6), {"model": "a"}, n_trees=2)
    second = publish_posters(models, rng.normal(size=(3, 5)), np.array([9, 4, 7]), {"model": "b"}, n_trees=2)
    assert current_version(models) == second.name
    manifest = json.loads((second / "manifest.json").read_text())
    assert manifest["derived_from"] == first.name and manifest["posters"]["model"] == "b"
    posters = load_bundle(second).posters
    assert posters.films.tolist() == [9, 4, 7] and posters.vectors.shape == (3, 5)
    assert np.allclose(np.linalg.norm(posters.vectors, axis=1), 1.0, atol=1e-6)
    assert sorted(p.name for p in models.iterdir() if p.is_dir()) == sorted([first_source, first.name, second.name])


@pytest.mark.parametrize("vectors, films", [
    (np.ones((3, 4)), np.array([0, 1])),  # rows and ids differ
    (np.ones((2, 4)), np.array([1, 1])),  # an id twice
    (np.ones((1, 4)), np.array([10**7])),  # no such film
    (np.ones((0, 4)), np.array([], dtype=int)),  # nothing
])
def test_vectors_that_do_not_fit_are_refused(models_dir, tmp_path, vectors, films):
    models = tmp_path / "models"
    version = copy_current(models_dir, models)
    with pytest.raises(ValueError, match="do not fit"):
        publish_posters(models, vectors, films, {})
    assert current_version(models) == version and [p.name for p in models.iterdir() if p.is_dir()] == [version]


def test_nothing_published_to_add_posters_to(tmp_path):
    with pytest.raises(BundleError, match="No model published"):
        publish_posters(tmp_path, np.ones((1, 2)), np.array([0]), {})


def test_posters_read_on_a_version_a_retrain_replaced_are_not_published(models_dir, tmp_path):
    models = tmp_path / "models"
    read_on = copy_current(models_dir, models)  # the version the film ids of the posters come from
    retrained = publish_posters(models, np.ones((2, 4)), np.array([0, 1]), {"model": "a"}, n_trees=2)  # a new version
    with pytest.raises(BundleError, match=f"moved from {read_on}"):
        publish_posters(models, np.ones((2, 4)), np.array([0, 1]), {"model": "b"}, n_trees=2, computed_on=read_on)
    assert current_version(models) == retrained.name  # nothing published: its ids would name other films
    assert sorted(p.name for p in models.iterdir() if p.is_dir()) == sorted([read_on, retrained.name])


def test_a_retrain_says_it_leaves_the_poster_view_behind(models_dir, tmp_path):
    import io

    from training.train import _warn_if_posters_dropped

    models = tmp_path / "models"
    copy_current(models_dir, models)
    said = io.StringIO()
    _warn_if_posters_dropped(models, said)
    assert said.getvalue() == ""  # nothing to lose yet
    publish_posters(models, np.ones((2, 4)), np.array([0, 1]), {"model": "a"}, n_trees=2)
    _warn_if_posters_dropped(models, said)
    assert "run `movielike-train posters` again" in said.getvalue()
