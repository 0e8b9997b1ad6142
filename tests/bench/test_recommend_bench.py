"""The recommendation benchmark runs every taste through every view and reports latency (figures judged in README)."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_bench_times_every_taste_and_view(models_dir):
    command = [sys.executable, "bench/recommend.py", "--models", str(models_dir), "--repeats", "30", "--contention"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["has_ratings"] is True
    assert set(report["recommend_latency"]) == {"both", "links", "ratings"}
    tastes = {"likes_1", "likes_5", "dislikes_5", "mixed_unknown", "ratings_100", "ratings_300", "ratings_1450"}
    for by, figures in report["recommend_latency"].items():
        assert set(figures) == tastes, by
        assert all(f["n"] == 30 and 0 < f["p50_ms"] <= f["p99_ms"] for f in figures.values()), by
    assert report["worst_recommend_p99_ms"] == max(
        f["p99_ms"] for figures in report["recommend_latency"].values() for f in figures.values())
    busy = report["contention"]
    assert busy["cpu_hogs"] >= 1 and set(busy["recommend_latency"]) == tastes and report["blas_threads"] == 1
    favourites = report["favourites_latency"]
    assert set(favourites) == {"all", "genre", "decade", "genre_decade", "genre_decade_exclude_300"}
    assert all(f["n"] == 30 and 0 < f["p50_ms"] <= f["p99_ms"] for f in favourites.values())
    assert report["favourites_ranked"] is True and report["favourites_target_p99_ms"] == 2.0
    assert set(busy["p99_ratio_to_quiet"]) == tastes and all(ratio > 0 for ratio in busy["p99_ratio_to_quiet"].values())
