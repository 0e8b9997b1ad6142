"""The bot's settings, read once from the environment; a missing required one stops start-up with its name."""
from __future__ import annotations

import os
from dataclasses import dataclass


class ConfigError(Exception):
    """A required setting is missing or malformed."""


def _required(environ, name: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"Config {name!r} is missing, and has no default. See README: Run it in your Slack workspace.")
    return value


@dataclass(frozen=True)
class BotConfig:
    """SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are required; PORT defaults to 3000; SLACK_APP_TOKEN (xapp-...)
    switches to Socket Mode (Slack connects out over a websocket, for bots behind a firewall); SLACK_API_URL
    (default Slack's own) exists for tests that stub the Web API on loopback. Tokens are never logged."""

    bot_token: str
    signing_secret: str
    port: int = 3000
    api_url: str | None = None
    app_token: str | None = None

    def __repr__(self) -> str:
        mode = "socket" if self.app_token else "http"
        return f"BotConfig(port={self.port}, mode={mode}, api_url={self.api_url!r}, tokens=<hidden>)"

    @classmethod
    def from_env(cls, environ=None) -> BotConfig:
        environ = os.environ if environ is None else environ
        port_text = environ.get("PORT", "3000")
        try:
            port = int(port_text)
        except ValueError:
            raise ConfigError(f"Config 'PORT' must be a port number, got {port_text!r}.") from None
        return cls(
            bot_token=_required(environ, "SLACK_BOT_TOKEN"),
            signing_secret=_required(environ, "SLACK_SIGNING_SECRET"),
            port=port,
            api_url=environ.get("SLACK_API_URL") or None,
            app_token=environ.get("SLACK_APP_TOKEN", "").strip() or None,
        )
