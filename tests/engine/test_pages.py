"""Pages like a page: the nearest linked pages by their link vectors, by kind, with the films they share; the CLI's
`pages-like` and its exit codes; bundles with damaged kinds or none."""
from __future__ import annotations

import json

import numpy as np
import pytest

from engine import BundleError, Engine, NoPageKinds, NotFound, Page
from engine.bundle import LINK_KINDS, MANIFEST, load_current
from engine.kinds import kind_bits
from tests.conftest import run_cli
from tests.pages_models import with_kinds, without_kinds


@pytest.fixture(scope="module")
def kinds_models(models_dir, small_data, tmp_path_factory):
    return with_kinds(models_dir, small_data[0], tmp_path_factory.mktemp("kinds"))


@pytest.fixture(scope="module")
def kinds_engine(kinds_models) -> Engine:
    return Engine.load(kinds_models)


@pytest.fixture(scope="module")
def no_kinds_models(models_dir, tmp_path_factory):
    return without_kinds(models_dir, tmp_path_factory.mktemp("no-kinds"))


def test_pages_like_george_lucas_names_his_circle_with_shared_films(kinds_engine):
    pages = kinds_engine.pages_like("George Lucas", k=10)
    assert len(pages) == 10 and all(isinstance(p, Page) for p in pages)
    names = [p.name for p in pages]
    assert "George Lucas" not in names
    assert {"Steven Spielberg", "Lucasfilm", "Star Wars", "Harrison Ford", "Mark Hamill", "Lucasfilm films",
            "Star Wars films"} & set(names), names
    scores = [p.score for p in pages]
    assert scores == sorted(scores, reverse=True) and all(-1 <= s <= 1 for s in scores)
    shared = [p for p in pages if p.why.startswith("both in ")]
    assert shared and any("(19" in p.why or "(20" in p.why for p in shared)  # films named with their years


def test_the_why_names_the_best_known_shared_films_first(kinds_engine):
    model = kinds_engine.model
    lucas = kinds_engine.page("George Lucas").title
    [spielberg] = [p for p in kinds_engine.pages_like(lucas, 100, kind="director") if p.name == "Steven Spielberg"] or [None]
    if spielberg is None:
        pytest.skip("Steven Spielberg is not among George Lucas' 100 nearest directors in this small model")
    titles = model.bundle.link_titles
    a, b = titles.index("George Lucas"), titles.index("Steven Spielberg")
    both = [f for f in range(len(model)) if {a, b} <= set(model.explainer.links_of(f).tolist())]
    best = sorted(both, key=lambda f: -model.popularity[f])
    assert spielberg.why.startswith(f"both in {model.label(best[0])}")
    if len(both) > 2:
        assert spielberg.why.endswith(f"and {len(both) - 2} more")


def test_kind_filter_returns_only_that_kind(kinds_engine):
    lucas = kinds_engine.page("George Lucas")
    assert lucas.kind == "director" and lucas.films >= 3
    directors = kinds_engine.pages_like("George Lucas", k=10, kind="director")
    assert len(directors) == 10 and {p.kind for p in directors} <= {"director", "writer", "producer", "actor"}
    kinds = kinds_engine.model.pages.kinds
    titles = kinds_engine.model.bundle.link_titles
    assert all(kinds[titles.index(p.title), 0] & 1 for p in directors)  # every one directed a film
    for kind in ("company", "genre", "category", "actor", "person"):
        pages = kinds_engine.pages_like("George Lucas", k=5, kind=kind)
        assert pages and all(kinds[titles.index(p.title), 0] & kind_bits(kind) for p in pages), (kind, pages)
    people = kinds_engine.pages_like("Harrison Ford", k=10, kind="person")
    assert people and all(p.kind in ("director", "actor", "writer", "producer", "composer", "cinematographer", "editor")
                          for p in people)


def test_kinds_of_well_known_pages(kinds_engine):
    expected = {"George Lucas": "director", "Harrison Ford": "actor", "Lucasfilm": "company",
                "Science fiction film": "genre", "United States of America": "place", "Category:American films": "category"}
    found = {text: kinds_engine.page(text).kind for text in expected}
    assert sum(found[text] == kind for text, kind in expected.items()) >= 5, found


