"""'More like this': the next page of films like the same film, in the same view."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.listeners.actions.common import film_from_value
from bot.services import Services
from engine import MAX_K, VIEWS


async def more_like(ack: AsyncAck, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    film_id, _, rest = action.get("value", "").partition(":")
    offset_text, _, by = rest.partition(":")
    by = by if by in VIEWS else "both"
    film = await film_from_value(services, film_id, respond)
    if film is None:
        return
    offset = int(offset_text) if offset_text.isdigit() else 0
    if offset + blocks.SUGGESTIONS_PER_PAGE > MAX_K:
        await respond(**blocks.plain("That's as far as I go for this film; try another title."), replace_original=False)
        return
    suggestions = await services.run(services.engine.similar, film.id, offset + blocks.SUGGESTIONS_PER_PAGE, (), by)
    await respond(**blocks.similar_message(film, suggestions[offset:], offset, by=by,
                                           views=services.engine.views_for(film.id)), replace_original=False)
