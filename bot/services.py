"""What listeners use, handed to them through Bolt's context: the engine and the user-state store."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Callable

import aiohttp

from engine import Engine
from engine.state import TasteStore


@dataclass
class Services:
    engine: Engine
    store: TasteStore
    http: aiohttp.ClientSession | None = field(default=None, repr=False)  # opened by the web app at start-up

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Engine work goes to a thread so a slow fuzzy match never stalls the event loop."""
        return await asyncio.to_thread(function, *args, **kwargs)
