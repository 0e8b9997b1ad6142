"""'Similar directors' (people, studios, genres...) under `about`, and 'Pages like this' beside each page: pages like
the page the button names, of the kind it names."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.listeners.commands.movielike import pages_message
from bot.services import Services


def parse_pages(value: str) -> tuple[str | None, str]:
    """(kind or None, page title) of "<kind>:<page title>" (titles may hold ':', as in "Category:..."); the title is
    "" when the value is not one."""
    kind, separator, title = value.partition(":")
    return (kind or None, title[:300]) if separator and title.strip() else (None, "")


async def pages_like(ack: AsyncAck, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    kind, title = parse_pages(action.get("value", ""))
    if not title:
        await respond(**blocks.plain(blocks.STALE_PAGES), replace_original=False)
        return
    await respond(**await pages_message(services, title, kind), replace_original=False)
