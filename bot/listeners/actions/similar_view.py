"""'By shared links' / 'Liked by the same people' / 'Looks like' / 'Both views': films like the same film, in another
view."""
from __future__ import annotations

from logging import Logger

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.identity import who
from bot.listeners.actions.common import film_from_value, similar_page
from bot.services import Services
from engine import SIMILAR_VIEWS, NoPosterView, NoRatingsView

ACTION_PREFIX = "similar_view_"


async def similar_view(ack: AsyncAck, action: dict, respond: AsyncRespond, context: dict, logger: Logger) -> None:
    await ack()
    services: Services = context["services"]
    by = action.get("action_id", "").removeprefix(ACTION_PREFIX)
    film = await film_from_value(services, action.get("value", ""), respond)
    if film is None or by not in SIMILAR_VIEWS:
        return
    try:
        page = await similar_page(services, film, by=by, seen=await services.seen(*who(context)))
    except (NoRatingsView, NoPosterView) as error:
        await respond(**blocks.plain(blocks.escape(str(error).replace(" (--by links)", ""))), replace_original=False)
        return
    await respond(**page, replace_original=False)
