"""Bolt's `respond`, sent through one shared keep-alive aiohttp session instead of a new session per reply.

Under load, opening a session and a connection for every reply cost more than the rest of a request together
(bench/bot_load.py); listeners still just call `respond(...)`.
"""
from __future__ import annotations

import aiohttp
from slack_bolt.context.respond.internals import _build_message

REPLY_TIMEOUT = aiohttp.ClientTimeout(total=10)


class PooledRespond:
    """Same call signature as Bolt's AsyncRespond; returns the HTTP status Slack answered."""

    def __init__(self, session: aiohttp.ClientSession, response_url: str):
        self.session = session
        self.response_url = response_url

    async def __call__(self, text: str = "", blocks=None, attachments=None, response_type=None, replace_original=None,
                       delete_original=None, unfurl_links=None, unfurl_media=None, thread_ts=None, metadata=None) -> int:
        message = _build_message(text, blocks, attachments, response_type, replace_original, delete_original,
                                 unfurl_links, unfurl_media, thread_ts, metadata)
        async with self.session.post(self.response_url, json=message, timeout=REPLY_TIMEOUT) as response:
            await response.read()
            return response.status
