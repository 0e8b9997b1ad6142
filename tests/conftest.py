"""Shared fixtures: the real data, and a small real model trained on it once per test run by the real
`movielike-train train` command (a few thousand shared films, few epochs, ratings included).

The full model (37.5k films, default settings) is trained by `make acceptance` instead (tests/acceptance/).
"""
from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.normalize import title_key

ROOT = Path(__file__).resolve().parents[1]
# The small model: films MovieLens users rated at least this often (the well-known ones tests ask about),
# every SMALL_EVERY-th other film (obscure films, films nobody rated), and the namesakes tests pick between.
SMALL_MIN_RATINGS = 10
SMALL_EVERY = 20
NAMESAKES_IN_TESTS = ("heat", "thing", "clean", "blade runner 2049", "rocky", "alien", "mamma mia")
SMALL_TRAINING = ("--epochs", "5", "--rating-epochs", "2", "--taste-epochs", "10", "--evaluation-users", "60",
                  "--trees", "10")


def data_dir() -> Path:
    configured = os.environ.get("MOVIELIKE_DATA")
    return Path(configured) if configured else ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def films_file() -> Path:
    path = data_dir() / "films" / "films.ndjson"
    if not path.is_file():
        pytest.fail(f"No films file at {path}: set MOVIELIKE_DATA to the shared data (see README).")
    return path


@pytest.fixture(scope="session")
def ratings_file() -> Path:
    path = data_dir() / "movielens" / "ml-latest-small" / "ratings.csv"
    if not path.is_file():
        pytest.fail(f"No MovieLens ratings at {path}: set MOVIELIKE_DATA to the shared data (see README).")
    return path


def run_cli(*args: str, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run one of our console scripts (from this venv) the way a user does."""
    command = [sys.executable, "-c", f"import sys; from {args[0]} import main; sys.exit(main())", *args[1:]]
    full_env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=ROOT)


def write_small_data(films_file: Path, ratings_file: Path, folder: Path) -> tuple[Path, Path]:
    """A real subset of the shared data: the films described above and the MovieLens ratings of those films."""
    with open(ratings_file, newline="") as handle:
        rows = list(csv.DictReader(handle))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["movieId"]] = counts.get(row["movieId"], 0) + 1
    kept, movie_ids = [], set()
    for number, line in enumerate(films_file.read_text(encoding="utf-8").splitlines()):
        title, infobox = json.loads(line)[:2]
        movie = str(infobox.get("movielens_id")) if infobox.get("movielens_id") is not None else None
        if (counts.get(movie, 0) >= SMALL_MIN_RATINGS or number % SMALL_EVERY == 0
                or title_key(title) in NAMESAKES_IN_TESTS):
            kept.append(line)
            if movie is not None:
                movie_ids.add(movie)
    films = folder / "films.ndjson"
    films.write_text("\n".join(kept) + "\n", encoding="utf-8")
    ratings = folder / "ratings.csv"
    with open(ratings, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["userId", "movieId", "rating", "timestamp"])
        writer.writeheader()
        writer.writerows(row for row in rows if row["movieId"] in movie_ids)
    return films, ratings


def train_model(films: Path, ratings: Path, models: Path, *extra: str, timeout: float) -> dict:
    """Train and publish with `movielike-train train`, as an admin would; its time and the trainer's peak memory."""
    started = time.perf_counter()
    result = run_cli("training.cli", "train", "--films", str(films), "--ratings", str(ratings), "--models",
                     str(models), "--quiet", *extra, timeout=timeout)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr[-3000:]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"models": models, "seconds": seconds, "peak_rss_mb": peak_mb, "stderr": result.stderr}


@pytest.fixture(scope="session")
def small_data(tmp_path_factory, films_file, ratings_file) -> tuple[Path, Path]:
    """(films file, ratings file) of the small model: about 4,000 real films and their MovieLens ratings."""
    return write_small_data(films_file, ratings_file, tmp_path_factory.mktemp("small-data"))


@pytest.fixture(scope="session")
def trained(tmp_path_factory, small_data) -> dict:
    """The small model, trained once per test run (about a minute on 2 cores).

    Set MOVIELIKE_TEST_MODELS to a directory holding an already published small model to skip training while iterating.
    """
    reuse = os.environ.get("MOVIELIKE_TEST_MODELS")
    if reuse:
        return {"models": Path(reuse), "seconds": None, "peak_rss_mb": None, "stderr": ""}
    return train_model(*small_data, tmp_path_factory.mktemp("models"), *SMALL_TRAINING, timeout=900)


@pytest.fixture(scope="session")
def models_dir(trained) -> Path:
    return trained["models"]


@pytest.fixture(scope="session")
def engine(models_dir):
    from engine import Engine

    return Engine.load(models_dir)


@pytest.fixture(scope="session")
def manifest(models_dir) -> dict:
    version = (models_dir / "CURRENT").read_text().strip()
    return json.loads((models_dir / version / "manifest.json").read_text())


@pytest.fixture(scope="module")
def object_store(tmp_path_factory):
    """A real S3-compatible server (moto's standalone server) on a loopback port, with a bucket `models`; the
    environment points boto3 at it (as an admin would with AWS_ENDPOINT_URL) until the module ends."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    settings = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1"}
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(endpoint, timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        import boto3

        boto3.client("s3").create_bucket(Bucket="models")
        yield {"endpoint": endpoint, "url": "s3://models/movielike", "env": settings}
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        server.terminate()
        server.wait(timeout=10)
