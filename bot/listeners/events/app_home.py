"""The App Home tab: recent ratings and fresh picks, rebuilt each time it is opened."""
from __future__ import annotations

from logging import Logger

from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.services import Services
from bot.store import StoreUnavailable


async def app_home_opened(body: dict, event: dict, client: AsyncWebClient, context: dict, logger: Logger) -> None:
    if event.get("tab") != "home":
        return
    services: Services = context["services"]
    team, user = body.get("team_id", ""), event.get("user", "")
    try:
        ratings = await services.ratings(team, user, recent=10)
    except StoreUnavailable:
        logger.warning("Redis unavailable: App Home shows well-known films")
        ratings = None
    picks = await services.run(services.recommend, ratings, 5)
    films = [(services.engine.film_by_key(key), value) for key, value in (ratings.recent if ratings else [])]
    recent = [(film, value) for film, value in films if film is not None]
    await client.views_publish(user_id=user, view=blocks.home_view(recent, picks))
