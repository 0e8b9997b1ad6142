"""The rating loop: one suggestion per DM message, aimed by what the user has rated; reactions rate it."""
from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.respond import post_message
from bot.services import Services
from bot.state import DISLIKE, LIKE

LIKE_REACTIONS = {"+1", "thumbsup", "heart", "star", "fire"}
DISLIKE_REACTIONS = {"-1", "thumbsdown", "sleeping", "wastebasket"}


def reaction_value(name: str) -> int | None:
    """1 for 👍 ❤️ ⭐ 🔥, -1 for 👎 😴 🗑️ (skin tones ignored), None for any other reaction."""
    base = name.split("::", 1)[0]
    if base in LIKE_REACTIONS:
        return LIKE
    if base in DISLIKE_REACTIONS:
        return DISLIKE
    return None


async def post_suggestion(services: Services, client: AsyncWebClient, team: str, user: str, channel: str | None = None,
                          thread_ts: str | None = None) -> bool:
    """Post the next film for `user` (in their DM unless `channel`), remember which film the message shows and that
    it was shown. False when every film has been shown."""
    ratings = await services.ratings(team, user, recent=0)
    shown, seen = await services.store.shown(team, user), await services.store.seen(team, user)
    picks = await services.run(services.recommend, ratings, 1, shown, seen)
    if channel is None:
        channel = (await client.conversations_open(users=user))["channel"]["id"]
    if not picks:
        await post_message(services.store, client, channel, blocks.plain("That's every film I know. Wow."), thread_ts)
        return False
    pick = picks[0]
    posted = await post_message(services.store, client, channel, blocks.suggestion_message(pick), thread_ts)
    await services.store.remember_message(team, posted["channel"], posted["ts"], user, pick.key, thread_ts=thread_ts)
    await services.store.mark_shown(team, user, [pick.key])
    return True
