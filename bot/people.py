"""Who a movie night's organiser named: @mentions and user groups read from the command's text, checked against
Slack (users.info: a bot, or nobody by that id; usergroups.users.list: a group's members), and the names whys
call members by (a display name, else the real name). An app installed without the scopes these need (users:read,
usergroups:read) raises MissingScope: the organiser is told to update the app, rather than everyone let in unchecked."""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
MARKUP = re.compile(r"<[^<>]*>")
# As Slack sends them with the command's `should_escape`: <@U123|ana>, <@U123>, <!subteam^S123|@film-club>.
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]{1,20})(?:\|[^<>]{0,100})?>")
GROUP_MENTION = re.compile(r"<!subteam\^(S[A-Z0-9]{1,20})(?:\|[^<>]{0,100})?>")
USER_ID = re.compile(r"[UW][A-Z0-9]{1,20}")
# Names no one person: @here / @channel / @everyone, and #channels. Said back as typed, never followed.
NOBODY_IN_PARTICULAR = re.compile(r"<(?:!(here|channel|everyone)(?:\|[^<>]{0,100})?|#[CG][A-Z0-9]{1,20}(?:\|([^<>]{0,100}))?)>")
MAX_MENTIONS = 50  # users and groups named in one command; the night itself takes at most engine.MAX_GROUP
MAX_NAME_CHARS = 80
LOOKUPS_AT_ONCE = 10


class MissingScope(Exception):
    """Slack refused a look-up for a scope the app was installed without (installed before movie night's scopes)."""

    def __init__(self, scope: str):
        super().__init__(f"missing scope {scope}")
        self.scope = scope


def _missing_scope(error: SlackApiError, scope: str) -> MissingScope | None:
    """MissingScope when Slack refused for want of a scope (naming it when Slack does), else None."""
    if error.response.get("error") != "missing_scope":
        return None
    needed = error.response.get("needed")
    return MissingScope(needed if isinstance(needed, str) and needed else scope)


@dataclass
class Mentions:
    """What followed `night`: user ids and group ids in the order typed, and words that named nobody we can tell
    (a plain `@ana`, which Slack did not turn into a mention; @here, a #channel), unescaped, as typed."""

    users: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def parse_mentions(raw: str) -> Mentions | None:
    """The mentions in the command text as Slack sent it (escaped: a real `<` is markup), or None when other words are
    there too (`/movielike Night of the Living Dead` is a title, not a movie night). Commas between are fine."""
    mentions = Mentions()
    for markup in MARKUP.findall(raw):  # first, whole: a label may hold spaces or commas
        user, group, nobody = (pattern.fullmatch(markup) for pattern in (USER_MENTION, GROUP_MENTION, NOBODY_IN_PARTICULAR))
        if user:
            mentions.users.append(user.group(1))
        elif group:
            mentions.groups.append(group.group(1))
        elif nobody:
            special, channel = nobody.groups()
            mentions.unknown.append(f"@{special}" if special else f"#{channel}"[:MAX_NAME_CHARS] if channel else "a #channel")
        else:
            return None
    for word in MARKUP.sub(" ", raw).replace(",", " ").split():
        if not word.startswith("@"):
            return None
        mentions.unknown.append(word.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")[:MAX_NAME_CHARS])
    mentions.users = list(dict.fromkeys(mentions.users))[:MAX_MENTIONS]
    mentions.groups = list(dict.fromkeys(mentions.groups))[:MAX_MENTIONS]
    mentions.unknown = mentions.unknown[:MAX_MENTIONS]
    return mentions


async def group_members(client: AsyncWebClient, groups: list[str]) -> tuple[list[str], list[str]]:
    """(members of the groups in order, without repeats; groups Slack does not know). Raises MissingScope."""
    members: list[str] = []
    unknown: list[str] = []
    for group in groups:
        try:
            answer = await client.usergroups_users_list(usergroup=group)
        except SlackApiError as error:
            missing = _missing_scope(error, "usergroups:read")
            if missing:
                raise missing from error
            log.warning("usergroups.users.list refused: %s", error.response.get("error"))
            unknown.append(group)
            continue
        members += [user for user in answer.get("users") or [] if isinstance(user, str) and USER_ID.fullmatch(user)]
    return list(dict.fromkeys(members)), unknown


@dataclass
class Checked:
    """Users named for a night, sorted: people, bots (skipped), ids Slack does not know (skipped)."""

    people: list[str] = field(default_factory=list)
    bots: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


async def _profile(client: AsyncWebClient, user: str) -> dict | None:
    """users.info's `user` object; None when Slack has no such user; {} when it could not say (an error other than
    user_not_found: the user is given the benefit of the doubt). Raises MissingScope: without users:read Slack can
    say nothing about anyone."""
    try:
        return (await client.users_info(user=user)).get("user") or {}
    except SlackApiError as error:
        reason = error.response.get("error")
        missing = _missing_scope(error, "users:read")
        if missing:
            raise missing from error
        if reason == "user_not_found":
            return None
        log.warning("users.info refused: %s", reason)
        return {}


async def check_people(client: AsyncWebClient, users: list[str], bot_user: str | None, room: int) -> Checked:
    """Sort `users` (in order) until `room` people are found: bots (the bot itself or users.info's is_bot) and users
    Slack does not know (or deactivated) are set aside; users past `room` are in none of the lists (left out)."""
    checked = Checked()
    pending = list(users)
    while pending and len(checked.people) < room:
        batch, pending = pending[:LOOKUPS_AT_ONCE], pending[LOOKUPS_AT_ONCE:]
        profiles = await asyncio.gather(*(_profile(client, user) for user in batch))
        for user, profile in zip(batch, profiles):
            if user == bot_user or (profile or {}).get("is_bot"):
                checked.bots.append(user)
            elif profile is None or profile.get("deleted"):
                checked.not_found.append(user)
            elif len(checked.people) < room:
                checked.people.append(user)
    return checked


def display_name(profile: dict | None) -> str:
    """How a why names a member: their display name, else their real name, else their username; plain text."""
    profile = profile or {}
    details = profile.get("profile") or {}
    for name in (details.get("display_name"), details.get("real_name"), profile.get("real_name"), profile.get("name")):
        if isinstance(name, str) and name.strip():
            return " ".join(name.split())[:MAX_NAME_CHARS]
    return "someone"


async def display_names(client: AsyncWebClient, users: list[str]) -> dict[str, str]:
    """user id -> display name, looked up together (a movie night has at most 15 members). Raises MissingScope."""
    profiles = await asyncio.gather(*(_profile(client, user) for user in users))
    return {user: display_name(profile) for user, profile in zip(users, profiles)}
