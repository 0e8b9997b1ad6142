"""Events API listeners: reactions that rate suggestions, the App Home tab, direct messages, and uninstalling."""
from slack_bolt.async_app import AsyncApp

from bot.listeners.events.app_home import app_home_opened
from bot.listeners.events.direct_message import direct_message
from bot.listeners.events.reactions import reaction_added, reaction_removed
from bot.listeners.events.uninstall import app_uninstalled, tokens_revoked

HANDLED_EVENTS = {"reaction_added": reaction_added, "reaction_removed": reaction_removed, "app_home_opened": app_home_opened,
                  "message": direct_message, "app_uninstalled": app_uninstalled, "tokens_revoked": tokens_revoked}
# What manifest.json subscribes to: `message` arrives as message.im (direct messages to the bot).
SUBSCRIBED_EVENTS = {*(name for name in HANDLED_EVENTS if name != "message"), "message.im"}


def register(app: AsyncApp) -> None:
    for name, listener in HANDLED_EVENTS.items():
        app.event(name)(listener)
