"""The `movielike` command as a user runs it: readable results, JSON, exit codes, and never a traceback."""
from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli


def movielike(models_dir, *args):
    return run_cli("engine.cli", "--models", str(models_dir), *args, timeout=120)


def test_similar_prints_ten_films_with_scores_and_reasons(models_dir):
    result = movielike(models_dir, "similar", "Blade Runner")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("Films like Blade Runner (1982)")
    assert len(lines) == 11 and lines[1].lstrip().startswith("1.") and "·" in result.stdout


def test_json_output_is_machine_readable_and_typo_tolerant(models_dir):
    result = movielike(models_dir, "similar", "blade runer", "--json", "-k", "5")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["film"]["title"] == "Blade Runner" and payload["matched"] == "typo"
    assert len(payload["results"]) == 5
    assert {"title", "year", "image", "score", "why", "movielens_id"} <= set(payload["results"][0])


def test_about_and_recommend(models_dir):
    about = movielike(models_dir, "about", "George Lucas", "-k", "5")
    assert about.returncode == 0 and about.stdout.startswith("Films around George Lucas")
    picks = movielike(models_dir, "recommend", "--like", "Alien", "--like", "The Thing (1982 film)",
                      "--dislike", "Mamma Mia! (film)", "--json")
    assert picks.returncode == 0, picks.stderr
    assert len(json.loads(picks.stdout)["results"]) == 10


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["similar", ""], 2, "Type a film title"),
        (["similar", "x" * 10_000], 2, "at most 200"),
        (["similar", "\x01\x02\x1b"], 2, "Type a film title"),
        (["similar", "🎬🍿"], 2, "no letters or digits"),
        (["similar", "qwzxv plorf"], 1, "no film matches"),
        (["recommend", "--like", "qwzxv plorf"], 1, "no film matches"),
        (["about", "Zzyzx Qwerty Person"], 1, "no page matches"),
        (["similar", "Heat", "-k", "0"], 2, "between 1 and 100"),
        (["similar"], 2, "usage"),
        (["frobnicate"], 2, "usage"),
    ],
)
def test_bad_input_gets_a_clear_message_and_exit_code(models_dir, args, code, message):
    result = movielike(models_dir, *args)
    assert result.returncode == code, result.stderr
    assert message.lower() in result.stderr.lower()
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_film_suggests_close_titles(models_dir):
    result = movielike(models_dir, "similar", "Blade Runnings of the Galactic Zebra Patrol")
    assert result.returncode == 1
    assert "Did you mean" in result.stderr and "Blade Runner" in result.stderr


def test_no_model_says_how_to_get_one(tmp_path):
    result = movielike(tmp_path, "similar", "Heat")
    assert result.returncode == 3
    assert "movielike-train train" in result.stderr and "Traceback" not in result.stderr


def test_similar_by_each_view(models_dir):
    outputs = {}
    for by in ("links", "ratings", "both"):
        result = movielike(models_dir, "similar", "Heat (1995 film)", "--by", by, "--json", "-k", "10")
        assert result.returncode == 0, result.stderr
        payload = json.loads(result.stdout)
        assert payload["by"] == by and len(payload["results"]) == 10
        outputs[by] = [r["title"] for r in payload["results"]]
    assert outputs["links"] != outputs["ratings"]
    readable = movielike(models_dir, "similar", "Heat (1995 film)", "--by", "ratings", "-k", "3")
    assert readable.stdout.splitlines()[0].endswith("(by ratings)") and "liked by the same people" in readable.stdout


def test_ratings_view_of_a_film_nobody_rated_says_what_to_do(models_dir):
    result = movielike(models_dir, "similar", "Clean (2021 film)", "--by", "ratings")
    assert result.returncode == 1 and "no MovieLens ratings" in result.stderr and "--by links" in result.stderr
    assert "Traceback" not in result.stderr
    unknown_view = movielike(models_dir, "similar", "Heat", "--by", "stars")
    assert unknown_view.returncode == 2 and "invalid choice" in unknown_view.stderr


def test_recommend_resolves_typos_in_titles(models_dir):
    result = movielike(models_dir, "recommend", "--like", "blade runer", "--like", "Alien", "--json", "-k", "5")
    assert result.returncode == 0, result.stderr
    titles = [r["title"] for r in json.loads(result.stdout)["results"]]
    assert len(titles) == 5 and "Blade Runner" not in titles and "Alien (film)" not in titles
