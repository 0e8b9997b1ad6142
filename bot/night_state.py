"""Movie nights in Redis: who organised one, who is in, the films picked, the votes, and the winner.

A night's keys share one hash tag, `{<team>:night:<id>}`, so each change is one atomic script (on Redis Cluster too)
and uninstalling finds them with the workspace's other keys (`{<team>:*`). Each member's own index of their nights
lives under their hash tag, so `forget` takes their part out of every night without a scan. Films are stored by
stable key (Film.key), so a vote still names its film after a retrain. Everything expires `ttl` seconds after the
night was started (BotConfig.night_ttl_seconds).

Whys are stored with a placeholder for each member they name (`member_placeholder`), never a name: the display names
are fields of the night (`name:<user>`), shown in place of the placeholders when the message is drawn, so `forget`
deletes one field and no stored text is rewritten."""
from __future__ import annotations

import re
import secrets
from collections import Counter
from dataclasses import dataclass, field

import redis.asyncio as aioredis

from bot.config import DEFAULT_NIGHT_TTL_SECONDS
from bot.store import decoded, unavailable

NIGHT_ID = re.compile(r"[0-9a-f]{12}")  # only ever our own ids in key names: a forged value cannot leave the hash tag
OPEN, VOTING, CLOSED = "open", "voting", "closed"  # people join; films picked, people vote; the vote is over
NIGHT_FILMS = 5  # films picked for a night
FORGOTTEN_NAME = "someone"  # how a why names a member whose name is not stored (forgotten, or never in the night)
PLACEHOLDER = re.compile("\x1f([A-Z0-9]{1,32})\x1f")  # a member in a stored why: their user id between two \x1f
UPDATE_LOCK_MS = 10_000  # one request at a time updates a night's message; a holder that dies frees it after this

