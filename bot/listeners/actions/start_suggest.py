"""The 'Rate films one by one' button on every reply: the same as `/movielike suggest`."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.identity import who
from bot.services import Services
from bot.store import StoreUnavailable
from bot.suggest import post_suggestion


async def start_suggest(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict,
                        logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    team, user = who(context)
    try:
        await post_suggestion(services, client, team, user)
    except StoreUnavailable:
        await respond(**blocks.plain("I couldn't reach my memory just now, please try again in a moment."), replace_original=False)
        return
    await respond(**blocks.plain("I've sent you a film in a DM: react :+1: or :-1: and I'll follow with the next."),
                  replace_original=False)
