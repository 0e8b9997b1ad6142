"""`/movielike ...`: acknowledge at once, then answer through `respond` (films like a title, about, recs, movie night,
a map of a film's neighbourhood uploaded into the conversation, help...).

`answer` is shared with direct messages to the bot (bot/listeners/events/direct_message.py): the same words work
typed in the app's Messages tab."""
from __future__ import annotations

from difflib import SequenceMatcher
from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks, movie_night
from bot.identity import who
from bot.maps import send_map
from bot.people import Mentions, parse_mentions
from bot.services import Services
from bot.store import StoreUnavailable
from bot.suggest import post_suggestion
from engine import BadInput, Film, NotFound
from engine.favourites import is_decade
from engine.titles import Match

MAX_COMMAND_CHARS = 300
GENRE_TYPO_SIMILARITY = 0.8  # `best horor` (0.91 to Horror) is a misspelt genre; `best seller` (0.62 to Slasher) a title
MAX_NIGHT_CHARS = 4000  # `night` and its mentions, as Slack sent them (a mention is 15-40 characters)


async def movielike_command(ack: AsyncAck, command: dict, respond: AsyncRespond, client: AsyncWebClient, context: dict,
                            logger: Logger) -> None:
    await ack()  # Slack wants an answer within 3 seconds; the work follows
    team, user = who(context)
    await answer(context["services"], respond, client, team, user, command.get("text") or "", logger,
                 channel=command.get("channel_id"), channel_name=command.get("channel_name") or "",
                 bot_user=context.get("bot_user_id"))


async def answer(services: Services, respond: AsyncRespond, client: AsyncWebClient, team: str, user: str, typed: str,
                 logger: Logger, channel: str | None = None, channel_name: str = "", bot_user: str | None = None) -> None:
    """Answer what the user typed after `/movielike` (as Slack sent it: `&`, `<`, `>` escaped) in `channel` (None:
    the bot's Messages tab)."""
    text = " ".join(blocks.unescape(typed).split())[:MAX_COMMAND_CHARS]
    word, _, rest = text.partition(" ")
    word = word.lower()
    mentions = _night_mentions(typed) if word == "night" else None
    try:
        allowed, seen = await _within_rate_limit(services, team, user, logger)
        if not allowed:
            await respond(**blocks.plain("That's a lot of requests in a minute; give me a moment and try again."))
        elif not text or word == "help":
            await respond(**blocks.help_message())
        elif word == "about" and rest:
            await _about(services, respond, rest)
        elif word == "pages" and rest:  # no film's title starts with "Pages " ("like" would: Like Crazy, Like Mike)
            await respond(**await pages_message(services, rest, of_its_kind=True))
        elif word == "recs" and not rest:
            await _recs(services, respond, team, user, seen)
        elif word == "suggest" and not rest:
            await post_suggestion(services, client, team, user)
            await respond(**blocks.plain("I've sent you a film in a DM: react :+1: or :-1: and I'll follow with the next."))
        elif word == "ratings" and not rest:
            await _ratings(services, respond, team, user)
        elif word == "watchlist" and not rest:
            await _watchlist(services, respond, team, user)
        elif word == "forget" and not rest:
            await respond(**blocks.forget_confirmation())
        elif word == "best" and (best := _best_words(services, text, rest)) is not None:  # else "Best in Show"...
            await _best(services, respond, team, user, seen, *best)
        elif mentions is not None:  # `night`, alone or with mentions only: otherwise a title like "Night of the..."
            await _night(services, respond, client, team, user, mentions, channel, channel_name, bot_user)
        elif word == "map" and not _names_a_film(services, text):  # "Map of the Human Heart" is a title
            await _map(services, respond, client, user, rest, channel)
        else:
            await show_similar(services, respond, text, seen=seen)
    except StoreUnavailable:
        logger.warning("Redis unavailable for /movielike %s", word[:20])
        await respond(**blocks.plain("I couldn't reach my memory just now, please try again in a moment."))
    except Exception:
        logger.exception("/movielike failed")
        await respond(**blocks.plain("Something went wrong on my side; please try again."))


