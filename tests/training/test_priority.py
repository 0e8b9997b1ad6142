"""A retrain yields the CPU to bots on the same machine: every thread of `movielike-train` runs at lower priority."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

# Runs the trainer's command line (a quick refusal: no films file), then prints the niceness of every thread of the
# process, numpy's BLAS pool (started at import, before the trainer lowers anything) and a thread started after.
PROBE = """
import os, sys, threading
from pathlib import Path
import numpy as np
np.ones((64, 64)) @ np.ones((64, 64))  # BLAS's threads are running
from training.cli import main
code = main(["train", "--films", sys.argv[1], "--models", sys.argv[2]])
later = threading.Thread(target=lambda: None)
later.start(); later.join()
def nice_of(task):
    return int((task / "stat").read_text().rsplit(")", 1)[1].split()[16])
print(code, sorted({nice_of(task) for task in Path(f"/proc/{os.getpid()}/task").iterdir()}),
      os.getpriority(os.PRIO_PROCESS, 0), len(list(Path(f"/proc/{os.getpid()}/task").iterdir())))
"""


def probe(tmp_path, env: dict, start_nice: int = 0) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", PROBE, str(tmp_path / "no-films.ndjson"), str(tmp_path / "models")]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "2", "TF_CPP_MIN_LOG_LEVEL": "2", **env},
                          preexec_fn=(lambda: os.nice(start_nice)) if start_nice else None)


def test_every_thread_of_the_trainer_runs_at_the_configured_priority(tmp_path):
    result = probe(tmp_path, {"MOVIELIKE_TRAIN_NICE": "7"})
    assert result.stdout.startswith("2 [7] 7"), result.stdout + result.stderr  # refused (no films), all threads at 7
    assert int(result.stdout.split()[-1]) >= 2  # BLAS's pool was there to be lowered too


def test_the_default_is_ten_and_zero_keeps_the_shells_priority(tmp_path):
    assert probe(tmp_path, {"MOVIELIKE_TRAIN_NICE": ""}).stdout.startswith("2 [10] 10")
    assert probe(tmp_path, {"MOVIELIKE_TRAIN_NICE": "0"}).stdout.startswith("2 [0] 0")


def test_a_trainer_started_lower_is_never_raised(tmp_path):
    assert probe(tmp_path, {"MOVIELIKE_TRAIN_NICE": "5"}, start_nice=12).stdout.startswith("2 [12] 12")


def test_a_bad_priority_is_refused_with_a_message(tmp_path):
    result = probe(tmp_path, {"MOVIELIKE_TRAIN_NICE": "-5"})
    assert result.stdout.startswith("2 [0] 0")  # refused before anything: nothing lowered, nothing raised
    assert "MOVIELIKE_TRAIN_NICE" in result.stderr and "between 0 and 19" in result.stderr and "Traceback" not in result.stderr
