"""The extraction benchmark runs on a small dump and reports every figure (timings not judged here)."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_extract_bench_prints_the_figures(tmp_path):
    command = [sys.executable, "bench/extract.py", "--mb", "3", "--dir", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    for mix, report in json.loads(result.stdout).items():
        assert report["xml_mb"] >= 3 and report["bare_bz2_decompression"]["xml_mb_per_s"] > 0, mix
        one, two = report["extract_1_worker"], report["extract_2_workers"]
        assert one["films"] == two["films"] > 0 and one["vs_bare_decompression"] > 0, mix
