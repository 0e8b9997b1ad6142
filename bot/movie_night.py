"""Movie night, the flow `/movielike night` and the night's buttons share: start one in a channel, keep its message in
step with what Redis holds, pick films for its members, and announce the winner in its thread."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks, night_blocks
from bot.night_state import NIGHT_FILMS, Forgotten, Night, member_placeholder, valid_night_id
from bot.people import Mentions, MissingScope, check_people, display_names, group_members
from bot.respond import post_message, update_message
from bot.services import Services
from bot.store import StoreUnavailable
from engine import MAX_GROUP, GroupMember, Suggestion

log = logging.getLogger(__name__)
# The request updating a night's message sends it again while the night keeps changing; bounded (more than a full
# night's members clicking at once) so a flood of clicks cannot keep one request looping.
MAX_REFRESHES = 16
IN_A_CHANNEL = ("Movie night works in a channel: type `/movielike night` there, with @mentions or a user group to bring "
                "people in at once.")
CANNOT_POST = ("I can't post in this channel: invite me first (`/invite @movielike`), then start the movie night again.")
MEMORY_DOWN = "I couldn't reach my memory just now, so nothing changed; please try again in a moment."


def update_the_app(missing: MissingScope) -> str:
    """To the organiser when Slack refused a look-up for a scope this install lacks: nothing was started or picked."""
    return (f"I can't look people up: this app was installed without Slack's `{missing.scope}` permission, which movie "
            "night needs. Ask a workspace admin to update the app (reinstall it with the scopes in its manifest), "
            "then try again.")


def in_direct_message(channel: str | None, channel_name: str = "") -> bool:
    """A DM with the bot, or no channel at all (the Messages tab): nowhere for a group to gather."""
    return not channel or channel.startswith("D") or channel_name == "directmessage"


def gone(services: Services) -> str:
    hours = services.store.nights.ttl // 3600
    return f"This movie night is over: I keep them for {hours} hours. Start a new one with `/movielike night`."


def parse_value(value: str) -> tuple[str, str]:
    """(night id, the rest) of a night button's value "<id>" or "<id>:<rest>"; id "" when it is not one of ours."""
    night_id, _, rest = value.partition(":")
    return (night_id, rest) if valid_night_id(night_id) else ("", "")


async def start(services: Services, client: AsyncWebClient, team: str, organiser: str, channel: str,
                mentions: Mentions, bot_user: str | None) -> dict:
    """Check who was named, store the night, post its message in the channel; the organiser's ephemeral answer (what
    happened, and who named is not in and why). Raises StoreUnavailable before anything is posted."""
    try:
        in_groups, unknown_groups = await group_members(client, mentions.groups)
        named = [user for user in dict.fromkeys([*mentions.users, *in_groups]) if user != organiser]
        checked = await check_people(client, named, bot_user, room=MAX_GROUP - 1)
    except MissingScope as missing:
        return blocks.plain(update_the_app(missing))
    sorted_out = {*checked.people, *checked.bots, *checked.not_found}
    left_out = [user for user in named if user not in sorted_out]
    nights = services.store.nights
    night_id = nights.new_id()
    await nights.create(team, night_id, organiser, channel, checked.people)
    night = await nights.read(team, night_id)
    if night is None:  # gone the moment it was made (Redis flushed): nothing to post
        raise StoreUnavailable("the movie night was not stored")
    try:
        posted = await post_message(services.store, client, channel, render(services, night))
    except SlackApiError as error:
        log.info("movie night not posted: %s", error.response.get("error"))
        await nights.discard(team, night_id)
        return blocks.plain(CANNOT_POST)
    await nights.posted(team, night_id, posted["ts"])
    return night_blocks.started_notes(MAX_GROUP, checked.bots, checked.not_found, mentions.unknown, unknown_groups,
                                      left_out)