def test_unknown_page_and_unknown_kind(kinds_engine):
    with pytest.raises(NotFound) as error:
        kinds_engine.pages_like("George Lucsa Qwertz")
    assert error.value.kind == "page" and "George Lucas" in error.value.candidates
    with pytest.raises(ValueError, match="unknown page kind 'martian'"):
        kinds_engine.pages_like("George Lucas", kind="martian")


def test_a_bundle_without_kinds_serves_pages_of_any_kind_and_says_why_not_by_kind(no_kinds_models):
    engine = Engine.load(no_kinds_models)
    assert not engine.has_page_kinds
    pages = engine.pages_like("George Lucas", k=5)
    assert len(pages) == 5 and all(p.kind is None for p in pages)
    with pytest.raises(NoPageKinds, match=r"no page kinds.*retrain"):
        engine.pages_like("George Lucas", k=5, kind="director")


def test_damaged_kinds_are_refused_when_listed(kinds_models, tmp_path):
    from tests.models_copy import copy_current

    version = copy_current(kinds_models, tmp_path)
    np.save(tmp_path / version / LINK_KINDS, np.zeros((3, 2), dtype=np.uint16))  # not what the manifest lists
    with pytest.raises(BundleError, match=r"link_kinds\.npy does not match its checksum"):
        load_current(tmp_path)
    manifest = json.loads((tmp_path / version / MANIFEST).read_text())
    from engine.bundle import sha256_of

    manifest["files"][LINK_KINDS] = {"sha256": sha256_of(tmp_path / version / LINK_KINDS),
                                     "bytes": (tmp_path / version / LINK_KINDS).stat().st_size}
    (tmp_path / version / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match="do not fit"):
        load_current(tmp_path)


def movielike(models, *args):
    return run_cli("engine.cli", "--models", str(models), *args, timeout=120)


def test_cli_pages_like_prints_and_writes_json(kinds_models):
    result = movielike(kinds_models, "pages-like", "George Lucas", "--kind", "director", "-k", "5")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("Pages like George Lucas (director)") and len(lines) == 6
    result = movielike(kinds_models, "pages-like", "george lukas", "--json", "-k", "3")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["page"]["title"] == "George Lucas" and len(payload["results"]) == 3
    assert {"title", "name", "kind", "films", "score", "why"} <= set(payload["results"][0])


@pytest.mark.parametrize("args, code, message", [
    (["pages-like", "Zzyzx Qwerty Person"], 1, "no page matches"),
    (["pages-like", "George Lucsa Qwertz"], 1, "did you mean"),
    (["pages-like", "George Lucas", "--kind", "martian"], 2, "unknown page kind"),
    (["pages-like", "George Lucas", "-k", "0"], 2, "between 1 and 100"),
    (["pages-like", ""], 2, "type"),
    (["pages-like"], 2, "usage"),
])
def test_cli_pages_like_exit_codes(kinds_models, args, code, message):
    result = movielike(kinds_models, *args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert message in result.stderr.lower() and "Traceback" not in result.stderr


def test_cli_kind_on_a_model_without_kinds_exits_3(no_kinds_models):
    result = movielike(no_kinds_models, "pages-like", "George Lucas", "--kind", "director")
    assert result.returncode == 3 and "retrain" in result.stderr
    assert movielike(no_kinds_models, "pages-like", "George Lucas", "-k", "3").returncode == 0


def test_every_page_title_names_its_own_page_not_a_lookalike(engine):
    """Buttons carry a page's exact title: "Frank Marshall" must not become "Frank Marshall (film producer)", nor
    "Andy Garcia" "Andy García" (fuzzy matching alone took 6 of the small model's first titles elsewhere)."""
    model = engine.model
    titles = model.bundle.link_titles[: len(model.link_id_of_title)]
    assert [title for title in titles if engine.page(title).title != title] == []
    assert engine.page("frank marshall").title in {"Frank Marshall", "Frank Marshall (film producer)"}  # typed: fuzzy
