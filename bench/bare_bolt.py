"""The floor for bench/bot_load.py: a bare Bolt AsyncApp on aiohttp that acknowledges `/movielike` and posts a fixed
reply to the response_url through one shared keep-alive session (the bot's own reply path), nothing else: no model,
no Redis. Started by `bot_load.py --floor`; reads PORT, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_API_URL."""
from __future__ import annotations

import asyncio
import os

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

REPLY = {"text": "ok", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "ok"}}]}


def main() -> None:
    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    bolt = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])
    session: dict[str, aiohttp.ClientSession] = {}

    @bolt.command("/movielike")
    async def answer(ack, command):
        await ack()
        async with session["http"].post(command["response_url"], json=REPLY) as response:
            await response.read()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def ready(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def http(app: web.Application):
        session["http"] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
        yield
        await session["http"].close()

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/readyz", ready)
    app.cleanup_ctx.append(http)
    web.run_app(app, port=int(os.environ.get("PORT", "3000")), print=None, access_log=None)


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main()
