"""`movielike-train`: the admin's commands to fetch data and train and publish a model."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from engine import BundleError
from engine.config import Config
from training.priority import lower_priority
from training.publish.guard import GUARDED_METRICS

EXIT_GUARD = 3


def _default_ratings(config: Config) -> Path:
    return config.data_dir / "movielens" / "ml-latest-small" / "ratings.csv"


def _default_posters(config: Config) -> Path:
    return config.data_dir / "posters" / "ml_movieid_jpg"


def _add_train_arguments(parser: argparse.ArgumentParser, config: Config) -> None:
    default_films = config.data_dir / "films" / "films.ndjson"
    parser.add_argument("--films", type=Path, default=default_films, help=f"films file (default {default_films})")
    parser.add_argument("--ratings", type=Path, default=_default_ratings(config),
                       help="MovieLens ratings.csv: the ratings view and well-known films (default: under MOVIELIKE_DATA, if there)")
    default_models = config.models_url or str(config.models_dir)
    parser.add_argument("--models", type=_models_location, default=default_models,
                        help=f"where bundles go: a folder or s3://bucket/prefix (default {default_models})")
    parser.add_argument("--epochs", type=int, default=None, help="passes over the pairs (default 20)")
    parser.add_argument("--steps-per-epoch", type=int, default=None,
                        help="at most this many batches an epoch (default: every pair once), for quick experiments "
                             "and for timing a huge films file without a whole pass")
    parser.add_argument("--dim", type=int, default=None, help="vector size (default 128)")
    parser.add_argument("--batch-size", type=int, default=None, help="pairs a batch per replica (default 1024)")
    parser.add_argument("--learning-rate", type=float, default=None)
    parser.add_argument("--loss", choices=("contrastive", "cookbook"), default=None,
                        help="contrastive: in-batch and uniform negatives (default); cookbook: the Deep Learning "
                             "Cookbook's MSE on +1/-1 random pairs")
    parser.add_argument("--min-films", type=int, default=3, help="keep links used by at least this many films (default 3)")
    parser.add_argument("--trees", type=int, default=100, help="Annoy trees for the film index (default 100)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--mixed-precision", action="store_true", help="float16 compute on a GPU")
    parser.add_argument("--cpu", action="store_true", help="train on the CPU even when GPUs are present")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--logdir", type=Path, default=None,
                        help="write TensorBoard logs here: every model's loss by epoch, the film vectors for the projector")
    parser.add_argument("--no-evaluate", action="store_true",
                        help="skip the recommendation evaluation (faster; the blend keeps its default weights)")
    parser.add_argument("--rating-epochs", type=int, default=None,
                        help="most epochs of each rating predictor, early-stopped before (default 60)")
    parser.add_argument("--taste-epochs", type=int, default=None, help="epochs of the taste model (default 40)")
    parser.add_argument("--evaluation-users", type=int, default=None,
                        help="simulated users in the recommendation evaluation (default: every eligible one)")


def _models_location(text: str) -> str | Path:
    """A models folder, or an object store address kept as text (a Path would fold s3:// into s3:/)."""
    return text if text.startswith("s3://") else Path(text)


def _add_bundle_arguments(parser: argparse.ArgumentParser, config: Config) -> None:
    parser.add_argument("--models", type=Path, default=config.models_dir,
                        help=f"where the published model is (default {config.models_dir})")


def _parser(config: Config) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="movielike-train",
        description="Train movielike's film model and publish it where the bot and CLI read it.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="train on a films file and publish a new model", description=(
        "Train film and link vectors on a Cookbook-format films file, evaluate them against TF-IDF, and publish a "
        "bundle under MOVIELIKE_MODELS (atomically; running engines pick it up)."))
    _add_train_arguments(train, config)
    retrain = commands.add_parser("all", help="the retrain script: train, evaluate, guard, publish, notify bots",
                                  description=(
        "Train and evaluate like `train`, then compare with the published model: if a guarded metric "
        f"({', '.join(GUARDED_METRICS)}) drops by more than --tolerance, or the new model loses a margin of its own "
        "(recommend ahead of EASE by two paired standard errors and behind no baseline, linked films found, the "
        "links view at least TF-IDF on franchises), stop with exit code 3 and a report (unless --force). Otherwise "
        "publish and tell running bots over Redis (REDIS_URL) to reload."))
    _add_train_arguments(retrain, config)
    retrain.add_argument("--force", action="store_true", help="publish even if the new model evaluates worse")
    retrain.add_argument("--tolerance", type=float, default=0.02, help="largest drop of a guarded metric (default 0.02)")

    extract = commands.add_parser("extract", help="films from a Wikipedia dump into a films file", description=(
        "Stream a pages-articles(-multistream) .xml.bz2 dump and write every page with {{Infobox film}} as Cookbook "
        "ndjson, redirects to films beside it (.redirects.ndjson) and counts (.stats.json)."))
    extract.add_argument("--dump", type=Path, required=True, help="the .xml.bz2 dump")
    extract.add_argument("--index", type=Path, help="its multistream index (.txt.bz2): lets --workers split the work")
    extract.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes, with --index (default: cores)")
    extract.add_argument("--out", type=Path, required=True, help="where to write films (.ndjson)")
    extract.add_argument("--quiet", action="store_true", help="no progress bar")

    dump = commands.add_parser("download", help="the English Wikipedia multistream dump and index, verified", description=(
        "Download the latest complete (or --date YYYYMMDD) enwiki pages-articles-multistream dump and its index, "
        "resuming partial files and checking the sha1 the dump site publishes."))
    dump.add_argument("--date", default="latest", help="YYYYMMDD or latest (default)")
    dump.add_argument("--dir", type=Path, default=config.data_dir / "wikipedia", help="where to put them")
    dump.add_argument("--site", default="https://dumps.wikimedia.org", help="the dump site or a mirror")
    dump.add_argument("--quiet", action="store_true", help="no progress bar")

    evaluate = commands.add_parser("evaluate", help="measure the published model's recommendations", description=(
        "Simulate Slack users from MovieLens (users with >= 10 ratings >= 4; a random 20%% of their likes hidden), "
        "train the taste model without the hidden likes, and score recommend() and similar() by Recall@10 and "
        "NDCG@10 next to most popular, item-kNN and EASE. Stores the figures in the model's manifest."))
    _add_bundle_arguments(evaluate, config)
    evaluate.add_argument("--ratings", type=Path, default=_default_ratings(config), help="MovieLens ratings.csv")
    evaluate.add_argument("--max-users", type=int, default=None, help="evaluate on at most this many users (faster)")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")

    report = commands.add_parser("report", help="pictures of the published model (PNG)", description=(
        "Write PNGs: the first principal components of the taste model's film factors with titles, the training "
        "curves, and a 2-D map of one film's neighbourhood."))
    _add_bundle_arguments(report, config)
    report.add_argument("--out", type=Path, default=Path("var/report"), help="folder for the PNGs (default var/report)")
    report.add_argument("--film", default=None, help="the film whose neighbourhood to map (default: the best known)")
    report.add_argument("--posters", type=Path, default=_default_posters(config),
                        help="poster JPEGs named by MovieLens id, drawn on the map of films (default: the shared data's)")

    _add_posters_parser(commands, config)
    fetch = commands.add_parser("fetch-data", help="download the public films and MovieLens data, verified", description=(
        "Download MovieLens ml-latest-small (GroupLens) and the Deep Learning Cookbook's wp_movies_10k.ndjson, "
        "verify their checksums and lay them out as MOVIELIKE_DATA expects."))
    fetch.add_argument("--dir", type=Path, default=config.data_dir, help=f"where to put them (default {config.data_dir})")
    return parser


