"""The links view's stored neighbours: learned cosine plus exact link evidence (training/publish/neighbours.py)."""
from __future__ import annotations

import numpy as np
import pytest

from engine.content import LinkContent
from engine.explain import generic_links
from engine.film_links import FilmLinks
from engine.vectors import normalize_rows
from training.publish import neighbours as scoring


def random_films(n_films: int = 400, n_pages: int = 600, seed: int = 3):
    """Films with random vectors and links: a few pages on most films (generic), the rest rare."""
    rng = np.random.default_rng(seed)
    titles = [f"Film {i}" for i in range(n_films)]
    link_titles = [f"Page {j}" for j in range(n_pages)] + titles[:40]  # 40 films are also link targets
    rows = []
    for film in range(n_films):
        links = set(rng.choice(3, size=2, replace=False).tolist())  # pages 0-2: on most films
        links |= set(rng.choice(np.arange(3, n_pages), size=3, replace=False).tolist())
        if film >= 40 and rng.random() < 0.2:
            links.add(n_pages + int(rng.integers(40)))  # a link to one of the first 40 films
        rows.append(sorted(links))
    indptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    indices = np.array([x for r in rows for x in r], dtype=np.int32)
    kin = FilmLinks(link_titles, indptr, indices, titles, {t: i for i, t in enumerate(titles)})
    vectors = normalize_rows(rng.normal(size=(n_films, 8)))
    return vectors, indptr, indices, len(link_titles), kin


def brute_force(vectors, indptr, indices, n_links, kin, weights):
    """The documented score, dense, every pair."""
    tfidf_weight, kin_weight, penalty = weights
    content = LinkContent(indptr, indices, n_links)
    n = len(vectors)
    tfidf = np.zeros((n, n_links), dtype=np.float32)
    for film in range(n):
        tfidf[film, indices[indptr[film]:indptr[film + 1]]] = content.data[indptr[film]:indptr[film + 1]]
    specific = ~generic_links(np.bincount(indices, minlength=n_links), n)
    shares = ((tfidf[:, specific] > 0).astype(np.float32) @ (tfidf[:, specific] > 0).T.astype(np.float32)) > 0
    related = np.zeros((n, n), dtype=bool)
    for a, b in kin.pairs.tolist():
        related[a, b] = related[b, a] = True
    score = vectors @ vectors.T + tfidf_weight * (tfidf @ tfidf.T) + kin_weight * related
    score -= penalty * ~(shares | related)
    np.fill_diagonal(score, -np.inf)
    return score


def test_stored_neighbours_follow_the_documented_score(monkeypatch):
    monkeypatch.setattr(scoring, "BLOCK", 64)
    films = random_films()
    weights = (scoring.TFIDF_WEIGHT, scoring.KIN_WEIGHT, scoring.GENERIC_PENALTY)
    ids, scores = scoring.link_neighbours(*films, k=10)
    expected = brute_force(*films, weights)
    np.testing.assert_allclose(scores, -np.sort(-expected, axis=1)[:, :10], rtol=1e-4, atol=1e-5)
    agree = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ids.tolist(), np.argsort(-expected, axis=1)[:, :10].tolist())])
    assert agree > 0.99  # the same films (ties may swap at the edge)


def test_a_film_its_article_links_to_comes_first_even_when_the_vectors_disagree():
    vectors, indptr, indices, n_links, kin = random_films()
    source, target = next((a, b) for a, b in kin.pairs.tolist())
    vectors = vectors.copy()
    vectors[target] = -vectors[source]  # as far apart as vectors go
    ids, _ = scoring.link_neighbours(vectors, indptr, indices, n_links, kin, k=10)
    assert ids[source][0] == target or target in ids[source][:3]
    assert source in ids[target][:10]


def test_without_link_evidence_a_generic_only_neighbour_drops_below_one_sharing_a_specific_page():
    # films 0, 1, 2 all link to the generic page 0 (on every film); 0 and 2 also share the rare page 1
    n = 50
    rows = [[0, 1], [0], [0, 1]] + [[0, 2 + i % 10] for i in range(n - 3)]
    indptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    indices = np.array([x for r in rows for x in r], dtype=np.int32)
    kin = FilmLinks([f"Page {j}" for j in range(12)], indptr, indices, [f"Film {i}" for i in range(n)], {})
    vectors = normalize_rows(np.random.default_rng(0).normal(size=(n, 4)))
    vectors[1] = vectors[0]  # film 1: the same vector as film 0, but only the generic page in common
    vectors[2] = normalize_rows((vectors[0] + 0.3 * vectors[5])[None])[0]
    ids, _ = scoring.link_neighbours(vectors, indptr, indices, 12, kin, k=2, weights=(0.0, 0.0, 0.2))
    assert ids[0].tolist()[0] == 2
    ids, _ = scoring.link_neighbours(vectors, indptr, indices, 12, kin, k=2, weights=(0.0, 0.0, 0.0))
    assert ids[0].tolist()[0] == 1  # the penalty is what moved it


@pytest.mark.parametrize("films", [np.array([5, 0, 399])])
def test_some_films_only(films):
    everything = random_films()
    all_ids, all_scores = scoring.link_neighbours(*everything, k=7)
    ids, scores = scoring.link_neighbours(*everything, k=7, films=films)
    assert (ids == all_ids[films]).all()
    np.testing.assert_allclose(scores, all_scores[films], rtol=1e-6)
