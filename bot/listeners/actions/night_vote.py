"""Vote (anyone in the channel; voting joins the night) and Close vote (the organiser only) on a movie night's
message. One vote per person, a new one moves theirs; closing counts the votes in the same atomic step, so a vote
is either counted or refused as late; the winner goes in the thread."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks, movie_night, night_blocks
from bot.identity import who
from bot.night_state import CloseResult
from bot.services import Services
from bot.store import StoreUnavailable
from engine import MAX_GROUP

CLOSED = "The vote is closed: the winner is in the thread."
REFUSED_VOTES = {
    "closed": CLOSED,
    "full": f"This movie night is full ({MAX_GROUP} people), so I can't add your vote.",
    "stale": "That film isn't one of this movie night's picks.",
    "open": "The films aren't picked yet.",
}
# The vote reached Redis but its answer did not come back in time: a vote is one field per person, so again is safe.
UNCONFIRMED = "I couldn't confirm your vote (my memory is slow to answer right now). Voting again is safe."
REFUSED_CLOSES = {"closed_already": "The vote is closed already.", "open": "Pick films first, then close the vote."}


def _label(services: Services, key: str) -> str:
    return f"*{blocks.escape(night_blocks.pick_label(key, services.engine.film_by_key(key)))}*"


async def night_vote(ack: AsyncAck, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict,
                     logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    night_id, named = movie_night.parse_value(action.get("value", ""))
    key = named[len(blocks.FILM_VALUE):] if named.startswith(blocks.FILM_VALUE) else ""
    team, user = who(context)
    try:
        status, previous = ("gone", "")
        if night_id and key:
            status, previous = await services.store.nights.vote(team, night_id, user, key, MAX_GROUP)
        if status == "voted":
            await movie_night.refresh(services, client, team, night_id)
    except StoreUnavailable as error:
        logger.warning("Redis unavailable for a movie night vote (%s)", "no answer in time" if error.maybe_written else "down")
        await respond(**blocks.plain(UNCONFIRMED if error.maybe_written else movie_night.MEMORY_DOWN), replace_original=False)
        return
    if status == "voted" and previous:
        text = f"Moved your vote from {_label(services, previous)} to {_label(services, key)}."
    elif status == "voted":
        text = f"Your vote: {_label(services, key)}. Voting for another film moves it."
    elif status == "same":
        text = f"You've voted for {_label(services, key)} already."
    else:
        text = REFUSED_VOTES.get(status) or movie_night.gone(services)
    await respond(**blocks.plain(text), replace_original=False)


async def night_close(ack: AsyncAck, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict,
                      logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    nights = services.store.nights
    night_id, _ = movie_night.parse_value(action.get("value", ""))
    team, user = who(context)
    try:
        result = await nights.close(team, night_id, user) if night_id else CloseResult("gone")
        if result.status == "closed":
            night = await movie_night.refresh(services, client, team, night_id)
            film = services.engine.film_by_key(result.winner) if result.winner else None
            await movie_night.announce(services, client, night, night_blocks.winner_message(result, film))
            return
        text = REFUSED_CLOSES.get(result.status)
        if result.status == "not_organiser":
            night = await nights.read(team, night_id)
            text = f"Only <@{night.organiser}>, who started this movie night, can close the vote." if night else None
    except StoreUnavailable:
        logger.warning("Redis unavailable while closing a movie night's vote")
        text = movie_night.MEMORY_DOWN
    await respond(**blocks.plain(text or movie_night.gone(services)), replace_original=False)
