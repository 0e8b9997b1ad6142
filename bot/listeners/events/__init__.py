"""Events API listeners: reactions that rate suggestions, and the App Home tab."""
from slack_bolt.async_app import AsyncApp

from bot.listeners.events.app_home import app_home_opened
from bot.listeners.events.reactions import reaction_added, reaction_removed

HANDLED_EVENTS = {"reaction_added": reaction_added, "reaction_removed": reaction_removed, "app_home_opened": app_home_opened}


def register(app: AsyncApp) -> None:
    for name, listener in HANDLED_EVENTS.items():  # manifest.json subscribes to exactly these
        app.event(name)(listener)
