"""The engine benchmark runs and reports every figure the README quotes (a small run; figures are not judged here)."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_bench_prints_the_figures(models_dir):
    command = [sys.executable, "bench/engine.py", "--models", str(models_dir), "--queries", "60", "--scales", "1",
               "--search-queries", "20"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    latency = report["similar_latency"]["again"]
    assert set(latency) >= {"exact_case_accents_article", "typo"}
    assert latency["exact_case_accents_article"]["n"] + latency["typo"]["n"] == 60
    search = report["search"]["1x"]
    assert search["exact"]["n"] == 20 and len(search["annoy"]) == 12
    assert all(0 <= a["recall_at_10"] <= 1 for a in search["annoy"])
    assert report["tensorflow_imported"] is False and report["rss_mb"]["engine_loaded_and_queried"] > 0
