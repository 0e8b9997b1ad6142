"""What listeners use, handed to them through Bolt's context: the engine, the user-state store and the film maps."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.config import DEFAULT_MAP_CACHE
from bot.maps import FilmMaps
from bot.state import UserRatings, UserStateStore
from bot.store import StoreUnavailable
from engine import Engine, Film, Suggestion

log = logging.getLogger(__name__)


@dataclass
class Services:
    engine: Engine
    store: UserStateStore
    http: aiohttp.ClientSession | None = field(default=None, repr=False)  # opened by the web app at start-up
    maps: FilmMaps = field(default_factory=lambda: FilmMaps(DEFAULT_MAP_CACHE), repr=False)  # `/movielike map`

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Engine work goes to a thread so a slow fuzzy match never stalls the event loop."""
        return await asyncio.to_thread(function, *args, **kwargs)

    def recommend(self, ratings: UserRatings | None, k: int, shown: Iterable[str] = (), seen: Iterable[str] = ()
                  ) -> list[Suggestion]:
        """Picks from a user's stored ratings (stable keys, read against the model serving now; films it lacks are
        skipped, not forgotten), never a film in `shown` or `seen` (keys; films marked seen also count as watched,
        which tells the ratings view what they are like). Well-known films without ratings."""
        if ratings is None:
            return self.engine.recommend_for_keys((), (), k, shown, seen=seen)
        return self.engine.recommend_for_keys(ratings.likes, ratings.dislikes, k, shown, seen=seen)

    def similar(self, film: Film, k: int, seen: Iterable[str] = (), by: str = "both") -> list[Suggestion]:
        """Films like `film`, leaving out those the user marked seen (stable keys)."""
        return self.engine.similar(film, k, self.engine.ids_for(seen), by)

    async def seen(self, team: str, user: str) -> set[str]:
        """Films (keys) the user marked seen; nothing when Redis is down (an answer with them beats no answer)."""
        try:
            return await self.store.seen(team, user)
        except StoreUnavailable:
            log.warning("Redis unavailable: films marked seen not left out")
            return set()

    def _renames(self, keys) -> list[str]:
        """old, new, old, new...: the stored keys that name a renamed article by its old title, with its new one."""
        pairs = []
        for key in set(keys):
            film = self.engine.film_by_key(key)
            if film is not None and film.key != key:
                pairs += [key, film.key]
        return pairs

    async def saved_and_seen(self, team: str, user: str) -> tuple[list[str], set[str]]:
        """The whole watchlist (keys, newest first) and the films marked seen, with entries under a renamed
        article's old title moved to its new title first, so Remove and Seen it, whose buttons carry the new
        title, find them."""
        saved, seen = await self.store.watchlist(team, user, limit=0), await self.store.seen(team, user)
        pairs = self._renames([*saved, *seen])
        if not pairs:
            return saved, seen
        await self.store.rename_films(team, user, pairs)
        return await self.store.watchlist(team, user, limit=0), await self.store.seen(team, user)

    async def ratings(self, team: str, user: str, recent: int = 20) -> UserRatings:
        """The user's ratings, with any film stored under the old title of an article renamed since moved to its
        new title first (once, atomically), so listing, undo and re-rating all see one name per film."""
        ratings = await self.store.ratings(team, user, recent)
        pairs = self._renames([*ratings.likes, *ratings.dislikes])
        if not pairs:
            return ratings
        await self.store.rename_films(team, user, pairs)
        return await self.store.ratings(team, user, recent)
