"""Uninstalling the app, or revoking its bot token, deletes everything kept about that workspace (and only it),
logged once even when Slack retries the event."""
from __future__ import annotations

import asyncio
import logging

from tests.bot.harness import run, running_bot


async def _fill(bot, engine, team: str, user: str) -> None:
    alien = engine.resolve("Alien").key
    await bot.store.rate(team, user, alien, 1)
    await bot.store.save(team, user, engine.resolve("Heat (1995 film)").key)
    await bot.store.mark_seen(team, user, engine.resolve("The Thing (1982 film)").key)
    await bot.store.mark_shown(team, user, [alien])
    await bot.store.remember_message(team, "D1", "1.0", user, alien)


async def _keys(bot, team: str) -> list[str]:
    return [key async for key in bot.store.client.scan_iter(f"{bot.store.prefix}:{{{team}:*")]


def test_app_uninstalled_deletes_the_workspace_data_once(engine, caplog):
    async def body():
        async with running_bot(engine) as bot:
            for team, user in (("T1", "U1"), ("T1", "U2"), ("T2", "U1")):
                await _fill(bot, engine, team, user)
            assert len(await _keys(bot, "T1")) >= 12
            with caplog.at_level(logging.INFO):
                for retry in (None, 1):  # Slack retries: deleted once, logged once
                    response = await bot.event({"type": "app_uninstalled", "event_ts": "1.1"}, event_id="EvGone", retry=retry)
                    assert response.status == 200
                    await asyncio.sleep(0.3)
            assert await _keys(bot, "T1") == []
            assert len(await bot.store.ratings("T2", "U1")) == 1 and await bot.store.watchlist("T2", "U1")  # another workspace
            logged = [r.getMessage() for r in caplog.records if "deleted the workspace's data" in r.getMessage()]
            assert len(logged) == 1 and "app uninstalled" in logged[0]

    run(body())


def test_tokens_revoked_deletes_only_when_the_bot_token_goes(engine):
    async def body():
        async with running_bot(engine) as bot:
            await _fill(bot, engine, "T1", "U1")
            await bot.event({"type": "tokens_revoked", "tokens": {"oauth": ["U1"], "bot": []}, "event_ts": "1.1"})
            await asyncio.sleep(0.3)
            assert len(await bot.store.ratings("T1", "U1")) == 1  # a user token: the app holds none, nothing to delete
            await bot.event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}, "event_ts": "1.2"})
            for _ in range(100):
                if not await _keys(bot, "T1"):
                    break
                await asyncio.sleep(0.05)
            assert await _keys(bot, "T1") == []

    run(body())
