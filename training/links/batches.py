"""Vectorised tf.data input pipelines: whole batches of pairs are shuffled, cut and given negatives in graph ops."""
from __future__ import annotations

import numpy as np
import tensorflow as tf


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
    pairs = tf.data.Dataset.from_tensor_slices((pair_films, pair_links, pair_weights.astype(np.float32)))
    pairs = pairs.shuffle(len(pair_films), seed=seed, reshuffle_each_iteration=True)
    batches = pairs.batch(batch_size, drop_remainder=True).enumerate()
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
    pairs = tf.data.Dataset.from_tensor_slices((pair_films, pair_links, pair_weights.astype(np.float32)))
    pairs = pairs.shuffle(len(pair_films), seed=seed, reshuffle_each_iteration=True)
    return pairs.batch(batch_size, drop_remainder=True).map(
        lambda films, links, weights: ({"film": films, "link": links}, links, weights),
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
    pairs = tf.data.Dataset.from_tensor_slices((pair_films, pair_links))
    pairs = pairs.shuffle(len(pair_films), seed=seed, reshuffle_each_iteration=True)
    batches = pairs.batch(batch_size, drop_remainder=True).enumerate()
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
