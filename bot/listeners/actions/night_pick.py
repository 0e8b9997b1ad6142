"""Pick films on a movie night's message (the organiser only): NIGHT_FILMS films for the members, stored by key, then
shown with a Vote button each. With nobody else in yet, the organiser is asked first ("Pick for me anyway")."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks, movie_night, night_blocks
from bot.identity import who
from bot.night_state import CLOSED, OPEN
from bot.people import MissingScope
from bot.services import Services
from bot.store import StoreUnavailable
from engine import BadInput

PICKED_ALREADY = "The films are picked already: vote in the message."
NO_FILMS = ("I couldn't find films for this group that nobody has rated or seen. Try again after a retrain, or start "
            "a new night.")


async def night_pick(ack: AsyncAck, action: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict,
                     logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    night_id, rest = movie_night.parse_value(action.get("value", ""))
    team, user = who(context)
    try:
        night = await services.store.nights.read(team, night_id) if night_id else None
        if night is None:
            message = blocks.plain(movie_night.gone(services))
        elif user != night.organiser:
            message = blocks.plain(f"Only <@{night.organiser}>, who started this movie night, can pick the films.")
        elif night.state != OPEN:
            message = blocks.plain(PICKED_ALREADY if night.state != CLOSED else "This movie night's vote is closed.")
        elif len(night.members) < 2 and rest != night_blocks.PICK_ANYWAY:
            message = night_blocks.nobody_joined(night_id)
        else:
            picks = await movie_night.pick(services, client, team, night)
            if not picks.films:
                message = blocks.plain(NO_FILMS)
            else:
                status = await services.store.nights.pick(team, night_id, user, [(f.key, f.why) for f in picks.films],
                                                          well_known=not picks.anyone_liked, names=picks.names)
                if status == "picked":
                    await movie_night.refresh(services, client, team, night_id)
                    return
                message = blocks.plain(PICKED_ALREADY if status == "voting" else movie_night.gone(services))
    except StoreUnavailable:
        logger.warning("Redis unavailable while picking a movie night's films")
        message = blocks.plain(movie_night.MEMORY_DOWN)
    except MissingScope as missing:
        message = blocks.plain(movie_night.update_the_app(missing))
    except BadInput as error:
        message = blocks.plain(blocks.escape(str(error)))
    except Exception:
        logger.exception("picking a movie night's films failed")
        message = blocks.plain("Something went wrong on my side; please try again.")
    await respond(**message, replace_original=False)
