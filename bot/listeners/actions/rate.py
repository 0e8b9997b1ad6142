"""👍 / 👎 buttons: store the rating atomically and confirm; a Redis failure is said plainly, nothing half-written."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.identity import who
from bot.listeners.actions.common import film_from_value
from bot.services import Services
from bot.state import DISLIKE, LIKE
from bot.store import StoreUnavailable
from engine import film_label

NOT_SAVED = "I couldn't save that, please try again."
# The write reached Redis but its answer did not come back in time: it may or may not be saved, and clicking
# again stores the same rating once (a rating is one hash field per film), so say exactly that.
UNCONFIRMED = "I couldn't confirm that was saved (my memory is slow to answer right now). Clicking again is safe."


async def _rate(value: int, ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    film = await film_from_value(services, action.get("value", ""), respond)
    if film is None:
        return
    team, user = who(context)
    try:
        await services.store.rate(team, user, film.key, value)
    except StoreUnavailable as error:
        logger.warning("Redis unavailable while rating (%s)", "no answer in time" if error.maybe_written else "down")
        await respond(**blocks.plain(UNCONFIRMED if error.maybe_written else NOT_SAVED), replace_original=False)
        return
    verb = "liked" if value == LIKE else "didn't like"
    await respond(
        **blocks.plain(f"Noted: you {verb} *{blocks.escape(film_label(film.title, film.year))}*. `/movielike recs` uses it."),
        replace_original=False,
    )


async def rate_like(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await _rate(LIKE, ack, body, action, respond, context, logger)


async def rate_dislike(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await _rate(DISLIKE, ack, body, action, respond, context, logger)
