"""What kind of page a link is (a director, an actor, a studio, a genre, a place...): the bundle's `link_kinds.npy`.

Kinds are read at train time from how films link to a page (training/publish/link_kinds.py): the infobox field of
the films whose article links to it (`director` -> director, `starring` -> actor, `studio` / `distributor` ->
company, `genres` -> genre, `country` -> place...), "Category:" titles, and titles of films in the catalogue. A page
may have several kinds (George Lucas directs, writes and produces); its *main* kind is the one most films give it.
The bundle stores one row per link: (every kind's bit, the main kind's bit), uint16.
"""
from __future__ import annotations

import numpy as np

# One bit per kind, in the order that breaks ties for the main kind (a director who also wrote is a director).
KINDS = ("director", "actor", "writer", "producer", "composer", "cinematographer", "editor", "company", "genre",
         "place", "category", "film")
BIT = {kind: 1 << i for i, kind in enumerate(KINDS)}
PERSON_KINDS = KINDS[:7]
PERSON = sum(BIT[kind] for kind in PERSON_KINDS)
# The names `kind=` accepts: every kind, "person" for any role a person plays, and a few plurals and synonyms.
GROUPS = {**{kind: BIT[kind] for kind in KINDS}, "person": PERSON, "people": PERSON, "studio": BIT["company"],
          "country": BIT["place"], **{f"{kind}s": BIT[kind] for kind in KINDS if kind not in ("company", "category")},
          "companies": BIT["company"], "studios": BIT["company"], "categories": BIT["category"]}
# Which infobox field of a film says which kind the pages named in it are.
FIELD_KINDS = {"director": "director", "starring": "actor", "writer": "writer", "producer": "producer",
               "musicComposer": "composer", "cinematography": "cinematographer", "editing": "editor",
               "studio": "company", "distributor": "company", "genres": "genre", "country": "place"}


def kind_bits(kind: str) -> int:
    """The bits of a kind name ('director', 'person', 'studios'...); ValueError naming the choices otherwise."""
    bits = GROUPS.get(str(kind).strip().lower())
    if bits is None:
        raise ValueError(f"unknown page kind {kind!r}; use one of: person, {', '.join(KINDS)}")
    return bits


def kind_name(bit: int) -> str | None:
    """'director' for BIT['director']; None for 0 (a page no film's infobox names)."""
    bit = int(bit)
    return KINDS[bit.bit_length() - 1] if bit > 0 else None


def check_kinds(kinds: np.ndarray, n_links: int) -> str | None:
    """What is wrong with a link_kinds array for `n_links` links, or None when it fits."""
    if kinds.dtype != np.uint16 or kinds.ndim != 2 or kinds.shape != (n_links, 2):
        return f"link kinds {kinds.shape} {kinds.dtype} do not fit {n_links} links (uint16, two columns)"
    return None
