"""Title resolution: what a person typed -> the film they meant, forgiving case, accents, articles, years and typos."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from engine.errors import BadInput, NotFound
from engine.normalize import clean_text, normalize, split_disambiguator, split_trailing_year, title_key

MAX_QUERY_CHARS = 200
TYPO_MIN_SCORE = 85.0  # fuzz.ratio in [0, 100]; "blade runer" vs "blade runner" scores 95.7
SUGGESTION_MIN_SCORE = 55.0


@dataclass(frozen=True)
class Match:
    """A resolved id; `how` is 'exact' (same key) or 'typo' (forgiven misspelling), `score` the fuzzy score."""

    id: int
    how: str
    score: float = 100.0


class NameIndex:
    """Keys of names -> ids, best-known first; used for film titles and for linked pages alike."""

    def __init__(self, names: list[str], popularity: np.ndarray, years: list[int | None] | None = None,
                 aliases: list[tuple[str, int]] = ()):
        """`aliases`: other names of an id (Wikipedia redirects such as "Star Wars Episode IV" -> Star Wars)."""
        self.years = years or [None] * len(names)
        self.popularity = popularity
        by_key: dict[str, list[int]] = defaultdict(list)
        for ident, name in enumerate(names):
            by_key[title_key(name)].append(ident)
        for alias, ident in aliases:
            key = title_key(alias)
            if ident not in by_key[key]:
                by_key[key].append(ident)
        self.by_key = {key: sorted(ids, key=lambda i: -float(popularity[i])) for key, ids in by_key.items() if key}
        self.keys = list(self.by_key)
        self.long_keys = [key for key in self.keys if len(key) >= 6]

    def _pick(self, ids: list[int], year: int | None) -> int:
        """Best-known id, preferring the year asked for (exact, then the closest)."""
        if year is None:
            return ids[0]
        dated = [i for i in ids if self.years[i] is not None]
        if not dated:
            return ids[0]
        return min(dated, key=lambda i: (abs(self.years[i] - year), -float(self.popularity[i])))

    def exact(self, key: str, year: int | None) -> int | None:
        ids = self.by_key.get(key)
        if not ids:
            return None
        if year is not None and not any(self.years[i] is not None and abs(self.years[i] - year) <= 1 for i in ids):
            return None
        return self._pick(ids, year)

    def fuzzy(self, key: str, year: int | None) -> Match | None:
        """The best typo-forgiving match, if one is close enough; near-ties go to the better-known title."""
        if len(key) < 4:
            return None
        found = process.extract(key, self.keys, scorer=fuzz.ratio, limit=8, score_cutoff=TYPO_MIN_SCORE)
        if not found:
            return None
        best = found[0][1]
        ids = [i for choice, score, _ in found if score >= best - 2.0 for i in self.by_key[choice]]
        ids.sort(key=lambda i: -float(self.popularity[i]))
        return Match(self._pick(ids, year), "typo", best)

    def suggestions(self, key: str, limit: int = 5) -> list[int]:
        """Closest ids for a 'did you mean' list, best first: whole-title likeness, or a title found inside what was
        typed ("blade runner" in "blade runner final cut"); very short titles only by whole-title likeness."""
        scored: dict[str, float] = {}
        for choice, score, _ in process.extract(key, self.keys, scorer=fuzz.ratio, limit=limit * 2, score_cutoff=SUGGESTION_MIN_SCORE):
            scored[choice] = max(scored.get(choice, 0.0), score)
        for choice, score, _ in process.extract(key, self.long_keys, scorer=fuzz.partial_ratio, limit=limit * 2, score_cutoff=80):
            scored[choice] = max(scored.get(choice, 0.0), score - 5)  # a part matching counts a little less
        ranked = sorted(scored, key=lambda c: (-round(scored[c]), -float(self.popularity[self.by_key[c][0]])))
        ids: list[int] = []
        for choice in ranked:
            ids.extend(self.by_key[choice][:2])
        return list(dict.fromkeys(ids))[:limit]


def clean_query(text: str, what: str = "a film title") -> str:
    """The user's text as a query, or BadInput with a friendly reason."""
    if not isinstance(text, str):
        raise BadInput(f"Type {what}, e.g. “Blade Runner”.")
    text = clean_text(text)
    if not text:
        raise BadInput(f"Type {what}, e.g. “Blade Runner”.")
    if len(text) > MAX_QUERY_CHARS:
        raise BadInput(f"That is {len(text):,} characters; type {what} of at most {MAX_QUERY_CHARS}.")
    if not normalize(text):
        raise BadInput(f"“{text}” has no letters or digits; type {what}, e.g. “Blade Runner”.")
    return text


def resolve_in(index: NameIndex, text: str, what: str = "film", typos: bool = True) -> Match:
    """Resolve `text` against `index`: exact key, then with a typed year, then typo-tolerant; else NotFound(ids).

    With `typos=False` only exact keys count and NotFound comes at once, without suggestions (a fast first try).
    """
    text = clean_query(text, "a film title" if what == "film" else "a name")
    base, year = split_disambiguator(text)
    key = normalize(base)
    if not key:
        raise BadInput(f"“{text}” has no title in it; type a film title, e.g. “Blade Runner”.")
    attempts = [(key, year)]
    if year is None:
        without_year, typed_year = split_trailing_year(base)
        if typed_year is not None:
            attempts.append((normalize(without_year), typed_year))
    for attempt_key, attempt_year in attempts:
        found = index.exact(attempt_key, attempt_year)
        if found is not None:
            return Match(found, "exact")
    if not typos:
        raise NotFound(text, [], kind=what)
    for attempt_key, attempt_year in reversed(attempts):
        match = index.fuzzy(attempt_key, attempt_year)
        if match is not None:
            return match
    raise NotFound(text, index.suggestions(key), kind=what)
