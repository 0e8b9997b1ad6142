"""Each Slack user's ratings and the bot's bookkeeping, in Redis: ratings, films already shown, which film a message is
about, events already handled, and a rate limit. Keys are namespaced by workspace and user; a user's keys share a
hash tag, so the atomic scripts also work on Redis Cluster, and `forget` finds every one of them without a scan.

Schema versions (the `<prefix>:schema` key): 1 kept message records per workspace (`<prefix>:<team>:message:<channel>:
<ts>` -> "user:film:thread"), out of reach of `forget`; 2 keeps them under the user's hash tag with an index set.
`migrate()` moves version-1 records once, at start-up."""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import wraps

import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.store import StoreUnavailable

LIKE, DISLIKE = 1, -1

# KEYS: ratings hash, rated-at sorted set. ARGV: film, value (1 or -1), unix time.
# One hash field per film makes like and dislike exclusive: liking replaces a dislike and vice versa.
_RATE = """
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
"""
# A fixed-window rate limit in one round trip. KEYS: counter. ARGV: window seconds. Returns the count so far.
_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""
# Which film a suggestion message shows, indexed under its user so `forget` finds it. KEYS: record, index.
# ARGV: value, ttl seconds. The index lives as long as its newest record.
_REMEMBER = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('SADD', KEYS[2], KEYS[1])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
"""
SCHEMA_VERSION = 2
MESSAGE_TTL_SECONDS = 7 * 86400
# Undo a rating only if it is still the one being undone (removing a 👍 must not erase a later 👎).
# ARGV: film, expected value, or '*' for any.
_UNRATE = """
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current or (ARGV[2] ~= '*' and current ~= ARGV[2]) then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
"""


@dataclass(frozen=True)
class UserRatings:
    """A user's ratings: film ids liked and disliked, and (film id, value) newest first."""

    likes: list[int]
    dislikes: list[int]
    recent: list[tuple[int, int]]

    def __len__(self) -> int:
        return len(self.likes) + len(self.dislikes)


def _unavailable(method):
    """Turn Redis connection failures into StoreUnavailable, which callers answer with 'please try again'."""

    @wraps(method)
    async def wrapper(*args, **kwargs):
        try:
            return await method(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError, OSError) as error:
            raise StoreUnavailable(f"Redis is unavailable: {error}") from error

    return wrapper


