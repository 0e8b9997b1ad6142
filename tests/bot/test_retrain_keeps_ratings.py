"""Ratings survive retrains: films are stored by stable key, so a retrain that reorders, drops and adds films leaves
every rating naming the film it named; a dropped film's rating is kept and counts again when a retrain brings the
film back; buttons posted before a retrain still name the film they showed. Real training, real bot, real Redis."""
from __future__ import annotations

import json

import pytest

from engine import Engine
from tests.bot.harness import run, running_bot
from tests.conftest import run_cli

RATED_BY_BUTTON, RATED_BY_REACTION = 14, 6


@pytest.fixture(scope="module")
def film_files(tmp_path_factory, films_file) -> dict:
    """Three films files: ~2,900 real films; the same reversed with 200 dropped (one rated film among them, chosen
    by the test) and 200 others added; and that again with the dropped rated film back."""
    sample = films_file.read_text(encoding="utf-8").splitlines()[::12]
    return {"first": sample[:2900], "extra": sample[2900:3100], "folder": tmp_path_factory.mktemp("retrain-films")}


def train(folder, name: str, lines: list[str], models) -> None:
    path = folder / f"{name}.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("training.cli", "train", "--films", str(path), "--models", str(models), "--quiet",
                     "--epochs", "1", "--dim", "32", "--trees", "5", "--min-films", "2", "--ratings", "/nonexistent",
                     timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]


def rating_values(message: dict) -> list[str]:
    return [e["value"] for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]
            if e["action_id"] == "rate_like"]


def listed(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def title_of(line: str) -> str:
    return json.loads(line)[0]


def test_every_rating_names_the_same_film_across_retrains(film_files, tmp_path):
    folder, first = film_files["folder"], film_files["first"]
    models = tmp_path / "models"
    train(folder, "first", first, models)
    engine = Engine.load(models)

    async def body():
        async with running_bot(engine, reload_every=600) as bot:
            async def reply_to(send) -> dict:
                count = len(bot.stub.responses())
                await send
                return (await bot.stub.wait_for_responses(count + 1))[-1]

            buttons: list[str] = []
            for line in first:  # replies to titles, five 👍 buttons each, until there are enough distinct films
                buttons = list(dict.fromkeys(buttons + rating_values(await reply_to(bot.command(title_of(line))))))
                if len(buttons) > RATED_BY_BUTTON:
                    break
            rated: dict[str, int] = {}
            for number, value in enumerate(buttons[:RATED_BY_BUTTON]):
                await reply_to(bot.click("rate_like" if number % 3 else "rate_dislike", value))
                rated[value.removeprefix("k:")] = 1 if number % 3 else -1
            await bot.command("suggest")
            for number in range(RATED_BY_REACTION):  # the DM loop: each 👍 / 👎 brings the next film
                await bot.stub.wait_until(lambda n=number: len(bot.stub.posted) == n + 1)
                message = bot.stub.posted[-1]
                emoji = "+1" if number % 2 else "-1"
                await bot.event({"type": "reaction_added", "user": "U1", "reaction": emoji, "item_user": "UBOT",
                                 "item": {"type": "message", "channel": message["channel"], "ts": message["ts"]},
                                 "event_ts": "1.1"})
                rated[rating_values(message)[0].removeprefix("k:")] = 1 if emoji == "+1" else -1
            await bot.stub.wait_until(lambda: len(bot.stub.posted) == RATED_BY_REACTION + 1)
            stored = await bot.store.ratings("T1", "U1")
            assert len(rated) == RATED_BY_BUTTON + RATED_BY_REACTION
            assert {**dict.fromkeys(stored.likes, 1), **dict.fromkeys(stored.dislikes, -1)} == rated
            labels = {key: engine.film_by_key(key).label for key in rated}
            ids_before = {key: engine.film_by_key(key).id for key in rated}

            # Retrain on the same films reversed, 200 dropped (one of them rated), 200 others added.
            dropped = next(key for key, value in rated.items() if value == 1)
            backwards = list(reversed(first))
            gone = set([line for line in backwards if title_of(line) not in rated][:199])
            gone.add(next(line for line in first if title_of(line) == dropped))
            second = [line for line in backwards if line not in gone] + film_files["extra"]
            train(folder, "second", second, models)
            assert engine.reload_if_changed() is True
            assert engine.film_by_key(dropped) is None
            assert [key for key in rated if key != dropped and engine.film_by_key(key).id != ids_before[key]], \
                "the retrain should have given films other ids"

            listing = str(listed(await reply_to(bot.command("ratings"))))
            for key, label in labels.items():
                assert (label in listing) == (key != dropped), (key, label)
            stored = await bot.store.ratings("T1", "U1")
            assert dropped in stored.likes, "a film the new model lacks keeps its rating"
            recs = str((await reply_to(bot.command("recs")))["blocks"])
            assert not [label for label in labels.values() if f"|{label}>" in recs], "a rated film came back"

            # A 👍 button posted before the retrain still names the film it showed, not whatever has its old id.
            old_value = buttons[RATED_BY_BUTTON]
            confirmation = str(await reply_to(bot.click("rate_like", old_value)))
            assert engine.film_by_key(old_value.removeprefix("k:")).label in confirmation

            # A later retrain brings the dropped film back: its rating counts again.
            train(folder, "third", [*second, next(line for line in first if title_of(line) == dropped)], models)
            assert engine.reload_if_changed() is True
            assert labels[dropped] in str(listed(await reply_to(bot.command("ratings"))))

    run(body())
