"""LazyAdam: a sparse (embedding) gradient updates only the rows it touches, exactly as Adam would for the summed
gradient of those rows; dense gradients take Keras' own Adam step."""
from __future__ import annotations

import numpy as np


def _adam_rows(gradient: np.ndarray, steps: int, lr: float = 0.1, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-7):
    """Plain Adam, in numpy, on a constant gradient, from zero moments: the value after `steps` steps (from 0)."""
    m = v = np.zeros_like(gradient)
    value = np.zeros_like(gradient)
    for t in range(1, steps + 1):
        m = b1 * m + (1 - b1) * gradient
        v = b2 * v + (1 - b2) * gradient**2
        value = value - lr * np.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + eps)
    return value


def test_sparse_gradients_update_only_their_rows_as_adam_would():
    import keras
    import tensorflow as tf

    from training.links.optimizer import LazyAdam

    table = keras.Variable(np.zeros((10, 2), np.float32))
    optimizer = LazyAdam(0.1)
    for _ in range(3):  # row 1 gathered twice in each batch: its gradients add up to (2, -4)
        gradient = tf.IndexedSlices(tf.constant([[1.0, -2.0], [1.0, -2.0], [0.5, 0.5]]), tf.constant([1, 1, 7]),
                                    tf.constant([10, 2]))
        optimizer.apply([gradient], [table])
    after = table.numpy()
    assert np.allclose(after[1], _adam_rows(np.array([2.0, -4.0]), 3), atol=1e-5)
    assert np.allclose(after[7], _adam_rows(np.array([0.5, 0.5]), 3), atol=1e-5)
    untouched = [row for row in range(10) if row not in (1, 7)]
    assert np.all(after[untouched] == 0)
    moments = optimizer._momentums[0].numpy()
    assert np.all(moments[untouched] == 0) and np.all(moments[1] != 0)


def test_dense_gradients_take_keras_adams_step():
    import keras

    from training.links.optimizer import LazyAdam

    results = []
    for optimizer in (keras.optimizers.Adam(0.1), LazyAdam(0.1)):
        weights = keras.Variable(np.ones((3, 2), np.float32))
        for _ in range(3):
            optimizer.apply([np.full((3, 2), 0.5, np.float32)], [weights])
        results.append(weights.numpy())
    assert np.allclose(results[0], results[1])
