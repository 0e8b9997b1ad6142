"""Pages like a page in Slack over signed HTTP: `/movielike pages George Lucas` (directors like a director), the
"Similar directors" button under `about`, "Pages like this" beside each page, Share; every reply checked with
slack_sdk's Block Kit models."""
from __future__ import annotations

import pytest
from slack_sdk.models.blocks import Block

from bot import blocks
from engine import Engine, Page
from tests.bot.harness import run, running_bot
from tests.pages_models import with_kinds, without_kinds


@pytest.fixture(scope="module")
def kinds_engine(models_dir, small_data, tmp_path_factory) -> Engine:
    return Engine.load(with_kinds(models_dir, small_data[0], tmp_path_factory.mktemp("kinds")))


def valid(message: dict) -> None:
    assert message["blocks"] and len(message["blocks"]) <= 50
    for block in message["blocks"]:
        Block.parse(block).validate_json()  # raises SlackObjectFormationError where Slack would refuse it


def buttons(message: dict) -> list[dict]:
    found = []
    for block in message["blocks"]:
        found += block.get("elements", []) if block["type"] == "actions" else []
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
    return found


def test_pages_command_answers_directors_like_a_director(kinds_engine):
    async def body():
        async with running_bot(kinds_engine) as bot:
            await bot.command("pages George Lucas")
            [message] = await bot.stub.wait_for_responses(1)
            valid(message)
            assert message["blocks"][0]["text"]["text"].startswith("Directors like *<https://en.wikipedia.org/wiki/George_Lucas|")
            pages = [b for b in message["blocks"] if b.get("accessory", {}).get("action_id") == blocks.PAGES_LIKE_ACTION]
            assert len(pages) == 10 and all("· director" in b["text"]["text"] or "· " in b["text"]["text"] for b in pages)
            assert any("both in " in b["text"]["text"] for b in pages)
            assert [b["action_id"] for b in buttons(message)][-2:] == ["start_suggest", "share"]

    run(body())


def test_similar_button_under_about_and_pages_like_this(kinds_engine):
    async def body():
        async with running_bot(kinds_engine) as bot:
            await bot.command("about George Lucas")
            [about] = await bot.stub.wait_for_responses(1)
            valid(about)
            [similar] = [b for b in buttons(about) if b["action_id"] == blocks.PAGES_LIKE_ACTION]
            assert similar["text"]["text"] == "Similar directors" and similar["value"] == "director:George Lucas"
            await bot.click(blocks.PAGES_LIKE_ACTION, similar["value"])
            _, directors = await bot.stub.wait_for_responses(2)
            valid(directors)
            assert directors["blocks"][0]["text"]["text"].startswith("Directors like")
            onward = next(b for b in buttons(directors) if b["action_id"] == blocks.PAGES_LIKE_ACTION)
            assert onward["value"].startswith("director:") and onward["text"]["text"] == "Pages like this"
            await bot.click(blocks.PAGES_LIKE_ACTION, onward["value"])
            next_page = (await bot.stub.wait_for_responses(3))[2]  # one click at a time: replies arrive in any order
            [share] = [b for b in buttons(directors) if b["action_id"] == "share"]
            await bot.click("share", share["value"])
            shared = (await bot.stub.wait_for_responses(4))[3]
            await bot.click(blocks.PAGES_LIKE_ACTION, "forged")
            forged = (await bot.stub.wait_for_responses(5))[4]
            valid(next_page)
            assert next_page["blocks"][0]["text"]["text"].startswith("Directors like")
            valid(shared)
            assert "Shared by <@U1>" in str(shared["blocks"][0]) and "share" not in [b["action_id"] for b in buttons(shared)]
            assert "can't show" in forged["text"]

    run(body())


def test_unknown_page_and_a_model_without_kinds(kinds_engine, models_dir, tmp_path):
    async def body(engine, text):
        async with running_bot(engine) as bot:
            await bot.command(text)
            [message] = await bot.stub.wait_for_responses(1)
            valid(message)
            return message

    unknown = run(body(kinds_engine, "pages George Lucsa Qwertz"))
    assert "I couldn't find" in unknown["text"] and "George Lucas" in unknown["text"]
    plain = Engine.load(without_kinds(models_dir, tmp_path))
    message = run(body(plain, "pages George Lucas"))  # no kinds: pages of any kind, no error
    assert message["blocks"][0]["text"]["text"].startswith("Pages like")
    about = run(body(plain, "about George Lucas"))
    assert [b["text"]["text"] for b in buttons(about) if b["action_id"] == blocks.PAGES_LIKE_ACTION] == ["Similar pages"]


def test_help_mentions_pages():
    assert "/movielike pages George Lucas" in blocks.HELP_TEXT


@pytest.mark.parametrize("kind, label, asked", [
    ("director", "Similar directors", "director"), ("actor", "Similar actors", "actor"),
    ("writer", "Similar people", "person"), ("company", "Similar studios", "company"),
    ("genre", "Similar genres", "genre"), ("category", "Similar categories", "category"), (None, "Similar pages", None),
])
def test_button_words_by_kind(kind, label, asked):
    page = Page("X & <Y>", "X & <Y>", kind, 3)
    button = blocks.pages_button(page)
    assert button["text"]["text"] == label and button["value"] == f"{asked or ''}:X & <Y>"
    message = blocks.pages_message(page, [Page("Category:Z <films>", "Z <films>", "category", 5, 0.5, "both in A & B")], asked)
    valid(message)
    shown = str([b.get("text") for b in message["blocks"]])
    assert "&lt;Y&gt;" in shown and "<Y>" not in shown and "A &amp; B" in shown
