"""The bot's settings, read once from the environment; a missing required one stops start-up with its name."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_NIGHT_TTL_SECONDS = 3 * 86400  # a movie night (members, picks, votes) is kept 3 days after it starts
DEFAULT_MAP_CACHE = Path("var/cache/maps")  # `/movielike map` pictures, by model version and film (bot/maps.py)


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
    (default Slack's own) exists for tests that stub the Web API on loopback; MOVIELIKE_NIGHT_TTL_HOURS (default 72)
    is how long a movie night is kept after it starts; MOVIELIKE_MAP_CACHE (default var/cache/maps) is the folder
    `/movielike map` keeps its pictures in (at most 50 MB). Tokens are never logged."""

    bot_token: str
    signing_secret: str
    port: int = 3000
    api_url: str | None = None
    app_token: str | None = None
    night_ttl_seconds: int = DEFAULT_NIGHT_TTL_SECONDS
    map_cache: Path = DEFAULT_MAP_CACHE

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
        hours_text = environ.get("MOVIELIKE_NIGHT_TTL_HOURS", "").strip() or str(DEFAULT_NIGHT_TTL_SECONDS // 3600)
        if not (hours_text.isascii() and hours_text.isdigit() and 0 < int(hours_text) <= 24 * 365):
            raise ConfigError(f"Config 'MOVIELIKE_NIGHT_TTL_HOURS' must be a whole number of hours (1 to 8760), got {hours_text!r}.")
        return cls(
            bot_token=_required(environ, "SLACK_BOT_TOKEN"),
            signing_secret=_required(environ, "SLACK_SIGNING_SECRET"),
            port=port,
            api_url=environ.get("SLACK_API_URL") or None,
            app_token=environ.get("SLACK_APP_TOKEN", "").strip() or None,
            night_ttl_seconds=int(hours_text) * 3600,
            map_cache=Path(environ.get("MOVIELIKE_MAP_CACHE", "").strip() or DEFAULT_MAP_CACHE),
        )