def _train(args: argparse.Namespace, config: Config, guarded: bool = False) -> int:
    from training.links.fit import TrainParams
    from training.ratings.predictors import RatingsParams
    from training.ratings.taste import TasteParams
    from training.train import train_and_publish

    if not args.films.is_file():
        print(f"movielike-train: no films file at {args.films}. Pass --films PATH, set MOVIELIKE_DATA, "
              "or run `movielike-train fetch-data`.", file=sys.stderr)
        return 2
    params = TrainParams()
    for name in ("epochs", "steps_per_epoch", "dim", "batch_size", "learning_rate", "loss", "seed"):
        value = getattr(args, name)
        if value is not None:
            setattr(params, name, value)
    if params.epochs < 1 or params.dim < 2 or params.batch_size < 2 or (params.steps_per_epoch or 1) < 1:
        print("movielike-train: --epochs and --steps-per-epoch must be >= 1, --dim and --batch-size >= 2.", file=sys.stderr)
        return 2
    if any(value is not None and value < low for value, low in
           ((args.rating_epochs, 1), (args.taste_epochs, 1), (args.evaluation_users, 2))):
        print("movielike-train: --rating-epochs and --taste-epochs must be >= 1, --evaluation-users >= 2 "
              "(half tune, half are scored).", file=sys.stderr)
        return 2
    rating_params, taste_params = RatingsParams(), TasteParams()
    if args.rating_epochs is not None:
        rating_params.max_epochs = args.rating_epochs
    if args.taste_epochs is not None:
        taste_params.epochs = args.taste_epochs
    params.mixed_precision = args.mixed_precision
    params.gpus = "none" if args.cpu else "auto"
    ratings = args.ratings if args.ratings and args.ratings.is_file() else None
    tolerance = None if not guarded or args.force else args.tolerance
    try:
        run = train_and_publish(args.films, args.models, params, args.min_films, ratings, args.trees,
                                config.keep_versions, progress=not args.quiet, guard_tolerance=tolerance,
                                evaluate=not args.no_evaluate, rating_params=rating_params,
                                taste_params=taste_params, evaluation_users=args.evaluation_users, logdir=args.logdir)
    except (ValueError, BundleError) as error:  # unreadable films, an object store that cannot be reached...
        print(f"movielike-train: {error}", file=sys.stderr)
        return 1
    if run.refused:
        return EXIT_GUARD
    if guarded:
        from training.publish.notify import notify_bots

        heard = notify_bots(run.bundle.name, config.redis_url, config.redis_cluster)
        if heard is not None:
            print(f"told {heard} running bot(s) over Redis to load {run.bundle.name}", file=sys.stderr)
    return 0


