"""Adam that updates only the embedding rows a batch touched ("lazy" Adam).

Keras' Adam turns an embedding's sparse gradient (tf.IndexedSlices: the rows a batch gathered) into a dense one and
updates every row's moments and value at every step: with 37.5k films and 24k links that is most of a CPU step, and
at Wikipedia's size (170k films, ~800k linked pages) it made one epoch take over half an hour. Here a sparse
gradient updates only its rows (their moments decay only when they are touched, as in TensorFlow Addons' LazyAdam);
dense gradients take Keras' own Adam step.
"""
from __future__ import annotations

import keras
import tensorflow as tf


class LazyAdam(keras.optimizers.Adam):
    """Keras Adam with sparse row updates for tf.IndexedSlices gradients (embeddings)."""

    def update_step(self, gradient, variable, learning_rate):
        if not isinstance(gradient, tf.IndexedSlices):
            return super().update_step(gradient, variable, learning_rate)
        dtype = variable.dtype
        lr = tf.cast(learning_rate, dtype)
        step = tf.cast(self.iterations + 1, dtype)
        beta_1, beta_2 = tf.cast(self.beta_1, dtype), tf.cast(self.beta_2, dtype)
        alpha = lr * tf.sqrt(1 - tf.pow(beta_2, step)) / (1 - tf.pow(beta_1, step))
        rows, position = tf.unique(gradient.indices)  # a row gathered twice in a batch: its gradients add up
        values = tf.math.unsorted_segment_sum(tf.cast(gradient.values, dtype), position, tf.shape(rows)[0])
        m = self._momentums[self._get_variable_index(variable)]
        v = self._velocities[self._get_variable_index(variable)]
        m_rows = beta_1 * tf.gather(_tf(m), rows) + (1 - beta_1) * values
        v_rows = beta_2 * tf.gather(_tf(v), rows) + (1 - beta_2) * tf.square(values)
        self.assign(m, tf.IndexedSlices(m_rows, rows))
        self.assign(v, tf.IndexedSlices(v_rows, rows))
        self.assign_sub(variable, tf.IndexedSlices(alpha * m_rows / (tf.sqrt(v_rows) + self.epsilon), rows))


def _tf(variable):
    """The tf.Variable behind a Keras variable (the TensorFlow backend hands update_step either)."""
    return variable.value if isinstance(variable, keras.Variable) else variable