# Helpers every script shares. KEYS: night hash, members sorted set (by join order), picks hash (film key ->
# "<pick order>:<why>"), votes hash (user -> film key). A key made after the night keeps the night's expiry; every
# change bumps `version`, which tells a message update that it is already out of date.
_HELPERS = """
local function keep_ttl(key)
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
end
local function changed() redis.call('HINCRBY', KEYS[1], 'version', 1) end
local function add_member(user) redis.call('ZADD', KEYS[2], redis.call('HINCRBY', KEYS[1], 'seq', 1), user) end
local state = redis.call('HGET', KEYS[1], 'state')
"""
# ARGV: ttl, organiser, channel, members (the organiser first).
_CREATE = _HELPERS + """
redis.call('HSET', KEYS[1], 'organiser', ARGV[2], 'channel', ARGV[3], 'state', 'open', 'version', 1, 'seq', 0)
for i = 4, #ARGV do add_member(ARGV[i]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
return 1
"""
# ARGV: the message's ts, once it is posted.
_POSTED = _HELPERS + """
if not state then return 0 end
redis.call('HSET', KEYS[1], 'ts', ARGV[1])
changed()
return 1
"""
# ARGV: user, cap.
_JOIN = _HELPERS + """
if not state then return 'gone' end
if state == 'closed' then return 'closed' end
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 'already' end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 'full' end
add_member(ARGV[1])
keep_ttl(KEYS[2])
changed()
return 'joined'
"""
# ARGV: user. Leaving takes the member's vote with them.
_LEAVE = _HELPERS + """
if not state then return 'gone' end
if state == 'closed' then return 'closed' end
if redis.call('HGET', KEYS[1], 'organiser') == ARGV[1] then return 'organiser' end
redis.call('HDEL', KEYS[4], ARGV[1])
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 'not_member' end
changed()
return 'left'
"""
# ARGV: user, well-known (1 when nobody liked a film), number of picks, then film key, why... in pick order, then
# member, name... (the display names the whys' placeholders stand for; stored only for users still members, so one
# who was forgotten while the films were being picked stays "someone").
_PICK = _HELPERS + """
if not state then return 'gone' end
if redis.call('HGET', KEYS[1], 'organiser') ~= ARGV[1] then return 'not_organiser' end
if state ~= 'open' then return state end
local names_from = 4 + 2 * tonumber(ARGV[3])
for i = 4, names_from - 1, 2 do redis.call('HSET', KEYS[3], ARGV[i], ((i - 2) / 2) .. ':' .. ARGV[i + 1]) end
for i = names_from, #ARGV, 2 do
  if redis.call('ZSCORE', KEYS[2], ARGV[i]) then redis.call('HSET', KEYS[1], 'name:' .. ARGV[i], ARGV[i + 1]) end
end
redis.call('HSET', KEYS[1], 'state', 'voting', 'well_known', ARGV[2])
keep_ttl(KEYS[3])
changed()
return 'picked'
"""
# ARGV: user, film key, cap. One vote per person: a new one replaces theirs. Voting joins the night (when not full).
_VOTE = _HELPERS + """
if not state then return {'gone', ''} end
if state ~= 'voting' then return {state, ''} end
if redis.call('HEXISTS', KEYS[3], ARGV[2]) == 0 then return {'stale', ''} end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return {'full', ''} end
  add_member(ARGV[1])
  keep_ttl(KEYS[2])
end
local previous = redis.call('HGET', KEYS[4], ARGV[1])
if previous == ARGV[2] then return {'same', previous} end
redis.call('HSET', KEYS[4], ARGV[1], ARGV[2])
keep_ttl(KEYS[4])
changed()
return {'voted', previous or ''}
"""
# ARGV: user. The most votes wins; a tie goes to the film picked first. Counted in the same step that closes, so a
# vote is either counted or refused as late. Returns status, winner (or ''), its votes, how many films tied on it.
_CLOSE = _HELPERS + """
if not state then return {'gone', '', 0, 0} end
if redis.call('HGET', KEYS[1], 'organiser') ~= ARGV[1] then return {'not_organiser', '', 0, 0} end
if state == 'closed' then return {'closed_already', '', 0, 0} end
if state ~= 'voting' then return {state, '', 0, 0} end
local counts, most = {}, 0
for _, film in ipairs(redis.call('HVALS', KEYS[4])) do
  counts[film] = (counts[film] or 0) + 1
  if counts[film] > most then most = counts[film] end
end
local winner, first, tied = '', nil, 0
local picks = redis.call('HGETALL', KEYS[3])
for i = 1, #picks, 2 do
  local order = tonumber(string.match(picks[i + 1], '^(%d+):'))
  if most > 0 and counts[picks[i]] == most then
    tied = tied + 1
    if first == nil or order < first then winner, first = picks[i], order end
  end
end
redis.call('HSET', KEYS[1], 'state', 'closed', 'winner', winner)
changed()
return {'closed', winner, most, tied}
"""
# ARGV: user. `forget`: the member, their vote and their name go (the whys then call them "someone"); an organiser
# hands the night to the earliest member left. Returns {0} (no such night, or nothing of theirs in it: nothing
# changes), {1} (changed), or, when the organiser was alone in it, {2, channel, ts}: the night is deleted and its
# message (ts "" if never posted) is to be called off.
_FORGET = _HELPERS + """
if not state then return {0} end
local member = redis.call('ZREM', KEYS[2], ARGV[1])
local vote = redis.call('HDEL', KEYS[4], ARGV[1])
local name = redis.call('HDEL', KEYS[1], 'name:' .. ARGV[1])
local organiser = redis.call('HGET', KEYS[1], 'organiser') == ARGV[1]
if member + vote + name == 0 and not organiser then return {0} end
if organiser then
  local heir = redis.call('ZRANGE', KEYS[2], 0, 0)
  if #heir == 0 then
    local shown = redis.call('HMGET', KEYS[1], 'channel', 'ts')
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
    return {2, shown[1] or '', shown[2] or ''}
  end
  redis.call('HSET', KEYS[1], 'organiser', heir[1])
end
changed()
return {1}
"""
# KEYS: a night's update lock. ARGV: the holder's token. Only the holder frees it (one whose lock expired does not
# free another request's).
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True)
class Night:
    """One movie night as stored: members in join order, picks as (film key, why with placeholders) in pick order,
    votes by user, and the display names the placeholders stand for (user -> name; none for a forgotten member)."""

    id: str
    organiser: str
    channel: str
    ts: str
    state: str
    version: int
    members: list[str] = field(default_factory=list)
    picks: list[tuple[str, str]] = field(default_factory=list)
    votes: dict[str, str] = field(default_factory=dict)
    winner: str = ""
    well_known: bool = False
    names: dict[str, str] = field(default_factory=dict)

    def counts(self) -> Counter:
        """Votes per picked film (film key -> count); only members' current votes are stored, so it is exact."""
        picked = {key for key, _ in self.picks}
        return Counter(film for film in self.votes.values() if film in picked)


@dataclass(frozen=True)
class CloseResult:
    """What closing the vote did: `status` ("closed", or why not: "not_organiser", "open" (no picks yet),
    "closed_already", "gone"), the winning film's key ("" when nobody voted), its votes, and how many films shared
    that count (more than 1: a tie, broken by pick order)."""

    status: str
    winner: str = ""
    votes: int = 0
    tied: int = 0


