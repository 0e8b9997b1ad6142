"""Bring user state written by earlier versions up to bot/state.py's SCHEMA_VERSION, once, at start-up.

Schema 1 (before stable film keys) stored films by their id in the bundle being served: ratings hash fields,
rated-at members and shown members were ids, and message records lived per workspace
(`<prefix>:<team>:message:<channel>:<ts>` -> "user:film id:thread ts"), out of reach of `forget`.
Schema 2 stores stable keys (Film.key) and keeps message records under their user with an index set.

The ids are read against the model the bot loads at start-up, which must be the one they were written against:
upgrade the bots before publishing a new model. Each key is rewritten by one atomic script, the whole run is
idempotent, and the `<prefix>:schema` key records that it is done (so a film titled "2046" is never read as id 2046).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.state import MESSAGE_TTL_SECONDS, SCHEMA_VERSION, UserStateStore, decoded

log = logging.getLogger(__name__)



@dataclass
class Migrated:
    """What one migration run changed."""

    users: int = 0
    ratings: int = 0
    message_records: int = 0
    unknown_ids: int = 0  # ids the loaded model does not have: left as they were (they name no film)


async def migrate(store: UserStateStore, key_of: Callable[[int], str | None]) -> Migrated | None:
    """Migrate everything to SCHEMA_VERSION; `key_of(film id)` gives the stable key of an id in the loaded model.
    None when the data is already up to date."""
    client, prefix = store.client, store.prefix
    schema_key = f"{prefix}:schema"
    current = await client.get(schema_key)
    if current is not None and int(current) >= SCHEMA_VERSION:
        return None
    done = Migrated()
    users = set()
    for what in ("ratings", "shown"):
        async for raw in client.scan_iter(match=f"{prefix}:{{*}}:{what}", count=1000):
            users.add(decoded(raw)[len(prefix) + 2: -len(what) - 2])  # "team:user" inside the hash tag
    for tag in sorted(users):
        team, user = tag.split(":", 1)
        ratings_key, shown_key = store._user(team, user, "ratings"), store._user(team, user, "shown")
        fields = [decoded(f) for f in await client.hkeys(ratings_key)] + [decoded(m) for m in await client.smembers(shown_key)]
        pairs = []
        for field in dict.fromkeys(fields):
            if not field.isdigit():
                continue  # already a key
            key = key_of(int(field))
            if key is None:
                done.unknown_ids += 1
            else:
                pairs += [field, key]
        if pairs:
            done.ratings += await store.rename_films(team, user, pairs)
        done.users += 1
    async for raw in client.scan_iter(match=f"{prefix}:*:message:*", count=1000):
        record = decoded(raw)
        if "{" in record:
            continue  # already under its user
        team, _, channel, ts = record[len(prefix) + 1:].split(":", 3)
        value, ttl = await client.get(record), await client.ttl(record)
        if value is not None and ttl != -2:
            user, film, root = decoded(value).split(":", 2)
            key = key_of(int(film)) if film.isdigit() else None
            if key is not None:
                await store.remember_message(team, channel, ts, user, key, root, ttl if ttl > 0 else MESSAGE_TTL_SECONDS)
                done.message_records += 1
        await client.delete(record)
    await client.set(schema_key, SCHEMA_VERSION)
    log.info("user state migrated to schema %d: %s", SCHEMA_VERSION, done)
    return done
