"""`--logdir`: TensorBoard logs of a training run. The link model logs live through Keras' TensorBoard callback (its
loss each epoch, under `links/`); the rating predictors and the taste model, seconds each, have their curves written
when they finish (`ratings_mf/`, `ratings_nn/`, `taste/`); and the logdir itself holds the film vectors with their
titles for TensorBoard's embedding projector (its config, a checkpoint and metadata.tsv: the projector reads a config
only in a run's folder or the logdir, and finds the checkpoint through the `checkpoint` file next to it).
View with `tensorboard --logdir DIR` (the `train` extra installs it).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

CHECKPOINT = "film_vectors.ckpt"  # a prefix: Checkpoint.save adds "-1" and writes the `checkpoint` index file
TENSOR_NAME = "film_vectors/.ATTRIBUTES/VARIABLE_VALUE"  # how tf.train.Checkpoint names the variable below


def link_model_callback(logdir: Path):
    """Keras' TensorBoard callback for the link model's fit: the loss by epoch under `links/`."""
    import keras

    return keras.callbacks.TensorBoard(log_dir=str(Path(logdir) / "links"), write_graph=False, update_freq="epoch")


def write_curves(logdir: Path, run: str, curves: dict[str, Sequence[float]]) -> None:
    """Scalars by epoch (epoch 0 first) for a model that trained without the callback: `curves` maps a tag
    ("epoch_loss", "epoch_val_rmse") to its values."""
    import tensorflow as tf

    writer = tf.summary.create_file_writer(str(Path(logdir) / run))
    with writer.as_default():
        for tag, values in curves.items():
            for epoch, value in enumerate(values):
                tf.summary.scalar(tag, float(value), step=epoch)
    writer.close()


def write_ratings_curves(logdir: Path, ratings_info: dict) -> None:
    """Every ratings model's curves from the ratings view's manifest section (training/ratings/fit.py)."""
    for kind, figures in (ratings_info.get("kinds") or {}).items():
        write_curves(logdir, f"ratings_{kind}", {"epoch_loss": figures["loss_curve"],
                                                  "epoch_val_rmse": figures["validation_rmse_curve"]})
    taste = ratings_info.get("taste") or {}
    if taste.get("loss_curve"):
        write_curves(logdir, "taste", {"epoch_loss": taste["loss_curve"]})


def write_projector(logdir: Path, film_vectors: np.ndarray, labels: Sequence[str]) -> Path:
    """The film vectors as a checkpoint, one label a line in metadata.tsv (row order), and the projector's config
    naming them, in `logdir`; returns the checkpoint's path."""
    import tensorflow as tf

    folder = Path(logdir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "metadata.tsv").write_text("".join(" ".join(label.split()) + "\n" for label in labels), encoding="utf-8")
    vectors = tf.Variable(np.asarray(film_vectors, dtype=np.float32))
    path = tf.train.Checkpoint(film_vectors=vectors).save(str(folder / CHECKPOINT))
    (folder / "projector_config.pbtxt").write_text(
        f'embeddings {{\n  tensor_name: "{TENSOR_NAME}"\n  metadata_path: "metadata.tsv"\n}}\n')
    return Path(path)
