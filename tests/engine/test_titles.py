"""Title resolution as a user types titles: case, accents, articles, disambiguators, years, typos, bad input."""
from __future__ import annotations

import pytest

from engine import BadInput, NotFound
from engine.normalize import normalize, split_disambiguator, split_trailing_year, title_key


def test_normalize_folds_case_accents_punctuation_and_article():
    assert normalize("The Empire Strikes Back") == "empire strikes back"
    assert normalize("AMÉLIE") == "amelie"
    assert normalize("Mamma Mia!") == "mamma mia"
    assert normalize("Fast & Furious") == "fast and furious"
    assert title_key("The Thing (1982 film)") == "thing"


def test_split_disambiguator_and_year():
    assert split_disambiguator("The Thing (1982 film)") == ("The Thing", 1982)
    assert split_disambiguator("Alien (film)") == ("Alien", None)
    assert split_disambiguator("Rocky (1976)") == ("Rocky", 1976)
    assert split_disambiguator("Heat") == ("Heat", None)
    assert split_trailing_year("Alien 1979") == ("Alien", 1979)
    assert split_trailing_year("1917") == ("1917", None)


@pytest.mark.parametrize(
    "typed, title",
    [
        ("Blade Runner", "Blade Runner"),
        ("blade runner", "Blade Runner"),
        ("  BLADE   RUNNER ", "Blade Runner"),
        ("Star Wars", "Star Wars (film)"),
        ("Empire Strikes Back", "The Empire Strikes Back"),
        ("the thing 1982", "The Thing (1982 film)"),
        ("The Thing (1982 film)", "The Thing (1982 film)"),
        ("The Thing (2011)", "The Thing (2011 film)"),
        ("Alien 1979", "Alien (film)"),
        ("Rocky (1976)", "Rocky"),
        ("Blade Runner 2049", "Blade Runner 2049"),
        ("Mamma Mia", "Mamma Mia! (film)"),
    ],
)
def test_resolves_what_people_type(engine, typed, title):
    assert engine.resolve(typed).title == title


@pytest.mark.parametrize("typed, title", [("blade runer", "Blade Runner"), ("Termnator 2", None), ("star warz", "Star Wars (film)")])
def test_typos_are_forgiven(engine, typed, title):
    film, match = engine.resolve_match(typed)
    assert match.how == "typo"
    if title:
        assert film.title == title


def test_same_title_goes_to_the_better_known_film(engine):
    # Several films are called "Heat"; the 1995 Michael Mann film is the one most people mean.
    assert engine.resolve("Heat").year == 1995


def test_unknown_film_says_what_is_close(engine):
    with pytest.raises(NotFound) as caught:
        engine.resolve("Blade Runnings of the Galactic Zebra Patrol")
    assert caught.value.candidates, "expected suggestions"
    assert any("Blade Runner" in c.title for c in caught.value.candidates)
    with pytest.raises(NotFound):
        engine.resolve("qwzxv plorf")


@pytest.mark.parametrize("text", ["", "   ", "\x00\x07\n\t", "🎬🍿", "x" * 10_000, None])
def test_bad_input_is_refused_with_a_reason(engine, text):
    with pytest.raises(BadInput) as caught:
        engine.resolve(text)
    assert "type" in str(caught.value).lower()


def test_control_characters_inside_a_title_are_ignored(engine):
    assert engine.resolve("Blade\x00 Runner\u200b").title == "Blade Runner"
