"""Shared fixtures: the real data, and one model trained on it (by the real `movielike-train` command) per session."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
def ratings_file() -> Path | None:
    path = data_dir() / "movielens" / "ml-latest-small" / "ratings.csv"
    return path if path.is_file() else None


def run_cli(*args: str, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run one of our console scripts (from this venv) the way a user does."""
    command = [sys.executable, "-c", f"import sys; from {args[0]} import main; sys.exit(main())", *args[1:]]
    full_env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=ROOT)


@pytest.fixture(scope="session")
def trained(tmp_path_factory, films_file, ratings_file) -> dict:
    """The full model, trained once on the shared 37.5k films with default settings, exactly as an admin would.

    Set MOVIELIKE_TEST_MODELS to a directory holding an already published model to skip training while iterating.
    """
    reuse = os.environ.get("MOVIELIKE_TEST_MODELS")
    if reuse:
        return {"models": Path(reuse), "seconds": None, "peak_rss_mb": None, "stderr": ""}
    models = tmp_path_factory.mktemp("models")
    args = ["training.cli", "train", "--films", str(films_file), "--models", str(models), "--quiet"]
    if ratings_file:
        args += ["--ratings", str(ratings_file)]
    started = time.perf_counter()
    result = run_cli(*args)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr[-3000:]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"models": models, "seconds": seconds, "peak_rss_mb": peak_mb, "stderr": result.stderr}


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
