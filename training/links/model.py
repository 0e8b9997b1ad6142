"""The link model: one vector per film and one per linked page, scored by their cosine (normalised dot product)."""
from __future__ import annotations

import keras
from keras import ops

LOSSES = ("softmax", "contrastive", "cookbook")


def _unit(vectors):
    return vectors / (ops.norm(vectors, axis=-1, keepdims=True) + 1e-8)


class LinkModel(keras.Model):
    """Film and link embeddings scored by cosine.

    `softmax`: each film against every link (full softmax over cosine / temperature; every other link is a negative).
    `contrastive`: each film against the links of its batch (in-batch negatives, drawn by link frequency).
    `cookbook`: the Deep Learning Cookbook's recipe, each given pair's cosine fit to +1 (real) / -1 (random) with MSE.
    """

    def __init__(self, n_films: int, n_links: int, dim: int, loss: str = "contrastive", temperature: float = 0.05, **kwargs):
        super().__init__(**kwargs)
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
        self.loss_kind = loss
        self.temperature = temperature
        init = keras.initializers.RandomNormal(stddev=0.1, seed=1)
        self.film_embedding = keras.layers.Embedding(n_films, dim, embeddings_initializer=init, name="film_embedding")
        self.link_embedding = keras.layers.Embedding(n_links, dim, embeddings_initializer=init, name="link_embedding")
        self.film_embedding.build((None,))
        self.link_embedding.build((None,))

    def call(self, inputs):
        films = _unit(ops.cast(self.film_embedding(inputs["film"]), "float32"))
        if self.loss_kind == "softmax":
            every_link = _unit(ops.cast(self.link_embedding.embeddings, "float32"))
            return ops.matmul(films, ops.transpose(every_link)) / self.temperature
        links = _unit(ops.cast(self.link_embedding(inputs["link"]), "float32"))
        if self.loss_kind == "cookbook":
            return ops.sum(films * links, axis=-1)
        logits = ops.matmul(films, ops.transpose(links)) / self.temperature
        # A popular link appears many times in a batch; its other copies are not negatives for this film.
        same_link = ops.equal(ops.expand_dims(inputs["link"], 1), ops.expand_dims(inputs["link"], 0))
        diagonal = ops.eye(ops.shape(logits)[0], dtype="bool")
        logits = ops.where(ops.logical_and(same_link, ops.logical_not(diagonal)), -1e9, logits)
        if "negative" not in inputs:
            return logits
        negatives = _unit(ops.cast(self.link_embedding(inputs["negative"]), "float32"))
        extra = ops.matmul(films, ops.transpose(negatives)) / self.temperature
        own = ops.equal(ops.expand_dims(inputs["link"], 1), ops.expand_dims(inputs["negative"], 0))
        return ops.concatenate([logits, ops.where(own, -1e9, extra)], axis=1)

    def loss_function(self) -> keras.losses.Loss:
        if self.loss_kind == "cookbook":
            return keras.losses.MeanSquaredError()
        return keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def film_vectors(self):
        return self.film_embedding.embeddings.numpy()

    def link_vectors(self):
        return self.link_embedding.embeddings.numpy()
