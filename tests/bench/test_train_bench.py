"""The training benchmark prints the input pipeline's and the fit's pairs/s and each epoch's first-batch time."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_train_bench_prints_the_figures(small_data):
    films, _ = small_data
    command = [sys.executable, "bench/train.py", "--films", str(films), "--epochs", "2", "--pipeline-epochs", "2",
               "--dim", "16"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["films"] > 3000 and report["pairs"] > report["steps_per_epoch"] * report["batch_size"] * 0.9
    assert len(report["fit"]["epoch_seconds"]) == 2 and len(report["fit"]["first_batch_seconds"]) == 2
    assert len(report["pipeline"]["epoch_boundary_batch_ms"]) == 1
    assert report["pipeline"]["pairs_per_second"] > report["fit"]["pairs_per_second"] > 0
