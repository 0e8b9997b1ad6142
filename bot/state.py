"""Each Slack user's ratings and the bot's bookkeeping, in Redis: ratings, films already shown, which film a message is
about, events already handled, a rate limit, and (through `nights`, bot/night_state.py) the movie nights they are in.
Keys are namespaced by workspace and user; a user's keys share a hash tag, so the atomic scripts also work on Redis
Cluster, and `forget` finds every one of them without a scan.

Films are named by their stable key (Engine / Film.key: the Wikipedia article title), never by their id in one
bundle, so a retrain that reorders, drops or adds films leaves every rating naming the film it named. Data written
by earlier versions is brought up to date once by bot/migrate.py (SCHEMA_VERSION)."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

import redis.asyncio as aioredis

from bot.config import DEFAULT_NIGHT_TTL_SECONDS
from bot.night_state import Forgotten, NightStore
from bot.store import decoded, unavailable

LIKE, DISLIKE = 1, -1

# KEYS: ratings hash, rated-at sorted set. ARGV: film, value (1 or -1), unix time.
# One hash field per film makes like and dislike exclusive: liking replaces a dislike and vice versa.
_RATE = """
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
"""
# A fixed-window rate limit in one round trip. KEYS: counter and, optionally, the user's seen set (every
# `/movielike <title>` needs both). ARGV: window seconds. Returns the count so far, or {count, seen films}.
_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if KEYS[2] then return {count, redis.call('SMEMBERS', KEYS[2])} end
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
# A film's stored name changes (an id to its key; a renamed article's old title to its new one). KEYS: ratings hash,
# rated-at sorted set, shown set, watchlist sorted set, seen set. ARGV: pairs (old, new). An entry already under the
# new name wins.
_RENAME = """
local moved = 0
for i = 1, #ARGV, 2 do
  local value = redis.call('HGET', KEYS[1], ARGV[i])
  if value then
    redis.call('HSETNX', KEYS[1], ARGV[i + 1], value)
    redis.call('HDEL', KEYS[1], ARGV[i])
    moved = moved + 1
  end
  for _, zset_key in ipairs({KEYS[2], KEYS[4]}) do
    local score = redis.call('ZSCORE', zset_key, ARGV[i])
    if score then
      redis.call('ZADD', zset_key, 'NX', score, ARGV[i + 1])
      redis.call('ZREM', zset_key, ARGV[i])
    end
  end
  for _, set_key in ipairs({KEYS[3], KEYS[5]}) do
    if redis.call('SREM', set_key, ARGV[i]) == 1 then
      redis.call('SADD', set_key, ARGV[i + 1])
    end
  end
end
return moved
"""
# Poster URLs Slack could not fetch: one hash, url -> expiry time; expired fields are pruned on each write, and the
# hash lives as long as its latest-expiring entry. KEYS: hash. ARGV: now, ttl, urls...
_POSTERS = """
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 3, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], now + ttl) end
local fields, latest = redis.call('HGETALL', KEYS[1]), now
for i = 1, #fields, 2 do
  local expiry = tonumber(fields[i + 1])
  if expiry <= now then redis.call('HDEL', KEYS[1], fields[i]) elseif expiry > latest then latest = expiry end
