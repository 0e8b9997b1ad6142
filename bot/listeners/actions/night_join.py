"""Join and Leave on a movie night's message: membership changes atomically, then the message shows it."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks, movie_night
from bot.identity import who
from bot.services import Services
from bot.store import StoreUnavailable
from engine import MAX_GROUP

ANSWERS = {
    "already": "You're in already.",
    "full": f"This movie night is full: it takes at most {MAX_GROUP} people.",
    "closed": "This movie night's vote is closed; start a new one with `/movielike night`.",
    "organiser": "You're organising this movie night, so you stay in.",
    "not_member": "You weren't in this movie night.",
}


async def _membership(join: bool, ack: AsyncAck, action: dict, respond: AsyncRespond, client: AsyncWebClient,
                      context: dict, logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    night_id, _ = movie_night.parse_value(action.get("value", ""))
    team, user = who(context)
    try:
        if not night_id:
            status = "gone"
        elif join:
            status = await services.store.nights.join(team, night_id, user, MAX_GROUP)
        else:
            status = await services.store.nights.leave(team, night_id, user)
        if status in ("joined", "left"):
            await movie_night.refresh(services, client, team, night_id)
            return
    except StoreUnavailable:
        logger.warning("Redis unavailable for a movie night's %s", "Join" if join else "Leave")
        await respond(**blocks.plain(movie_night.MEMORY_DOWN), replace_original=False)
        return
    await respond(**blocks.plain(ANSWERS.get(status) or movie_night.gone(services)), replace_original=False)


async def night_join(ack: AsyncAck, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict,
                     logger: Logger) -> None:
    await _membership(True, ack, action, respond, client, context, logger)


async def night_leave(ack: AsyncAck, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict,
                      logger: Logger) -> None:
    await _membership(False, ack, action, respond, client, context, logger)
