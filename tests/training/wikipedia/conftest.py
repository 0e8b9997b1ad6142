"""Fixtures shared by the training tests: a real-format multistream dump built from real Wikipedia pages."""
from __future__ import annotations

import json

import pytest

from tests.conftest import data_dir
from training.wikipedia.build import write_multistream

# Redirects of our own making, to films and to a non-film page: only the former are kept.
REDIRECTS = [("Taxi Driver (film)", "Taxi Driver"), ("Star Wars Episode V", "The Empire Strikes Back"),
             ("Anarchists", "Anarchism")]


@pytest.fixture(scope="module")
def fixture_pages() -> list[dict]:
    source = data_dir() / "wikipedia" / "wikitext_samples" / "piki_film_fixtures.jsonl"
    rows = [json.loads(line) for line in source.read_text().splitlines()]
    pages = [{"title": r["title"], "page_id": int(r["page_id"]), "ns": int(r["ns"]), "text": r["text"]} for r in rows]
    for i, (source, target) in enumerate(REDIRECTS):
        pages.append({"title": source, "page_id": 90_000_000 + i, "text": f"#REDIRECT [[{target}]]\n{{{{R from move}}}}",
                      "redirect": target})
    return pages


@pytest.fixture(scope="module")
def dump(tmp_path_factory, fixture_pages):
    folder = tmp_path_factory.mktemp("dump")
    path, index = folder / "enwiki-pages-articles-multistream.xml.bz2", folder / "enwiki-multistream-index.txt.bz2"
    write_multistream(fixture_pages, path, index, per_stream=10)
    return path, index


