"""Explanations name what a person finds telling: specific people first, then a specific category, generic last."""
from __future__ import annotations

import numpy as np

from engine.explain import Explainer, display_link


def test_display_link_drops_namespace_and_disambiguator():
    assert display_link("Category:Star Wars films") == "Star Wars films"
    assert display_link("Western (genre)") == "Western"
    assert display_link("Harrison Ford") == "Harrison Ford"


def test_named_pages_lead_then_a_category_then_generic_pages():
    titles = ["Drama", "Famous Actor", "Minor Actor", "Category:Space operas", "Category:Saga films", "Director"]
    # 10,000 films: films 0 and 1 share every link. Generic means used by more than 0.3% (30) of the films.
    films = [[0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]]
    films += [[0, 1]] * 20 + [[0, 2]] * 2 + [[0, 3]] * 10 + [[0, 5]] * 5 + [[0, 4]] * 95
    films += [[0]] * (10_000 - len(films))
    indptr = np.cumsum([0] + [len(f) for f in films])
    indices = np.array([i for f in films for i in f], dtype=np.int32)
    explainer = Explainer(titles, indptr, indices, n_films=len(films))
    assert explainer.shared(0, 1, limit=6) == ["Famous Actor", "Director", "Space operas", "Minor Actor", "Saga films", "Drama"]
    assert explainer.why(0, 1) == "Famous Actor · Director · Space operas"
    assert explainer.why(0, 9000) == "Drama"


def test_links_equally_telling_keep_the_order_of_the_asked_films_article():
    titles = ["Drama", "Co-star", "Lead actor", "Category:Heist films", "Category:Caper films"]
    # Films 0 and 1 share two actors used by 4 films each and two categories used by 3 films each, listed in
    # opposite orders (10,000 films: none of them is generic): the film asked about decides which comes first.
    films = [[2, 1, 3, 4, 0], [4, 3, 1, 2, 0], [1, 2, 3, 4], [1, 2], [0]]
    films += [[0]] * (10_000 - len(films))
    indptr = np.cumsum([0] + [len(f) for f in films])
    indices = np.array([i for f in films for i in f], dtype=np.int32)
    explainer = Explainer(titles, indptr, indices, n_films=len(films))
    assert explainer.shared(0, 1, limit=5) == ["Lead actor", "Co-star", "Heist films", "Caper films", "Drama"]
    assert explainer.shared(1, 0, limit=5) == ["Co-star", "Lead actor", "Caper films", "Heist films", "Drama"]
