"""Wires every kind of listener onto the app."""
from slack_bolt.async_app import AsyncApp

from bot.listeners import actions, commands, events


def register(app: AsyncApp) -> None:
    commands.register(app)
    actions.register(app)
    events.register(app)
