"""🔖 Save (to the watchlist), Remove (from it) and Seen it (never suggested again; leaves the watchlist)."""
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

NOT_SAVED = "I couldn't save that, please try again."


async def _change(ack: AsyncAck, action: dict, respond: AsyncRespond, context: dict, logger: Logger, what: str) -> None:
    await ack()
    services: Services = context["services"]
    film = await film_from_value(services, action.get("value", ""), respond)
    if film is None:
        return
    team, user = who(context)
    label = f"*{blocks.escape(film_label(film.title, film.year))}*"
    try:
        await services.saved_and_seen(team, user)  # entries under a renamed article's old title move to the new one
        if what == "save":
            added = await services.store.save(team, user, film.key)
            text = f"🔖 Saved {label} to your watchlist (`/movielike watchlist`)." if added else f"{label} is already on your watchlist."
        elif what == "unsave":
            removed = await services.store.unsave(team, user, film.key)
            text = f"Removed {label} from your watchlist." if removed else f"{label} wasn't on your watchlist."
        else:
            await services.store.mark_seen(team, user, film.key)
            text = f"Marked {label} as seen: I won't suggest it again. Rate it with 👍 / 👎 to sharpen your picks."
    except StoreUnavailable as error:
        logger.warning("Redis unavailable while changing the watchlist (%s)", "no answer in time" if error.maybe_written else "down")
        await respond(**blocks.plain(NOT_SAVED), replace_original=False)
        return
    await respond(**blocks.plain(text), replace_original=False)


async def save_film(ack: AsyncAck, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await _change(ack, action, respond, context, logger, "save")


async def unsave_film(ack: AsyncAck, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await _change(ack, action, respond, context, logger, "unsave")


async def seen_film(ack: AsyncAck, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await _change(ack, action, respond, context, logger, "seen")
