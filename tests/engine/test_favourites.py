"""Crowd favourites on the small real model: genre and decade filters, exclude, shrinkage, the well-known-films
fallback of a bundle without the part, the part verified both-or-none, and the `movielike favourites` CLI."""
from __future__ import annotations

import json

import numpy as np
import pytest

from engine import BadInput, Engine, NotFound
from engine.bundle import FAVOURITE_FILES, load_bundle
from engine.errors import BundleError
from engine.favourites import parse_decade
from tests.conftest import run_cli
from tests.models_copy import copy_bundle, edit_manifest, relist


@pytest.fixture(scope="module")
def older_engine(models_dir, tmp_path_factory) -> Engine:
    """The small model as a bundle from before favourites and genres: those files neither listed nor present."""
    models = tmp_path_factory.mktemp("older-models")
    bundle = copy_bundle(models_dir, models)
    for name in (*FAVOURITE_FILES, "genres.json"):
        (bundle / name).unlink()

    def strip(manifest):
        for name in (*FAVOURITE_FILES, "genres.json"):
            manifest["files"].pop(name)
        manifest["ratings"].pop("favourites")

    edit_manifest(bundle, strip)
    return Engine.load(models)


def test_favourites_rank_by_shrunk_bias_with_counts_in_the_why(engine):
    results = engine.favourites(10)
    assert engine.has_favourites and len(results) == 10
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert all("stars above its raters' usual (" in r.why and " ratings)" in r.why for r in results)
    biases, _ = engine.model.bundle.favourites
    assert results[0].id == int(np.argmax(biases))
    assert {r.title for r in results} & {"The Shawshank Redemption", "The Godfather", "Pulp Fiction", "Forrest Gump"}


def test_a_film_with_few_ratings_does_not_top_the_list(engine):
    biases, counts = engine.model.bundle.favourites
    few = np.flatnonzero((counts > 0) & (counts <= 3))
    assert len(few), "the small model has films with 3 ratings or fewer"
    top = {r.id for r in engine.favourites(20)}
    assert not top & set(few.tolist())
    # shrunk by n / (n + 5): 3 ratings keep at most 3/8 of their bias, so the best of them sits far below the top
    assert biases[few].max() < engine.favourites(1)[0].score * 0.8


def test_genre_and_decade_filters(engine):
    films = engine.model.favourites
    results = engine.favourites(5, genre="HORROR", decade="1980s")
    assert results and all(1980 <= r.year <= 1989 for r in results)
    horror = films._genre_masks[films._genre_of["horror"]]
    assert all(horror[r.id] for r in results)
    assert [r.id for r in engine.favourites(5, genre="horror", decade="80s")] == [r.id for r in results]
    assert [r.id for r in engine.favourites(5, genre="Horror", decade=1980)] == [r.id for r in results]
    sci_fi = engine.favourites(5, genre="sci-fi")
    assert sci_fi and all(films._genre_masks[films._genre_of["science fiction"]][r.id] for r in sci_fi)


def test_unknown_genre_says_did_you_mean_and_bad_decade_is_bad_input(engine):
    with pytest.raises(NotFound) as caught:
        engine.favourites(genre="horor")
    assert caught.value.kind == "genre" and caught.value.candidates[0] == "Horror"
    assert "Did you mean: Horror" in str(caught.value)
    for decade in ("198", "1985s", "eighties", "19800s", ""):
        with pytest.raises(BadInput):
            engine.favourites(decade=decade)


@pytest.mark.parametrize("text, year", [("1980s", 1980), ("1980's", 1980), ("80s", 1980), ("'80s", 1980),
                                        ("1980", 1980), ("00s", 2000), ("10s", 2010), ("20s", 1920), ("2010s", 2010)])
def test_decades_are_read_as_people_write_them(text, year):
    assert parse_decade(text) == year


def test_exclude_takes_keys_titles_and_ids(engine):
    first, second, third, *_ = engine.favourites(10)
    rest = engine.favourites(10, exclude=[first.key, second.id, third.title])
    assert not {first.id, second.id, third.id} & {r.id for r in rest}
    assert rest[0].id == engine.favourites(4)[3].id


