"""Messages to the bot in its Messages tab: the same words as `/movielike` (a title, `about George Lucas`, `recs`,
`watchlist`...), answered in the conversation. Messages from bots (the bot's own included), edits, deletions and
other subtypes are not people typing to it, and are ignored."""
from __future__ import annotations

from logging import Logger

from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.identity import who
from bot.listeners.commands.movielike import answer
from bot.respond import post_message
from bot.services import Services


class ConversationRespond:
    """`respond` for a direct message: each answer is posted in the conversation (replace/delete hints ignored)."""

    def __init__(self, services: Services, client: AsyncWebClient, channel: str):
        self.services, self.client, self.channel = services, client, channel

    async def __call__(self, text: str = "", blocks: list | None = None, **_: object) -> int:
        message = {"text": text, **({"blocks": blocks} if blocks else {})}
        await post_message(self.services.store, self.client, self.channel, message)
        return 200


async def direct_message(event: dict, client: AsyncWebClient, context: dict, logger: Logger) -> None:
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    team, user = who(context)
    if not user or user == context.get("bot_user_id"):
        return
    services: Services = context["services"]
    respond = ConversationRespond(services, client, event.get("channel", ""))
    text = event.get("text") or ""
    if text.strip().lower() in {"hi", "hello", "hey", "help", "?"}:
        await respond(**blocks.help_message())
        return
    await answer(services, respond, client, team, user, text, logger)
