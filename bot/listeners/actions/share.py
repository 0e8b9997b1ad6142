"""Share: post an answer only its asker could see to the channel, attributed ("Shared by @ana")."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.identity import who
from bot.listeners.actions.common import STALE_BUTTON, film_named_by, similar_page
from bot.listeners.actions.more_like import parse_page
from bot.listeners.actions.pages_like import parse_pages
from bot.listeners.commands.movielike import about_message, pages_message
from bot.services import Services
from engine import NoPosterView, NoRatingsView


async def share(ack: AsyncAck, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    """The value says what was shown: "similar:<offset>:<view>:k:<key>", "about:<page>" or "pages:<kind>:<page>"; it is shown again, the
    same for everyone, posted in the channel (response_type in_channel) by the bot on the user's behalf."""
    await ack()
    services: Services = context["services"]
    kind, _, rest = action.get("value", "").partition(":")
    message = None
    if kind == "similar":
        offset, by, named = parse_page(rest)
        film = film_named_by(services, named)
        if film is not None:
            try:
                message = await similar_page(services, film, offset, by)
            except (NoRatingsView, NoPosterView):
                message = None
    elif kind == "about" and rest:
        message = await about_message(services, rest[:300])
    elif kind == "pages":
        page_kind, page = parse_pages(rest)
        message = await pages_message(services, page, page_kind) if page else None
    if message is None:
        await respond(**blocks.plain(STALE_BUTTON), replace_original=False)
        return
    _, user = who(context)
    await respond(**blocks.shared(message, user), response_type="in_channel", replace_original=False)
