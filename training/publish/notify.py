"""Tell running bots that a new model is published: a message on a Redis channel (they also poll CURRENT)."""
from __future__ import annotations

import logging

from engine.bundle import RELOAD_CHANNEL

log = logging.getLogger(__name__)


def notify_bots(version: str, redis_url: str | None, cluster: bool = False) -> int | None:
    """PUBLISH the version on RELOAD_CHANNEL; returns how many bots heard it, None when there is no shared Redis.

    Without REDIS_URL each bot has its own embedded Redis, so there is no one to tell: bots notice the new CURRENT
    by themselves within seconds. A failure to notify never fails the publish (the model is already live on disk).
    """
    if not redis_url:
        return None
    import redis

    try:
        if cluster:
            from redis.cluster import RedisCluster

            client = RedisCluster.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        else:
            client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        with client:
            return int(client.publish(RELOAD_CHANNEL, version))
    except (redis.RedisError, OSError) as error:
        log.warning("published %s but could not notify bots over Redis (%s); they will notice within seconds", version, error)
        return None
