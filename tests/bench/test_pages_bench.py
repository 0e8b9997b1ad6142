"""The pages-like benchmark runs and reports the figures the README quotes (a small run; figures are not judged here)."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT
from tests.pages_models import with_kinds


def test_pages_bench_prints_the_figures(models_dir, small_data, tmp_path):
    models = with_kinds(models_dir, small_data[0], tmp_path)
    command = [sys.executable, "bench/pages.py", "--models", str(models), "--queries", "50"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    latency = report["pages_like_latency"]
    assert latency["any_kind"]["n"] == 50 and latency["same_kind"]["n"] == 50
    assert 0 < latency["any_kind"]["p50_ms"] <= latency["any_kind"]["p99_ms"]
    assert report["tensorflow_imported"] is False