def render(services: Services, night: Night) -> dict:
    """The night's message, with the picked films looked up in the model serving now (by stable key)."""
    films = {key: services.engine.film_by_key(key) for key, _ in night.picks}
    return night_blocks.night_message(night, films, MAX_GROUP)


async def refresh(services: Services, client: AsyncWebClient, team: str, night_id: str) -> Night | None:
    """Show the night as Redis has it now (chat.update), one request at a time: the request holding the night's
    update lock sends the message until the night's version stops moving (at most MAX_REFRESHES sends); any other
    request's change has bumped the version already, so it just returns. After unlocking, the holder reads the
    version once more and, if it moved (a change that found the lock held after the holder's last read), takes the
    lock again: the last update Slack gets always shows the last change. Returns the night as last read (None when
    it is gone); a refused update is logged."""
    nights = services.store.nights
    night, sent, sends = None, None, 0
    while sends < MAX_REFRESHES:
        token = await nights.lock_updates(team, night_id)
        if token is None:  # another request is sending the message: it shows this change too
            return night or await nights.read(team, night_id)
        try:
            while sends < MAX_REFRESHES:
                night = await nights.read(team, night_id)
                if night is None or not night.ts or night.version == sent:
                    break
                await update_message(services.store, client, night.channel, night.ts, render(services, night))
                sent, sends = night.version, sends + 1
        except SlackApiError as error:  # the message was deleted, say: the change itself is stored
            log.warning("movie night message not updated: %s", error.response.get("error"))
            return night
        finally:
            await nights.unlock_updates(team, night_id, token)
        if night is None or not night.ts or await nights.version(team, night_id) in (sent, None):
            return night
    return night


async def after_forget(services: Services, client: AsyncWebClient, team: str, forgotten: Forgotten) -> None:
    """Redraw the nights a forgotten user was taken out of, and call off those deleted with them (an organiser alone
    in one): the message loses its mentions and buttons. Redis down or Slack refusing is logged, not raised."""
    for night_id in forgotten.changed:
        try:
            await refresh(services, client, team, night_id)
        except StoreUnavailable:
            log.warning("movie night message not refreshed: Redis unavailable")
    for channel, ts in forgotten.called_off:
        if not ts:
            continue
        try:
            await update_message(services.store, client, channel, ts, night_blocks.called_off())
        except SlackApiError as error:
            log.warning("movie night message not called off: %s", error.response.get("error"))


@dataclass(frozen=True)
class GroupPicks:
    """Films picked for a night, best first, their whys naming members by placeholder (night_state.member_placeholder);
    whether any member liked a film (if not, the engine picked well-known films); the display names the placeholders
    stand for (user id -> name)."""

    films: list[Suggestion]
    anyone_liked: bool
    names: dict[str, str]


async def pick(services: Services, client: AsyncWebClient, team: str, night: Night) -> GroupPicks:
    """NIGHT_FILMS films for the night's members from their ratings (newest first) and films seen (each member's read
    atomically). The engine names members by placeholder, so no name is ever part of stored text; their display
    names are looked up alongside (raises MissingScope without users:read)."""
    names = await display_names(client, night.members)
    tastes = await asyncio.gather(*(services.store.taste(team, user) for user in night.members))
    members = [GroupMember(member_placeholder(user), tuple(ratings.likes), tuple(ratings.dislikes), tuple(sorted(seen)))
               for user, (ratings, seen) in zip(night.members, tastes)]
    films = await services.run(services.engine.recommend_group, members, NIGHT_FILMS)
    return GroupPicks(films, any(ratings.likes for ratings, _ in tastes), names)


async def announce(services: Services, client: AsyncWebClient, night: Night | None, message: dict) -> None:
    """Post in the night's thread (when it still has one); a refusal is logged: the result is in the message too."""
    if night is None or not night.ts:
        return
    try:
        await post_message(services.store, client, night.channel, message, thread_ts=night.ts)
    except SlackApiError as error:
        log.warning("movie night result not posted in its thread: %s", error.response.get("error"))
