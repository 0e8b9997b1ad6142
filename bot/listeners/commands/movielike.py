"""`/movielike ...`: acknowledge at once, then answer through `respond` (films like a title, about, recs, help...).

`answer` is shared with direct messages to the bot (bot/listeners/events/direct_message.py): the same words work
typed in the app's Messages tab."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.identity import who
from bot.services import Services
from bot.store import StoreUnavailable
from bot.suggest import post_suggestion
from engine import BadInput, NotFound

MAX_COMMAND_CHARS = 300


async def movielike_command(ack: AsyncAck, command: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict,
                            logger: Logger) -> None:
    await ack()  # Slack wants an answer within 3 seconds; the work follows
    team, user = who(context)
    await answer(context["services"], respond, client, team, user, command.get("text") or "", logger)


async def answer(services: Services, respond: AsyncRespond, client: AsyncWebClient, team: str, user: str, typed: str,
                 logger: Logger) -> None:
    """Answer what the user typed after `/movielike` (as Slack sent it: `&`, `<`, `>` escaped)."""
    text = " ".join(blocks.unescape(typed).split())[:MAX_COMMAND_CHARS]
    word, _, rest = text.partition(" ")
    word = word.lower()
    try:
        if not await _within_rate_limit(services, team, user, logger):
            await respond(**blocks.plain("That's a lot of requests in a minute; give me a moment and try again."))
        elif not text or word == "help":
            await respond(**blocks.help_message())
        elif word == "about" and rest:
            await _about(services, respond, rest)
        elif word == "recs" and not rest:
            await _recs(services, respond, team, user)
        elif word == "suggest" and not rest:
            await post_suggestion(services, client, team, user)
            await respond(**blocks.plain("I've sent you a film in a DM: react :+1: or :-1: and I'll follow with the next."))
        elif word == "ratings" and not rest:
            await _ratings(services, respond, team, user)
        elif word == "watchlist" and not rest:
            await _watchlist(services, respond, team, user)
        elif word == "forget" and not rest:
            await respond(**blocks.forget_confirmation())
        else:
            await show_similar(services, respond, text, seen=await services.seen(team, user))
    except StoreUnavailable:
        logger.warning("Redis unavailable for /movielike %s", word[:20])
        await respond(**blocks.plain("I couldn't reach my memory just now, please try again in a moment."))
    except Exception:
        logger.exception("/movielike failed")
        await respond(**blocks.plain("Something went wrong on my side; please try again."))


async def _within_rate_limit(services: Services, team: str, user: str, logger: Logger) -> bool:
    """The per-user limit; when Redis is down the limit cannot be kept, and titles still deserve an answer."""
    try:
        return await services.store.allow(team, user)
    except StoreUnavailable:
        logger.warning("Redis unavailable: rate limit not applied")
        return True


async def _ratings(services: Services, respond: AsyncRespond, team: str, user: str) -> None:
    ratings = await services.ratings(team, user, recent=1000)
    recent = dict(ratings.recent)
    newest = [key for key, _ in ratings.recent] + [key for key in ratings.likes + ratings.dislikes if key not in recent]
    films = [film for film in map(services.engine.film_by_key, newest) if film is not None]  # not in this model: kept
    liked = [film for film in films if film.key in set(ratings.likes)]
    disliked = [film for film in films if film.key in set(ratings.dislikes)]
    await respond(**blocks.ratings_message(liked, disliked))


async def _watchlist(services: Services, respond: AsyncRespond, team: str, user: str) -> None:
    saved, _ = await services.saved_and_seen(team, user)
    films = [film for film in map(services.engine.film_by_key, saved) if film is not None]  # not in this model: kept
    await respond(**blocks.watchlist_message(films))


async def show_similar(services: Services, respond: AsyncRespond, text: str, offset: int = 0, seen: set[str] = frozenset()) -> None:
    """Films like `text` (unescaped, as the user meant it), or 'did you mean' buttons; usable by buttons too."""
    engine = services.engine
    try:
        try:
            film, match = engine.resolve_match(text, typos=False)  # exact titles: microseconds, no thread needed
        except NotFound:
            film, match = await services.run(engine.resolve_match, text)  # typo-tolerant: milliseconds, in a thread
    except BadInput as error:
        await respond(**blocks.plain(blocks.escape(str(error))))
        return
    except NotFound as error:
        await respond(**blocks.did_you_mean(text, error.candidates))
        return
    if seen:  # films marked seen are filtered out of the stored neighbours: can take longer, so in a thread
        suggestions = await services.run(services.similar, film, offset + blocks.SUGGESTIONS_PER_PAGE, seen)
    else:
        suggestions = services.similar(film, offset + blocks.SUGGESTIONS_PER_PAGE)  # stored neighbours: a lookup
    typed = text if match.how == "typo" else None
    namesakes = engine.namesakes(film) if offset == 0 else []
    await respond(**blocks.similar_message(film, suggestions[offset:], offset, typed, namesakes,
                                           views=engine.views_for(film)))


async def about_message(services: Services, text: str) -> dict:
    """Films around a linked page (a person, studio, genre, place), or a plain answer naming the closest pages."""
    engine = services.engine
    try:
        page = await services.run(engine.about_page, text)
        results = await services.run(engine.about, text, blocks.SUGGESTIONS_PER_PAGE)
    except BadInput as error:
        return blocks.plain(blocks.escape(str(error)))
    except NotFound as error:
        names = ", ".join(blocks.escape(c) for c in error.candidates[:5])
        hint = f" Closest: {names}." if names else ""
        return blocks.plain(f"I couldn't find “{blocks.escape(text[:80])}” among the pages films link to.{hint}")
    return blocks.list_message(f"Films around *{blocks.escape(page)}*", results, share=f"about:{page}")


async def _about(services: Services, respond: AsyncRespond, text: str) -> None:
    await respond(**await about_message(services, text))


async def _recs(services: Services, respond: AsyncRespond, team: str, user: str) -> None:
    ratings = await services.ratings(team, user)
    seen = await services.store.seen(team, user)
    picks = await services.run(services.recommend, ratings, blocks.SUGGESTIONS_PER_PAGE, (), seen)
    heading = "Picks for you" if len(ratings) else "Well-known films — rate some with 👍 / 👎 and these get personal"
    await respond(**blocks.list_message(f"*{heading}*", picks))
