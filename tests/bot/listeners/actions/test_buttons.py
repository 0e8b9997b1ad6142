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


def buttons(message: dict) -> dict[str, str]:
    return {e["action_id"]: e.get("value", "") for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]}


def test_view_buttons_show_films_liked_by_the_same_people_and_page_on(engine):
    heat = engine.resolve("Heat (1995 film)").id
    unrated = engine.resolve("Clean (2021 film)").id

    async def body():
        async with running_bot(engine) as bot:
            await bot.command("Heat (1995 film)")
            [first] = await bot.stub.wait_for_responses(1)
            offered = buttons(first)
            assert offered["similar_view_links"] == offered["similar_view_ratings"] == str(heat)
            await bot.click("similar_view_ratings", str(heat))
            ratings_view = (await bot.stub.wait_for_responses(2))[-1]
            assert "(liked by the same people)" in ratings_view["blocks"][0]["text"]["text"]
            assert "liked by the same people" in str(ratings_view["blocks"][1:])
            assert ratings_view["replace_original"] is False
            assert set(buttons(ratings_view)) >= {"similar_view_both", "similar_view_links"}
            assert buttons(ratings_view)["more_like"] == f"{heat}:5:ratings"
            expected = [s.label for s in engine.similar(heat, 10, by="ratings")]
            await bot.click("more_like", f"{heat}:5:ratings")
            more = (await bot.stub.wait_for_responses(3))[-1]
            assert "(liked by the same people)" in more["blocks"][0]["text"]["text"]
            assert len(titles(more)) == 5
            assert all(label in str(more["blocks"]) for label in expected[5:])
            await bot.command("Clean (2021 film)")  # nobody on MovieLens rated it: links only, no view buttons
            unrated_reply = (await bot.stub.wait_for_responses(4))[-1]
            assert not any(name.startswith("similar_view_") for name in buttons(unrated_reply))
            await bot.click("similar_view_ratings", str(unrated))  # a forged click gets a plain answer
            refused = (await bot.stub.wait_for_responses(5))[-1]
            assert "no MovieLens ratings" in str(refused) and "--by" not in str(refused)

    run(body())
