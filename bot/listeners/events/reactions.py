"""Reactions on the bot's suggestion messages rate the film; removing one undoes it. Each event counts once."""
from __future__ import annotations

from logging import Logger

from slack_sdk.web.async_client import AsyncWebClient

from bot.identity import who
from bot.services import Services
from bot.store import StoreUnavailable
from bot.suggest import post_suggestion, reaction_value

NOT_SAVED = "I couldn't save that reaction, please react again in a moment."


async def _suggestion_reacted(body: dict, event: dict, context: dict, services: Services) -> tuple[str, str, str, int, str] | None:
    """(team, user, film, value, thread root) when the suggestion's own user reacts with a rating emoji, else None."""
    value = reaction_value(event.get("reaction", ""))
    item = event.get("item") or {}
    if value is None or item.get("type") != "message":
        return None  # another emoji, or a reaction on a file
    team, user = who(context)
    mapped = await services.store.message_film(team, user, item.get("channel", ""), item.get("ts", ""))
    if mapped is None:
        return None  # not a suggestion made to this user (someone else's reaction, or forgotten)
    if not await services.store.first_delivery(body.get("event_id") or ""):
        return None  # Slack retried an event we already handled
    return team, user, mapped[0], value, mapped[1]


def _on_our_message(event: dict, context: dict) -> bool:
    """A rating emoji, by a person, on a message the bot posted: the only reactions that could be ratings."""
    item = event.get("item") or {}
    bot_user = context.get("bot_user_id")
    return (reaction_value(event.get("reaction", "")) is not None and item.get("type") == "message"
            and str(item.get("channel", "")).startswith("D")  # the rating loop runs in DMs only
            and bool(bot_user) and event.get("item_user") == bot_user and event.get("user") != bot_user)


async def reaction_added(body: dict, event: dict, client: AsyncWebClient, context: dict, logger: Logger) -> None:
    services: Services = context["services"]
    try:
        reacted = await _suggestion_reacted(body, event, context, services)
        if reacted is None:
            return
        team, user, film, value, thread = reacted
        await services.store.rate(team, user, film, value)
        await post_suggestion(services, client, team, user, channel=event["item"]["channel"], thread_ts=thread)
    except StoreUnavailable:
        logger.warning("Redis unavailable: reaction not recorded")
        # Without Redis nobody can tell whose suggestion this was: answer only a rating emoji on the bot's own
        # message in a DM (where the rating loop runs), and only to the person who reacted (ephemeral).
        if _on_our_message(event, context):
            item = event["item"]
            await client.chat_postEphemeral(channel=item.get("channel", ""), user=event.get("user", ""), text=NOT_SAVED)


async def reaction_removed(body: dict, event: dict, context: dict, logger: Logger) -> None:
    services: Services = context["services"]
    try:
        reacted = await _suggestion_reacted(body, event, context, services)
        if reacted is not None:
            team, user, film, value, _ = reacted
            await services.store.unrate(team, user, film, value)
    except StoreUnavailable:
        logger.warning("Redis unavailable: reaction removal not recorded")