end
if latest > now then redis.call('EXPIRE', KEYS[1], math.ceil(latest - now)) end
return 1
"""
POSTER_FAILURE_TTL_SECONDS = 7 * 86400
# How often a bot process re-reads the failed posters other processes found (its own it knows at once): a reply
# checks its posters against this copy instead of asking Redis each time; a poster another process found broken in
# the last few seconds may be offered once more, and Slack's refusal then takes it out (bot/images.deliver). The record
# is small unless a poster host is down for days (then up to one entry per film: a 37k-entry re-read is a few ms).
POSTER_MEMORY_REFRESH_SECONDS = 5.0
# Everything kept per user besides the message records (which `forget` finds through their index); "nights" is the
# index of the movie nights they are in (bot/night_state.py).
USER_KEYS = ("ratings", "rated_at", "shown", "rate_limit", "watchlist", "seen", "nights")
WORKSPACE_ID = re.compile(r"[A-Z0-9]{1,32}")  # Slack's team and enterprise ids (T..., E...)
SCHEMA_VERSION = 2  # 1: film ids, message records per workspace; 2: stable film keys, records under their user
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
    """A user's ratings by stable film key: keys liked and keys disliked, each newest first (the engine reads a heavy
    rater's first liked films as their taste now), and the newest (key, value) pairs. Films the model serving now
    lacks are kept (Engine.ids_for skips them) and count again when a later model has them."""

    likes: list[str]
    dislikes: list[str]
    recent: list[tuple[str, int]]

    def __len__(self) -> int:
        return len(self.likes) + len(self.dislikes)


def _user_ratings(values: dict, by_time: list, recent: int) -> UserRatings:
    """UserRatings from the ratings hash and the whole rated-at set (newest first) as Redis returns them; a rating
    with no time (from before rated-at was kept) comes after the timed ones, by key."""
    rated = {decoded(film): int(value) for film, value in values.items()}
    timed = [key for key in map(decoded, by_time) if key in rated]
    newest = timed + sorted(rated.keys() - set(timed))
    return UserRatings(
        likes=[key for key in newest if rated[key] == LIKE],
        dislikes=[key for key in newest if rated[key] == DISLIKE],
        recent=[(key, rated[key]) for key in timed[:recent]],
    )


def _film_key(key: str) -> str:
    """A film's stable key as stored; a number here is a bug from before stable keys, so it is refused."""
    if not isinstance(key, str) or not key:
        raise TypeError(f"films are stored by their stable key (Film.key), got {key!r}")
    return key


