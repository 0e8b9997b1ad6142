"""The App Home tab: fresh picks, the watchlist and recent ratings, rebuilt each time it is opened."""
from __future__ import annotations

from logging import Logger

from slack_sdk.web.async_client import AsyncWebClient

from bot.home import publish_home
from bot.identity import who


async def app_home_opened(event: dict, client: AsyncWebClient, context: dict, logger: Logger) -> None:
    if event.get("tab") != "home":
        return
    team, user = who(context)
    await publish_home(context["services"], client, team, user or event.get("user", ""))
