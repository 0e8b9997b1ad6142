"""The slash command `/movielike` and its sub-commands (title, about, suggest, recs, ratings, forget, help)."""
from slack_bolt.async_app import AsyncApp

from bot.listeners.commands.movielike import movielike_command


def register(app: AsyncApp) -> None:
    app.command("/movielike")(movielike_command)
