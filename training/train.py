"""What `movielike-train train` (and `all`) does: read films -> build pairs -> fit the link model -> evaluate it ->
train the ratings models -> write the bundle -> evaluate recommendations and tune the blend -> guard -> publish."""
from __future__ import annotations

import json
import logging
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from engine import Blend
from engine.bundle import sha256_of
from engine.remote import is_remote
from training.data.films import read_films, read_redirects
from training.data.popularity import popularity, rating_counts
from training.evaluation.links import evaluate_model, format_metrics
from training.links.dataset import build_dataset
from training.links.fit import TrainParams, train_link_model
from training.publish.bundle import activate_version, film_links_of, publish_bundle, stored_neighbours, update_manifest
from training.publish.guard import guard_report, published_metrics, recommend_metrics
from training.ratings.predictors import RatingsParams
from training.ratings.taste import TasteParams

log = logging.getLogger(__name__)


@dataclass
class TrainRun:
    bundle: Path | None  # None when the guard stopped the publish
    manifest: dict
    refused: str | None = None  # the guard's report when it refused


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def train_and_publish(
    films_path: Path,
    models_dir: Path,
    params: TrainParams,
    min_films_per_link: int = 3,
    ratings_path: Path | None = None,
    n_trees: int = 100,
    keep: int = 3,
    progress: bool = True,
    out=sys.stderr,
    guard_tolerance: float | None = None,
    evaluate: bool = True,
    rating_params: RatingsParams | None = None,
    taste_params: TasteParams | None = None,
    evaluation_users: int | None = None,
    guard_metrics=None,
    activate=None,
    logdir: Path | None = None,
) -> TrainRun:
    """Run the whole training and publish; prints what it does to `out`.

    `models_dir` may be an object store (s3://bucket/prefix, given as a string): the bundle is built and evaluated
    in a local temporary folder, then uploaded (files, manifest, CURRENT last).

    With ratings: the rating predictors are compared by RMSE, the taste model is trained, and (unless `evaluate`
    is False) simulated MovieLens users (at most `evaluation_users`) tune the blend and measure it before the bundle
    goes live. `rating_params` / `taste_params` default to the measured settings (see training/ratings/).
    `logdir`: TensorBoard logs of every model's training and the film vectors for the projector (training/tensorboard.py).
    """
    started = time.perf_counter()
    if is_remote(models_dir):
        return _train_and_upload(films_path, str(models_dir), params, min_films_per_link, ratings_path, n_trees, keep,
                                 progress, out, guard_tolerance, evaluate, rating_params, taste_params, evaluation_users,
                                 logdir=logdir)
    report = read_films(films_path)
    if not report.films:
        raise ValueError(f"{films_path} holds no readable film ({report.bad_lines} bad lines).")
    print(f"read {len(report.films):,} films from {films_path} ({report.bad_lines} bad lines, {report.duplicates} duplicates)", file=out)
    for example in report.bad_examples:
        print(f"  skipped {example}", file=out)
    dataset = build_dataset(report.films, min_films_per_link)
    print(
        f"{dataset.n_films:,} films, {dataset.n_model_links:,} links used by >= {min_films_per_link} films, "
        f"{len(dataset.pair_films):,} (film, link) pairs; {dataset.dropped_films} films dropped (no such link)",
        file=out,
    )
    ratings = None
    if ratings_path is not None and Path(ratings_path).is_file():
        ratings = rating_counts(ratings_path)
        print(f"popularity from {sum(ratings.values()):,} MovieLens ratings in {ratings_path}", file=out)
    callbacks = []
    if logdir is not None:
        from training.tensorboard import link_model_callback

        callbacks.append(link_model_callback(logdir))
    result = train_link_model(dataset, params, progress=progress, callbacks=callbacks)
    print(
        f"trained {params.epochs} epochs on {result.device} in {result.seconds:.1f}s "
        f"({result.examples_per_second:,.0f} pairs/s)",
        file=out,
    )
    aliases = read_redirects(films_path)
    neighbours = stored_neighbours(dataset, result.film_vectors, aliases)
    metrics = evaluate_model(dataset, result.film_vectors, result.link_vectors, neighbours[0],
                             film_links_of(dataset, aliases))
    print(format_metrics(metrics, result.loss_curve), file=out)
    manifest_extra = {
        "input": {
            "films_file": str(films_path),
            "films_sha256": report.sha256,
            "bad_lines": report.bad_lines,
            "ratings_file": str(ratings_path) if ratings else None,
            "ratings_sha256": sha256_of(Path(ratings_path)) if ratings else None,
        },
        "training": {
            **params.as_dict(),
            "min_films_per_link": min_films_per_link,
            "device": result.device,
            "replicas": result.replicas,
            "seconds": round(result.seconds, 2),
            "epoch_seconds": [round(s, 2) for s in result.epoch_seconds],
            "examples_per_second": round(result.examples_per_second),
            "loss_curve": [round(x, 5) for x in result.loss_curve],
        },
        "metrics": metrics,
    }
    ratings_view = None
    if ratings is not None:
        from training.data.movielens import read_ratings
        from training.ratings.fit import train_ratings

        ratings_view = train_ratings(read_ratings(ratings_path), [f.movielens_id for f in dataset.films],
                                     rating_params, taste_params, out=out, titles=[f.title for f in dataset.films],
                                     links=(dataset.link_indptr, dataset.link_indices))
    if logdir is not None:
        _write_logs(logdir, result.film_vectors, dataset, ratings_view, out)
    bundle = publish_bundle(
        models_dir,
        dataset,
        result.film_vectors,
        result.link_vectors,
        popularity(dataset.films, ratings),
        manifest_extra,
        n_trees=n_trees,
        keep=keep,
        aliases=aliases,
        ratings=ratings_view,
        activate=False,
        neighbours=neighbours,
    )
    try:
        if ratings_view is not None and evaluate:
            from training.evaluation.recommendations import evaluate_recommendations
            from training.evaluation.tuned_baselines import TRAIN_BASELINES

            evaluation = evaluate_recommendations(bundle, ratings_path, max_users=evaluation_users, out=out,
                                                  baselines=TRAIN_BASELINES)
            metrics = {**metrics, **recommend_metrics(evaluation)}
            update_manifest(bundle, {"blend": Blend.from_manifest(evaluation).to_manifest(), "evaluation": evaluation,
                                      "metrics": metrics})
        published = guard_metrics(models_dir) if guard_metrics else published_metrics(models_dir)
        refused = guard_report(published, metrics, guard_tolerance) if guard_tolerance is not None else None
    except BaseException:
        shutil.rmtree(bundle, ignore_errors=True)
        raise
    if refused:
        print(refused, file=out)
        shutil.rmtree(bundle, ignore_errors=True)
        return TrainRun(None, {"metrics": metrics, **manifest_extra}, refused)
    _warn_if_posters_dropped(models_dir, out)
    if activate is not None:
        activate(bundle)
    else:
        activate_version(models_dir, bundle.name, keep)
    total = time.perf_counter() - started
    print(f"published {bundle} in {total:.0f}s overall; peak memory {peak_rss_mb():,.0f} MB", file=out)
    manifest = json.loads((bundle / "manifest.json").read_text())
    return TrainRun(bundle, manifest)


