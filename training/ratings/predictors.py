"""The ratings model: Keras embeddings fit to MovieLens stars, as matrix factorisation or a small neural net.

Matrix factorisation predicts mean + user bias + film bias + user . film; its film factors and biases are what the
engine folds a Slack user into. The neural net (the seeds' other recipe) puts a small MLP over the concatenated
embeddings; both are trained and the one with the lower validation RMSE is kept.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np

from training.data.movielens import MovieLensRatings

KINDS = ("mf", "nn")
LOWEST, HIGHEST = 0.5, 5.0  # MovieLens stars


@dataclass
class RatingsParams:
    """How a ratings model is trained; stored in the manifest."""

    dim: int = 64
    l2: float = 0.1  # penalty on each example's embeddings and biases (squared), added to the squared error
    learning_rate: float = 0.002
    batch_size: int = 256
    max_epochs: int = 60
    patience: int = 3  # stop after this many epochs without a better validation RMSE
    hidden: int = 64  # the neural net's hidden units
    dropout: float = 0.3
    seed: int = 42

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class RatingsFit:
    """A trained model's parameters as numpy arrays, with how it trained."""

    kind: str
    mean: float
    item_factors: np.ndarray  # (n_items, dim); for the neural net, its item embeddings
    item_biases: np.ndarray
    user_factors: np.ndarray
    user_biases: np.ndarray
    epochs: int
    seconds: float
    loss_curve: list[float] = field(default_factory=list)
    validation_rmse_curve: list[float] = field(default_factory=list)
    predict_fn: object = None  # (users, items) -> stars, for the neural net whose prediction is not a dot product

    def predict(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        if self.predict_fn is not None:
            return self.predict_fn(users, items)
        dots = np.einsum("ij,ij->i", self.user_factors[users], self.item_factors[items])
        return np.clip(self.mean + self.user_biases[users] + self.item_biases[items] + dots, LOWEST, HIGHEST)


def rmse(fit: RatingsFit, ratings: MovieLensRatings) -> float:
    """Root mean squared error of the model's predictions (clipped to 0.5-5 stars) on these ratings."""
    predicted = fit.predict(ratings.users, ratings.items)
    return float(np.sqrt(np.mean((predicted - ratings.values) ** 2)))


def _models(n_users: int, n_items: int, mean: float, params: RatingsParams):
    import keras
    from keras import ops

    init = keras.initializers.RandomNormal(stddev=0.05, seed=params.seed)

    class Embeddings(keras.Model):
        """User and film embeddings and biases; the per-example L2 penalty is added as a model loss."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.user_embedding = keras.layers.Embedding(n_users, params.dim, embeddings_initializer=init)
            self.item_embedding = keras.layers.Embedding(n_items, params.dim, embeddings_initializer=init)
            self.user_bias = keras.layers.Embedding(n_users, 1, embeddings_initializer="zeros")
            self.item_bias = keras.layers.Embedding(n_items, 1, embeddings_initializer="zeros")

        def parts(self, inputs):
            users, items = self.user_embedding(inputs["user"]), self.item_embedding(inputs["item"])
            user_bias, item_bias = self.user_bias(inputs["user"])[:, 0], self.item_bias(inputs["item"])[:, 0]
            penalty = ops.sum(users**2, axis=1) + ops.sum(items**2, axis=1) + user_bias**2 + item_bias**2
            self.add_loss(params.l2 * ops.mean(penalty))
            return users, items, mean + user_bias + item_bias

    class MatrixFactorization(Embeddings):
        def call(self, inputs):
            users, items, base = self.parts(inputs)
            return base + ops.sum(users * items, axis=1)

    class NeuralNet(Embeddings):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = keras.layers.Dense(params.hidden, activation="relu")
            self.dropout = keras.layers.Dropout(params.dropout, seed=params.seed)
            self.out = keras.layers.Dense(1, kernel_initializer="zeros")

        def call(self, inputs, training=False):
            users, items, base = self.parts(inputs)
            hidden = self.dropout(self.hidden(ops.concatenate([users, items], axis=1)), training=training)
            return base + self.out(hidden)[:, 0]

    return {"mf": MatrixFactorization, "nn": NeuralNet}


def fit_ratings(
    train: MovieLensRatings,
    kind: str = "mf",
    params: RatingsParams | None = None,
    validation: MovieLensRatings | None = None,
    epochs: int | None = None,
) -> RatingsFit:
    """Train a `kind` model on `train`. With `validation`, stop when its RMSE stops improving and keep the best
    epoch's weights; without, train exactly `epochs` epochs (e.g. the best count found with a validation set)."""
    import keras

    if kind not in KINDS:
        raise ValueError(f"ratings model must be one of {KINDS}, got {kind!r}")
    params = params or RatingsParams()
    keras.utils.set_random_seed(params.seed)
    mean = float(train.values.mean())
    model = _models(train.n_users, train.n_items, mean, params)[kind]()
    model.compile(optimizer=keras.optimizers.Adam(params.learning_rate), loss="mse")
    inputs = {"user": train.users, "item": train.items}
    curve: list[float] = []
    validation_curve: list[float] = []
    best = (np.inf, 0, None)
    started = time.perf_counter()
    for epoch in range(epochs or params.max_epochs):
        history = model.fit(inputs, train.values, batch_size=params.batch_size, epochs=1, shuffle=True, verbose=0)
        curve.append(float(history.history["loss"][0]))
        if validation is None:
            continue
        predicted = model.predict({"user": validation.users, "item": validation.items}, batch_size=8192, verbose=0)
        score = float(np.sqrt(np.mean((np.clip(predicted, LOWEST, HIGHEST) - validation.values) ** 2)))
        validation_curve.append(score)
        if score < best[0]:
            best = (score, epoch + 1, [w.copy() for w in model.get_weights()])
        elif epoch + 1 - best[1] >= params.patience:
            break
    if best[2] is not None:
        model.set_weights(best[2])
    seconds = time.perf_counter() - started
    fit = RatingsFit(
        kind=kind,
        mean=mean,
        item_factors=model.item_embedding.embeddings.numpy().astype(np.float32),
        item_biases=model.item_bias.embeddings.numpy()[:, 0].astype(np.float32),
        user_factors=model.user_embedding.embeddings.numpy().astype(np.float32),
        user_biases=model.user_bias.embeddings.numpy()[:, 0].astype(np.float32),
        epochs=best[1] if validation is not None else len(curve),
        seconds=seconds,
        loss_curve=curve,
        validation_rmse_curve=validation_curve,
    )
    if kind == "nn":
        fit.predict_fn = lambda users, items: np.clip(
            model.predict({"user": np.asarray(users), "item": np.asarray(items)}, batch_size=8192, verbose=0),
            LOWEST, HIGHEST)
    return fit
