"""`movielike-train evaluate` on the small model: simulated users scored, figures printed and stored."""
from __future__ import annotations

import json

from tests.conftest import run_cli
from tests.models_copy import copy_current


def test_evaluate_command_prints_and_stores_figures(models_dir, small_data, tmp_path):
    version = copy_current(models_dir, tmp_path)
    result = run_cli("training.cli", "evaluate", "--models", str(tmp_path), "--ratings", str(small_data[1]),
                     "--max-users", "20", "--json", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)
    assert set(figures["recommend"]) == {"blend", "links", "ratings", "most_popular", "item_knn", "ease"}
    assert figures["users"]["tune"] + figures["users"]["test"] == 20
    assert all(0 <= f["ndcg_at_10"] <= 1 for f in figures["recommend"].values())
    stored = json.loads((tmp_path / version / "manifest.json").read_text())
    assert stored["evaluation"] == figures
    from engine import Engine

    assert Engine.load(tmp_path).version == version  # the manifest rewrite left a loadable bundle


def test_evaluate_without_a_model_says_what_to_do(tmp_path, ratings_file):
    result = run_cli("training.cli", "evaluate", "--models", str(tmp_path), "--ratings", str(ratings_file), timeout=120)
    assert result.returncode == 3 and "movielike-train train" in result.stderr
