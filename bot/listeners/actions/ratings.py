"""Undo a rating from `/movielike ratings`, and the two answers to `/movielike forget`."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.identity import who
from bot.listeners.actions.common import film_from_value
from bot.services import Services
from bot.store import StoreUnavailable
from engine import film_label


async def unrate(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    team, user = who(context)
    film = await film_from_value(services, action.get("value", ""), respond)
    if film is None:
        return
    try:
        await services.store.unrate(team, user, film.key)
    except StoreUnavailable:
        await respond(**blocks.plain("I couldn't save that, please try again."), replace_original=False)
        return
    await respond(**blocks.plain(f"Removed your rating of *{blocks.escape(film_label(film.title, film.year))}*."),
                  replace_original=False)


async def forget_confirm(ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    team, user = who(context)
    try:
        await services.store.forget(team, user)
    except StoreUnavailable:
        await respond(**blocks.plain("I couldn't reach my memory, so nothing was deleted; please try again."))
        return
    await respond(**blocks.plain("Done: I've forgotten all your ratings."), replace_original=True)


async def forget_cancel(ack: AsyncAck, respond: AsyncRespond) -> None:
    await ack()
    await respond(**blocks.plain("Kept everything."), replace_original=True)
