"""Posters -> one unit vector each: a Keras application without its classifier (include_top=False, pooling="avg"), the
images resized to `image_size` and prepared by the model's own `preprocess_input`.

VGG16 is what the seed used (512-d, 14.7M weights, 15.5 GFLOPs an image at 224 px). EfficientNetB0 is the smaller,
modern one (1280-d, 4.0M weights, 0.39 GFLOPs, 77% ImageNet top-1 against VGG16's 71%; twice as fast here on 2 CPU
cores, 0.038 s a poster against 0.075). With `weights="imagenet"` Keras downloads the no-top weights from its
servers once (into ~/.keras/models); offline, pass the same file as `weights=PATH`. `weights=None` is a random
network, seeded: the tests and the figures measured here (README, Poster view). The pooled features are scaled to
unit length as they are, as the seed did: centring them first (the mean poster subtracted) measured +0.01 for
EfficientNetB0 and -0.02 for VGG16 on the shared posters, within the noise.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.vectors import normalize_rows
from training.posters.images import read_poster

KERAS_WEIGHTS = "https://storage.googleapis.com/"


@dataclass(frozen=True)
class ImageModel:
    name: str
    application: str  # the keras.applications constructor
    module: str  # the keras.applications module whose preprocess_input prepares its images
    dim: int  # pooled features
    imagenet_url: str  # the no-top ImageNet weights Keras downloads: what to fetch by hand for --weights PATH


MODELS = {
    "vgg16": ImageModel("vgg16", "VGG16", "vgg16", 512, KERAS_WEIGHTS + "tensorflow/keras-applications/vgg16/"
                        "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"),
    "efficientnetb0": ImageModel("efficientnetb0", "EfficientNetB0", "efficientnet", 1280,
                                 KERAS_WEIGHTS + "keras-applications/efficientnetb0_notop.h5"),
}
# With random weights on the shared posters, VGG16's top 10 shared a genre with the film 0.427 of the time (mean of 4
# seeds) against EfficientNetB0's 0.394 (random films 0.330): better by 0.03-0.04 (about 2 standard errors) with every
# seed, at twice the time. Random features see colours and textures: re-measure with ImageNet weights (the command
# prints the figure).
DEFAULT_MODEL = "vgg16"
IMAGE_SIZE = 224  # what both were trained on with ImageNet
MIN_IMAGE_SIZE = 32  # the smallest input Keras' VGG16 takes


class EmbeddingError(Exception):
    """The image model or its weights cannot be loaded; the message says what to do instead."""


@dataclass
class Embedding:
    """Unit vectors (float32, one row a poster), the film id of each row, and what could not be read."""

    vectors: np.ndarray
    films: np.ndarray
    unreadable: list[int] = field(default_factory=list)  # film ids whose file is not an image Pillow reads
    seconds: float = 0.0  # building the model and computing every poster's features


def parse_weights(text: str) -> str | Path | None:
    """--weights: 'imagenet', 'none' (random, seeded) or the path of a weights file (ValueError when there is none)."""
    if text.lower() == "imagenet":
        return "imagenet"
    if text.lower() == "none":
        return None
    path = Path(text).expanduser()
    if not path.is_file():
        raise ValueError(f"--weights {text}: no such file; give imagenet, none or a Keras weights file (.h5)")
    return path


def load_model(name: str, weights: str | Path | None, image_size: int = IMAGE_SIZE, seed: int = 42):
    """The model `name` (a key of MODELS) with those weights, taking (image_size, image_size, 3) images."""
    import keras

    spec = MODELS[name]
    if image_size < MIN_IMAGE_SIZE:
        raise ValueError(f"images must be at least {MIN_IMAGE_SIZE} px, got {image_size}")
    keras.utils.set_random_seed(seed)  # weights=None: the same random network every run
    constructor = getattr(keras.applications, spec.application)
    try:
        return constructor(include_top=False, weights=str(weights) if isinstance(weights, Path) else weights,
                           input_shape=(image_size, image_size, 3), pooling="avg")
    except Exception as error:  # Keras' get_file raises a bare Exception when its server cannot be reached
        if weights == "imagenet":
            raise EmbeddingError(
                f"could not get {name}'s ImageNet weights from Keras' servers ({error}). Offline: download "
                f"{spec.imagenet_url} where you can and pass --weights PATH (or put it in ~/.keras/models/); "
                "--weights none computes random features (tests only).") from None
        raise EmbeddingError(f"could not load {weights} into {name} ({error}): it must be {spec.imagenet_url.rsplit('/', 1)[1]} "
                             f"or weights saved from {name} without its top (include_top=False).") from None


def preprocessor(name: str):
    """The model's own preprocess_input (VGG16: BGR, ImageNet means subtracted; EfficientNet: nothing, it rescales inside)."""
    import keras

    return getattr(keras.applications, MODELS[name].module).preprocess_input


def features(model, preprocess, posters: dict[int, Path], image_size: int, batch_size: int = 32,
             progress: bool = True) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Pooled features of every readable poster: (float32 rows, their film ids, film ids of unreadable files)."""
    from tqdm.auto import tqdm

    rows, kept, unreadable = [], [], []
    items = list(posters.items())
    with tqdm(total=len(items), desc="embedding", unit="poster", disable=not progress) as bar:
        for start in range(0, len(items), batch_size):
            images, films = [], []
            for film, path in items[start : start + batch_size]:
                image = read_poster(path, image_size)
                if image is None:
                    unreadable.append(film)
                else:
                    images.append(image)
                    films.append(film)
            if images:
                rows.append(np.asarray(model(preprocess(np.stack(images)), training=False), dtype=np.float32))
                kept.extend(films)
            bar.update(min(batch_size, len(items) - start))
    dim = int(model.output_shape[-1])
    return (np.vstack(rows) if rows else np.empty((0, dim), np.float32)), np.asarray(kept, dtype=np.int64), unreadable


def embed_posters(posters: dict[int, Path], name: str = DEFAULT_MODEL, weights: str | Path | None = "imagenet",
                  image_size: int = IMAGE_SIZE, batch_size: int = 32, seed: int = 42,
                  progress: bool = True) -> Embedding:
    """Every readable poster's unit vector by model `name` (film id -> image file in, rows in the same order out)."""
    started = time.perf_counter()
    model = load_model(name, weights, image_size, seed)
    raw, films, unreadable = features(model, preprocessor(name), posters, image_size, batch_size, progress)
    return Embedding(normalize_rows(raw), films, unreadable, time.perf_counter() - started)
