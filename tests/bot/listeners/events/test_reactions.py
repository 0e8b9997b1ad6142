"""The suggest loop as Slack drives it: /movielike suggest -> DM -> 👍 reaction -> rating stored -> next suggestion in
the thread -> /movielike recs reflects it. Retries count once; other users' and other messages' reactions are ignored."""
from __future__ import annotations

import asyncio

from tests.bot.harness import run, running_bot


def reaction(kind: str, name: str, message: dict, user: str = "U1") -> dict:
    return {"type": kind, "user": user, "reaction": name, "item_user": "UBOT",
            "item": {"type": "message", "channel": message["channel"], "ts": message["ts"]}, "event_ts": "1.1"}


def test_suggest_react_next_and_recs(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("suggest")
            await bot.stub.wait_until(lambda: len(bot.stub.posted) == 1 and bot.stub.responses())
            first = bot.stub.posted[0]
            assert first["channel"] == "DU1" and "thread_ts" not in first  # a DM of its own
            assert "DM" in str(bot.stub.responses()[0])
            film = first["blocks"][0]["text"]["text"]

            assert (await bot.event(reaction("reaction_added", "+1", first), event_id="EvLike")).status == 200
            await bot.stub.wait_until(lambda: len(bot.stub.posted) == 2)
            second = bot.stub.posted[1]
            assert second["thread_ts"] == first["ts"] and second["blocks"][0]["text"]["text"] != film
            ratings = await bot.store.ratings("T1", "U1")
            assert len(ratings.likes) == 1 and not ratings.dislikes

            # Slack retries the same event: counted once, no second follow-up.
            await bot.event(reaction("reaction_added", "+1", first), event_id="EvLike", retry=1)
            # Someone else's reaction, and a reaction on a message that is not a suggestion: ignored.
            await bot.event(reaction("reaction_added", "-1", first, user="U2"))
            await bot.event(reaction("reaction_added", "+1", {"channel": "C9", "ts": "1.0"}))
            await asyncio.sleep(0.3)
            assert len(bot.stub.posted) == 2 and len(await bot.store.ratings("T1", "U1")) == 1

            # 😴 on the reply in the thread: a dislike, and the next suggestion stays in the same thread.
            await bot.event(reaction("reaction_added", "sleeping", second))
            await bot.stub.wait_until(lambda: len(bot.stub.posted) == 3)
            assert bot.stub.posted[2]["thread_ts"] == first["ts"]
            ratings = await bot.store.ratings("T1", "U1")
            assert len(ratings.likes) == 1 and len(ratings.dislikes) == 1

            await bot.command("recs")
            await bot.stub.wait_until(lambda: len(bot.stub.responses()) == 2)
            assert "Picks for you" in str(bot.stub.responses()[1])
            shown = {p["blocks"][0]["text"]["text"] for p in bot.stub.posted}
            assert len(shown) == 3, "a suggestion is never shown twice"

    run(body())


def test_a_reaction_after_forget_does_nothing(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("suggest")
            await bot.stub.wait_until(lambda: len(bot.stub.posted) == 1)
            first = bot.stub.posted[0]
            await bot.command("forget")
            await bot.click("forget_confirm", "yes")
            await bot.stub.wait_until(lambda: len(bot.stub.responses()) >= 3)
            await bot.event(reaction("reaction_added", "+1", first))
            await asyncio.sleep(0.3)
            assert len(await bot.store.ratings("T1", "U1")) == 0, "the old suggestion re-created a rating"
            assert len(bot.stub.posted) == 1, "no follow-up after forget"

    run(body())


def test_removing_a_reaction_undoes_that_rating_only(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("suggest")
            await bot.stub.wait_until(lambda: len(bot.stub.posted) == 1)
            first = bot.stub.posted[0]
            await bot.event(reaction("reaction_added", "heart", first))
            await bot.stub.wait_until(lambda: len(bot.stub.posted) == 2)
            await bot.event(reaction("reaction_removed", "-1", first))  # never added: nothing to undo
            await asyncio.sleep(0.2)
            assert len((await bot.store.ratings("T1", "U1")).likes) == 1
            await bot.event(reaction("reaction_removed", "heart", first))
            for _ in range(100):
                if len(await bot.store.ratings("T1", "U1")) == 0:
                    break
                await asyncio.sleep(0.02)
            assert len(await bot.store.ratings("T1", "U1")) == 0
            assert len(bot.stub.posted) == 2, "removing a reaction posts nothing"

    run(body())


def test_app_home_shows_ratings_and_picks(engine):
    alien = engine.resolve("Alien")

    async def body():
        async with running_bot(engine) as bot:
            await bot.store.rate("T1", "U1", alien.key, 1)
            await bot.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.1"})
            await bot.stub.wait_until(lambda: bot.stub.api("views.publish"))
            published = bot.stub.api("views.publish")[0]
            assert published["user_id"] == "U1"
            view = str(published["view"])
            assert "'type': 'home'" in view and "Alien (1979)" in view and "Picks for you" in view

    run(body())


def test_the_button_on_every_reply_starts_the_loop_too(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("Heat")
            [films] = await bot.stub.wait_for_responses(1)
            assert "start_suggest" in str(films["blocks"][-1])
            await bot.click("start_suggest", "start")
            await bot.stub.wait_until(lambda: len(bot.stub.posted) == 1 and len(bot.stub.responses()) == 2)
            assert bot.stub.posted[0]["channel"] == "DU1" and "DM" in str(bot.stub.responses()[1])
            assert len(await bot.store.shown("T1", "U1")) == 1

    run(body())
