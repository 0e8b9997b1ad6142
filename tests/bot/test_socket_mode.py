"""Socket Mode (SLACK_APP_TOKEN): the bot opens Slack's websocket itself, acknowledges each envelope on it, and
answers as over HTTP. Slack's side is a loopback websocket server here."""
from __future__ import annotations

import asyncio
import json
import uuid

from aiohttp import web

from bot.app import create_app
from bot.config import BotConfig
from bot.server import socket_mode_handler
from bot.services import Services
from bot.state import UserStateStore
from bot.store import connect
from tests.bot.harness import REDIS_URL, SlackStub, _serve, run


def test_slash_command_over_socket_mode(engine):
    async def body():
        stub = SlackStub()
        sockets: list[web.WebSocketResponse] = []
        acks: list[dict] = []

        async def slack_socket(request: web.Request) -> web.WebSocketResponse:
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            sockets.append(ws)
            await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
            async for message in ws:
                acks.append(json.loads(message.data))
            return ws

        slack = web.Application()
        slack.router.add_get("/socket", slack_socket)
        slack.router.add_route("POST", "/{tail:.*}", stub.handle)
        runner, stub.url = await _serve(slack)
        client = connect(REDIS_URL, embedded_path=None)
        services = Services(engine, UserStateStore(client, prefix=f"test-{uuid.uuid4().hex[:8]}"))
        bolt = create_app(BotConfig("xoxb-test", "unused-in-socket-mode", api_url=f"{stub.url}/api/"), services)
        handler = socket_mode_handler(bolt, "xapp-test")
        try:
            await handler.connect_async()
            for _ in range(200):
                if sockets:
                    break
                await asyncio.sleep(0.02)
            assert sockets, "the bot never opened the websocket"
            assert stub.api("apps.connections.open"), "the websocket address comes from apps.connections.open"
            await sockets[0].send_json({
                "envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
                "payload": {"command": "/movielike", "text": "Blade Runner", "team_id": "T1", "user_id": "U1",
                            "channel_id": "C1", "response_url": f"{stub.url}/respond/sm", "trigger_id": "t",
                            "api_app_id": "A1", "token": "x"},
            })
            [reply] = await stub.wait_for_responses(1)
            assert "Blade Runner (1982)" in reply["blocks"][0]["text"]["text"]
            for _ in range(100):
                if acks:
                    break
                await asyncio.sleep(0.02)
            assert acks and acks[0]["envelope_id"] == "env-1"
        finally:
            await handler.close_async()
            await client.aclose()
            await runner.cleanup()

    run(body())
