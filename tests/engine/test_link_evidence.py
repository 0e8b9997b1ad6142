"""The exact evidence behind recommend() and "films like this": TF-IDF link content, EASE rows, links between articles."""
from __future__ import annotations

import numpy as np

from engine.content import LinkContent
from engine.explain import Explainer
from engine.film_links import FilmLinks
from engine.ratings import EaseView
from engine.vectors import csr_positions


def csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    indptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    return indptr, np.array([x for r in rows for x in r], dtype=np.int32)


def test_csr_positions_gathers_rows_in_the_order_asked():
    indptr, indices = csr([[5, 6], [], [7], [8, 9, 10]])
    assert indices[csr_positions(indptr, [3, 0, 1, 2])].tolist() == [8, 9, 10, 5, 6, 7]
    assert csr_positions(indptr, []).tolist() == []


def test_a_shared_rare_link_outweighs_a_shared_common_one():
    # page 0 is on every film (a country), page 1 only on films 0 and 1 (a director), page 2 on films 0 and 2..5
    indptr, indices = csr([[0, 1, 2], [0, 1], [0, 2], [0, 2], [0, 2], [0, 2], [0]])
    content = LinkContent(indptr, indices, 3)
    scores = content.scores([0])
    assert scores[1] > scores[2] > scores[6]
    assert scores[6] == 0.0  # sharing only the page every film has says nothing (idf 0)
    assert np.isclose(scores[0], 1.0)  # a film is its own best match: rows have unit length


def test_ease_adds_the_rows_of_watched_films_and_knows_which_films_it_scores():
    # rows: film 0 -> films 1 (0.5) and 2 (0.1); 1 -> 0; 2 -> 3; 3 -> 2 (0.3); films 4, 5: no row (nobody rated them)
    ease = EaseView(np.array([0, 2, 3, 4, 5, 5, 5]), np.array([1, 2, 0, 3, 2], dtype=np.int32),
                    np.array([0.5, 0.1, 0.2, 0.2, 0.3], dtype=np.float32))
    scores = ease.scores([0, 3, 4])
    assert scores[1] == np.float32(0.5) and np.isclose(scores[2], 0.4)
    assert ease.scored.tolist() == [True, True, True, True, False, False]  # films 4, 5: outside EASE
    assert ease.scores([4]).tolist() == [0.0] * 6  # only unknown films watched: no evidence at all


def film_links(titles, links_of):
    link_titles = sorted({link for links in links_of for link in links})
    link_id = {title: i for i, title in enumerate(link_titles)}
    indptr, indices = csr([[link_id[link] for link in links] for links in links_of])
    id_of_key = {title: i for i, title in enumerate(titles)}
    return FilmLinks(link_titles, indptr, indices, titles, id_of_key), link_titles, indptr, indices


def test_links_between_articles_are_kin_but_namesakes_are_not():
    titles = ["Leatherface (2017 film)", "The Texas Chain Saw Massacre", "Hold Your Man (1929 film)", "Hold Your Man",
              "Other", "Halloween (1978 film)", "Halloween (2018 film)"]
    links = [["The Texas Chain Saw Massacre", "Lili Taylor"], ["Tobe Hooper"], ["Hold Your Man", "Laura La Plante"],
             ["Jean Harlow"], ["Other", "Tobe Hooper"],  # "Other" links to itself: not kin
             ["John Carpenter"], ["Halloween (1978 film)", "Jamie Lee Curtis"]]
    kin, *_ = film_links(titles, links)
    assert kin.linked(0, 1) and kin.linked(1, 0)
    assert kin.pairs.tolist() == [[0, 1], [6, 5]]  # each link once, from the article that makes it
    assert not kin.linked(2, 3)  # a hatnote to a namesake, not a sequel
    assert not any(kin.linked(4, other) for other in range(7))
    assert kin.linked(5, 6)  # a sequel naming its original, both titles disambiguated


def test_the_why_says_which_article_links_to_which_first():
    titles = ["Leatherface (2017 film)", "The Texas Chain Saw Massacre"]
    links = [["The Texas Chain Saw Massacre", "Horror film", "Kim Henkel"], ["Horror film", "Kim Henkel", "Tobe Hooper"]]
    kin, link_titles, indptr, indices = film_links(titles, links)
    explainer = Explainer(link_titles, indptr, indices, len(titles), kin, lambda film: titles[film])
    assert explainer.why(1, 0).startswith("links to The Texas Chain Saw Massacre · ")
    assert explainer.why(0, 1).startswith("linked from Leatherface (2017 film) · ")
    assert "Kim Henkel" in explainer.why(1, 0)


def test_content_scores_are_the_same_whether_read_by_page_or_by_film():
    rng = np.random.default_rng(5)
    rows = [sorted(set(rng.choice(400, size=6).tolist()) | {int(rng.integers(3))}) for _ in range(500)]  # pages 0-2 common
    indptr, indices = csr(rows)
    content = LinkContent(indptr, indices, 400)
    dense = np.zeros((500, 400), dtype=np.float32)
    for film in range(len(rows)):
        dense[film, indices[indptr[film]:indptr[film + 1]]] = content.data[indptr[film]:indptr[film + 1]]
    for liked in ([7], [7, 8, 9], list(range(0, 500, 3))):  # a few pages (visited by page), then most pages
        np.testing.assert_allclose(content.scores(liked), dense @ dense[liked].sum(axis=0), rtol=1e-5, atol=1e-6)


def test_content_scores_of_some_films_are_those_films_scores():
    rows = [[0, 1], [], [1, 2, 3], [3], [], [0, 3]]  # films without links score 0, among others or alone
    indptr, indices = csr(rows)
    content = LinkContent(indptr, indices, 4)
    full = content.scores([0, 3])
    for among in ([2, 4, 5], [1], [4, 1], [5, 0, 3, 2], []):
        np.testing.assert_allclose(content.scores([0, 3], content.rows(np.array(among))), full[among], rtol=1e-6)
    assert content.scores([1, 4], content.rows(np.array([0, 2]))).tolist() == [0.0, 0.0]  # liked films without links