def _extract(args: argparse.Namespace) -> int:
    from training.wikipedia.extract import extract

    for path, what in ((args.dump, "dump"), (args.index, "index")):
        if path is not None and not path.is_file():
            print(f"movielike-train: no {what} file at {path}.", file=sys.stderr)
            return 2
    if args.workers < 1:
        print("movielike-train: --workers must be at least 1.", file=sys.stderr)
        return 2
    workers = args.workers if args.index else 1
    stats = extract(args.dump, args.out, index=args.index, workers=workers, progress=not args.quiet)
    print(f"{stats.pages:,} pages, {stats.films:,} films, {stats.redirects_to_films:,} redirects to films, "
          f"{stats.bad_pages} bad pages in {stats.seconds:.1f}s -> {args.out}")
    return 0


def _download(args: argparse.Namespace) -> int:
    from training.wikipedia.download import DumpError, download

    try:
        dump, index = download(args.dir, args.date, args.site.rstrip("/"), progress=not args.quiet)
    except DumpError as error:
        print(f"movielike-train: {error}", file=sys.stderr)
        return 1
    print(f"ready: {dump}\nready: {index}\nnext: movielike-train extract --dump {dump} --index {index} --out FILMS")
    return 0


def _current_bundle(models: Path) -> Path | None:
    from engine.bundle import current_version

    version = current_version(models)
    if version is None:
        print(f"movielike-train: no model published in {models}. Train one with `movielike-train train`.", file=sys.stderr)
        return None
    return models / version


def _evaluate(args: argparse.Namespace) -> int:
    import json

    from training.evaluation.group import evaluate_groups
    from training.evaluation.recommendations import evaluate_recommendations, prepare_split
    from training.publish.bundle import update_manifest

    bundle = _current_bundle(args.models)
    if bundle is None:
        return 3
    if not args.ratings.is_file():
        print(f"movielike-train: no ratings file at {args.ratings}. Pass --ratings PATH or set MOVIELIKE_DATA.", file=sys.stderr)
        return 2
    if args.max_users is not None and args.max_users < 2:
        print("movielike-train: --max-users must be at least 2 (half tune, half are scored).", file=sys.stderr)
        return 2
    split = prepare_split(bundle, args.ratings, max_users=args.max_users)
    figures = evaluate_recommendations(bundle, args.ratings, split=split)
    figures["groups"] = evaluate_groups(split)
    # The figures only: the served weights and the guard's reference figures stay those `train` measured and
    # published (an evaluation of a few users must not change what bots serve).
    update_manifest(bundle, {"evaluation": figures})
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