def _warn_if_posters_dropped(models_dir: Path, out) -> None:
    """Say so when the version this one replaces has the poster view, which a retrain does not carry over."""
    from engine.bundle import current_version

    version = current_version(models_dir)
    manifest = Path(models_dir) / version / "manifest.json" if version else None
    if manifest is not None and manifest.is_file() and "posters" in json.loads(manifest.read_text()):
        print(f"note: {version} has the poster view and this new version has not: run `movielike-train posters` again "
              "to bring back 'Looks like' and `similar --by posters`", file=out)


def _write_logs(logdir: Path, film_vectors, dataset, ratings_view, out) -> None:
    """The ratings models' curves and the projector's film vectors, next to the link model's live log."""
    from engine import film_label
    from training.tensorboard import write_projector, write_ratings_curves

    if ratings_view is not None:
        write_ratings_curves(logdir, ratings_view.info)
    write_projector(logdir, film_vectors, [film_label(f.title, f.year) for f in dataset.films])
    print(f"TensorBoard logs in {logdir} (view: tensorboard --logdir {logdir})", file=out)


def _train_and_upload(films_path: Path, url: str, *args, logdir: Path | None = None) -> TrainRun:
    """train_and_publish into a local temporary folder, guarded against the store's current version, then uploaded."""
    from engine.remote import RemoteModels
    from training.publish.remote import point_remote_current, remote_metrics, upload_version

    remote = RemoteModels(url, Path(tempfile.gettempdir()))
    staging = Path(tempfile.mkdtemp(prefix="movielike-publish-"))
    out = args[6]

    def upload(bundle: Path) -> None:
        version = upload_version(remote, bundle)
        point_remote_current(remote, version)
        print(f"uploaded {version} to {url} (every file, then its manifest, then CURRENT)", file=out)

    try:
        run = train_and_publish(films_path, staging, *args, guard_metrics=lambda _: remote_metrics(remote),
                                activate=upload, logdir=logdir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return run  # run.bundle names the local copy, gone now; its name is the version published