class UserStateStore:
    """Async access to user state; every call is a single atomic Redis operation (or script)."""

    def __init__(self, client: aioredis.Redis, prefix: str = "movielike"):
        self.client = client
        self.prefix = prefix
        self._rate = client.register_script(_RATE)
        self._unrate = client.register_script(_UNRATE)
        self._count = client.register_script(_COUNT)
        self._remember = client.register_script(_REMEMBER)

    def _user(self, team: str, user: str, what: str) -> str:
        return f"{self.prefix}:{{{team}:{user}}}:{what}"

    @_unavailable
    async def ping(self) -> bool:
        return bool(await self.client.ping())

    @_unavailable
    async def rate(self, team: str, user: str, film_id: int, value: int) -> None:
        """Record a like (1) or dislike (-1), replacing any earlier rating of the film."""
        if value not in (LIKE, DISLIKE):
            raise ValueError(f"a rating is {LIKE} or {DISLIKE}, got {value!r}")
        keys = [self._user(team, user, "ratings"), self._user(team, user, "rated_at")]
        await self._rate(keys=keys, args=[int(film_id), value, time.time()])

    @_unavailable
    async def unrate(self, team: str, user: str, film_id: int, value: int | None = None) -> bool:
        """Remove the film's rating (only if it is still `value`, when given); True if something was removed."""
        keys = [self._user(team, user, "ratings"), self._user(team, user, "rated_at")]
        return bool(await self._unrate(keys=keys, args=[int(film_id), "*" if value is None else value]))

    @_unavailable
    async def ratings(self, team: str, user: str, recent: int = 20) -> UserRatings:
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hgetall(self._user(team, user, "ratings"))
            pipe.zrevrange(self._user(team, user, "rated_at"), 0, recent - 1)
            values, newest = await pipe.execute()
        rated = {int(film): int(value) for film, value in values.items()}
        return UserRatings(
            likes=sorted(f for f, v in rated.items() if v == LIKE),
            dislikes=sorted(f for f, v in rated.items() if v == DISLIKE),
            recent=[(int(f), rated[int(f)]) for f in newest if int(f) in rated],
        )

    @_unavailable
    async def forget(self, team: str, user: str) -> int:
        """Delete everything kept about the user, the records of the messages suggested to them included (so a
        reaction on one of those later does nothing); returns how many keys went."""
        index = self._user(team, user, "messages")
        records = [key.decode() if isinstance(key, bytes) else key for key in await self.client.smembers(index)]
        keys = [self._user(team, user, what) for what in ("ratings", "rated_at", "shown", "rate_limit")]
        return int(await self.client.delete(*keys, index, *records))  # one slot: the user's hash tag

    @_unavailable
    async def mark_shown(self, team: str, user: str, film_ids: list[int]) -> None:
        if film_ids:
            await self.client.sadd(self._user(team, user, "shown"), *[int(i) for i in film_ids])

    @_unavailable
    async def shown(self, team: str, user: str) -> set[int]:
        return {int(i) for i in await self.client.smembers(self._user(team, user, "shown"))}

    @_unavailable
    async def remember_message(self, team: str, channel: str, ts: str, user: str, film_id: int,
                               thread_ts: str | None = None, ttl: int = MESSAGE_TTL_SECONDS) -> None:
        """Which film a message suggested to `user` shows, and its thread (forgotten after `ttl` s or by `forget`)."""
        keys = [self._user(team, user, f"message:{channel}:{ts}"), self._user(team, user, "messages")]
        await self._remember(keys=keys, args=[f"{int(film_id)}:{thread_ts or ts}", ttl])

    @_unavailable
    async def message_film(self, team: str, user: str, channel: str, ts: str) -> tuple[int, str] | None:
        """(film id, thread root ts) of a message suggested to `user`, or None: not one of theirs, expired or
        forgotten (so a reaction by anyone else, or after `forget`, finds nothing)."""
        value = await self.client.get(self._user(team, user, f"message:{channel}:{ts}"))
        if value is None:
            return None
        film, root = (value.decode() if isinstance(value, bytes) else value).split(":", 1)
        return int(film), root

    @_unavailable
    async def migrate(self) -> int:
        """Bring data written by older versions to SCHEMA_VERSION, once (idempotent); returns records moved.

        Version 1 -> 2: message records move from `<prefix>:<team>:message:<channel>:<ts>` ("user:film:thread") to the
        user's hash tag, keeping their remaining time to live. The one scan happens here, never in `forget`.
        """
        schema_key = f"{self.prefix}:schema"
        current = await self.client.get(schema_key)
        if current is not None and int(current) >= SCHEMA_VERSION:
            return 0
        moved = 0
        async for raw in self.client.scan_iter(match=f"{self.prefix}:*:message:*", count=1000):
            key = raw.decode() if isinstance(raw, bytes) else raw
            if "{" in key:
                continue  # already in the current layout
            team, _, channel, ts = key[len(self.prefix) + 1:].split(":", 3)
            value, ttl = await self.client.get(key), await self.client.ttl(key)
            if value is not None and ttl != -2:
                user, film, root = (value.decode() if isinstance(value, bytes) else value).split(":", 2)
                await self.remember_message(team, channel, ts, user, int(film), root, ttl if ttl > 0 else MESSAGE_TTL_SECONDS)
                moved += 1
            await self.client.delete(key)
        await self.client.set(schema_key, SCHEMA_VERSION)
        return moved

    @_unavailable
    async def first_delivery(self, event_id: str, ttl: int = 3600) -> bool:
        """True the first time an event id is seen (SET NX with a TTL), False for Slack's retries of it."""
        return bool(await self.client.set(f"{self.prefix}:event:{event_id}", 1, nx=True, ex=ttl))

    @_unavailable
    async def allow(self, team: str, user: str, limit: int = 30, window_seconds: int = 60) -> bool:
        """A fixed-window rate limit: at most `limit` calls per user per window."""
        count = await self._count(keys=[self._user(team, user, "rate_limit")], args=[window_seconds])
        return int(count) <= limit
