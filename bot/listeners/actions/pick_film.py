"""A 'Did you mean' button: show films like the one picked."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.identity import who
from bot.listeners.actions.common import film_from_value
from bot.services import Services


async def pick_film(ack: AsyncAck, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    film = await film_from_value(services, action.get("value", ""), respond, replace_original=True)
    if film is None:
        return
    suggestions = await services.run(services.similar, film, blocks.SUGGESTIONS_PER_PAGE, await services.seen(*who(context)))
    await respond(**blocks.similar_message(film, suggestions), replace_original=True)
