"""The App Home tab: picks, the watchlist and recent ratings, rebuilt when opened and after every click in it.

Clicks in the Home tab carry no response_url, so a listener's `respond` there is a HomeRespond: its message becomes
a notice at the top of the republished Home, which already shows what the click changed."""
from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.respond import publish_view
from bot.services import Services
from bot.store import StoreUnavailable

log = logging.getLogger(__name__)
HOME_PICKS = 5
HOME_WATCHLIST = 10


async def publish_home(services: Services, client: AsyncWebClient, team: str, user: str, notice: str | None = None) -> bool:
    """Build and publish the user's Home view; with Redis down, well-known films and a line saying so."""
    try:
        ratings = await services.ratings(team, user, recent=10)
        saved, seen = await services.saved_and_seen(team, user)
        saved = saved[:HOME_WATCHLIST]
    except StoreUnavailable:
        log.warning("Redis unavailable: App Home shows well-known films")
        ratings, saved, seen = None, [], set()
        notice = notice or "I couldn't reach my memory just now, so these are well-known films; try again in a moment."
    picks = await services.run(services.recommend, ratings, HOME_PICKS, set(saved), seen)
    films = [(services.engine.film_by_key(key), value) for key, value in (ratings.recent if ratings else [])]
    recent = [(film, value) for film, value in films if film is not None]
    watchlist = [film for film in map(services.engine.film_by_key, saved) if film is not None]
    view = blocks.home_view(recent, picks, watchlist, notice)
    return await publish_view(services.store, client, user, view)


class HomeRespond:
    """`respond` for a click in the Home tab: republish the Home with the listener's message as a notice."""

    def __init__(self, services: Services, client: AsyncWebClient, team: str, user: str):
        self.services, self.client, self.team, self.user = services, client, team, user

    async def __call__(self, text: str = "", **_: object) -> int:
        published = await publish_home(self.services, self.client, self.team, self.user, notice=text or None)
        return 200 if published else 500


def is_home_click(body: dict) -> bool:
    """A block_actions payload from the App Home tab (container type "view", view type "home")."""
    container = body.get("container") or {}
    view = body.get("view") or {}
    return body.get("type") == "block_actions" and container.get("type") == "view" and view.get("type") == "home"
