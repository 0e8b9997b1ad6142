"""Reactions on the bot's suggestion messages rate the film; removing one undoes it. Each event counts once."""
from __future__ import annotations

from logging import Logger

from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from bot.store import StoreUnavailable
from bot.suggest import post_suggestion, reaction_value


async def _suggestion_reacted(body: dict, event: dict, services: Services) -> tuple[str, str, int, int, str] | None:
    """(team, user, film, value, thread root) when the suggestion's own user reacts with a rating emoji, else None."""
    value = reaction_value(event.get("reaction", ""))
    item = event.get("item") or {}
    if value is None or item.get("type") != "message":
        return None
    team, user = body.get("team_id", ""), event.get("user", "")
    mapped = await services.store.message_film(team, user, item.get("channel", ""), item.get("ts", ""))
    if mapped is None:
        return None  # not a suggestion made to this user (someone else's reaction, or forgotten)
    if not await services.store.first_delivery(body.get("event_id", "")):
        return None  # Slack retried an event we already handled
    return team, user, mapped[0], value, mapped[1]


async def reaction_added(body: dict, event: dict, client: AsyncWebClient, context: dict, logger: Logger) -> None:
    services: Services = context["services"]
    try:
        reacted = await _suggestion_reacted(body, event, services)
        if reacted is None:
            return
        team, user, film, value, thread = reacted
        await services.store.rate(team, user, film, value)
        await post_suggestion(services, client, team, user, channel=event["item"]["channel"], thread_ts=thread)
    except StoreUnavailable:
        logger.warning("Redis unavailable: reaction not recorded")
        item = event.get("item") or {}
        if item.get("channel"):
            await client.chat_postMessage(channel=item["channel"], thread_ts=item.get("ts"),
                                          text="I couldn't save that reaction, please react again in a moment.")


async def reaction_removed(body: dict, event: dict, context: dict, logger: Logger) -> None:
    services: Services = context["services"]
    try:
        reacted = await _suggestion_reacted(body, event, services)
        if reacted is not None:
            team, user, film, value, _ = reacted
            await services.store.unrate(team, user, film, value)
    except StoreUnavailable:
        logger.warning("Redis unavailable: reaction removal not recorded")
