"""Extraction from a real-format dump built from real Wikipedia pages (96 films, redirects, non-film pages)."""
from __future__ import annotations

import json

import pytest

from tests.training.wikipedia.conftest import REDIRECTS
from training.wikipedia import extract as extract_module
from training.wikipedia.extract import extract
from training.wikipedia.wikitext import infobox_source, is_film, links


def expected_films(pages) -> set[str]:
    return {p["title"] for p in pages if is_film(p["text"])}


@pytest.mark.parametrize("use_index, workers", [(False, 1), (True, 1), (True, 2)])
def test_finds_every_film_no_other_page_and_the_redirects(tmp_path, dump, fixture_pages, use_index, workers):
    path, index = dump
    out = tmp_path / "films.ndjson"
    stats = extract(path, out, index=index if use_index else None, workers=workers, progress=False)
    films = [json.loads(line) for line in out.read_text().splitlines()]
    titles = {f[0] for f in films}
    assert len(expected_films(fixture_pages)) == 96
    assert titles == expected_films(fixture_pages)
    assert "Anarchism" not in titles and "AccessibleComputing" not in titles
    assert stats.films == 96 and stats.pages == len(fixture_pages) and stats.bad_pages == 0
    redirects = [json.loads(line) for line in (tmp_path / "films.redirects.ndjson").read_text().splitlines()]
    assert sorted(redirects) == sorted([list(r) for r in REDIRECTS[:2]])
    assert json.loads((tmp_path / "films.stats.json").read_text())["films"] == 96

    taxi = next(f for f in films if f[0] == "Taxi Driver")
    _title, infobox, film_links, rotten, rating = taxi
    assert {"Martin Scorsese", "Robert De Niro", "Bernard Herrmann", "Jodie Foster"} <= set(film_links)
    assert infobox["director"] == "Martin Scorsese" and infobox["year"] == 1976
    assert "Robert De Niro" in infobox["starring"] and infobox["image"].endswith(".jpg")
    assert rotten == "98%" and rating == 9.0
    assert not any(link.lower().startswith(("file:", "image:")) or "#" in link for f in films for link in f[2])


def test_link_rules():
    text = ("[[Martin Scorsese]] [[Michael Phillips (producer)|Michael Phillips]] [[New York City#Manhattan|NYC]] "
            "[[File:Poster.jpg|thumb]] [[Image:x.png]] [[de:Taxi Driver]] [[:fr:Taxi]] [[Category:1976 films]] "
            "[[wikt:taxi]] [[martin Scorsese]]")
    assert links(text) == ["Martin Scorsese", "Michael Phillips (producer)", "New York City", "Category:1976 films"]


@pytest.mark.parametrize("text, film", [
    ("{{Infobox film\n| name = X}}", True), ("{{infobox_film|name=X}}", True), ("{{ Infobox Film }}", True),
    ("{{Infobox film festival\n| name = X}}", False), ("{{Infobox television\n| name = X}}", False),
])
def test_infobox_detection(text, film):
    assert is_film(text) is film
    assert (infobox_source(text) is not None) is film


def test_interrupted_extraction_leaves_nothing(tmp_path, dump, monkeypatch):
    path, _ = dump
    calls = {"n": 0}
    real = extract_module.film_record

    def interrupt_midway(title, text):
        calls["n"] += 1
        if calls["n"] == 40:
            raise KeyboardInterrupt
        return real(title, text)

    monkeypatch.setattr(extract_module, "film_record", interrupt_midway)
    with pytest.raises(KeyboardInterrupt):
        extract(path, tmp_path / "films.ndjson", progress=False)
    assert list(tmp_path.iterdir()) == []


def test_extract_command(tmp_path, dump):
    from tests.conftest import run_cli

    path, index = dump
    out = tmp_path / "out" / "films.ndjson"
    result = run_cli("training.cli", "extract", "--dump", str(path), "--index", str(index), "--workers", "2",
                     "--out", str(out), "--quiet", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "96 films" in result.stdout and "2 redirects to films" in result.stdout
    assert len(out.read_text().splitlines()) == 96
    missing = run_cli("training.cli", "extract", "--dump", str(tmp_path / "nope.bz2"), "--out", str(out), timeout=60)
    assert missing.returncode == 2 and "no dump file" in missing.stderr
