"""`movielike-train evaluate` on the small model: simulated users scored, figures printed and stored."""
from __future__ import annotations

import json

import pytest

from engine import Engine
from tests.conftest import run_cli
from tests.models_copy import copy_current


def test_evaluate_command_prints_and_stores_figures(models_dir, small_data, tmp_path):
    version = copy_current(models_dir, tmp_path)
    result = run_cli("training.cli", "evaluate", "--models", str(tmp_path), "--ratings", str(small_data[1]),
                     "--max-users", "20", "--json", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)
    baselines = {"most_popular", "item_knn", "ease", "ease_likes", "rp3beta", "als", "lightfm_links", "ease_links"}
    assert set(figures["recommend"]) == {"blend", "links", "ratings"} | baselines
    assert figures["users"]["tune"] + figures["users"]["test"] == 20
    assert all(0 <= f["ndcg_at_10"] <= 1 for f in figures["recommend"].values())
    for name in baselines:  # each baseline next to our blend over the same users
        versus = figures["recommend"][name]["vs_blend"]
        assert versus["paired_standard_error"] >= 0
        assert versus["difference"] == pytest.approx(
            figures["recommend"][name]["ndcg_at_10"] - figures["recommend"]["blend"]["ndcg_at_10"], abs=2e-4)
    for baseline in ("ease", "rp3beta", "als", "lightfm_links", "ease_links"):
        assert figures["tuning"]["baselines"][baseline]  # tuned on the tuning half, and what was chosen is stored
    assert "paired" in result.stderr and "EASE + link-content" in result.stderr
    groups = figures["groups"]  # movie night: our aggregation next to the three it is compared with
    assert {"ours", "average", "one_member", "popular"} <= set(groups) and groups["groups"]["test"] > 0
    for name in ("ours", "average", "one_member", "popular"):
        assert 0 <= groups[name]["hit_rate_at_5"] <= 1 and 0 <= groups[name]["misery"] <= 1
    assert groups["average"]["vs_ours"]["hit_rate"] == pytest.approx(
        groups["average"]["hit_rate_at_5"] - groups["ours"]["hit_rate_at_5"], abs=2e-4)
    assert len(groups["tuning"]) == 10 and groups["misery_weight"]["tuned"] in [row["misery_weight"] for row in groups["tuning"]]
    assert "group    average: hit rate@5" in result.stderr
    before = json.loads((models_dir / version / "manifest.json").read_text())
    stored = json.loads((tmp_path / version / "manifest.json").read_text())
    assert stored["evaluation"] == figures
    # Figures only: what bots serve and what the guard compares with stay those `train` published.
    assert (stored["blend"], stored["metrics"]) == (before["blend"], before["metrics"])
    assert Engine.load(tmp_path).version == version  # the manifest rewrite left a loadable bundle


def test_evaluate_without_a_model_says_what_to_do(tmp_path, ratings_file):
    result = run_cli("training.cli", "evaluate", "--models", str(tmp_path), "--ratings", str(ratings_file), timeout=120)
    assert result.returncode == 3 and "movielike-train train" in result.stderr
