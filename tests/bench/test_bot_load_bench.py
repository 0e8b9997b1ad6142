"""The bot load benchmark runs end to end on loopback and reports its figures (a small run; timings not judged)."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_bot_load_bench_prints_the_figures(models_dir):
    command = [sys.executable, "bench/bot_load.py", "--models", str(models_dir), "--requests", "40", "--concurrency", "10",
               "--swap"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["errors"] == 0, report["error_examples"]
    assert report["ack"]["n"] == 40 and report["reply_at_stub"]["n"] == 40
    assert report["ack"]["p99_ms"] > 0 and report["reply_at_stub"]["p50_ms"] > 0
    assert report["swap_seconds"] is not None  # the version published half-way was served before the end


def test_bot_load_bench_measures_the_bare_bolt_floor_too(models_dir):
    command = [sys.executable, "bench/bot_load.py", "--models", str(models_dir), "--requests", "40", "--concurrency", "10",
               "--floor"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    floor = report["floor_bare_bolt"]
    assert floor["errors"] == 0 and floor["ack"]["n"] == 40 and floor["reply_at_stub"]["n"] == 40
    assert report["errors"] == 0 and set(report["p99_vs_floor"]) == {"ack", "reply_at_stub"}
    assert all(ratio > 0 for ratio in report["p99_vs_floor"].values())
