"""`/movielike map TITLE` over signed HTTP: the picture of a film's neighbourhood, uploaded with files.uploadV2
(files.getUploadURLExternal, the bytes POSTed to the upload URL, files.completeUploadExternal) into the conversation
the command came from; drawn once per model version and film; plain answers when it cannot be."""
from __future__ import annotations

import asyncio
import io
import time

from PIL import Image

from bot.map_picture import MAX_PNG_BYTES, NEIGHBOURS
from tests.bot.harness import run, running_bot

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def texts(message: dict) -> str:
    return message.get("text", "") + " ".join(str(block) for block in message.get("blocks", []))


def test_map_uploads_a_small_png_of_the_film_and_its_neighbours_into_the_channel(engine):
    async def body():
        async with running_bot(engine) as bot:
            started = time.perf_counter()
            response = await bot.command("map Blade Runner", channel="C42")
            assert response.status == 200 and time.perf_counter() - started < 3  # acknowledged before drawing
            await bot.stub.wait_until(lambda: bot.stub.shared_files, timeout=30)
            [shared] = bot.stub.shared_files
            data = shared["data"]
            assert data.startswith(PNG_MAGIC) and len(data) < MAX_PNG_BYTES
            with Image.open(io.BytesIO(data)) as picture:
                assert picture.format == "PNG" and picture.size == (960, 720)
            assert shared["channel_id"] == "C42" and shared["filename"].endswith(".png")
            assert "Blade Runner (1982)" in shared["title"]
            assert "Blade Runner (1982)" in shared["initial_comment"] and "<@U1>" in shared["initial_comment"]
            assert shared["alt_txt"].count(",") >= NEIGHBOURS - 1 and "Blade Runner 2049" in shared["alt_txt"]
            [asked] = bot.stub.api("files.getUploadURLExternal")
            assert int(asked["length"]) == len(data)  # the length declared is the length POSTed
            assert bot.stub.responses() == []  # the picture is the answer: nothing else said
            assert bot.services.maps.drawn == 1

    run(body())


def test_a_second_map_of_the_same_film_uploads_the_cached_picture(engine):
    async def body():
        async with running_bot(engine) as bot:
            maps = bot.services.maps
            await bot.command("map Heat")
            await bot.stub.wait_until(lambda: len(bot.stub.shared_files) == 1, timeout=30)
            files = list(maps.cache.folder.glob("*.png"))
            assert maps.drawn == 1 and len(files) == 1 and files[0].read_bytes() == bot.stub.shared_files[0]["data"]
            await bot.command("map heat")  # the same film, typed otherwise
            await asyncio.gather(bot.command("map Heat", channel="C2"), bot.command("map Heat", channel="C3"))
            await bot.stub.wait_until(lambda: len(bot.stub.shared_files) == 4, timeout=30)
            assert maps.drawn == 1  # uploaded from the cache three times, never drawn again
            assert len({shared["data"] for shared in bot.stub.shared_files}) == 1
            assert {shared["channel_id"] for shared in bot.stub.shared_files} == {"C1", "C2", "C3"}
            await asyncio.gather(bot.command("map Alien"), bot.command("map Alien", channel="C2"))
            await bot.stub.wait_until(lambda: len(bot.stub.shared_files) == 6, timeout=30)
            assert maps.drawn == 2  # asked twice at once: drawn once
            assert len(list(maps.cache.folder.glob("*.png"))) == 2

    run(body())


def test_a_map_past_its_time_budget_gets_a_plain_answer_and_is_ready_next_time(engine):
    """Drawing runs off the event loop: with no time to spare the command answers at once while the drawing goes on,
    and the next ask uploads what it drew."""
    async def body():
        async with running_bot(engine) as bot:
            maps = bot.services.maps
            maps.draw_seconds = 0.0
            await bot.command("map The Thing")
            [answer] = await bot.stub.wait_for_responses(1)
            assert "taking longer" in answer["text"] and bot.stub.shared_files == []
            await bot.stub.wait_until(lambda: maps.drawn == 1, timeout=30)
            await bot.command("map The Thing")
            await bot.stub.wait_until(lambda: bot.stub.shared_files, timeout=30)
            assert maps.drawn == 1 and "The Thing (1982)" in bot.stub.shared_files[0]["title"]

    run(body())


def test_a_map_of_an_unknown_title_offers_the_closest_films(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("map Blade Runnings of the Galactic Zebra Patrol")
            await bot.command("map")
            unknown, bare = await bot.stub.wait_for_responses(2)
            assert "Did you mean" in texts(unknown)
            picks = [e for b in unknown["blocks"] if b["type"] == "actions" for e in b["elements"]]
            assert any("Blade Runner" in p["text"]["text"] for p in picks)
            assert "/movielike map Blade Runner" in bare["text"]
            assert bot.stub.api("files.getUploadURLExternal") == [] and bot.services.maps.drawn == 0

    run(body())


def test_slack_refusing_the_upload_gets_a_plain_answer(engine):
    async def body():
        async with running_bot(engine) as bot:
            bot.stub.refused_uploads["C9"] = "not_in_channel"
            await bot.command("map Alien", channel="C9")
            [not_in] = await bot.stub.wait_for_responses(1)
            assert "/invite @movielike" in not_in["text"]
            bot.stub.missing_scopes["files.getUploadURLExternal"] = "files:write"
            await bot.command("map Alien")
            [_, no_scope] = await bot.stub.wait_for_responses(2)
            assert "`files:write`" in no_scope["text"] and "admin" in no_scope["text"]
            bot.stub.missing_scopes.clear()
            bot.stub.upload_status = 500  # the upload URL refuses the bytes
            await bot.command("map Alien")
            [*_, failed] = await bot.stub.wait_for_responses(3)
            assert "didn't take the picture" in failed["text"]
            for answer in bot.stub.responses():
                assert "Traceback" not in texts(answer) and "SlackApiError" not in texts(answer)
            assert bot.stub.shared_files == [] and bot.services.maps.drawn == 1  # drawn once, refused three times

    run(body())


def test_a_map_asked_in_a_direct_message_is_uploaded_there(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("map Alien", channel="D0USER1", channel_name="directmessage")
            await bot.event({"type": "message", "channel_type": "im", "channel": "D0USER2", "user": "U2",
                             "text": "map Alien", "ts": "1700000000.000100"})
            await bot.stub.wait_until(lambda: len(bot.stub.shared_files) == 2, timeout=30)
            assert sorted(shared["channel_id"] for shared in bot.stub.shared_files) == ["D0USER1", "D0USER2"]

    run(body())


def test_help_mentions_map(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("help")
            [message] = await bot.stub.wait_for_responses(1)
            assert "/movielike map Blade Runner" in texts(message)

    run(body())
