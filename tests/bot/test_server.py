"""The HTTP service: Slack's signature checks, url_verification, health and readiness, and a Redis outage."""
from __future__ import annotations

import asyncio
import json
import signal
import time

import redis.asyncio as aioredis

from bot.blocks import film_value
from bot.store import StoreUnavailable
from engine import Engine
from engine.bundle import RELOAD_CHANNEL
from tests.bot.harness import run, running_bot
from tests.models_copy import add_version, copy_current
from training.publish.bundle import point_current


def test_requests_without_a_valid_signature_are_rejected(engine):
    async def body():
        async with running_bot(engine) as bot:
            assert (await bot.command("Heat")).status == 200
            form = "command=%2Fmovielike&text=Heat&user_id=U1&team_id=T1"
            assert (await bot.post(form, secret="wrong-secret")).status == 401
            assert (await bot.post(form, timestamp=int(time.time()) - 6 * 60)).status == 401  # stale, a replay
            assert (await bot.post(form, headers={"Content-Type": "application/x-www-form-urlencoded"})).status == 401
            await bot.stub.wait_for_responses(1)
            await asyncio.sleep(0.2)
            assert len(bot.stub.responses()) == 1, "only the signed command was answered"

    run(body())


def test_a_command_that_mentions_payload_is_answered_like_any_other(engine):
    """Bolt reads any form mentioning "payload" as interactivity with no fields: these reached no listener."""
    async def body():
        async with running_bot(engine) as bot:
            assert (await bot.command("Heat payload")).status == 200
            assert (await bot.command("Heat", channel_name="payload-team")).status == 200
            first, second = await bot.stub.wait_for_responses(2)
            assert "Heat payload" in str(first) or "Did you mean" in str(first) or "couldn" in str(first), first
            assert "Heat" in second["blocks"][0]["text"]["text"], second

    run(body())


def test_url_verification_challenge(engine):
    async def body():
        async with running_bot(engine) as bot:
            challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
            payload = json.dumps({"type": "url_verification", "challenge": challenge, "token": "x"})
            response = await bot.post(payload, content_type="application/json")
            assert response.status == 200
            assert challenge in await response.text()

    run(body())


def test_health_and_readiness(engine):
    async def body():
        async with running_bot(engine) as bot:
            health = await bot.http.get(f"{bot.url}/healthz")
            ready = await bot.http.get(f"{bot.url}/readyz")
            assert health.status == 200 and ready.status == 200
            assert (await ready.json())["model"] == engine.version

    run(body())



def test_redis_outage_is_explained_and_titles_still_answer(engine, redis_server):
    port = redis_server.port
    alien = engine.resolve("Alien")

    async def body():
        async with running_bot(engine, redis_url=redis_server.url) as bot:
            redis_server.stop()
            await bot.click("rate_like", film_value(alien))
            await bot.command("Blade Runner")
            await bot.command("recs")
            saved, films, recs = await bot.stub.wait_for_responses(3)
            assert "couldn't save that, please try again" in str(saved)
            assert "Blade Runner (1982)" in str(films) and "rate_like" in str(films)
            assert "try again" in str(recs) and "Traceback" not in str(bot.stub.calls)
            ready = await bot.http.get(f"{bot.url}/readyz")
            assert ready.status == 503 and (await ready.json())["ok"] is False
            assert str(port) not in await ready.text() and "127.0.0.1" not in await ready.text()  # no address leaked

            # Reactions while Redis is down: nobody can tell whose suggestion a message was, so the bot answers
            # only a rating emoji on its own message, only to the person who reacted, and never in the channel.
            def reacted(user: str, item_user: str, item_type: str = "message", name: str = "+1", channel: str = "D1") -> dict:
                return {"type": "reaction_added", "user": user, "reaction": name, "item_user": item_user,
                        "item": {"type": item_type, "channel": channel, "ts": "1.0"}, "event_ts": "1.1"}

            for event in (reacted("U2", "U9"), reacted("U2", "UBOT", "file"), reacted("UBOT", "UBOT"),
                          reacted("U2", "UBOT", name="tada"), reacted("U2", "UBOT", channel="C1")):
                assert (await bot.event(event)).status == 200
            await bot.event(reacted("U3", "UBOT"))
            await bot.stub.wait_until(lambda: bot.stub.api("chat.postEphemeral"))
            await asyncio.sleep(0.2)
            [ephemeral] = bot.stub.api("chat.postEphemeral")
            assert ephemeral["user"] == "U3" and "couldn't save that reaction" in ephemeral["text"]
            assert not bot.stub.api("chat.postMessage")

            redis_server.start()
            for _ in range(100):
                if (await bot.http.get(f"{bot.url}/readyz")).status == 200:
                    break
                await asyncio.sleep(0.05)
            await bot.click("rate_like", film_value(alien))
            await bot.stub.wait_for_responses(4)
            assert "you liked" in str(bot.stub.responses()[-1])
            assert (await bot.store.ratings("T1", "U1")).likes == [alien.key]

    run(body())


