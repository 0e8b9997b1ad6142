"""`/movielike ...`: acknowledge at once, then answer through `respond` (films like a title, about, recs, help)."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.services import Services
from engine import BadInput, NotFound
from engine.store import StoreUnavailable

MAX_COMMAND_CHARS = 300


async def movielike_command(ack: AsyncAck, command: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await ack()  # Slack wants an answer within 3 seconds; the work follows
    services: Services = context["services"]
    text = " ".join((command.get("text") or "").split())[:MAX_COMMAND_CHARS]
    team, user = command.get("team_id", ""), command.get("user_id", "")
    word, _, rest = text.partition(" ")
    try:
        if not text or word.lower() == "help":
            await respond(**blocks.help_message())
        elif word.lower() == "about" and rest:
            await _about(services, respond, rest)
        elif word.lower() == "recs" and not rest:
            await _recs(services, respond, team, user)
        else:
            await show_similar(services, respond, text)
    except StoreUnavailable:
        logger.warning("Redis unavailable for /movielike %s", word)
        await respond(**blocks.plain("I couldn't reach my memory just now, please try again in a moment."))
    except Exception:  # noqa: BLE001 - the user gets a plain answer, the log gets the traceback
        logger.exception("/movielike failed")
        await respond(**blocks.plain("Something went wrong on my side; please try again."))


async def show_similar(services: Services, respond: AsyncRespond, text: str, offset: int = 0) -> None:
    """Films like `text`, or 'did you mean' buttons; usable by buttons too."""
    engine = services.engine
    try:
        film, match = await services.run(engine.resolve_match, text)
    except BadInput as error:
        await respond(**blocks.plain(blocks.escape(str(error))))
        return
    except NotFound as error:
        await respond(**blocks.did_you_mean(text, error.candidates))
        return
    suggestions = await services.run(engine.similar, film.id, offset + blocks.SUGGESTIONS_PER_PAGE)
    typed = text if match.how == "typo" else None
    await respond(**blocks.similar_message(film, suggestions[offset:], offset, typed))


async def _about(services: Services, respond: AsyncRespond, text: str) -> None:
    engine = services.engine
    try:
        page = await services.run(engine.about_page, text)
        results = await services.run(engine.about, text, blocks.SUGGESTIONS_PER_PAGE)
    except BadInput as error:
        await respond(**blocks.plain(blocks.escape(str(error))))
        return
    except NotFound as error:
        names = ", ".join(blocks.escape(c) for c in error.candidates[:5])
        hint = f" Closest: {names}." if names else ""
        await respond(**blocks.plain(f"I couldn't find “{blocks.escape(text[:80])}” among the pages films link to.{hint}"))
        return
    await respond(**blocks.list_message(f"Films around *{blocks.escape(page)}*", results))


async def _recs(services: Services, respond: AsyncRespond, team: str, user: str) -> None:
    ratings = await services.store.ratings(team, user)
    picks = await services.run(services.engine.recommend, ratings.likes, ratings.dislikes, blocks.SUGGESTIONS_PER_PAGE)
    heading = "Picks for you" if len(ratings) else "Well-known films — rate some with 👍 / 👎 and these get personal"
    await respond(**blocks.list_message(f"*{heading}*", picks))
