"""🔖 Save, the watchlist, Remove, Seen it (never suggested again) and Share, through signed requests."""
from __future__ import annotations

from bot.blocks import film_value
from tests.bot.harness import run, running_bot


def test_save_list_remove_and_seen_it(engine):
    heat, alien, thing = (engine.resolve(t) for t in ("Heat (1995 film)", "Alien", "The Thing (1982 film)"))

    async def body():
        async with running_bot(engine) as bot:
            await bot.click("save_film", film_value(heat))
            await bot.stub.wait_for_responses(1)
            await bot.click("save_film", film_value(alien))
            await bot.stub.wait_for_responses(2)
            await bot.click("save_film", film_value(alien))  # twice: said so, stored once
            replies = await bot.stub.wait_for_responses(3)
            assert "Saved *Heat (1995)*" in replies[0]["text"] and "already on your watchlist" in replies[2]["text"]
            assert await bot.store.watchlist("T1", "U1") == [alien.key, heat.key]  # newest first

            await bot.command("watchlist")
            listing = (await bot.stub.wait_for_responses(4))[-1]
            sections = [b["text"]["text"] for b in listing["blocks"] if b["type"] == "section"]
            assert "Alien (1979)" in sections[0] and "Heat (1995)" in sections[1]
            actions = [e["action_id"] for b in listing["blocks"] if b["type"] == "actions" for e in b["elements"]]
            assert actions.count("rate_like") == 2 and "save_film" not in actions  # already saved: no Save button

            await bot.click("unsave_film", film_value(heat))
            assert "Removed *Heat (1995)*" in (await bot.stub.wait_for_responses(5))[-1]["text"]
            await bot.click("seen_film", film_value(alien))
            assert "won't suggest it again" in (await bot.stub.wait_for_responses(6))[-1]["text"]
            assert await bot.store.watchlist("T1", "U1") == []  # seen: off the watchlist too
            assert await bot.store.seen("T1", "U1") == {alien.key}
            assert len(await bot.store.ratings("T1", "U1")) == 0  # seen is not a rating

            # A film marked seen is never suggested again: not in films like its sequel, nor in recs.
            await bot.click("seen_film", film_value(thing))
            await bot.stub.wait_for_responses(7)
            await bot.command("Aliens (film)")
            similar = (await bot.stub.wait_for_responses(8))[-1]
            assert "Aliens" in similar["blocks"][0]["text"]["text"] and "Alien (1979)" not in str(similar["blocks"][1:])
            unseen = engine.similar(engine.resolve("Aliens (film)"), 5)
            assert alien.key in [s.key for s in unseen]  # without the mark, it would have been there

            await bot.command("forget")
            await bot.stub.wait_for_responses(9)
            await bot.click("forget_confirm", "yes")
            await bot.stub.wait_for_responses(10)
            assert await bot.store.seen("T1", "U1") == set() and await bot.store.watchlist("T1", "U1") == []

    run(body())


def test_share_posts_the_answer_to_the_channel_attributed(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("Heat (1995 film)")
            [answer] = await bot.stub.wait_for_responses(1)
            share = next(e for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "share")
            await bot.click("share", share["value"], user="U7")
            shared = (await bot.stub.wait_for_responses(2))[-1]
            assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
            assert shared["blocks"][0]["elements"][0]["text"] == "Shared by <@U7>"
            assert [b["text"]["text"] for b in shared["blocks"] if b["type"] == "section"] == \
                   [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section"]  # the same films
            assert "share" not in [e["action_id"] for b in shared["blocks"] if b["type"] == "actions" for e in b["elements"]]

            await bot.command("about George Lucas")
            about = (await bot.stub.wait_for_responses(3))[-1]
            share = next(e for b in about["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "share")
            await bot.click("share", share["value"])
            shared = (await bot.stub.wait_for_responses(4))[-1]
            assert shared["response_type"] == "in_channel" and "George Lucas" in shared["blocks"][1]["text"]["text"]

            await bot.click("share", "similar:0:both:k:No such film at all")  # a stale or forged value
            assert "older model" in (await bot.stub.wait_for_responses(5))[-1]["text"]

    run(body())