@dataclass(frozen=True)
class Forgotten:
    """What taking a user out of their nights did: the nights whose message now shows too much (to draw again), and
    the messages (channel, ts) of nights deleted with their organiser, who was alone in them (to call off)."""

    changed: list[str] = field(default_factory=list)
    called_off: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.called_off)


def valid_night_id(night_id: str) -> bool:
    return bool(NIGHT_ID.fullmatch(night_id or ""))


def member_placeholder(user: str) -> str:
    """How a stored why names a member (the engine's GroupMember.name): their id between two \\x1f, which no name or
    title holds, replaced by their display name only when the message is drawn."""
    return f"\x1f{user}\x1f"


class NightStore:
    """Async access to movie nights; every change is one atomic script on the night's keys (one hash tag)."""

    def __init__(self, client: aioredis.Redis, prefix: str = "movielike", ttl: int = DEFAULT_NIGHT_TTL_SECONDS):
        self.client = client
        self.prefix = prefix
        self.ttl = ttl
        self._create = client.register_script(_CREATE)
        self._posted = client.register_script(_POSTED)
        self._join = client.register_script(_JOIN)
        self._leave = client.register_script(_LEAVE)
        self._pick = client.register_script(_PICK)
        self._vote = client.register_script(_VOTE)
        self._close = client.register_script(_CLOSE)
        self._forget = client.register_script(_FORGET)
        self._unlock = client.register_script(_UNLOCK)

    def _keys(self, team: str, night_id: str, whats: tuple[str, ...] = ("night", "members", "picks", "votes")) -> list[str]:
        """night, members, picks, votes: one hash tag per night, inside the workspace's `{<team>:` namespace."""
        if not valid_night_id(night_id):
            raise ValueError(f"not a movie night id: {night_id!r}")
        return [f"{self.prefix}:{{{team}:night:{night_id}}}:{what}" for what in whats]

    def _lock(self, team: str, night_id: str) -> str:
        """Held by the one request updating the night's message (under the night's hash tag; expires by itself)."""
        return self._keys(team, night_id, ("updating",))[0]

    def _index(self, team: str, user: str) -> str:
        """The user's nights, under their own hash tag (the same key UserStateStore's `forget` deletes)."""
        return f"{self.prefix}:{{{team}:{user}}}:nights"

    async def _index_nights(self, team: str, users: list[str], night_id: str) -> None:
        """Add the night to each user's index first (one slot per user, so not in the night's script): a failed join
        leaves an index entry naming a night they are not in, which `forget` passes over."""
        async with self.client.pipeline(transaction=False) as pipe:
            for user in users:
                pipe.sadd(self._index(team, user), night_id)
                pipe.expire(self._index(team, user), self.ttl)  # the index lives as long as its newest night
            await pipe.execute()

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(6)

    @unavailable
    async def create(self, team: str, night_id: str, organiser: str, channel: str, members: list[str]) -> None:
        """A new night, open for joining: `members` (deduplicated, the organiser first) are in at once."""
        everyone = list(dict.fromkeys([organiser, *members]))
        keys = self._keys(team, night_id)
        await self._index_nights(team, everyone, night_id)
        await self._create(keys=keys[:2], args=[self.ttl, organiser, channel, *everyone])

    @unavailable
    async def posted(self, team: str, night_id: str, ts: str) -> bool:
        """Remember the ts of the night's message (for chat.update and its thread); False if the night is gone."""
        return bool(await self._posted(keys=self._keys(team, night_id), args=[ts]))

    @unavailable
    async def discard(self, team: str, night_id: str) -> None:
        """Delete a night whose message could not be posted."""
        await self.client.delete(*self._keys(team, night_id))

    @unavailable
    async def read(self, team: str, night_id: str) -> Night | None:
        """The night as it is now (one transaction on its keys), or None: expired, forgotten, or never started."""
        night_key, members_key, picks_key, votes_key = self._keys(team, night_id)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hgetall(night_key)
            pipe.zrange(members_key, 0, -1)
            pipe.hgetall(picks_key)
            pipe.hgetall(votes_key)
            fields, members, picks, votes = await pipe.execute()
        if not fields:
            return None
        fields = {decoded(name): decoded(value) for name, value in fields.items()}
        ordered = []
        for key, value in picks.items():
            order, _, why = decoded(value).partition(":")
            ordered.append((int(order), decoded(key), why))
        return Night(
            id=night_id, organiser=fields.get("organiser", ""), channel=fields.get("channel", ""),
            ts=fields.get("ts", ""), state=fields.get("state", OPEN), version=int(fields.get("version", 0)),
            members=[decoded(user) for user in members], picks=[(key, why) for _, key, why in sorted(ordered)],
            votes={decoded(user): decoded(film) for user, film in votes.items()}, winner=fields.get("winner", ""),
            well_known=fields.get("well_known") == "1",
            names={name[5:]: value for name, value in fields.items() if name.startswith("name:")},
        )

    @unavailable
    async def version(self, team: str, night_id: str) -> int | None:
        """The night's version (bumped by every change), or None when it is gone."""
        value = await self.client.hget(self._keys(team, night_id)[0], "version")
        return None if value is None else int(value)

    @unavailable
    async def lock_updates(self, team: str, night_id: str) -> str | None:
        """Become the one request updating the night's message (SET NX, expiring after UPDATE_LOCK_MS): a token to
        unlock with, or None when another request holds it (it shows this change too: see movie_night.refresh)."""
        token = secrets.token_hex(8)
        taken = await self.client.set(self._lock(team, night_id), token, nx=True, px=UPDATE_LOCK_MS)
        return token if taken else None

    @unavailable
    async def unlock_updates(self, team: str, night_id: str, token: str) -> None:
        """Free the update lock, if this token still holds it."""
        await self._unlock(keys=[self._lock(team, night_id)], args=[token])

    @unavailable
    async def join(self, team: str, night_id: str, user: str, cap: int) -> str:
        """"joined", or why not: "already", "full" (`cap` members), "closed", "gone"."""
        await self._index_nights(team, [user], night_id)
        return decoded(await self._join(keys=self._keys(team, night_id), args=[user, cap]))

    @unavailable
    async def leave(self, team: str, night_id: str, user: str) -> str:
        """"left" (their vote goes too), or why not: "organiser" (who stays), "not_member", "closed", "gone". The night
        stays in their index: whys may still name them, and `forget` must find it."""
        return decoded(await self._leave(keys=self._keys(team, night_id), args=[user]))

    @unavailable
    async def pick(self, team: str, night_id: str, user: str, picks: list[tuple[str, str]], well_known: bool,
                   names: dict[str, str]) -> str:
        """Store the films picked ((film key, why with placeholders), best first) and the display names of the members
        the whys name (user -> name; kept only for users still in), and open the vote: "picked", or why not:
        "not_organiser", "voting" (picked already), "closed", "gone"."""
        args: list = [user, int(well_known), len(picks)]
        for key, why in picks:
            args += [key, why]
        for member, name in names.items():
            args += [member, name]
        return decoded(await self._pick(keys=self._keys(team, night_id), args=args))

    @unavailable
    async def vote(self, team: str, night_id: str, user: str, film_key: str, cap: int) -> tuple[str, str]:
        """(status, film key voted for before or ""): "voted" (a new vote, or moved from the earlier one), "same",
        or why not: "full" (a non-member votes, `cap` reached), "stale" (not a picked film), "open" (no picks yet),
        "closed", "gone". Voting makes the voter a member."""
        await self._index_nights(team, [user], night_id)
        status, previous = await self._vote(keys=self._keys(team, night_id), args=[user, film_key, cap])
        return decoded(status), decoded(previous)

    @unavailable
    async def close(self, team: str, night_id: str, user: str) -> CloseResult:
        """Close the vote and name the winner, atomically (see _CLOSE)."""
        status, winner, votes, tied = await self._close(keys=self._keys(team, night_id), args=[user])
        return CloseResult(decoded(status), decoded(winner), int(votes), int(tied))

    @unavailable
    async def nights_of(self, team: str, user: str) -> list[str]:
        """Ids of the nights the user was added to (some may have expired since)."""
        ids = (decoded(night_id) for night_id in await self.client.smembers(self._index(team, user)))
        return sorted(night_id for night_id in ids if valid_night_id(night_id))

    @unavailable
    async def forget_member(self, team: str, user: str) -> Forgotten:
        """Take the user out of every night they are in: membership, vote, name (see _FORGET), nights they organised
        alone deleted. A repeat finds nothing more to do. `forget` deletes the index itself."""
        forgotten = Forgotten()
        for night_id in await self.nights_of(team, user):
            status, *shown = await self._forget(keys=self._keys(team, night_id), args=[user])
            if int(status) == 1:
                forgotten.changed.append(night_id)
            elif int(status) == 2:
                channel, ts = (decoded(value) for value in shown)
                forgotten.called_off.append((channel, ts))
        return forgotten
