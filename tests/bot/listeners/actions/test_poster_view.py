"""'Looks like': on a model published with the poster view, films whose posters look alike, one button away."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bot.blocks import film_value
from engine import Engine
from tests.bot.harness import run, running_bot
from tests.bot.listeners.actions.test_buttons import buttons, titles
from tests.conftest import data_dir, run_cli
from tests.models_copy import copy_current


@pytest.fixture(scope="module")
def poster_engine(models_dir, tmp_path_factory) -> Engine:
    """A copy of the small model with the poster view of its 40 best-known films (random weights: Keras' weight
    servers cannot be reached here), published by `movielike-train posters` as an admin would."""
    models = tmp_path_factory.mktemp("poster-models")
    copy_current(models_dir, models)
    result = run_cli("training.cli", "posters", "--models", str(models), "--weights", "none", "--limit", "40",
                     "--image-size", "64", "--images", str(data_dir() / "posters" / "ml_movieid_jpg"), "--quiet",
                     timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    engine = Engine.load(models)
    assert engine.has_posters
    return engine


def test_a_film_with_a_poster_offers_looks_like_and_it_shows_posters_alike(poster_engine):
    engine = poster_engine
    with_poster = next(engine.film(int(i)) for i in engine.model.popular_order if "posters" in engine.views_for(int(i)))
    without = next(engine.film(int(i)) for i in engine.model.popular_order[500:]
                   if "posters" not in engine.views_for(int(i)))

    async def body():
        async with running_bot(engine) as bot:
            await bot.command(with_poster.title)
            [first] = await bot.stub.wait_for_responses(1)
            assert buttons(first)["similar_view_posters"] == film_value(with_poster)
            assert "Looks like" in str(first["blocks"])
            await bot.click("similar_view_posters", film_value(with_poster))
            alike = (await bot.stub.wait_for_responses(2))[-1]
            assert "(posters that look alike)" in alike["blocks"][0]["text"]["text"]
            expected = [s.label for s in engine.similar(with_poster.id, 5, by="posters")]
            assert len(titles(alike)) == 5 and all(label in str(alike["blocks"]) for label in expected)
            assert "poster looks alike" in str(alike["blocks"])
            assert buttons(alike)["more_like"] == f"5:posters:{film_value(with_poster)}"
            await bot.click("more_like", f"5:posters:{film_value(with_poster)}")
            more = (await bot.stub.wait_for_responses(3))[-1]
            assert "(posters that look alike)" in more["blocks"][0]["text"]["text"] and len(titles(more)) == 5

            await bot.command(without.title)  # no poster: no button, and a forged click gets a plain answer
            reply = (await bot.stub.wait_for_responses(4))[-1]
            assert "similar_view_posters" not in buttons(reply)
            await bot.click("similar_view_posters", film_value(without))
            refused = (await bot.stub.wait_for_responses(5))[-1]
            assert "has no poster" in str(refused) and "--by" not in str(refused)

    run(body())


def test_a_model_without_the_poster_view_refuses_a_looks_like_click_plainly(engine):
    film = engine.resolve("Alien")

    async def body():
        async with running_bot(engine) as bot:
            await bot.click("similar_view_posters", film_value(film))
            [refused] = await bot.stub.wait_for_responses(1)
            assert "no poster view" in str(refused) and "Traceback" not in str(refused)
            await bot.click("more_like", f"5:posters:{film_value(film)}")  # a page shown before a retrain dropped it
            refused = (await bot.stub.wait_for_responses(2))[-1]
            assert "no poster view" in str(refused) and refused["replace_original"] is False

    run(body())


def test_the_map_of_a_film_draws_the_posters_the_model_keeps(poster_engine):
    from bot.map_picture import neighbourhood

    engine = poster_engine
    film = next(engine.film(int(i)) for i in engine.model.popular_order if "posters" in engine.views_for(int(i)))
    hood = neighbourhood(engine, film)
    assert np.array_equal(hood.posters[0], engine.model.posters.thumbnail(film.id))
    assert sum(poster is not None for poster in hood.posters) >= 2  # well-known neighbours have posters too

    async def body():
        async with running_bot(engine) as bot:
            await bot.command(f"map {film.title}")
            await bot.stub.wait_until(lambda: bot.stub.shared_files, timeout=30)
            [shared] = bot.stub.shared_files
            with Image.open(io.BytesIO(shared["data"])) as picture:
                pixels = np.asarray(picture.convert("RGB"), dtype=np.int32)
            colours = len(np.unique(pixels.reshape(-1, 3) // 16, axis=0))
            assert colours > 300, colours  # posters' photographs, not only dots, lines and text

    run(body())