def _night_mentions(typed: str) -> Mentions | None:
    """The mentions after `night`, read from the text as Slack sent it (a mention's `<` is markup only there), or
    None when other words follow (a title)."""
    words = typed[:MAX_NIGHT_CHARS].split(None, 1)
    return parse_mentions(words[1] if len(words) > 1 else "")


async def _night(services: Services, respond: AsyncRespond, client: AsyncWebClient, team: str, user: str,
                 mentions: Mentions, channel: str | None, channel_name: str, bot_user: str | None) -> None:
    if movie_night.in_direct_message(channel, channel_name):
        await respond(**blocks.plain(movie_night.IN_A_CHANNEL))
        return
    await respond(**await movie_night.start(services, client, team, user, channel, mentions, bot_user))


def _best_words(services: Services, text: str, rest: str) -> tuple[str | None, str | None, NotFound | None] | None:
    """(genre, decade, unknown genre) when `best ...` asks for crowd favourites: the words after it are nothing, a
    genre, a decade or both ("horror 1980s", "80s sci-fi"), or one word very close to a genre ("horor") and maybe a
    decade (answered with "did you mean"); None when they are anything else ("Best Seller" is no misspelt Slasher)
    or the whole text is a film's exact title ("Best in Show", "Best of the Best"): a title."""
    words = rest.split()
    decades = [w for w in words if is_decade(w)]
    others = [w for w in words if not is_decade(w)]
    if len(decades) > 1 or _names_a_film(services, text):
        return None
    decade = decades[0] if decades else None
    if not others:
        return None, decade, None
    try:
        return services.engine.favourites_genre(" ".join(others)), decade, None
    except NotFound as error:
        close = len(others) == 1 and error.candidates and SequenceMatcher(
            None, others[0].casefold(), error.candidates[0].casefold()).ratio() >= GENRE_TYPO_SIMILARITY
        return (None, decade, error) if close else None
    except BadInput:
        return None


async def _best(services: Services, respond: AsyncRespond, team: str, user: str, seen: set[str], genre: str | None,
                decade: str | None, unknown: NotFound | None) -> None:
    """Crowd favourites (of a genre and decade), never a film the user rated or marked `seen`."""
    if unknown is not None:
        await respond(**blocks.unknown_genre(unknown.query, unknown.candidates))
        return
    try:
        ratings = await services.ratings(team, user, recent=0)
        rated = [*ratings.likes, *ratings.dislikes]
    except StoreUnavailable:  # the list beats no answer; it may then hold films the user rated
        rated = []
    engine = services.engine
    picks = await services.run(engine.favourites, blocks.SUGGESTIONS_PER_PAGE, genre, decade, [*rated, *seen])
    await respond(**blocks.favourites_message(picks, genre, decade, ranked=engine.has_favourites))


def _names_a_film(services: Services, text: str) -> bool:
    """Whether the whole text is exactly a film's title (microseconds: no typo search)."""
    try:
        services.engine.resolve_match(text, typos=False)
    except (NotFound, BadInput):
        return False
    return True


async def _map(services: Services, respond: AsyncRespond, client: AsyncWebClient, user: str, text: str,
               channel: str | None) -> None:
    """Upload the picture of a film's neighbourhood into the conversation the command came from (a DM included), or
    answer plainly why not."""
    if not text:
        await respond(**blocks.plain("Which film? For example `/movielike map Blade Runner`."))
        return
    if not channel:
        await respond(**blocks.plain("I can only post a map in a conversation: try `/movielike map Blade Runner`."))
        return
    resolved = await resolve_film(services, respond, text)
    if resolved is not None:
        problem = await send_map(services.maps, services.engine, client, channel, user, resolved[0])
        if problem is not None:
            await respond(**blocks.plain(problem))


async def _within_rate_limit(services: Services, team: str, user: str, logger: Logger) -> tuple[bool, set[str]]:
    """The per-user limit, and the films the user marked seen (one round trip); when Redis is down the limit cannot
    be kept and seen films cannot be left out, and titles still deserve an answer."""
    try:
        return await services.store.allow_and_seen(team, user)
    except StoreUnavailable:
        logger.warning("Redis unavailable: rate limit not applied, films marked seen not left out")
        return True, set()


