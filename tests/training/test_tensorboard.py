"""`movielike-train train --logdir`: TensorBoard logs of every model's loss by epoch, and the film vectors with their
titles for the embedding projector, readable by TensorBoard itself."""
from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import run_cli
from training.tensorboard import TENSOR_NAME


@pytest.fixture(scope="module")
def logged(small_data, tmp_path_factory) -> tuple:
    folder = tmp_path_factory.mktemp("tensorboard")
    result = run_cli("training.cli", "train", "--films", str(small_data[0]), "--ratings", str(small_data[1]),
                     "--models", str(folder / "models"), "--quiet", "--epochs", "3", "--rating-epochs", "2",
                     "--taste-epochs", "4", "--no-evaluate", "--trees", "5", "--logdir", str(folder / "logs"), timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "logs", folder / "models", result.stderr


def scalars(run) -> dict[str, list[tuple[int, float]]]:
    import tensorflow as tf
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(run))
    events.Reload()
    return {tag: [(e.step, float(tf.make_ndarray(e.tensor_proto))) for e in events.Tensors(tag)]
            for tag in events.Tags()["tensors"]}


def test_every_model_logs_its_loss_by_epoch(logged):
    logs, _, stderr = logged
    links = scalars(logs / "links" / "train")
    assert [step for step, _ in links["epoch_loss"]] == [0, 1, 2]
    assert links["epoch_loss"][-1][1] < links["epoch_loss"][0][1]  # the link model learned
    for kind in ("mf", "nn"):
        curves = scalars(logs / f"ratings_{kind}")
        assert len(curves["epoch_loss"]) == len(curves["epoch_val_rmse"]) >= 1
        assert all(0.5 < rmse < 2 for _, rmse in curves["epoch_val_rmse"])
    assert [step for step, _ in scalars(logs / "taste")["epoch_loss"]] == [0, 1, 2, 3]
    assert f"tensorboard --logdir {logs}" in stderr


def test_the_projector_shows_the_film_vectors_with_their_titles(logged):
    import tensorflow as tf
    from tensorboard.plugins.projector.projector_plugin import ProjectorPlugin

    logs, models, _ = logged
    version = (models / "CURRENT").read_text().strip()
    vectors = np.load(models / version / "film_vectors.npy")
    catalogue = json.loads((models / version / "films.json").read_text())
    # What TensorBoard's projector reads for the logdir's own run ".": the config, then the newest checkpoint
    configs, _ = ProjectorPlugin._read_latest_config_files(None, [(".", str(logs))])
    [embedding] = configs["."].embeddings
    assert embedding.tensor_name == TENSOR_NAME and embedding.metadata_path == "metadata.tsv"
    stored = tf.train.load_checkpoint(configs["."].model_checkpoint_path).get_tensor(TENSOR_NAME)
    np.testing.assert_allclose(stored, vectors, rtol=1e-6)
    labels = (logs / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    assert len(labels) == len(vectors)  # one label a row, no header (a single column)
    star_wars = catalogue["titles"].index("Star Wars (film)")
    assert labels[star_wars] == "Star Wars (1977)"
