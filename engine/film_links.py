"""Films whose articles link to other films' articles: sequels, remakes, "based on", a director's earlier film.

A film's links are page titles; a link whose title is a film of the catalogue (its article title or a redirect to it)
points at that film. Namesakes are not kin: "Hold Your Man (1929 film)" linking to "Hold Your Man" (a 1933 film)
is a hatnote ("not to be confused with"), so a link between a disambiguated title and the bare title it shares is
ignored. Two disambiguated titles ("Halloween (2018 film)" -> "Halloween (1978 film)") are a remake or a sequel
naming its original, and count.
"""
from __future__ import annotations

import numpy as np

from engine.normalize import title_key


def base_title(title: str) -> str:
    """'Hold Your Man (1929 film)' -> 'hold your man': the title namesakes share."""
    return title_key(title.rsplit(" (", 1)[0] if title.endswith(")") else title, drop_article=False)


def namesakes(a: str, b: str) -> bool:
    """Whether two titles are a bare title and a disambiguated one sharing it: a hatnote's link, not kinship."""
    return (a.endswith(")") != b.endswith(")")) and base_title(a) == base_title(b)


class FilmLinks:
    """Which films' articles link to which (namesakes left out): `pairs` (source, target) and `links_to`."""

    def __init__(self, link_titles: list[str], link_indptr: np.ndarray, link_indices: np.ndarray, titles: list[str],
                 id_of_key: dict[str, int]):
        target_of_link = np.array([id_of_key.get(title, -1) for title in link_titles], dtype=np.int64)
        n_films = len(titles)
        sources = np.repeat(np.arange(n_films), np.diff(link_indptr))
        targets = target_of_link[link_indices]
        keep = (targets >= 0) & (targets != sources)
        sources, targets = sources[keep], targets[keep]
        kin = np.array([not namesakes(titles[s], titles[t]) for s, t in zip(sources.tolist(), targets.tolist())],
                       dtype=bool)
        self.pairs = np.unique(np.stack([sources[kin], targets[kin]], axis=1), axis=0) if kin.any() \
            else np.empty((0, 2), dtype=np.int64)
        self.links_to: dict[int, set[int]] = {}
        for source, target in self.pairs.tolist():
            self.links_to.setdefault(source, set()).add(target)

    def linked(self, a: int, b: int) -> bool:
        """Whether either film's article links to the other's."""
        return b in self.links_to.get(a, ()) or a in self.links_to.get(b, ())
