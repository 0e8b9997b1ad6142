"""What every button listener needs: the film a button's value names (or a plain answer saying the button is stale)."""
from __future__ import annotations

from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.services import Services
from engine import Film

STALE_BUTTON = "That button is from an older model; ask again with `/movielike &lt;title&gt;`."


def film_named_by(services: Services, value: str) -> Film | None:
    """The film a button's value names: `k:<stable key>`, in any model. Anything else is None: a bare number is an
    id from before stable keys, which after a retrain may be another film, so it is never guessed."""
    if value.startswith(blocks.FILM_VALUE):
        return services.engine.film_by_key(value[len(blocks.FILM_VALUE):])
    return None


async def similar_page(services: Services, film: Film, offset: int = 0, by: str = "both", seen=()) -> dict:
    """The message for films like `film` from `offset`, in view `by`, leaving out films marked `seen` (keys).
    Raises NoRatingsView for the ratings view of a film MovieLens never rated."""
    suggestions = await services.run(services.similar, film, offset + blocks.SUGGESTIONS_PER_PAGE, seen, by)
    return blocks.similar_message(film, suggestions[offset:], offset, by=by, views=services.engine.views_for(film))


async def film_from_value(services: Services, value: str, respond: AsyncRespond, replace_original: bool = False) -> Film | None:
    """The film a button names; None (after telling the user) when the model serving now does not have it."""
    film = film_named_by(services, value)
    if film is None:
        await respond(**blocks.plain(STALE_BUTTON), replace_original=replace_original)
    return film
