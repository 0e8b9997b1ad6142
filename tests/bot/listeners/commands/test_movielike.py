"""`/movielike` over signed HTTP: acknowledged fast, then answered through response_url with Block Kit."""
from __future__ import annotations

import time

from tests.bot.harness import run, running_bot


def texts(message: dict) -> str:
    return " ".join(str(block) for block in message.get("blocks", []))


def test_title_gets_films_like_it_with_posters_reasons_and_buttons(engine):
    async def body():
        async with running_bot(engine) as bot:
            started = time.perf_counter()
            response = await bot.command("Blade Runner")
            assert response.status == 200 and time.perf_counter() - started < 3
            [message] = await bot.stub.wait_for_responses(1)
            blocks = message["blocks"]
            assert "Blade Runner (1982)" in blocks[0]["text"]["text"] and "Ridley Scott" in blocks[0]["text"]["text"]
            buttons = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
            assert buttons.count("rate_like") == 5 and buttons.count("rate_dislike") == 5
            assert buttons.count("save_film") == 5 and buttons.count("seen_film") == 5
            assert buttons[-3:] == ["more_like", "start_suggest", "share"]
            assert sum(1 for b in blocks if b["type"] == "context") >= 4  # the why lines
            assert any(b.get("accessory", {}).get("type") == "image" for b in blocks[2:])

    run(body())


def test_typo_says_what_it_understood_and_unknown_offers_choices(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("blade runer")
            await bot.command("Blade Runnings of the Galactic Zebra Patrol")
            typo, unknown = await bot.stub.wait_for_responses(2)
            assert "you typed" in texts(typo)
            assert "Did you mean" in texts(unknown)
            picks = [e for b in unknown["blocks"] if b["type"] == "actions" for e in b["elements"]]
            assert any("Blade Runner" in p["text"]["text"] for p in picks)

    run(body())


def test_help_and_bare_command_explain_usage(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("")
            await bot.command("help")
            bare, help_ = await bot.stub.wait_for_responses(2)
            assert "/movielike Blade Runner" in texts(bare) and texts(bare) == texts(help_)

    run(body())


def test_about_a_person(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("about George Lucas")
            [message] = await bot.stub.wait_for_responses(1)
            assert "George Lucas" in message["blocks"][0]["text"]["text"]
            assert "Star Wars" in texts(message)

    run(body())


def test_user_text_is_escaped_never_a_mention(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("<!channel> qwzxv plorf")
            [message] = await bot.stub.wait_for_responses(1)
            assert "<!channel>" not in texts(message) and "&lt;!channel&gt;" in texts(message)

    run(body())


def test_slack_escaped_text_is_read_once_and_shown_escaped_once(engine):
    """Slack sends `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;`: an exact title with `&` is exact (no "you typed"), and
    every text shown, the notification fallback included, has `&amp;` once, never `&amp;amp;`."""
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("Bill &amp; Ted's Excellent Adventure")
            await bot.command("Bill &amp; Ted's Excelent Adventure")  # a typo: says what was typed, escaped once
            await bot.command("about Tom &amp; Jerry &lt;zzqx&gt;")
            exact, typo, about = await bot.stub.wait_for_responses(3)
            heading = exact["blocks"][0]["text"]["text"]
            assert "Bill &amp; Ted's Excellent Adventure (1989)" in heading and "you typed" not in heading
            assert exact["text"] == "Films like Bill &amp; Ted's Excellent Adventure (1989)"
            assert "you typed “Bill &amp; Ted's Excelent Adventure”" in typo["blocks"][0]["text"]["text"]
            assert "“Tom &amp; Jerry &lt;zzqx&gt;”" in about["text"]
            for message in (exact, typo, about):
                assert "&amp;amp;" not in str(message) and "&amp;lt;" not in str(message)

    run(body())


def test_a_shared_title_offers_the_other_films(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("The Thing")
            [message] = await bot.stub.wait_for_responses(1)
            assert "The Thing (1982)" in message["blocks"][0]["text"]["text"]
            assert "Not this one?" in texts(message)
            others = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                      if e["action_id"].startswith("pick_film")]
            assert [o["text"]["text"] for o in others] == ["The Thing (2011)"]

    run(body())


def test_a_flood_from_one_person_is_slowed_down(engine):
    async def body():
        async with running_bot(engine) as bot:
            for _ in range(31):
                await bot.command("help")
            replies = await bot.stub.wait_for_responses(31)
            limited = [r for r in replies if "a lot of requests" in r["text"]]
            assert len(limited) == 1
            await bot.command("help", user="U2")  # others are unaffected
            assert "a lot of requests" not in (await bot.stub.wait_for_responses(32))[-1]["text"]

    run(body())
