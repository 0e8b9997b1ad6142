"""An article renamed since a rating was stored: the dump's redirect (old title -> new) leads to the film, and the
bot moves the rating to the new title, so it is listed, undone and re-rated under one name."""
from __future__ import annotations

import json

from bot.blocks import film_value
from engine import Engine
from engine.bundle import MANIFEST, sha256_of
from tests.bot.harness import run, running_bot
from tests.models_copy import copy_current
from training.publish.bundle import update_manifest


def renamed_heat(models_dir, tmp_path) -> Engine:
    """A copy of the model whose aliases say "Heat (film)" is an old title of Heat (1995 film)."""
    models = tmp_path / "models"
    version = copy_current(models_dir, models)
    bundle = models / version
    heat = Engine.load(models).resolve("Heat (1995 film)")
    (bundle / "aliases.json").write_text(json.dumps([["Heat (film)", heat.id]]))  # what a later dump's redirect says
    files = json.loads((bundle / MANIFEST).read_text())["files"]
    files["aliases.json"] = {"sha256": sha256_of(bundle / "aliases.json"), "bytes": (bundle / "aliases.json").stat().st_size}
    update_manifest(bundle, {"files": files})
    return Engine.load(models)


def test_a_rating_stored_under_an_old_title_follows_the_rename(models_dir, tmp_path):
    engine = renamed_heat(models_dir, tmp_path)
    heat = engine.resolve("Heat (1995 film)")

    async def body():
        async with running_bot(engine) as bot:
            await bot.store.rate("T1", "U1", "Heat (film)", 1)  # rated before the article was renamed
            await bot.command("ratings")
            [listing] = await bot.stub.wait_for_responses(1)
            assert "Heat (1995)" in str(listing["blocks"])
            assert (await bot.store.ratings("T1", "U1")).likes == [heat.key]  # moved to the new title, once
            await bot.click("unrate", film_value(heat))
            await bot.stub.wait_for_responses(2)
            assert len(await bot.store.ratings("T1", "U1")) == 0  # undone: nothing left under either title

    run(body())



def test_a_saved_film_whose_article_was_renamed_is_listed_once_and_can_be_removed(models_dir, tmp_path):
    """Saved and marked seen under the old title: the watchlist shows it once under the new title, and Remove
    (whose button carries the new title) takes it off; the seen mark moves too."""
    engine = renamed_heat(models_dir, tmp_path)
    heat = engine.resolve("Heat (1995 film)")

    async def body():
        async with running_bot(engine) as bot:
            await bot.store.save("T1", "U1", "Heat (film)")
            await bot.store.mark_seen("T1", "U1", "Heat (film)")
            await bot.store.save("T1", "U1", "Heat (film)")
            await bot.click("save_film", film_value(heat))  # again, under the new title: still one entry
            await bot.stub.wait_for_responses(1)
            assert await bot.store.watchlist("T1", "U1") == [heat.key] and await bot.store.seen("T1", "U1") == {heat.key}
            await bot.command("watchlist")
            listing = (await bot.stub.wait_for_responses(2))[-1]
            assert str(listing["blocks"]).count("Heat (1995)") == 1
            await bot.click("unsave_film", film_value(heat))
            assert "Removed *Heat (1995)*" in (await bot.stub.wait_for_responses(3))[-1]["text"]
            assert await bot.store.watchlist("T1", "U1") == []

    run(body())
