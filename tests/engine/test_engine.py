"""The engine's verbs on the real model: similar, about, recommend, and reloading a newly published model."""
from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from engine import BundleError, Engine, NotFound
from tests.models_copy import add_version, copy_current
from training.publish.bundle import point_current


def test_similar_returns_k_other_films_with_reasons(engine):
    results = engine.similar("Blade Runner", k=10)
    assert len(results) == 10
    assert all(r.title != "Blade Runner" for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert all(np.isfinite(r.score) for r in results)
    assert sum(1 for r in results if r.why) >= 8
    first = results[0].to_dict()
    assert {"title", "year", "image", "score", "why", "movielens_id"} <= set(first)


def test_similar_explains_with_shared_links(engine):
    results = engine.similar("Star Wars", k=10)
    empire = next(r for r in results if r.title == "The Empire Strikes Back")
    people = ("Star Wars", "Mark Hamill", "Harrison Ford", "Carrie Fisher", "George Lucas", "John Williams")
    assert any(name in empire.why for name in people), empire.why
    assert "Category:" not in empire.why


def test_similar_accepts_ids_and_excludes(engine):
    film = engine.resolve("Alien")
    by_id = engine.similar(film.id, k=5)
    assert [r.title for r in by_id] == [r.title for r in engine.similar("Alien (film)", k=5)]
    skipped = engine.similar(film.id, k=5, exclude=[by_id[0].id])
    assert by_id[0].id not in [r.id for r in skipped] and len(skipped) == 5


def test_about_a_person_finds_their_films(engine):
    results = engine.about("George Lucas", k=10)
    assert "Star Wars (film)" in [r.title for r in results]
    assert all(r.why == "links to George Lucas" for r in results[:5])
    assert {"Alien (film)", "Gladiator (2000 film)"} & {r.title for r in engine.about("ridley scott", k=5)}
    with pytest.raises(NotFound):
        engine.about("Zzyzx Qwerty Person")


def test_recommend_from_likes_and_dislikes(engine):
    likes = ["Alien", "The Thing (1982 film)"]
    picks = engine.recommend(likes, ["Mamma Mia! (film)"], k=10)
    titles = [p.title for p in picks]
    assert len(picks) == 10
    assert not {"Alien (film)", "The Thing (1982 film)", "Mamma Mia! (film)"} & set(titles)
    assert all(p.why.startswith("like ") for p in picks)
    musicals = engine.similar("Mamma Mia! (film)", k=10)
    assert not {m.title for m in musicals} & set(titles)


def test_recommend_with_likes_only_stays_in_their_neighbourhood(engine):
    picks = {p.title for p in engine.recommend(["Star Wars"], k=10)}
    assert {"The Empire Strikes Back", "Return of the Jedi"} & picks


def test_recommend_without_history_gives_well_known_films(engine):
    picks = engine.recommend(k=10)
    assert len(picks) == 10
    assert all(p.movielens_id is not None for p in picks)
    disliked = engine.recommend(dislikes=[picks[0].title], k=10)
    assert picks[0].title not in [p.title for p in disliked]


def test_recommend_skips_unknown_and_excluded_films(engine):
    picks = engine.recommend(["Alien", "no such film at all xyz", ""], exclude=["Aliens (film)"], k=5)
    assert len(picks) == 5
    assert "Aliens (film)" not in [p.title for p in picks]


def test_similar_deeper_than_the_stored_neighbours_searches(engine):
    film = engine.resolve("Heat")
    top = engine.similar(film.id, k=100, by="links")
    skipped = engine.similar(film.id, k=100, exclude=[r.id for r in top[:10]], by="links")
    assert len(skipped) == 100 and not {r.id for r in top[:10]} & {r.id for r in skipped}
    assert [r.id for r in skipped[:90]] == [r.id for r in top[10:]]


def test_k_is_bounded(engine):
    assert len(engine.similar("Heat", k=1000)) == 100
    assert len(engine.similar("Heat", k=0)) == 1


def test_serving_never_imports_tensorflow_and_stays_small(models_dir):
    code = (
        "import sys, json; from engine import Engine; e = Engine.load(sys.argv[1]); e.similar('Star Wars'); "
        "e.about('George Lucas'); e.recommend(['Alien'], ['Mamma Mia! (film)']); e.similar('blade runer'); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'training', 'bot')]; "
        "rss = [int(l.split()[1]) / 1024 for l in open('/proc/self/status') if l.startswith('VmRSS')][0]; "
        "print(json.dumps({'imported': bad, 'rss_mb': rss}))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(models_dir)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["imported"] == []
    assert report["rss_mb"] < 250, report


def test_reload_swaps_models_while_queries_run(models_dir, tmp_path):
    models = tmp_path / "models"
    version = copy_current(models_dir, models)
    engine = Engine.load(models)
    assert engine.reload_if_changed() is False
    second = add_version(models, version, version + "-b")  # what a retrain publishes

    failures: list[BaseException] = []
    answered = [0]
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                assert len(engine.similar("Blade Runner", k=5)) == 5
                answered[0] += 1
            except BaseException as error:
                failures.append(error)

    workers = [threading.Thread(target=ask) for _ in range(3)]
    for worker in workers:
        worker.start()
    time.sleep(0.2)
    point_current(models, second)
    assert engine.reload_if_changed() is True
    time.sleep(0.2)
    stop.set()
    for worker in workers:
        worker.join()
    assert not failures
    assert answered[0] > 10
    assert engine.version == second


def test_broken_new_model_is_refused_and_the_old_one_kept(models_dir, tmp_path, caplog):
    models = tmp_path / "models"
    version = copy_current(models_dir, models)
    engine = Engine.load(models)
    broken = add_version(models, version, "29990101T000000000Z")
    vectors = models / broken / "film_vectors.npy"
    data = bytearray(vectors.read_bytes())
    data[-1] ^= 0xFF
    vectors.write_bytes(bytes(data))
    point_current(models, broken)
    with caplog.at_level(logging.ERROR, logger="engine.engine"):
        for _ in range(3):  # the reload loop asks every few seconds: one error in the log, not one per poll
            assert engine.reload_if_changed() is False
    assert len([r for r in caplog.records if "cannot be loaded" in r.getMessage()]) == 1
    assert engine.version == version and engine.similar("Heat", k=3)


def test_start_up_serves_the_newest_intact_version_when_current_is_damaged(models_dir, tmp_path, caplog):
    models = tmp_path / "models"
    version = copy_current(models_dir, models)
    broken = add_version(models, version, "29990101T000000000Z")
    vectors = models / broken / "film_vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:-1] + b"\0")
    point_current(models, broken)
    with caplog.at_level(logging.WARNING, logger="engine.engine"):
        engine = Engine.load(models)
    assert engine.version == version and engine.similar("Heat", k=3)
    assert any(broken in r.getMessage() and f"serving {version}" in r.getMessage() for r in caplog.records)
    assert engine.reload_if_changed() is False  # still damaged: no reload attempt
    newer = add_version(models, version, "29990101T000000001Z")
    point_current(models, newer)
    assert engine.reload_if_changed() is True and engine.version == newer
    shutil.rmtree(models / version)
    shutil.rmtree(models / newer)
    point_current(models, broken)
    with pytest.raises(BundleError, match="checksum"):  # nothing intact left: say what is wrong
        Engine.load(models)


def test_a_version_directory_named_unlike_its_manifest_is_loaded_once(models_dir, tmp_path):
    """A copied or renamed version directory: no reload every few seconds because the names differ."""
    models = tmp_path / "models"
    version = copy_current(models_dir, models)
    (models / version).rename(models / "renamed-by-hand")
    point_current(models, "renamed-by-hand")
    engine = Engine.load(models)
    assert engine.version == version  # the manifest's name
    assert engine.reload_if_changed() is False


def test_missing_model_says_how_to_make_one(tmp_path):
    with pytest.raises(BundleError, match="movielike-train"):
        Engine.load(tmp_path)


def test_search_modes_agree(models_dir):
    from engine.config import Config

    exact = Engine.load(models_dir, Config(search="exact"))
    approximate = Engine.load(models_dir, Config(search="annoy", annoy_search_k=20_000))
    assert exact.search_mode == "exact" and approximate.search_mode == "annoy"
    overlap = [
        len({r.id for r in exact.similar(t, k=10)} & {r.id for r in approximate.similar(t, k=10)})
        for t in ("Blade Runner", "Heat", "Toy Story", "The Godfather", "Rocky")
    ]
    assert np.mean(overlap) >= 9, overlap
