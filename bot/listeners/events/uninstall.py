"""The app was uninstalled, or its bot token revoked: the workspace's data goes with it, logged once."""
from __future__ import annotations

import asyncio
import logging
from logging import Logger

from bot.identity import who
from bot.services import Services
from bot.store import StoreUnavailable

log = logging.getLogger(__name__)  # the deletion is logged by this module, whatever Bolt's logger level is
RETRY_SECONDS = (1, 2, 4, 8, 16, 32, 64)  # Bolt has already answered Slack: retry here while Redis is away


async def _delete_workspace(body: dict, context: dict, logger: Logger, why: str) -> None:
    services: Services = context["services"]
    team, _ = who(context)
    for wait in (*RETRY_SECONDS, None):
        try:
            deleted = await services.store.forget_workspace(team)  # safe to repeat: a retry deletes nothing more
            if not await services.store.first_delivery(f"{body.get('event_id') or ''}:deleted"):
                return  # Slack's retry of an event already handled: logged the first time
            break
        except ValueError:
            logger.warning("%s: no valid workspace id in the event; nothing deleted", why)
            return
        except StoreUnavailable:
            if wait is None:
                logger.error("%s: Redis unavailable for two minutes; the workspace's data was NOT deleted", why)
                return
            await asyncio.sleep(wait)
    log.info("%s: deleted the workspace's data (%d keys)", why, deleted)


async def app_uninstalled(body: dict, context: dict, logger: Logger) -> None:
    await _delete_workspace(body, context, logger, "app uninstalled")


async def tokens_revoked(body: dict, event: dict, context: dict, logger: Logger) -> None:
    """Only the bot token matters: the app holds no user tokens, so a revoked user token leaves nothing to delete."""
    if (event.get("tokens") or {}).get("bot"):
        await _delete_workspace(body, context, logger, "bot token revoked")