class UserStateStore:
    """Async access to user state; every call is a single atomic Redis operation (or script)."""

    def __init__(self, client: aioredis.Redis, prefix: str = "movielike", night_ttl: int = DEFAULT_NIGHT_TTL_SECONDS):
        self.client = client
        self.prefix = prefix
        self.nights = NightStore(client, prefix, night_ttl)
        self._rate = client.register_script(_RATE)
        self._unrate = client.register_script(_UNRATE)
        self._count = client.register_script(_COUNT)
        self._failed_posters: dict[str, float] = {}  # url -> expiry, as last read from Redis plus this process's own
        self._failed_posters_read_at = float("-inf")
        self._remember = client.register_script(_REMEMBER)
        self._rename = client.register_script(_RENAME)
        self._posters = client.register_script(_POSTERS)

    def _user(self, team: str, user: str, what: str) -> str:
        return f"{self.prefix}:{{{team}:{user}}}:{what}"

    @unavailable
    async def ping(self) -> bool:
        return bool(await self.client.ping())

    @unavailable
    async def rate(self, team: str, user: str, film_key: str, value: int) -> None:
        """Record a like (1) or dislike (-1) of the film with this stable key, replacing any earlier rating of it."""
        if value not in (LIKE, DISLIKE):
            raise ValueError(f"a rating is {LIKE} or {DISLIKE}, got {value!r}")
        keys = [self._user(team, user, "ratings"), self._user(team, user, "rated_at")]
        await self._rate(keys=keys, args=[_film_key(film_key), value, time.time()])

    @unavailable
    async def unrate(self, team: str, user: str, film_key: str, value: int | None = None) -> bool:
        """Remove the film's rating (only if it is still `value`, when given); True if something was removed."""
        keys = [self._user(team, user, "ratings"), self._user(team, user, "rated_at")]
        return bool(await self._unrate(keys=keys, args=[_film_key(film_key), "*" if value is None else value]))

    @unavailable
    async def ratings(self, team: str, user: str, recent: int = 20) -> UserRatings:
        """The user's ratings, likes and dislikes newest first, with the `recent` newest (key, value) pairs."""
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hgetall(self._user(team, user, "ratings"))
            pipe.zrevrange(self._user(team, user, "rated_at"), 0, -1)
            values, by_time = await pipe.execute()
        return _user_ratings(values, by_time, recent)

    @unavailable
    async def taste(self, team: str, user: str) -> tuple[UserRatings, set[str]]:
        """The user's ratings (newest first, without `recent`) and films marked seen, read in one transaction: what
        movie night picks from."""
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hgetall(self._user(team, user, "ratings"))
            pipe.zrevrange(self._user(team, user, "rated_at"), 0, -1)
            pipe.smembers(self._user(team, user, "seen"))
            values, by_time, seen = await pipe.execute()
        return _user_ratings(values, by_time, 0), {decoded(key) for key in seen}

    @unavailable
    async def rename_films(self, team: str, user: str, pairs: list[str]) -> int:
        """Store films under new names, atomically: `pairs` is old, new, old, new... (an id and its key, or a renamed
        article's old and new titles). Returns how many ratings moved."""
        if not pairs:
            return 0
        keys = [self._user(team, user, what) for what in ("ratings", "rated_at", "shown", "watchlist", "seen")]
        return int(await self._rename(keys=keys, args=list(pairs)))

    async def forget(self, team: str, user: str) -> int:
        """Delete everything kept about the user (forget_everything); returns how many of the user's own keys went."""
        return (await self.forget_everything(team, user))[0]

    @unavailable
    async def forget_everything(self, team: str, user: str) -> tuple[int, Forgotten]:
        """Delete everything kept about the user, the records of the messages suggested to them included (so a
        reaction on one of those later does nothing), and their part of movie nights (membership, vote, name;
        first, so a failure leaves the index for a retry); returns how many of the user's own keys went, and which
        nights changed or were called off (their messages must now show it)."""
        nights = await self.nights.forget_member(team, user)
        index = self._user(team, user, "messages")
        records = [key.decode() if isinstance(key, bytes) else key for key in await self.client.smembers(index)]
        keys = [self._user(team, user, what) for what in USER_KEYS]
        return int(await self.client.delete(*keys, index, *records)), nights  # one slot: the user's hash tag

    @unavailable
    async def forget_workspace(self, team: str) -> int:
        """Delete every key of every user of a workspace (the app was uninstalled or its token revoked); returns how
        many keys went. Keys are found with SCAN (on every node of a cluster) and deleted user by user."""
        if not WORKSPACE_ID.fullmatch(team or ""):
            raise ValueError(f"not a Slack workspace id: {team!r}")  # never a glob that could match other workspaces
        by_user: dict[str, list[str]] = {}
        async for key in self.client.scan_iter(match=f"{self.prefix}:{{{team}:*", count=1000):
            text = decoded(key)
            by_user.setdefault(text.split("}", 1)[0], []).append(text)
        deleted = 0
        for keys in by_user.values():  # one hash tag (one slot) per call
            deleted += int(await self.client.delete(*keys))
        return deleted

    # -- the watchlist (films saved for later) and films seen (never suggested again) --------------------------------

    @unavailable
    async def save(self, team: str, user: str, film_key: str) -> bool:
        """Put a film on the user's watchlist (newest first); False when it was already there."""
        return bool(await self.client.zadd(self._user(team, user, "watchlist"), {_film_key(film_key): time.time()}, nx=True))

    @unavailable
    async def unsave(self, team: str, user: str, film_key: str) -> bool:
        """Take a film off the watchlist; False when it was not on it."""
        return bool(await self.client.zrem(self._user(team, user, "watchlist"), _film_key(film_key)))

    @unavailable
    async def watchlist(self, team: str, user: str, limit: int = 100) -> list[str]:
        """Film keys on the watchlist, newest first (`limit` 0: all of them)."""
        return [decoded(key) for key in await self.client.zrevrange(self._user(team, user, "watchlist"), 0, limit - 1)]

    @unavailable
    async def mark_seen(self, team: str, user: str, film_key: str) -> None:
        """The user has seen this film: never suggest it again, and it leaves the watchlist (one transaction)."""
        key = _film_key(film_key)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.sadd(self._user(team, user, "seen"), key)
            pipe.zrem(self._user(team, user, "watchlist"), key)
            await pipe.execute()

    @unavailable
    async def seen(self, team: str, user: str) -> set[str]:
        return {decoded(key) for key in await self.client.smembers(self._user(team, user, "seen"))}

    # -- poster URLs Slack could not fetch (shared by every workspace; no user data) -------------------------------

    @unavailable
    async def failed_posters(self, urls: list[str]) -> set[str]:
        """Which of these poster URLs Slack failed to fetch within the last POSTER_FAILURE_TTL_SECONDS, from this
        process's copy of the shared record (read again every POSTER_MEMORY_REFRESH_SECONDS, in one HGETALL)."""
        if not urls:
            return set()
        if time.monotonic() - self._failed_posters_read_at >= POSTER_MEMORY_REFRESH_SECONDS:
            self._failed_posters_read_at = time.monotonic()  # before the read: one request re-reads, not every one
            try:
                record = await self.client.hgetall(f"{self.prefix}:posters:failed")
            except BaseException:
                self._failed_posters_read_at = float("-inf")  # the next request tries again
                raise
            now = time.time()
            kept = {url: expiry for url, expiry in self._failed_posters.items() if expiry > now}  # ours, meanwhile
            self._failed_posters = {decoded(url): float(expiry) for url, expiry in record.items()}
            for url, expiry in kept.items():
                self._failed_posters[url] = max(expiry, self._failed_posters.get(url, 0.0))
        now = time.time()
        return {url for url in urls if self._failed_posters.get(url, 0.0) > now}

    @unavailable
    async def remember_failed_posters(self, urls: list[str], ttl: int = POSTER_FAILURE_TTL_SECONDS) -> None:
        """Remember poster URLs Slack could not fetch, so they are not offered again for `ttl` seconds (by this
        process at once, by the others at their next read)."""
        if urls:
            now = time.time()
            await self._posters(keys=[f"{self.prefix}:posters:failed"], args=[now, ttl, *urls])
            self._failed_posters.update(dict.fromkeys(urls, now + ttl))

    @unavailable
    async def mark_shown(self, team: str, user: str, film_keys: list[str]) -> None:
        """Remember these films (stable keys) were suggested, so the rating loop never offers them again."""
        if film_keys:
            await self.client.sadd(self._user(team, user, "shown"), *[_film_key(key) for key in film_keys])

    @unavailable
    async def shown(self, team: str, user: str) -> set[str]:
        return {decoded(key) for key in await self.client.smembers(self._user(team, user, "shown"))}

    @unavailable
    async def remember_message(self, team: str, channel: str, ts: str, user: str, film_key: str,
                               thread_ts: str | None = None, ttl: int = MESSAGE_TTL_SECONDS) -> None:
        """Which film (stable key) a message suggested to `user` shows, and its thread root; forgotten after `ttl`
        seconds or by `forget`. Stored as "<thread ts>:<key>" (a ts has no colon; a title may)."""
        keys = [self._user(team, user, f"message:{channel}:{ts}"), self._user(team, user, "messages")]
        await self._remember(keys=keys, args=[f"{thread_ts or ts}:{_film_key(film_key)}", ttl])

    @unavailable
    async def message_film(self, team: str, user: str, channel: str, ts: str) -> tuple[str, str] | None:
        """(film key, thread root ts) of a message suggested to `user`, or None: not one of theirs, expired or
        forgotten (so a reaction by anyone else, or after `forget`, finds nothing)."""
        value = await self.client.get(self._user(team, user, f"message:{channel}:{ts}"))
        if value is None:
            return None
        root, key = decoded(value).split(":", 1)
        return key, root

    @unavailable
    async def first_delivery(self, event_id: str, ttl: int = 3600) -> bool:
        """True the first time an event id is seen (SET NX with a TTL), False for Slack's retries of it."""
        return bool(await self.client.set(f"{self.prefix}:event:{event_id}", 1, nx=True, ex=ttl))

    @unavailable
    async def allow(self, team: str, user: str, limit: int = 30, window_seconds: int = 60) -> bool:
        """A fixed-window rate limit: at most `limit` calls per user per window."""
        count = await self._count(keys=[self._user(team, user, "rate_limit")], args=[window_seconds])
        return int(count) <= limit

    @unavailable
    async def allow_and_seen(self, team: str, user: str, limit: int = 30, window_seconds: int = 60
                             ) -> tuple[bool, set[str]]:
        """`allow`, and the films (keys) the user marked seen, in one round trip."""
        count, seen = await self._count(
            keys=[self._user(team, user, "rate_limit"), self._user(team, user, "seen")], args=[window_seconds])
        return int(count) <= limit, {decoded(key) for key in seen}
