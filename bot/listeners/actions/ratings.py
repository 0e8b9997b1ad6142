"""Undo a rating from `/movielike ratings`, and the two answers to `/movielike forget` (which also takes the user
out of their movie nights, whose messages then show it)."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks, movie_night
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


async def forget_confirm(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict,
                         logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    team, user = who(context)
    try:
        _, nights = await services.store.forget_everything(team, user)
    except StoreUnavailable:
        await respond(**blocks.plain("I couldn't reach my memory, so nothing was deleted; please try again."))
        return
    done = "Done: I've forgotten all your ratings" + (", and taken you out of your movie nights." if nights else ".")
    await respond(**blocks.plain(done), replace_original=True)
    await movie_night.after_forget(services, client, team, nights)  # redrawn without them, or called off


async def forget_cancel(ack: AsyncAck, respond: AsyncRespond) -> None:
    await ack()
    await respond(**blocks.plain("Kept everything."), replace_original=True)
