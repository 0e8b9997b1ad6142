"""Training speed: pairs per second of the link model's input pipeline alone and of the whole fit, and whether any
epoch starts with a stall. Prints one JSON object.

    python bench/train.py [--films PATH] [--epochs 3] [--pipeline-epochs 3] [--dim 128] [--batch-size 1024]
                          [--fit-steps N]

`pipeline` iterates the same tf.data pipeline the fit uses, for --pipeline-epochs epochs, doing nothing with the
batches: its pairs/s is the ceiling the input side puts on any device. `fit` is `train_link_model` on the CPU (or
the GPUs there are); `first_batch_seconds` per epoch is the time from an epoch's start to its first batch's end (a
stall there is the pipeline refilling), next to the median time of a batch.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def default_films() -> str:
    data = os.environ.get("MOVIELIKE_DATA") or str(ROOT.parent / "shared" / "data")
    return str(Path(data) / "films" / "films.ndjson")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--films", default=default_films())
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--pipeline-epochs", type=int, default=3)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--fit-steps", type=int, default=None, help="fit at most this many batches an epoch")
    args = parser.parse_args()

    from training.data.films import read_films
    from training.links.batches import contrastive_batches
    from training.links.dataset import build_dataset
    from training.links.fit import TrainParams, pair_weights, train_link_model

    dataset = build_dataset(read_films(args.films).films)
    params = TrainParams(dim=args.dim, epochs=args.epochs, batch_size=args.batch_size, steps_per_epoch=args.fit_steps)
    pairs, steps = len(dataset.pair_films), len(dataset.pair_films) // args.batch_size

    batches = contrastive_batches(dataset.pair_films, dataset.pair_links, pair_weights(dataset, params.link_weighting),
                                  args.batch_size, params.seed, dataset.n_model_links, params.uniform_negatives)
    iterator = iter(batches)
    next(iterator)  # builds the pipeline; not timed
    gaps, started = [], time.perf_counter()
    last = started
    for _ in range(1, args.pipeline_epochs * steps):
        try:
            next(iterator)
        except StopIteration:  # a finite pipeline (older code): restarted, as Keras' fit restarts it each epoch
            iterator = iter(batches)
            next(iterator)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    pipeline_seconds = time.perf_counter() - started
    boundary_gaps = [gaps[e * steps - 1] for e in range(1, args.pipeline_epochs) if e * steps - 1 < len(gaps)]

    result = train_link_model(dataset, params, progress=False)
    fit_steps = min(steps, args.fit_steps or steps)
    batch_seconds = [seconds / fit_steps for seconds in result.epoch_seconds]
    print(json.dumps({
        "films": dataset.n_films, "links": dataset.n_model_links, "pairs": pairs, "batch_size": args.batch_size,
        "steps_per_epoch": steps, "device": result.device,
        "pipeline": {
            "pairs_per_second": round((len(gaps) * args.batch_size) / pipeline_seconds),
            "median_batch_ms": round(float(np.median(gaps)) * 1000, 3),
            "epoch_boundary_batch_ms": [round(g * 1000, 2) for g in boundary_gaps],
        },
        "fit": {
            "pairs_per_second": round(result.examples_per_second),
            "epoch_seconds": [round(s, 2) for s in result.epoch_seconds],
            "first_batch_seconds": [round(s, 3) for s in getattr(result, "first_batch_seconds", [])],
            "mean_batch_seconds": [round(s, 4) for s in batch_seconds],
        },
        "pipeline_vs_fit": round((len(gaps) * args.batch_size) / pipeline_seconds / result.examples_per_second, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
