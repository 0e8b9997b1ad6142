"""Vectorised tf.data input pipelines: each epoch a fresh permutation of the pairs, cut into whole batches that are
gathered from the pair tensors and given negatives in graph ops.

No element-wise shuffle buffer (refilling one with every pair stalled each epoch's start for seconds), and every
pipeline is endless, so Keras' fit (given steps_per_epoch) keeps one iterator across epochs and never restarts it.
"""
from __future__ import annotations

import numpy as np
import tensorflow as tf


def permuted_index_batches(n: int, batch_size: int, seed: int) -> tf.data.Dataset:
    """Endless batches of row indices: epoch e is a permutation of 0..n-1 drawn from (seed, e), cut into n // batch_size
    whole batches (the remainder is dropped; the next permutation covers it)."""
    steps = n // batch_size
    if steps == 0:
        raise ValueError(f"only {n} training pairs for a batch of {batch_size}: lower --batch-size")

    def epoch_batches(epoch):
        order = tf.random.experimental.stateless_shuffle(
            tf.range(n, dtype=tf.int32), seed=tf.stack([tf.constant(seed, tf.int64), epoch]))
        return tf.data.Dataset.from_tensor_slices(tf.reshape(order[: steps * batch_size], [steps, batch_size]))

    return tf.data.Dataset.range(2**62).flat_map(epoch_batches)


def _gathered(index_batches: tf.data.Dataset, *columns: np.ndarray) -> tf.data.Dataset:
    """(step, (column[rows] for each column)) for each batch of row indices: whole-batch gathers."""
    tensors = [tf.constant(column) for column in columns]
    return index_batches.enumerate().map(
        lambda step, rows: (step, tuple(tf.gather(tensor, rows) for tensor in tensors)),
        num_parallel_calls=tf.data.AUTOTUNE)


def contrastive_batches(
    pair_films: np.ndarray,
    pair_links: np.ndarray,
    pair_weights: np.ndarray,
    batch_size: int,
    seed: int,
    n_links: int = 0,
    uniform_negatives: int = 0,
) -> tf.data.Dataset:
    """Batches of real (film, link) pairs; every other link in the batch is a negative for each film, and so are
    `uniform_negatives` links drawn uniformly per batch (in-batch negatives alone seldom include rare links).

    Labels are the diagonal of the batch's film x link score matrix; each pair carries its weight.
    """
    batches = _gathered(permuted_index_batches(len(pair_films), batch_size, seed), pair_films, pair_links,
                        pair_weights.astype(np.float32))
    labels = tf.range(batch_size, dtype=tf.int32)

    def to_inputs(index, batch):
        films, links, weights = batch
        inputs = {"film": films, "link": links}
        if uniform_negatives:
            step_seed = tf.stack([tf.constant(seed, tf.int64), index])
            inputs["negative"] = tf.random.stateless_uniform([uniform_negatives], step_seed, 0, n_links, dtype=tf.int32)
        return inputs, labels, weights

    return batches.map(to_inputs, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


def softmax_batches(
    pair_films: np.ndarray, pair_links: np.ndarray, pair_weights: np.ndarray, batch_size: int, seed: int
) -> tf.data.Dataset:
    """Batches of real (film, link) pairs for a softmax over every link: the label is the link's id."""
    batches = _gathered(permuted_index_batches(len(pair_films), batch_size, seed), pair_films, pair_links,
                        pair_weights.astype(np.float32))
    return batches.map(
        lambda _, batch: ({"film": batch[0], "link": batch[1]}, batch[1], batch[2]),
        num_parallel_calls=tf.data.AUTOTUNE,
    ).prefetch(tf.data.AUTOTUNE)


def sampled_batches(
    pair_films: np.ndarray,
    pair_links: np.ndarray,
    n_films: int,
    n_links: int,
    batch_size: int,
    negative_ratio: int,
    seed: int,
) -> tf.data.Dataset:
    """The Deep Learning Cookbook's recipe (--loss cookbook): real pairs labelled 1 plus `negative_ratio` random pairs each labelled -1."""
    batches = _gathered(permuted_index_batches(len(pair_films), batch_size, seed), pair_films, pair_links)
    n_negative = batch_size * negative_ratio

    def add_negatives(index, batch):
        films, links = batch
        step_seed = tf.stack([tf.constant(seed, tf.int64), index])
        random_films = tf.random.stateless_uniform([n_negative], step_seed, 0, n_films, dtype=tf.int32)
        random_links = tf.random.stateless_uniform([n_negative], step_seed + 1, 0, n_links, dtype=tf.int32)
        inputs = {"film": tf.concat([films, random_films], 0), "link": tf.concat([links, random_links], 0)}
        labels = tf.concat([tf.ones([batch_size]), -tf.ones([n_negative])], 0)
        return inputs, labels

    return batches.map(add_negatives, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