def test_a_newly_published_model_is_picked_up_without_a_restart(models_dir, tmp_path):
    models, version, engine = own_models(models_dir, tmp_path)

    async def body():
        async with running_bot(engine, reload_every=0.1) as bot:
            second = add_version(models, version, version + "-next")
            point_current(models, second)
            for _ in range(100):
                if (await (await bot.http.get(f"{bot.url}/readyz")).json())["model"] == second:
                    break
                await asyncio.sleep(0.05)
            assert engine.version == second
            await bot.command("Heat")
            assert "Heat (1995)" in str(await bot.stub.wait_for_responses(1))

    run(body())


def test_a_redis_announcement_reloads_at_once(models_dir, tmp_path):
    models, version, engine = own_models(models_dir, tmp_path)

    async def body():
        async with running_bot(engine, reload_every=600):  # polling too slow to matter here
            await asyncio.sleep(0.3)  # the bot subscribes at start-up
            second = add_version(models, version, version + "-announced")
            point_current(models, second)
            publisher = aioredis.from_url("redis://127.0.0.1:6379/0")
            assert await publisher.publish(RELOAD_CHANNEL, second) >= 1
            await publisher.aclose()
            await until_serving(engine, second)

    run(body())


def test_a_redis_cluster_announcement_reloads_at_once(models_dir, tmp_path, redis_cluster):
    """REDIS_CLUSTER=1: the bot subscribes through the cluster client and the trainer's notify reaches it."""
    from training.publish.notify import notify_bots

    models, version, engine = own_models(models_dir, tmp_path)
    url = f"redis://127.0.0.1:{redis_cluster[0]}/0"

    async def body():
        async with running_bot(engine, redis_url=url, reload_every=600, cluster=True):
            second = add_version(models, version, version + "-cluster")
            point_current(models, second)
            # PUBLISH on a cluster counts only the node's own subscribers, so watch the engine instead:
            # announce until the bot (subscribed through the cluster client at start-up) has reloaded.
            for _ in range(50):
                await asyncio.to_thread(notify_bots, second, url, True)
                await asyncio.sleep(0.1)
                if engine.version == second:
                    break
            await until_serving(engine, second)

    run(body())


def test_requests_keep_being_answered_while_the_model_swaps(models_dir, tmp_path):
    models, version, engine = own_models(models_dir, tmp_path)
    second = add_version(models, version, version + "-swap")

    async def body():
        async with running_bot(engine, reload_every=0.05) as bot:
            titles = ["Heat", "Alien", "Toy Story", "The Godfather", "Blade Runner"] * 12

            async def ask(i: int, title: str):
                if i == 20:
                    point_current(models, second)  # the swap happens while requests are in flight
                return await bot.command(title, user=f"U{i % 10}")  # under the per-user rate limit

            answers = await asyncio.gather(*[ask(i, t) for i, t in enumerate(titles)])
            assert all(a.status == 200 for a in answers)
            replies = await bot.stub.wait_for_responses(len(titles))
            bad = [r["text"] for r in replies if "Films like" not in str(r["blocks"][0])]
            assert not bad, bad
            await until_serving(engine, second)

    run(body())


def test_a_rating_redis_never_confirmed_is_said_to_be_unconfirmed_not_lost(engine, redis_server):
    """Redis frozen mid-request (SIGSTOP): the click's write waits in Redis's socket and its answer times out. The
    user hears it could not be confirmed (not "not saved"), and once Redis resumes the write is there."""
    server = redis_server.process
    alien, heat = engine.resolve("Alien"), engine.resolve("Heat")

    async def body():
        async with running_bot(engine, redis_url=redis_server.url) as bot:
            await bot.click("rate_dislike", film_value(heat))  # connections open, the rating script cached
            await bot.stub.wait_for_responses(1)
            server.send_signal(signal.SIGSTOP)
            try:
                await bot.click("rate_like", film_value(alien))
                reply = (await bot.stub.wait_for_responses(2, timeout=15))[-1]
            finally:
                server.send_signal(signal.SIGCONT)
            assert "couldn't confirm that was saved" in str(reply) and "Clicking again is safe" in str(reply)
            for _ in range(100):
                try:
                    if (await bot.store.ratings("T1", "U1")).likes:
                        break
                except StoreUnavailable:
                    pass
                await asyncio.sleep(0.05)
            assert (await bot.store.ratings("T1", "U1")).likes == [alien.key]
            await bot.click("rate_like", film_value(alien))  # the retry the message invites stores it once
            await bot.stub.wait_for_responses(3)
            assert (await bot.store.ratings("T1", "U1")).likes == [alien.key]

    try:
        run(body())
    finally:
        server.send_signal(signal.SIGCONT)  # then the fixture stops it


def own_models(models_dir, tmp_path):
    """A copy of the trained model this test may replace, and an engine on it: (models dir, version, engine)."""
    models = tmp_path / "models"
    version = copy_current(models_dir, models)
    return models, version, Engine.load(models)


async def until_serving(engine, version: str, timeout: float = 2.0) -> None:
    """Wait until the engine serves `version`; fail after `timeout` seconds."""
    for _ in range(int(timeout / 0.02)):
        if engine.version == version:
            return
        await asyncio.sleep(0.02)
    assert engine.version == version
