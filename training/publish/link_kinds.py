"""Each link's kinds, read from how films link to it (engine/kinds.py says what the bundle stores).

A film's article links to a page and names it in an infobox field: "George Lucas" in Star Wars' `director` field
is one director vote, in its `writer` field one writer vote. Fields are plain text ("Mark Hamill, Harrison Ford"),
matched by name to the film's own links (case-insensitive, a title's "(actor)"-style suffix dropped). Genres are
named loosely ("Science Fiction" for the link "Science fiction film"), so " film" / " films" endings go too.
"Category:" titles are categories and links to films in the catalogue are films, whatever their fields say.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from engine.explain import CATEGORY, display_link
from engine.kinds import BIT, FIELD_KINDS, KINDS
from training.data.films import FilmRecord

_COLUMN = {kind: i for i, kind in enumerate(KINDS)}
SECONDARY_VOTES = 2  # a page's other kinds (George Lucas: director, and writer, producer) need this many films
SECONDARY_SHARE = 0.2  # and this share of its main kind's films


def _name_key(text: str) -> str:
    key = " ".join(str(text).casefold().split())
    for ending in (" films", " film", " movies", " movie"):
        if key.endswith(ending):
            return key[: -len(ending)]
    return key


# The infobox's genre words whose article is named otherwise ("Noir" -> "Film noir").
GENRE_ALIASES = {"noir": ("film noir",), "animated": ("animation",), "biography": ("biographical",),
                 "supernatural": ("supernatural fiction",), "legal": ("legal drama",), "family": ("children's",)}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii"}  # "Robert Downey, Jr." is one name, not two


def _field_names(value, kind: str) -> list[str]:
    items = [item for item in (value if isinstance(value, list) else str(value).split(",")) if isinstance(item, str)]
    names: list[str] = []
    for item in items:
        if names and item.strip().casefold() in _SUFFIXES:
            names[-1] = f"{names[-1]}, {item.strip().casefold()}"
        elif _name_key(item):
            names.append(_name_key(item))
    if kind == "genre":
        names += [alias for name in names for alias in GENRE_ALIASES.get(name, ())]
    return names


def named_links(film: FilmRecord, link_id: dict[str, int]) -> list[tuple[int, str]]:
    """(link id, kind) for every link of `film` that one of its infobox fields names (a link named in two fields,
    as director and writer, comes twice)."""
    roles: dict[str, set[str]] = {}
    for field, kind in FIELD_KINDS.items():
        value = film.infobox.get(field)
        if value:
            for name in _field_names(value, kind):
                roles.setdefault(name, set()).add(kind)
    if not roles:
        return []
    named = []
    for link in film.links:
        i = link_id.get(link)
        if i is not None:
            named.extend((i, kind) for kind in roles.get(_name_key(display_link(link)), ()))
    return named


def infer_link_kinds(films: Iterable[FilmRecord], link_titles: Sequence[str]) -> np.ndarray:
    """(n_links, 2) uint16: every kind's bit a link was given, and its main kind's bit (most films; ties to the
    earlier kind in KINDS). Links named by no infobox field, no category and no film get 0."""
    films = list(films)
    link_id = {title: i for i, title in enumerate(link_titles)}
    votes = np.zeros((len(link_titles), len(KINDS)), dtype=np.int32)
    for film in films:
        for i, kind in named_links(film, link_id):
            votes[i, _COLUMN[kind]] += 1
    titles = np.array(link_titles, dtype=object)
    is_category = np.array([t.startswith(CATEGORY) for t in link_titles], dtype=bool)
    catalogue = {film.title for film in films}
    is_film = np.array([t in catalogue for t in titles], dtype=bool) & ~is_category
    votes[is_category | is_film] = 0
    votes[is_category, _COLUMN["category"]] = 1
    votes[is_film, _COLUMN["film"]] = 1
    bits = np.array([BIT[kind] for kind in KINDS], dtype=np.int64)
    main = np.where(votes.max(axis=1) > 0, bits[np.argmax(votes, axis=1)], 0)
    # A kind beside the main one needs SECONDARY_VOTES films and SECONDARY_SHARE of the main kind's: one stray infobox
    # entry ("Action" under `starring`, a namesake who once acted) must not make a genre or a composer an actor.
    strong = votes >= np.maximum(SECONDARY_VOTES, SECONDARY_SHARE * votes.max(axis=1, keepdims=True))
    every = (strong * bits).sum(axis=1) | main
    return np.stack([every, main], axis=1).astype(np.uint16)


def kind_coverage(kinds: np.ndarray, n_model_links: int) -> dict:
    """How many of the model's links (those with vectors) have each main kind, and the share with any."""
    main = kinds[:n_model_links, 1]
    counts = {kind: int((main == BIT[kind]).sum()) for kind in KINDS}
    return {"model_links": int(n_model_links), "with_kind": round(float((main > 0).mean()) if n_model_links else 0.0, 4),
            "main_kinds": counts}