async def _ratings(services: Services, respond: AsyncRespond, team: str, user: str) -> None:
    ratings = await services.ratings(team, user, recent=0)  # likes and dislikes come newest first
    liked, disliked = ([film for film in map(services.engine.film_by_key, keys) if film is not None]  # not in this model: kept
                       for keys in (ratings.likes, ratings.dislikes))
    await respond(**blocks.ratings_message(liked, disliked))


async def _watchlist(services: Services, respond: AsyncRespond, team: str, user: str) -> None:
    saved, _ = await services.saved_and_seen(team, user)
    films = [film for film in map(services.engine.film_by_key, saved) if film is not None]  # not in this model: kept
    await respond(**blocks.watchlist_message(films))


async def resolve_film(services: Services, respond: AsyncRespond, text: str) -> tuple[Film, Match] | None:
    """The film `text` (unescaped) means, or None after answering with 'did you mean' buttons or what was wrong."""
    engine = services.engine
    try:
        try:
            return engine.resolve_match(text, typos=False)  # exact titles: microseconds, no thread needed
        except NotFound:
            return await services.run(engine.resolve_match, text)  # typo-tolerant: milliseconds, in a thread
    except BadInput as error:
        await respond(**blocks.plain(blocks.escape(str(error))))
    except NotFound as error:
        await respond(**blocks.did_you_mean(text, error.candidates))
    return None


async def show_similar(services: Services, respond: AsyncRespond, text: str, offset: int = 0, seen: set[str] = frozenset()) -> None:
    """Films like `text` (unescaped, as the user meant it), or 'did you mean' buttons; usable by buttons too."""
    engine = services.engine
    resolved = await resolve_film(services, respond, text)
    if resolved is None:
        return
    film, match = resolved
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
        page = await services.run(engine.page, text)
        results = await services.run(engine.about, text, blocks.SUGGESTIONS_PER_PAGE)
    except BadInput as error:
        return blocks.plain(blocks.escape(str(error)))
    except NotFound as error:
        return _no_such_page(text, error)
    return blocks.list_message(f"Films around *{blocks.escape(page.title)}*", results, share=f"about:{page.title}",
                               buttons=[blocks.pages_button(page)])


def _no_such_page(text: str, error: NotFound) -> dict:
    names = ", ".join(blocks.escape(c) for c in error.candidates[:5])
    hint = f" Closest: {names}." if names else ""
    return blocks.plain(f"I couldn't find “{blocks.escape(text[:80])}” among the pages films link to.{hint}")


async def pages_message(services: Services, text: str, kind: str | None = None, of_its_kind: bool = False) -> dict:
    """Pages like a page (`/movielike pages George Lucas`, the "Similar directors" button): of `kind`, or with
    `of_its_kind` of the page's own kind (directors like a director); any kind on a model without page kinds."""
    engine = services.engine
    try:
        page = await services.run(engine.page, text)
        if of_its_kind:
            kind = blocks.similar_pages(page.kind)[0]
        if not engine.has_page_kinds:
            kind = None  # a model from before kinds (or a button from a newer one): pages of any kind
        results = await services.run(engine.pages_like, text, blocks.PAGES_SHOWN, kind)
    except BadInput as error:
        return blocks.plain(blocks.escape(str(error)))
    except NotFound as error:
        return _no_such_page(text, error)
    except ValueError:  # a kind no button of ours carries
        return blocks.plain(blocks.STALE_PAGES)
    return blocks.pages_message(page, results, kind)


async def _about(services: Services, respond: AsyncRespond, text: str) -> None:
    await respond(**await about_message(services, text))


async def _recs(services: Services, respond: AsyncRespond, team: str, user: str, seen: set[str]) -> None:
    ratings = await services.ratings(team, user)
    picks = await services.run(services.recommend, ratings, blocks.SUGGESTIONS_PER_PAGE, (), seen)
    heading = "Picks for you" if len(ratings) else "Well-known films — rate some with 👍 / 👎 and these get personal"
    await respond(**blocks.list_message(f"*{heading}*", picks))
