"""`/movielike ratings` lists ratings with Undo; `/movielike forget` asks first, then deletes everything."""
from __future__ import annotations

from bot.blocks import film_value
from tests.bot.harness import run, running_bot


def test_ratings_undo_and_forget(engine):
    alien, heat = engine.resolve("Alien"), engine.resolve("Heat")

    async def body():
        async with running_bot(engine) as bot:
            await bot.store.rate("T1", "U1", alien.key, 1)
            await bot.store.rate("T1", "U1", heat.key, -1)
            await bot.command("ratings")
            [listing] = await bot.stub.wait_for_responses(1)
            text = str(listing["blocks"])
            assert "Alien (1979)" in text and "Heat (1995)" in text and text.count("'unrate'") == 2

            await bot.click("unrate", film_value(heat))
            await bot.stub.wait_for_responses(2)
            assert (await bot.store.ratings("T1", "U1")).dislikes == []

            await bot.command("forget")
            confirm = (await bot.stub.wait_for_responses(3))[-1]
            assert "forget_confirm" in str(confirm) and len(await bot.store.ratings("T1", "U1")) == 1
            await bot.click("forget_cancel", "no")
            await bot.stub.wait_for_responses(4)
            assert len(await bot.store.ratings("T1", "U1")) == 1
            await bot.click("forget_confirm", "yes")
            done = (await bot.stub.wait_for_responses(5))[-1]
            assert "forgotten" in str(done) and len(await bot.store.ratings("T1", "U1")) == 0

    run(body())