def _report(args: argparse.Namespace) -> int:
    from training.report import write_report

    bundle = _current_bundle(args.models)
    if bundle is None:
        return 3
    try:
        paths = write_report(bundle, args.out, args.film, posters=args.posters)
    except ValueError as error:
        print(f"movielike-train: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"wrote {path}")
    return 0


def _add_posters_parser(commands, config: Config) -> None:
    from training.posters.embed import DEFAULT_MODEL, IMAGE_SIZE, MODELS

    posters = commands.add_parser("posters", help="the poster view: films whose posters look alike", description=(
        "Compute an image vector per poster with a Keras application, measure how often a film's 10 nearest posters "
        "share a genre with it (vs the links view and random films), and publish the current model plus this poster "
        "view as a new version (atomically; running engines pick it up). `movielike similar TITLE --by posters`."))
    _add_bundle_arguments(posters, config)
    posters.add_argument("--images", type=Path, default=_default_posters(config),
                         help="folder of poster JPEGs named <MovieLens id>.jpg (default: the shared data's)")
    posters.add_argument("--download", action="store_true",
                         help="download the catalogue's poster URLs instead (politely: cache, rate limit, retries)")
    posters.add_argument("--cache", type=Path, default=Path("var/cache/posters"),
                         help="where downloaded posters are kept; a second run resumes (default var/cache/posters)")
    posters.add_argument("--contact", default=None,
                         help="your URL or email address for the downloads' User-Agent (needed with --download)")
    posters.add_argument("--delay", type=float, default=1.0, help="seconds between download requests (default 1)")
    posters.add_argument("--limit", type=int, default=None, help="only the N best-known films with a poster")
    posters.add_argument("--model", choices=sorted(MODELS), default=DEFAULT_MODEL,
                         help=f"the image model (default {DEFAULT_MODEL}: measured best on the shared posters, with random weights)")
    posters.add_argument("--weights", default="imagenet",
                         help="imagenet (downloaded by Keras once), none (random: tests only) or a weights file (.h5)")
    posters.add_argument("--image-size", type=int, default=IMAGE_SIZE, help=f"pixels a side (default {IMAGE_SIZE})")
    posters.add_argument("--batch-size", type=int, default=32)
    posters.add_argument("--films", type=Path, default=None,
                         help="films file with the infobox genres for the figure (default: the model's training input)")
    posters.add_argument("--seed", type=int, default=42, help="seeds the random weights of --weights none")
    posters.add_argument("--quiet", action="store_true", help="no progress bars")


def _posters(args: argparse.Namespace, config: Config) -> int:
    from training.posters.download import DownloadSettings
    from training.posters.embed import EmbeddingError, parse_weights
    from training.posters.view import PosterError, PosterSource, build_poster_view

    if _current_bundle(args.models) is None:
        return 3
    try:
        weights = parse_weights(args.weights)
    except ValueError as error:
        print(f"movielike-train: {error}", file=sys.stderr)
        return 2
    if args.download and not (args.contact or "").strip():
        print("movielike-train: --download needs --contact URL-or-email: the User-Agent says who is downloading "
              "(Wikimedia's policy asks for it).", file=sys.stderr)
        return 2
    if not args.download and not args.images.is_dir():
        print(f"movielike-train: no poster folder at {args.images}. Pass --images DIR or --download.", file=sys.stderr)
        return 2
    if args.delay < 0 or args.batch_size < 1 or (args.limit is not None and args.limit < 1) or args.image_size < 32:
        print("movielike-train: --delay must be >= 0, --batch-size and --limit >= 1, --image-size >= 32.", file=sys.stderr)
        return 2
    source = (PosterSource(download=DownloadSettings(args.cache, args.contact, delay=args.delay)) if args.download
              else PosterSource(folder=args.images))
    try:
        run = build_poster_view(args.models, source, args.model, weights, args.image_size, args.films, args.limit,
                                args.batch_size, keep=config.keep_versions, seed=args.seed, progress=not args.quiet)
    except (PosterError, EmbeddingError, BundleError, ValueError) as error:
        print(f"movielike-train: {error}", file=sys.stderr)
        return 1
    from training.publish.notify import notify_bots

    heard = notify_bots(run.bundle.name, config.redis_url, config.redis_cluster)
    if heard is not None:
        print(f"told {heard} running bot(s) over Redis to load {run.bundle.name}", file=sys.stderr)
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from training.data.fetch import DownloadError, fetch_all

    try:
        for path in fetch_all(args.dir):
            print(f"ready: {path}")
    except DownloadError as error:
        print(f"movielike-train: {error}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        config = Config.from_env()
    except ValueError as error:
        print(f"movielike-train: {error}", file=sys.stderr)
        return 2
    lower_priority(config.train_nice)  # before TensorFlow starts its threads: they inherit it
    args = _parser(config).parse_args(argv)
    try:
        if args.command == "train":
            return _train(args, config)
        if args.command == "all":
            return _train(args, config, guarded=True)
        if args.command == "extract":
            return _extract(args)
        if args.command == "download":
            return _download(args)
        if args.command == "evaluate":
            return _evaluate(args)
        if args.command == "report":
            return _report(args)
        if args.command == "posters":
            return _posters(args, config)
        return _fetch(args)
    except KeyboardInterrupt:
        print("movielike-train: interrupted; nothing was published or left half-written.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
