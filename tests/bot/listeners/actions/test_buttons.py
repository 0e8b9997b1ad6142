"""Buttons: 👍/👎 store ratings in Redis (exclusive), recs reflect them, 'More like this' pages, 'Did you mean' picks."""
from __future__ import annotations

import asyncio

from tests.bot.harness import running_bot


def run(coroutine):
    return asyncio.run(coroutine)


def titles(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"][1:]


def test_rating_buttons_store_ratings_and_recs_use_them(engine):
    alien = engine.resolve("Alien").id
    musical = engine.resolve("Mamma Mia! (film)").id

    async def body():
        async with running_bot(engine) as bot:
            await bot.click("rate_like", str(alien))
            await bot.click("rate_dislike", str(musical))
            confirmations = await bot.stub.wait_for_responses(2)
            assert "you liked *Alien (1979)*" in confirmations[0]["blocks"][0]["text"]["text"]
            assert confirmations[0]["replace_original"] is False
            ratings = await bot.store.ratings("T1", "U1")
            assert ratings.likes == [alien] and ratings.dislikes == [musical]

            await bot.click("rate_dislike", str(alien))  # changed their mind: the like becomes a dislike
            await bot.stub.wait_for_responses(3)
            ratings = await bot.store.ratings("T1", "U1")
            assert ratings.likes == [] and sorted(ratings.dislikes) == sorted([alien, musical])

            await bot.click("rate_like", str(alien))
            await bot.command("recs")
            recs = (await bot.stub.wait_for_responses(5))[-1]
            assert "Picks for you" in recs["blocks"][0]["text"]["text"]
            assert "like Alien (1979)" in str(recs["blocks"])

    run(body())


def test_more_like_this_pages_on_and_did_you_mean_picks(engine):
    star_wars = engine.resolve("Star Wars").id

    async def body():
        async with running_bot(engine) as bot:
            await bot.command("Star Wars")
            await bot.click("more_like", f"{star_wars}:5")
            await bot.click("pick_film_0", str(star_wars))
            first, more, picked = await bot.stub.wait_for_responses(3)
            assert not set(titles(first)) & set(titles(more)) and len(titles(more)) == 5
            assert titles(picked) == titles(first) and picked["replace_original"] is True

    run(body())


def test_stale_or_forged_button_values_get_a_plain_answer(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.click("rate_like", "99999999")
            await bot.click("more_like", "not-a-film")
            await bot.click("rate_dislike", "-3")  # never wraps around to the end of the catalogue
            stale, forged, negative = await bot.stub.wait_for_responses(3)
            assert all("older model" in str(reply) for reply in (stale, forged, negative))
            assert len(await bot.store.ratings("T1", "U1")) == 0

    run(body())
