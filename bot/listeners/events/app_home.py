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
        ratings = await services.store.ratings(team, user, recent=10)
    except StoreUnavailable:
        logger.warning("Redis unavailable: App Home shows well-known films")
        ratings = None
    likes, dislikes = (ratings.likes, ratings.dislikes) if ratings else ([], [])
    picks = await services.run(services.engine.recommend, likes, dislikes, 5)
    recent = [(services.engine.film(f), v) for f, v in (ratings.recent if ratings else []) if 0 <= f < len(services.engine)]
    await client.views_publish(user_id=user, view=blocks.home_view(recent, picks))
