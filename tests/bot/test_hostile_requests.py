"""What the internet sends to /slack/events that Slack never would: refused with 400/401 before Bolt parses it,
no HTTP 500, no traceback, and one short log line per request that never carries the body."""
from __future__ import annotations

import asyncio
import logging
import time

import pytest

from tests.bot.harness import run, running_bot

CASES = [  # (what, body, headers: None = correctly signed, content type, expected status)
    ("form payload that is not JSON, unsigned", "payload={oops", {}, "application/x-www-form-urlencoded", 401),
    ("form payload that is not JSON, signed", "payload={oops", None, "application/x-www-form-urlencoded", 400),
    ("JSON body, unsigned", '{"type": "event_callback"}', {}, "application/json", 401),
    ("a timestamp that is not a number", "command=%2Fmovielike&text=Heat",
     {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"}, "application/x-www-form-urlencoded", 401),
    ("10,000 nested brackets, signed", "[" * 10_000 + "]" * 10_000, None, "application/json", 400),
    ("a newline in a forged signature", "text=x", {"X-Slack-Request-Timestamp": "1",
                                                   "X-Slack-Signature": "v0=1\\nINFO forged log line"},
     "application/x-www-form-urlencoded", 401),
]


@pytest.mark.parametrize("what, body, headers, content_type, status", CASES, ids=[case[0] for case in CASES])
def test_hostile_requests_are_refused_plainly(engine, caplog, what, body, headers, content_type, status):
    async def body_():
        async with running_bot(engine) as bot:
            with caplog.at_level(logging.DEBUG):
                caplog.clear()
                if headers is None:
                    response = await bot.post(body, content_type=content_type)
                else:
                    response = await bot.post(body, headers={**headers, "Content-Type": content_type})
                assert response.status == status, (what, await response.text())
                await asyncio.sleep(0.1)
            lines = [record.getMessage() for record in caplog.records if record.name.startswith(("bot", "slack_bolt"))]
            assert not [record for record in caplog.records if record.exc_info], "a traceback was logged"
            assert len(lines) <= 1 and all(len(line) < 200 and "\n" not in line for line in lines), lines
            assert not bot.stub.responses()

    run(body_())


def test_a_body_that_is_not_utf8_gets_400(engine):
    async def body():
        async with running_bot(engine) as bot:
            stamp = str(int(time.time()))
            response = await bot.http.post(f"{bot.url}/slack/events", data=b"text=\xff\xfe",
                                           headers={"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=0",
                                                    "Content-Type": "application/x-www-form-urlencoded"})
            assert response.status == 400

    run(body())


def test_a_megabyte_post_adds_one_short_log_line(engine, caplog):
    async def body():
        async with running_bot(engine) as bot:
            with caplog.at_level(logging.DEBUG):
                caplog.clear()
                response = await bot.post("x" * 1_000_000, secret="wrong")
                assert response.status in (401, 413)
            logged = sum(len(record.getMessage()) for record in caplog.records)
            assert logged < 500, logged

    run(body())


def _form(payload) -> str:
    import json
    from urllib.parse import urlencode

    return urlencode({"payload": json.dumps(payload)})


SIGNED_BUT_STRANGE = [  # (what, body, content type): all correctly signed, none of them what Slack sends
    ("block_actions without actions", _form({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"}}),
     "application/x-www-form-urlencoded"),
    ("actions that are a string", _form({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"},
                                         "actions": "rate_like"}), "application/x-www-form-urlencoded"),
    ("a null user and team", _form({"type": "block_actions", "team": None, "user": None, "actions": [
        {"action_id": "rate_like", "value": "k:Alien (film)", "type": "button"}]}), "application/x-www-form-urlencoded"),
    ("an action with no value", _form({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"},
                                       "actions": [{"action_id": "more_like", "type": "button"}]}),
     "application/x-www-form-urlencoded"),
    ("a payload that is a JSON list", _form([1, 2, 3]), "application/x-www-form-urlencoded"),
    ("an unknown payload type", _form({"type": "no_such_thing"}), "application/x-www-form-urlencoded"),
    ("a view submission nobody opened", _form({"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1"},
                                               "view": {"callback_id": "x", "state": {"values": {}}}}),
     "application/x-www-form-urlencoded"),
    ("an event envelope without an event", '{"type": "event_callback", "team_id": "T1", "event_id": "Ev1"}',
     "application/json"),
    ("an event that is a string", '{"type": "event_callback", "team_id": "T1", "event": "reaction_added"}',
     "application/json"),
    ("a reaction with no item", '{"type": "event_callback", "team_id": "T1", "authorizations": [{"team_id": "T1"}], '
     '"event": {"type": "reaction_added", "user": "U1", "reaction": "+1"}}', "application/json"),
    ("a JSON array body", "[1, 2, 3]", "application/json"),
    ("url_verification without a challenge", '{"type": "url_verification"}', "application/json"),
    ("a command with 100,000 characters of text", "command=%2Fmovielike&team_id=T1&user_id=U1&text=" + "a" * 100_000,
     "application/x-www-form-urlencoded"),
]


@pytest.mark.parametrize("what, body, content_type", SIGNED_BUT_STRANGE, ids=[case[0] for case in SIGNED_BUT_STRANGE])
def test_signed_but_strange_requests_never_get_500_nor_a_traceback(engine, caplog, what, body, content_type):
    async def body_():
        async with running_bot(engine) as bot:
            with caplog.at_level(logging.DEBUG):
                caplog.clear()
                response = await bot.post(body, content_type=content_type)
                assert response.status < 500, (what, response.status)
                await asyncio.sleep(0.2)  # listeners run after the ack: give them time to fail, if they would
            assert not [record for record in caplog.records if record.exc_info], "a traceback was logged"
            assert not [record for record in caplog.records if record.levelno >= logging.ERROR], [
                record.getMessage()[:200] for record in caplog.records]

    run(body_())
