"""The Messages tab: what a person types to the bot is answered like `/movielike`; the bot's own messages, other
bots, edits and channel messages are not."""
from __future__ import annotations

import asyncio

from tests.bot.harness import run, running_bot


def dm(text: str, **extra) -> dict:
    return {"type": "message", "channel": "D1", "channel_type": "im", "user": "U1", "text": text, "ts": "2.0",
            "event_ts": "2.0", **extra}


def test_a_direct_message_is_answered_like_the_command(engine):
    async def body():
        async with running_bot(engine) as bot:
            assert (await bot.event(dm("Bill &amp; Ted's Excellent Adventure"))).status == 200
            await bot.stub.wait_until(lambda: bot.stub.api("chat.postMessage"))
            [answer] = bot.stub.api("chat.postMessage")
            assert answer["channel"] == "D1"
            heading = answer["blocks"][0]["text"]["text"]
            assert "Bill &amp; Ted's Excellent Adventure (1989)" in heading and "you typed" not in heading
            assert "&amp;amp;" not in str(answer)

            await bot.event(dm("hello"))
            await bot.stub.wait_until(lambda: len(bot.stub.api("chat.postMessage")) == 2)
            assert "/movielike Blade Runner" in bot.stub.api("chat.postMessage")[1]["text"]

            ignored = [
                dm("Alien", bot_id="BBOT", user="UBOT"),  # the bot's own message
                dm("Alien", bot_id="BOTHER", subtype="bot_message"),  # another bot
                dm("Alien", subtype="message_changed"),  # an edit
                {**dm("Alien"), "channel_type": "channel", "channel": "C1"},  # a channel message
                dm("meh", thread_ts="1.0", ts="3.0"),  # a reply in the rating loop's thread
            ]
            for event in ignored:
                assert (await bot.event(event)).status == 200
            await asyncio.sleep(0.3)
            assert len(bot.stub.api("chat.postMessage")) == 2
            await bot.event(dm("Heat (1995 film)"), event_id="EvDM")
            await bot.event(dm("Heat (1995 film)"), event_id="EvDM", retry=1)  # Slack's retry: answered once
            await bot.stub.wait_until(lambda: len(bot.stub.api("chat.postMessage")) == 3)
            await asyncio.sleep(0.3)
            assert len(bot.stub.api("chat.postMessage")) == 3

    run(body())
