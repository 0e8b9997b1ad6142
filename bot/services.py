"""What listeners use, handed to them through Bolt's context: the engine and the user-state store."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.state import UserStateStore
from engine import Engine


@dataclass
class Services:
    engine: Engine
    store: UserStateStore
    http: aiohttp.ClientSession | None = field(default=None, repr=False)  # opened by the web app at start-up

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Engine work goes to a thread so a slow fuzzy match never stalls the event loop."""
        return await asyncio.to_thread(function, *args, **kwargs)
