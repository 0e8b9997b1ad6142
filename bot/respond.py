"""Bolt's `respond`, sent through one shared keep-alive aiohttp session instead of a new session per reply.

Under load, opening a session and a connection for every reply cost more than the rest of a request together
(bench/bot_load.py); listeners still just call `respond(...)`.
"""
from __future__ import annotations

import aiohttp

REPLY_TIMEOUT = aiohttp.ClientTimeout(total=10)


class PooledRespond:
    """Same call signature as Bolt's AsyncRespond; returns the HTTP status Slack answered."""

    def __init__(self, session: aiohttp.ClientSession, response_url: str):
        self.session = session
        self.response_url = response_url

    async def __call__(self, text: str = "", blocks=None, attachments=None, response_type=None, replace_original=None,
                       delete_original=None, unfurl_links=None, unfurl_media=None, thread_ts=None, metadata=None) -> int:
        message = response_message(text, blocks, attachments, response_type, replace_original, delete_original,
                                   unfurl_links, unfurl_media, thread_ts, metadata)
        async with self.session.post(self.response_url, json=message, timeout=REPLY_TIMEOUT) as response:
            await response.read()
            return response.status


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
