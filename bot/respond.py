"""How the bot's messages reach Slack: replies to a response_url (through one shared keep-alive aiohttp session
instead of a new session per reply, as Bolt's own `respond` does), chat.postMessage, chat.update and views.publish.
Each goes through bot/images.deliver, so a poster Slack cannot fetch never loses the message.

Under load, opening a session and a connection for every reply cost more than the rest of a request together
(bench/bot_load.py); listeners still just call `respond(...)`.
"""
from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
import orjson
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.images import deliver
from bot.state import UserStateStore

REPLY_TIMEOUT = aiohttp.ClientTimeout(total=10)
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
log = logging.getLogger(__name__)


class PooledRespond:
    """Same call signature as Bolt's AsyncRespond; returns the HTTP status Slack answered."""

    def __init__(self, session: aiohttp.ClientSession, response_url: str, store: UserStateStore):
        self.session = session
        self.response_url = response_url
        self.store = store

    async def __call__(self, text: str = "", blocks=None, attachments=None, response_type=None, replace_original=None,
                       delete_original=None, unfurl_links=None, unfurl_media=None, thread_ts=None, metadata=None) -> int:
        message = response_message(text, blocks, attachments, response_type, replace_original, delete_original,
                                   unfurl_links, unfurl_media, thread_ts, metadata)
        status = 0

        async def send(payload: dict) -> dict | None:
            nonlocal status
            async with self.session.post(self.response_url, data=reply_body(payload), headers=JSON_HEADERS,
                                         timeout=REPLY_TIMEOUT) as response:
                status = response.status
                return _response_url_error(response.status, await response.text())

        await deliver(self.store, message, send)
        return status


def reply_body(message: dict) -> bytes:
    """A reply's JSON as UTF-8 bytes. orjson encodes a ten-film answer (12 KB of Block Kit) in 21 µs where json.dumps
    and encoding take 84 µs: a tenth of the CPU the bot spends on a whole `/movielike <title>` (bench/bot_load.py)."""
    return orjson.dumps(message, option=orjson.OPT_SERIALIZE_NUMPY)


class NoReply:
    """`respond` for a request that carries no response_url where Slack always sends one: nowhere to answer, so the
    answer is dropped with one log line instead of a crash."""

    async def __call__(self, text: str = "", **_: object) -> int:
        log.info("no response_url to answer on; answer dropped")
        return 0


def _response_url_error(status: int, body: str) -> dict | None:
    """None when a response_url took the message, else Slack's error as a dict (it answers JSON or plain text)."""
    try:
        answer: Any = json.loads(body)
    except ValueError:
        answer = body.strip()
    if isinstance(answer, dict):
        return None if answer.get("ok", status < 400) else answer
    return None if status < 400 else {"ok": False, "error": answer or f"http_{status}"}


def response_message(text: str = "", blocks=None, attachments=None, response_type=None, replace_original=None,
                     delete_original=None, unfurl_links=None, unfurl_media=None, thread_ts=None, metadata=None) -> dict:
    """The JSON body Slack's response_url takes: `text` always, each other field only when given (empty block or
    attachment lists are left out, as Bolt's own respond does). Blocks are plain dicts, built in bot/blocks.py."""
    message: dict = {"text": text}
    optional = {"blocks": blocks, "attachments": attachments, "response_type": response_type,
                "replace_original": replace_original, "delete_original": delete_original,
                "unfurl_links": unfurl_links, "unfurl_media": unfurl_media, "thread_ts": thread_ts,
                "metadata": metadata}
    message.update({name: value for name, value in optional.items() if value is not None and not (
        name in ("blocks", "attachments") and len(value) == 0)})
    return message


async def post_message(store: UserStateStore, client: AsyncWebClient, channel: str, message: dict,
                       thread_ts: str | None = None) -> dict:
    """chat.postMessage with the poster fallback; Slack's answer (channel, ts). Raises SlackApiError if refused."""
    answer: dict = {}

    async def send(payload: dict) -> dict | None:
        nonlocal answer
        try:
            answer = (await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **payload)).data
        except SlackApiError as error:
            answer = error.response.data if isinstance(error.response.data, dict) else {"error": str(error)}
            return answer
        return None

    error = await deliver(store, message, send)
    if error is not None:
        raise SlackApiError(f"chat.postMessage refused: {error.get('error')}", error)
    return answer


async def update_message(store: UserStateStore, client: AsyncWebClient, channel: str, ts: str, message: dict) -> None:
    """chat.update of a message the bot posted, with the poster fallback. Raises SlackApiError if refused."""

    async def send(payload: dict) -> dict | None:
        try:
            await client.chat_update(channel=channel, ts=ts, **payload)
        except SlackApiError as error:
            return error.response.data if isinstance(error.response.data, dict) else {"error": str(error)}
        return None

    error = await deliver(store, message, send)
    if error is not None:
        raise SlackApiError(f"chat.update refused: {error.get('error')}", error)


async def publish_view(store: UserStateStore, client: AsyncWebClient, user: str, view: dict) -> bool:
    """views.publish (the App Home) with the poster fallback; False (logged) when Slack refused it anyway."""

    async def send(payload: dict) -> dict | None:
        try:
            await client.views_publish(user_id=user, view=payload)
        except SlackApiError as error:
            return error.response.data if isinstance(error.response.data, dict) else {"error": str(error)}
        return None

    error = await deliver(store, view, send)
    if error is not None:
        log.warning("views.publish refused: %s", error.get("error"))
    return error is None
