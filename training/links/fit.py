"""Fit the link model on (film, link) pairs, on the CPU or on every local GPU, with a progress bar."""
from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from engine.vectors import normalize_rows
from training.links.dataset import LinkDataset

log = logging.getLogger(__name__)


@dataclass
class TrainParams:
    """Training parameters; stored in the manifest so a bundle says how it was made."""

    dim: int = 128
    epochs: int = 20
    steps_per_epoch: int | None = None  # None: every pair once an epoch; fewer for quick experiments and benches
    batch_size: int = 1024
    learning_rate: float = 0.01
    loss: str = "contrastive"
    temperature: float = 0.05
    uniform_negatives: int = 2048  # contrastive: extra negatives per batch drawn uniformly over links
    link_weighting: str = "none"  # idf: a pair counts by how rare its link is; none: all pairs alike
    negative_ratio: int = 10
    seed: int = 42
    mixed_precision: bool = False
    gpus: str = "auto"  # auto: every local GPU if any; none: CPU even when GPUs exist

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainResult:
    film_vectors: np.ndarray
    link_vectors: np.ndarray
    loss_curve: list[float]
    seconds: float
    device: str
    replicas: int
    examples_per_second: float
    epoch_seconds: list[float] = field(default_factory=list)
    first_batch_seconds: list[float] = field(default_factory=list)  # per epoch: its start to its first batch's end


def pair_weights(dataset: LinkDataset, weighting: str) -> np.ndarray:
    """Weight of each training pair: its link's inverse document frequency scaled to mean 1, or all ones."""
    if weighting == "none":
        return np.ones(len(dataset.pair_links), dtype=np.float32)
    if weighting != "idf":
        raise ValueError(f"link weighting must be 'idf' or 'none', got {weighting!r}")
    frequency = np.bincount(dataset.pair_links, minlength=dataset.n_model_links)
    idf = np.log(dataset.n_films / np.maximum(frequency, 1))
    weights = idf[dataset.pair_links]
    return (weights / weights.mean()).astype(np.float32)


def pick_strategy(gpus: str):
    """MirroredStrategy over several GPUs, the default strategy (one GPU or the CPU) otherwise."""
    import tensorflow as tf

    devices = tf.config.list_physical_devices("GPU") if gpus != "none" else []
    if gpus == "none":
        tf.config.set_visible_devices([], "GPU")
    if len(devices) > 1:
        return tf.distribute.MirroredStrategy(), f"{len(devices)} GPUs"
    return tf.distribute.get_strategy(), ("GPU" if devices else "CPU")


def train_link_model(dataset: LinkDataset, params: TrainParams, progress: bool = True, callbacks: Sequence = ()
                     ) -> TrainResult:
    """Train and return normalised film and link vectors plus the loss per epoch; `callbacks` (Keras') see the fit too
    (TensorBoard's, with --logdir)."""
    import warnings

    import keras
    from tqdm.auto import tqdm

    # Our tf.data pipeline shuffles itself; Keras warns that fit() will not.
    warnings.filterwarnings("ignore", message="`shuffle=True` was passed", category=UserWarning)

    from training.links.batches import contrastive_batches, sampled_batches, softmax_batches
    from training.links.model import LinkModel
    from training.links.optimizer import LazyAdam

    keras.utils.set_random_seed(params.seed)
    strategy, device = pick_strategy(params.gpus)
    if params.mixed_precision:
        keras.mixed_precision.set_global_policy("mixed_float16")
    replicas = strategy.num_replicas_in_sync
    batch_size = params.batch_size * replicas
    if len(dataset.pair_films) < batch_size:
        raise ValueError(f"only {len(dataset.pair_films)} training pairs for a batch of {batch_size}: lower --batch-size")
    if params.loss == "cookbook":
        batches = sampled_batches(
            dataset.pair_films, dataset.pair_links, dataset.n_films, dataset.n_model_links,
            batch_size, params.negative_ratio, params.seed,
        )
    else:
        weights = pair_weights(dataset, params.link_weighting)
        if params.loss == "softmax":
            batches = softmax_batches(dataset.pair_films, dataset.pair_links, weights, batch_size, params.seed)
        else:
            batches = contrastive_batches(dataset.pair_films, dataset.pair_links, weights, batch_size, params.seed,
                                          dataset.n_model_links, params.uniform_negatives)
    steps = len(dataset.pair_films) // batch_size
    if params.steps_per_epoch:
        steps = min(steps, params.steps_per_epoch)

    with strategy.scope():
        model = LinkModel(dataset.n_films, dataset.n_model_links, params.dim, params.loss, params.temperature)
        # Sparse row updates (training/links/optimizer.py); under mixed precision Keras wraps the optimizer in a
        # loss-scale optimizer whose overflow skipping does not cover sparse updates, so Keras' own Adam stays there.
        optimizer = keras.optimizers.Adam(params.learning_rate) if params.mixed_precision else LazyAdam(params.learning_rate)
        model.compile(optimizer=optimizer, loss=model.loss_function())

    epoch_seconds: list[float] = []
    first_batch_seconds: list[float] = []

    class Progress(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.bar = tqdm(total=steps * params.epochs, unit="batch", desc="training", disable=not progress, mininterval=0.5)

        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            if batch == 0:  # a stall at the epoch's start (an input pipeline refilling) shows here
                first_batch_seconds.append(time.perf_counter() - self.started)
            self.bar.update(1)

        def on_epoch_end(self, epoch, logs=None):
            epoch_seconds.append(time.perf_counter() - self.started)
            self.bar.set_postfix(epoch=epoch + 1, loss=f"{(logs or {}).get('loss', float('nan')):.4f}")

        def on_train_end(self, logs=None):
            self.bar.close()

    started = time.perf_counter()
    history = model.fit(batches, epochs=params.epochs, steps_per_epoch=steps, verbose=0, callbacks=[Progress(), *callbacks])
    seconds = time.perf_counter() - started
    if params.mixed_precision:
        keras.mixed_precision.set_global_policy("float32")
    examples = steps * batch_size * params.epochs
    film_vectors, link_vectors = normalize_rows(model.film_vectors()), normalize_rows(model.link_vectors())
    keras.backend.clear_session()
    return TrainResult(
        film_vectors=film_vectors,
        link_vectors=link_vectors,
        loss_curve=[float(x) for x in history.history["loss"]],
        seconds=seconds,
        device=device,
        replicas=replicas,
        examples_per_second=examples / seconds,
        epoch_seconds=epoch_seconds,
        first_batch_seconds=first_batch_seconds,
    )
