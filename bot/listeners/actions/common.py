"""What every button listener needs: who clicked, and the film a button's value names (or a plain answer)."""
from __future__ import annotations

from slack_bolt.context.respond.async_respond import AsyncRespond

from bot import blocks
from bot.services import Services
from engine import Film

STALE_BUTTON = "That button is from an older model; ask again with `/movielike <title>`."


def who(body: dict) -> tuple[str, str]:
    """(team id, user id) of the person who clicked."""
    return (body.get("team") or {}).get("id", ""), (body.get("user") or {}).get("id", "")


async def film_from_value(services: Services, value: str, respond: AsyncRespond, replace_original: bool = False) -> Film | None:
    """The film whose id a button carries; None (after telling the user) when the model no longer has it."""
    try:
        return services.engine.film(int(value))
    except (ValueError, IndexError, TypeError):
        await respond(**blocks.plain(STALE_BUTTON), replace_original=replace_original)
        return None
