"""A franchise check of our own: sequels and follow-ups whose titles mark them as such should sit near the first film."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from engine.normalize import title_key
from training.data.films import FilmRecord
from training.evaluation.franchise_namesakes import NAMESAKES

_SEQUEL_SUFFIX = re.compile(
    r"^(?:\s(?:\d{1,2}|ii|iii|iv|v|vi|vii|viii|ix|x)(?:\s.*)?"  # Rocky II, Alien 3, Shrek 2 the ...
    r"|\s(?:part|chapter|episode)\s.+"  # Kill Bill Part 2
    r"|\s(?:returns|strikes back|strikes again|rises|reloaded|revisited|resurrection|forever)\b.*"
    r"|:.+)$"  # Alien: Covenant (the colon is gone after normalisation, so it is checked on the raw title)
)


def _raw_base(title: str) -> str:
    return re.sub(r"\s*\([^()]*\)\s*$", "", title)


def franchise_pairs(films: list[FilmRecord]) -> list[tuple[int, int]]:
    """(first film id, follow-up id) pairs: the follow-up's title is the first film's title plus a sequel marker.

    When several films share the first title (Rocky 1948 / Rocky 1976), the latest one released no later than the
    follow-up is taken.
    """
    by_key: dict[str, list[int]] = defaultdict(list)
    for film_id, film in enumerate(films):
        by_key[title_key(film.title, drop_article=False)].append(film_id)
    pairs: list[tuple[int, int]] = []
    for follow_id, follow in enumerate(films):
        raw = _raw_base(follow.title)
        colon = raw.find(":")
        candidates = []
        if colon > 0:
            candidates.append(title_key(raw[:colon], drop_article=False))
        key = title_key(follow.title, drop_article=False)
        words = key.split()
        for cut in range(1, len(words)):
            prefix, rest = " ".join(words[:cut]), " " + " ".join(words[cut:])
            if _SEQUEL_SUFFIX.match(rest):
                candidates.append(prefix)
        for prefix in dict.fromkeys(candidates):
            if len(prefix) < 3 or prefix == key or prefix not in by_key:
                continue
            firsts = [i for i in by_key[prefix] if i != follow_id]
            year = follow.year or 9999
            earlier = [i for i in firsts if (films[i].year or 0) <= year]
            if earlier:
                first = max(earlier, key=lambda i: films[i].year or 0)
                pairs.append((first, follow_id))
                break
    return pairs


def follow_ups(films: Sequence, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pairs whose second film really follows the first: the title namesakes checked by hand
    (franchise_namesakes.py: Fear / Fear X, Oceans / Ocean's 8) left out. `films` carry `.title`."""
    namesakes = {(first, second) for first, second, _ in NAMESAKES}
    return [(a, b) for a, b in pairs if (films[a].title, films[b].title) not in namesakes]


def share_of_hits(hits: Sequence[bool], pairs: Sequence[tuple[int, int]], among: set[tuple[int, int]] | None = None,
                  empty: float = float("nan")) -> float:
    """Share of `pairs` that are hits (`hits[i]` for `pairs[i]`), of those in `among` when given (the follow-ups):
    one scoring of every pair gives both figures; `empty` when no pair counts."""
    counted = [hit for hit, pair in zip(hits, pairs) if among is None or pair in among]
    return sum(counted) / len(counted) if counted else empty
