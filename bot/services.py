"""What listeners use, handed to them through Bolt's context: the engine and the user-state store."""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.state import UserRatings, UserStateStore
from engine import Engine, Suggestion


@dataclass
class Services:
    engine: Engine
    store: UserStateStore
    http: aiohttp.ClientSession | None = field(default=None, repr=False)  # opened by the web app at start-up

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Engine work goes to a thread so a slow fuzzy match never stalls the event loop."""
        return await asyncio.to_thread(function, *args, **kwargs)

    def recommend(self, ratings: UserRatings | None, k: int, shown: Iterable[str] = ()) -> list[Suggestion]:
        """Picks from a user's stored ratings (stable keys, read against the model serving now; films it lacks are
        skipped, not forgotten), never a film in `shown`. Well-known films without ratings."""
        engine = self.engine
        if ratings is None:
            return engine.recommend(k=k)
        return engine.recommend(engine.ids_for(ratings.likes), engine.ids_for(ratings.dislikes), k,
                                engine.ids_for(shown))
