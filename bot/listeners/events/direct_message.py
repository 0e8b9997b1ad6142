"""Messages to the bot in its Messages tab: the same words as `/movielike` (a title, `about George Lucas`, `recs`,
`watchlist`...), answered in the conversation. Messages from bots (the bot's own included), edits, deletions and
other subtypes are not people typing to it, and are ignored; so are replies in threads. Slack's retries count once."""
from __future__ import annotations

from logging import Logger

from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.identity import who
from bot.listeners.commands.movielike import answer
from bot.respond import post_message
from bot.services import Services
from bot.store import StoreUnavailable


class ConversationRespond:
    """`respond` for a direct message: each answer is posted in the conversation (replace/delete hints ignored)."""

    def __init__(self, services: Services, client: AsyncWebClient, channel: str):
        self.services, self.client, self.channel = services, client, channel

    async def __call__(self, text: str = "", blocks: list | None = None, **_: object) -> int:
        message = {"text": text, **({"blocks": blocks} if blocks else {})}
        await post_message(self.services.store, self.client, self.channel, message)
        return 200


async def direct_message(body: dict, event: dict, client: AsyncWebClient, context: dict, logger: Logger) -> None:
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    if event.get("thread_ts") and event.get("thread_ts") != event.get("ts"):
        return  # a reply in a thread (the rating loop's, say) is talk about that message, not a new question
    team, user = who(context)
    if not user or user == context.get("bot_user_id"):
        return
    services: Services = context["services"]
    try:
        if not await services.store.first_delivery(body.get("event_id") or ""):
            return  # Slack's retry of a message already answered
    except StoreUnavailable:
        pass  # cannot tell: answering twice beats not answering
    respond = ConversationRespond(services, client, event.get("channel", ""))
    text = event.get("text") or ""
    if text.strip().lower() in {"hi", "hello", "hey", "help", "?"}:
        await respond(**blocks.help_message())
        return
    await answer(services, respond, client, team, user, text, logger, channel=event.get("channel"),
                 channel_name="directmessage")  # `map` uploads into this conversation
