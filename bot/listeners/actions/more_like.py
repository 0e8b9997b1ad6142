"""'More like this': the next page of films like the same film, in the same view."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.identity import who
from bot.listeners.actions.common import film_from_value, similar_page
from bot.services import Services
from engine import MAX_K, SIMILAR_VIEWS, NoPosterView, NoRatingsView


def _number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 9


def _parse(value: str) -> tuple[str, str, str]:
    """(offset, view, film value) of "offset:view:k:<key>"; ("0", "both", "") for anything else (a forged value, or
    "id:offset:view" from before stable keys), which then names no film and gets the plain answer."""
    parts = value.split(":", 2)
    if len(parts) == 3 and _number(parts[0]) and parts[1] in SIMILAR_VIEWS and parts[2].startswith(blocks.FILM_VALUE):
        return parts[0], parts[1], parts[2]
    return "0", "both", ""


def parse_page(value: str) -> tuple[int, str, str]:
    """(offset, view, film value) of a page's button value; film value "" (names no film) when it is not one."""
    offset_text, by, named = _parse(value)
    return int(offset_text), by, named


async def more_like(ack: AsyncAck, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    offset, by, named = parse_page(action.get("value", ""))
    film = await film_from_value(services, named, respond)  # a forged value names no film: a plain answer
    if film is None:
        return
    if offset + blocks.SUGGESTIONS_PER_PAGE > MAX_K:
        await respond(**blocks.plain("That's as far as I go for this film; try another title."), replace_original=False)
        return
    try:
        page = await similar_page(services, film, offset, by, await services.seen(*who(context)))
    except (NoRatingsView, NoPosterView) as error:  # a page of a view the model serving now lacks (after a retrain)
        await respond(**blocks.plain(blocks.escape(str(error).replace(" (--by links)", ""))), replace_original=False)
        return
    await respond(**page, replace_original=False)
