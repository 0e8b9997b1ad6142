"""The input pipeline: each epoch is a permutation of every pair cut into whole batches, epochs differ, and the
dataset never ends (so fit keeps one iterator and no epoch starts with a refill)."""
from __future__ import annotations

import numpy as np

from training.links.batches import contrastive_batches, permuted_index_batches, sampled_batches, softmax_batches


def test_each_epoch_is_a_fresh_permutation_of_whole_batches():
    n, batch = 1000, 64
    steps = n // batch
    batches = [b.numpy() for b in permuted_index_batches(n, batch, seed=3).take(3 * steps)]
    assert all(b.shape == (batch,) for b in batches)
    epochs = [np.concatenate(batches[e * steps:(e + 1) * steps]) for e in range(3)]
    for order in epochs:
        assert len(set(order.tolist())) == steps * batch and order.max() < n  # no pair twice in an epoch
    assert not np.array_equal(epochs[0], epochs[1])  # reshuffled every epoch
    again = np.concatenate([b.numpy() for b in permuted_index_batches(n, batch, seed=3).take(steps)])
    assert np.array_equal(again, epochs[0])  # reproducible from the seed


def test_pipelines_gather_matching_films_links_and_weights():
    films = np.arange(500, dtype=np.int32)
    links = films * 2  # a pair's link is twice its film: gathered rows must stay aligned
    weights = films.astype(np.float32) / 10
    for inputs, labels, w in contrastive_batches(films, links, weights, 50, seed=1, n_links=1000, uniform_negatives=7).take(25):
        assert np.array_equal(inputs["link"].numpy(), inputs["film"].numpy() * 2)
        assert np.allclose(w.numpy(), inputs["film"].numpy() / 10) and labels.shape == (50,)
        assert inputs["negative"].shape == (7,)
    inputs, labels, _ = next(iter(softmax_batches(films, links, weights, 50, seed=1)))
    assert np.array_equal(labels.numpy(), inputs["link"].numpy())
    inputs, labels = next(iter(sampled_batches(films, links, 500, 1000, 50, 2, seed=1)))
    assert inputs["film"].shape == (150,) and labels.numpy().tolist() == [1] * 50 + [-1] * 100
    assert np.array_equal(inputs["link"].numpy()[:50], inputs["film"].numpy()[:50] * 2)