def test_a_narrow_filter_fills_up_with_well_known_films(engine):
    results = engine.favourites(10, genre="silent", decade="1920s")
    assert len(results) == 10 and all(1920 <= r.year <= 1929 for r in results)
    assert any(r.why.startswith("well known") for r in results)


def test_a_bundle_without_favourites_still_loads_and_lists_well_known_films(older_engine, engine):
    assert not older_engine.has_favourites and older_engine.genres == []
    results = older_engine.favourites(5, decade="1990s")
    assert len(results) == 5 and all(r.why == "well known (this model has no MovieLens ratings to rank by)"
                                     for r in results)
    assert all(1990 <= r.year <= 1999 for r in results)
    with pytest.raises(NotFound, match="no genres"):
        older_engine.favourites(genre="horror")
    assert older_engine.similar("Blade Runner", 3)  # the rest of the engine is untouched


@pytest.mark.parametrize("damage, message", [("unlisted", "does not list crowd_counts.npy"),
                                             ("missing", "crowd_counts.npy is missing"),
                                             ("altered", "does not match its checksum"),
                                             ("no section", "no ratings.favourites section"),
                                             ("short", "do not fit"),
                                             ("genres", "genres.json does not fit")])
def test_the_favourites_part_is_verified_both_or_none(models_dir, tmp_path, damage, message):
    bundle = copy_bundle(models_dir, tmp_path)
    assert load_bundle(bundle).favourites is not None and load_bundle(bundle).genres is not None
    if damage == "unlisted":
        edit_manifest(bundle, lambda manifest: manifest["files"].pop("crowd_counts.npy"))
    elif damage == "missing":
        (bundle / "crowd_counts.npy").unlink()
    elif damage == "altered":
        with open(bundle / "crowd_biases.npy", "r+b") as handle:
            handle.seek(-4, 2)
            handle.write(b"\x00\x00\x80\x7f")
    elif damage == "no section":
        edit_manifest(bundle, lambda manifest: manifest["ratings"].pop("favourites"))
    else:  # well-formed files (checksums updated) that do not fit the catalogue
        name = "crowd_biases.npy" if damage == "short" else "genres.json"
        if damage == "short":
            np.save(bundle / name, np.load(bundle / name)[1:])
        else:
            genres = json.loads((bundle / name).read_text())
            (bundle / name).write_text(json.dumps({**genres, "indptr": genres["indptr"][:-1]}))
        relist(bundle, name)
    with pytest.raises(BundleError, match=message):
        load_bundle(bundle)


def test_the_quality_check_is_in_the_manifest(manifest):
    favourites = manifest["ratings"]["favourites"]
    assert favourites["shrink_ratings"] == 5 and favourites["checked_at_ratings"] == 50
    assert favourites["films_checked"] > 100 and favourites["spearman_vs_mean_rating"] > 0.8
    assert len(favourites["top"]) == 10 and {"title", "bias", "ratings"} <= set(favourites["top"][0])


def movielike(models_dir, *args):
    return run_cli("engine.cli", "--models", str(models_dir), *args, timeout=120)


def test_cli_favourites_prints_json_and_exit_codes(models_dir):
    result = movielike(models_dir, "favourites", "--genre", "horror", "--decade", "1980s", "-k", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "Films people rate above their usual · Horror · 1980s" and len(lines) == 4
    payload = json.loads(movielike(models_dir, "favourites", "--json", "-k", "2").stdout)
    assert len(payload["results"]) == 2 and "raters' usual" in payload["results"][0]["why"]
    unknown = movielike(models_dir, "favourites", "--genre", "horor")
    assert unknown.returncode == 1 and "Did you mean" in unknown.stderr and "Horror" in unknown.stderr
    bad = movielike(models_dir, "favourites", "--decade", "198")
    assert bad.returncode == 2 and "not a decade" in bad.stderr and "Traceback" not in bad.stderr
    assert movielike(models_dir, "favourites", "-k", "0").returncode == 2
