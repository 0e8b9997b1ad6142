"""What the internet sends to /slack/events that Slack never would: refused with 400/401 before Bolt parses it,
no HTTP 500, no traceback, and one short log line per request that never carries the body."""
from __future__ import annotations

import asyncio
import logging
import time

import pytest

from tests.bot.harness import running_bot


def run(coroutine):
    return asyncio.run(coroutine)


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
