"""The taste model: which films the same people watch, learned in Keras from who rated what in ratings.csv.

Star-rating models are measured by RMSE but rank poorly: they favour obscure films a few people loved. Top-N
picks need the implicit signal, so this model fits every user's whole row of the catalogue (1 = rated, 0 = not,
rated cells weighted 1 + alpha: weighted matrix factorisation) and its film factors are what the
engine folds a Slack user into, in closed form, with the same weights and penalty (see engine/ratings.py).
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np

from training.data.movielens import MovieLensRatings


@dataclass
class TasteParams:
    """How the taste model is trained and folded into; stored in the manifest (the engine reads alpha, fold_in_l2)."""

    dim: int = 128
    alpha: float = 5.0  # extra weight of a rated cell over an unrated one
    l2: float = 30.0  # penalty on the factors while training
    fold_in_l2: float = 30.0  # penalty on a Slack user's vector when folding them in
    epochs: int = 40
    learning_rate: float = 0.01
    batch_users: int = 32
    bias: bool = False  # learn a film bias too; measured worse (NDCG@10 0.305 vs 0.322): the blend's popularity does it
    seed: int = 42

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class TasteFit:
    item_factors: np.ndarray  # (n_items, dim)
    item_biases: np.ndarray
    seconds: float
    loss_curve: list[float] = field(default_factory=list)


def fit_taste(ratings: MovieLensRatings, params: TasteParams | None = None) -> TasteFit:
    """Fit the weighted factorisation of the user x film matrix of who rated what (any star count)."""
    import keras
    from keras import ops

    params = params or TasteParams()
    keras.utils.set_random_seed(params.seed)
    n_users, n_items = ratings.n_users, ratings.n_items
    rows = np.zeros((n_users, n_items), dtype=np.float32)
    rows[ratings.users, ratings.items] = 1.0
    init = keras.initializers.RandomNormal(stddev=0.01, seed=params.seed)

    class Taste(keras.Model):
        """Scores a batch of users against every film: user . film + film bias; factors penalised by l2."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.user_embedding = keras.layers.Embedding(n_users, params.dim, embeddings_initializer=init)
            self.item_embedding = keras.layers.Embedding(n_items, params.dim, embeddings_initializer=init)
            self.item_embedding.build((None,))
            self.item_bias = self.add_weight(shape=(n_items,), initializer="zeros", name="item_bias",
                                             trainable=params.bias)

        def call(self, users):
            vectors = self.user_embedding(users)
            films = self.item_embedding.embeddings
            self.add_loss(params.l2 * ops.mean(ops.sum(vectors**2, axis=1)) + params.l2 / n_users * ops.sum(films**2))
            return ops.matmul(vectors, ops.transpose(films)) + self.item_bias

    def weighted_squares(rated, predicted):
        return ops.sum((1 + params.alpha * rated) * (rated - predicted) ** 2, axis=1)

    model = Taste()
    model.compile(optimizer=keras.optimizers.Adam(params.learning_rate), loss=weighted_squares)
    started = time.perf_counter()
    history = model.fit(np.arange(n_users), rows, batch_size=params.batch_users, epochs=params.epochs, verbose=0,
                        shuffle=True)
    return TasteFit(
        item_factors=model.item_embedding.embeddings.numpy().astype(np.float32),
        item_biases=model.item_bias.numpy().astype(np.float32),
        seconds=time.perf_counter() - started,
        loss_curve=[float(x) for x in history.history["loss"]],
    )
