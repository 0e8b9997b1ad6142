"""Slack listeners by kind, one file per listener (commands/, actions/, events/); `register(app)` wires them all."""
from slack_bolt.async_app import AsyncApp

from bot.listeners import actions, commands, events


def register(app: AsyncApp) -> None:
    commands.register(app)
    actions.register(app)
    events.register(app)
