"""Buttons: 👍/👎 store ratings in Redis (exclusive), recs reflect them, 'More like this' pages, 'Did you mean' picks."""
from __future__ import annotations

from bot.blocks import film_value
from tests.bot.harness import run, running_bot


def titles(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"][1:]


def test_rating_buttons_store_ratings_and_recs_use_them(engine):
    alien = engine.resolve("Alien")
    musical = engine.resolve("Mamma Mia! (film)")

    async def body():
        async with running_bot(engine) as bot:
            await bot.click("rate_like", film_value(alien))
            await bot.click("rate_dislike", film_value(musical))
            confirmations = await bot.stub.wait_for_responses(2)
            assert "you liked *Alien (1979)*" in confirmations[0]["blocks"][0]["text"]["text"]
            assert confirmations[0]["replace_original"] is False
            ratings = await bot.store.ratings("T1", "U1")
            assert ratings.likes == [alien.key] and ratings.dislikes == [musical.key]  # stable keys, not ids

            await bot.click("rate_dislike", film_value(alien))  # changed their mind: the like becomes a dislike
            await bot.stub.wait_for_responses(3)
            ratings = await bot.store.ratings("T1", "U1")
            assert ratings.likes == [] and sorted(ratings.dislikes) == sorted([alien.key, musical.key])

            await bot.click("rate_like", film_value(alien))
            await bot.command("recs")
            recs = (await bot.stub.wait_for_responses(5))[-1]
            assert "Picks for you" in recs["blocks"][0]["text"]["text"]
            assert "like Alien (1979)" in str(recs["blocks"])

    run(body())


def test_more_like_this_pages_on_and_did_you_mean_picks(engine):
    star_wars = engine.resolve("Star Wars")

    async def body():
        async with running_bot(engine) as bot:
            await bot.command("Star Wars")
            await bot.stub.wait_for_responses(1)
            await bot.click("more_like", f"5:both:{film_value(star_wars)}")
            await bot.stub.wait_for_responses(2)
            await bot.click("pick_film_0", film_value(star_wars))
            first, more, picked = await bot.stub.wait_for_responses(3)  # one at a time: replies come in order
            assert not set(titles(first)) & set(titles(more)) and len(titles(more)) == 5
            assert titles(picked) == titles(first) and picked["replace_original"] is True
            # Buttons from before stable keys carry a bare id, which after a retrain may be another film: refused.
            await bot.click("more_like", f"{star_wars.id}:5")
            await bot.click("rate_like", str(star_wars.id))
            legacy = (await bot.stub.wait_for_responses(5))[-2:]
            assert all("older model" in str(reply) for reply in legacy)
            assert len(await bot.store.ratings("T1", "U1")) == 0

    run(body())


def test_stale_or_forged_button_values_get_a_plain_answer(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.click("rate_like", "99999999")
            await bot.click("more_like", "not-a-film")
            await bot.click("rate_dislike", "-3")  # never wraps around to the end of the catalogue
            await bot.click("rate_like", "k:A Film No Model Has (1901 film)")  # dropped by a retrain
            await bot.click("more_like", "5:²:k:Heat (1995 film)")  # a forged view: not a crash
            await bot.click("more_like", "4177:²:both")  # `isdigit` takes ², `int` refuses it
            await bot.click("more_like", "²:both:k:Heat (1995 film)")
            await bot.click("more_like", "9" * 5000 + ":both:k:Heat (1995 film)")  # beyond int() and any page
            replies = await bot.stub.wait_for_responses(8)
            assert all("older model" in str(reply) for reply in replies)
            assert len(await bot.store.ratings("T1", "U1")) == 0

    run(body())


def buttons(message: dict) -> dict[str, str]:
    return {e["action_id"]: e.get("value", "") for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]}


def test_view_buttons_show_films_liked_by_the_same_people_and_page_on(engine):
    heat = engine.resolve("Heat (1995 film)")
    unrated = engine.resolve("Clean (2021 film)")

    async def body():
        async with running_bot(engine) as bot:
            await bot.command("Heat (1995 film)")
            [first] = await bot.stub.wait_for_responses(1)
            offered = buttons(first)
            assert offered["similar_view_links"] == offered["similar_view_ratings"] == film_value(heat)
            await bot.click("similar_view_ratings", film_value(heat))
            ratings_view = (await bot.stub.wait_for_responses(2))[-1]
            assert "(liked by the same people)" in ratings_view["blocks"][0]["text"]["text"]
            assert "liked by the same people" in str(ratings_view["blocks"][1:])
            assert ratings_view["replace_original"] is False
            assert set(buttons(ratings_view)) >= {"similar_view_both", "similar_view_links"}
            assert buttons(ratings_view)["more_like"] == f"5:ratings:{film_value(heat)}"
            expected = [s.label for s in engine.similar(heat.id, 10, by="ratings")]
            await bot.click("more_like", f"5:ratings:{film_value(heat)}")
            more = (await bot.stub.wait_for_responses(3))[-1]
            assert "(liked by the same people)" in more["blocks"][0]["text"]["text"]
            assert len(titles(more)) == 5
            assert all(label in str(more["blocks"]) for label in expected[5:])
            await bot.command("Clean (2021 film)")  # nobody on MovieLens rated it: links only, no view buttons
            unrated_reply = (await bot.stub.wait_for_responses(4))[-1]
            assert not any(name.startswith("similar_view_") for name in buttons(unrated_reply))
            await bot.click("similar_view_ratings", film_value(unrated))  # a forged click gets a plain answer
            refused = (await bot.stub.wait_for_responses(5))[-1]
            assert "no MovieLens ratings" in str(refused) and "--by" not in str(refused)

    run(body())
