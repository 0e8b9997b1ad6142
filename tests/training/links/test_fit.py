"""Training on a tiny hand-made catalogue: each loss learns (loss falls, linked films end up close), on the CPU
through the same strategy code a GPU run takes."""
from __future__ import annotations

import numpy as np
import pytest

from training.data.films import FilmRecord
from training.links.dataset import build_dataset
from training.links.fit import TrainParams, pair_weights, train_link_model


@pytest.fixture(scope="module")
def two_worlds():
    """Westerns link to western pages, space films to space pages; nothing links across."""
    films = []
    for i in range(40):
        world = "west" if i % 2 else "space"
        films.append(FilmRecord(f"{world} film {i}", {}, tuple(f"{world} page {j}" for j in range(i % 5, i % 5 + 6))))
    return build_dataset(films, min_films_per_link=2)


@pytest.mark.parametrize("loss, extra",
                         [("contrastive", {}), ("contrastive", {"uniform_negatives": 16}), ("softmax", {}), ("cookbook", {})])
def test_each_loss_learns_the_link_structure(two_worlds, loss, extra):
    params = TrainParams(dim=8, epochs=30, batch_size=32, learning_rate=0.05, loss=loss, gpus="auto", **extra)
    result = train_link_model(two_worlds, params, progress=False)
    assert result.film_vectors.shape == (40, 8) and result.link_vectors.shape == (two_worlds.n_model_links, 8)
    np.testing.assert_allclose(np.linalg.norm(result.film_vectors, axis=1), 1.0, rtol=1e-4)
    assert result.loss_curve[-1] < result.loss_curve[0]
    assert result.device in ("CPU", "GPU") or result.device.endswith("GPUs")
    similarity = result.film_vectors @ result.film_vectors.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = similarity.argmax(axis=1)
    same_world = np.mean([nearest[i] % 2 == i % 2 for i in range(40)])
    assert same_world >= 0.95, f"only {same_world:.0%} of films have a nearest film from their own world"


def test_mixed_precision_path_runs(two_worlds):
    params = TrainParams(dim=8, epochs=2, batch_size=32, mixed_precision=True)
    result = train_link_model(two_worlds, params, progress=False)
    assert result.film_vectors.dtype == np.float32 and np.isfinite(result.film_vectors).all()


def test_too_few_pairs_for_a_batch_is_a_clear_error(two_worlds):
    with pytest.raises(ValueError, match="batch"):
        train_link_model(two_worlds, TrainParams(batch_size=100_000, epochs=1), progress=False)


def test_idf_weights_favour_rare_links(two_worlds):
    weights = pair_weights(two_worlds, "idf")
    assert weights.mean() == pytest.approx(1.0, rel=1e-5)
    frequency = np.bincount(two_worlds.pair_links)[two_worlds.pair_links]
    assert weights[frequency == frequency.min()].mean() > weights[frequency == frequency.max()].mean()
    assert (pair_weights(two_worlds, "none") == 1).all()
