"""`movielike-train all` on a small real films file: publishes and tells bots over Redis; a deliberately worse model
is refused with exit code 3 and a report (CURRENT untouched) unless --force."""
from __future__ import annotations

import json
import threading

import pytest
import redis

from engine.bundle import RELOAD_CHANNEL, current_version
from tests.conftest import run_cli

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def small_films(tmp_path_factory, films_file):
    """About 3,000 real films (every 12th), a few seconds to train."""
    lines = films_file.read_text().splitlines()[::12]
    path = tmp_path_factory.mktemp("films") / "films.ndjson"
    path.write_text("\n".join(lines) + "\n")
    return path


def retrain(films, models, *extra):
    args = ["training.cli", "all", "--films", str(films), "--models", str(models), "--quiet", "--trees", "5",
            "--ratings", "/nonexistent", *extra]
    return run_cli(*args, env={"REDIS_URL": REDIS_URL}, timeout=600)


def test_retrain_publishes_notifies_and_guards(tmp_path, small_films):
    models = tmp_path / "models"
    heard: list[str] = []
    subscriber = redis.Redis.from_url(REDIS_URL)
    pubsub = subscriber.pubsub()
    pubsub.subscribe(RELOAD_CHANNEL)
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            message = pubsub.get_message(timeout=0.2)
            if message and message["type"] == "message":
                heard.append(message["data"].decode())

    listener = threading.Thread(target=listen)
    listener.start()
    try:
        good = retrain(small_films, models, "--epochs", "4", "--dim", "32", "--min-films", "2")
        assert good.returncode == 0, good.stderr[-3000:]
        first = current_version(models)
        assert first is not None and "told 1 running bot" in good.stderr

        worse = retrain(small_films, models, "--epochs", "1", "--dim", "2", "--loss", "cookbook", "--min-films", "2")
        assert worse.returncode == 3, worse.stderr[-3000:]
        assert "not publishing" in worse.stderr and ("franchise_hit_rate_at_10" in worse.stderr or "link_share" in worse.stderr)
        assert current_version(models) == first, "a refused model is never published"

        forced = retrain(small_films, models, "--epochs", "1", "--dim", "2", "--loss", "cookbook", "--min-films", "2", "--force")
        assert forced.returncode == 0, forced.stderr[-3000:]
        assert current_version(models) != first
        manifest = json.loads((models / current_version(models) / "manifest.json").read_text())
        assert manifest["training"]["dim"] == 2
        stop_at = [first, current_version(models)]
        for _ in range(50):
            if heard == stop_at:
                break
            threading.Event().wait(0.05)
        assert heard == stop_at, heard
    finally:
        stop.set()
        listener.join()
        pubsub.close()
        subscriber.close()
