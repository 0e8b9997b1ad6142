"""A retrain yields the CPU to bots on the same machine: every thread of `movielike-train` runs at lower priority."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

# Runs the trainer's command line (a quick refusal: no films file) with numpy's BLAS pool already running, then prints
# the niceness of every thread of the process, a thread started afterwards (alive while they are listed) included.
PROBE = """
import os, sys, threading
from pathlib import Path
import numpy as np
np.ones((64, 64)) @ np.ones((64, 64))  # BLAS's threads are running
from training.cli import main
code = main(["train", "--films", sys.argv[1], "--models", sys.argv[2]])
done = threading.Event()
later = threading.Thread(target=done.wait)
later.start()
def nice_of(task):
    return int((task / "stat").read_text().rsplit(")", 1)[1].split()[16])
tasks = list(Path(f"/proc/{os.getpid()}/task").iterdir())
print(code, sorted({nice_of(task) for task in tasks}), os.getpriority(os.PRIO_PROCESS, 0), len(tasks))
done.set()
later.join()
"""
BASE = os.getpriority(os.PRIO_PROCESS, 0)  # the test runner's own niceness, which the trainer starts from


def probe(tmp_path, nice_setting: str, start_nice: int = 0) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", PROBE, str(tmp_path / "no-films.ndjson"), str(tmp_path / "models")]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "2", "TF_CPP_MIN_LOG_LEVEL": "2",
                               "MOVIELIKE_TRAIN_NICE": nice_setting},
                          preexec_fn=(lambda: os.nice(start_nice)) if start_nice else None)


def expect(nice: int) -> str:
    """The start of the probe's line when the trainer refused the missing films and every thread runs at `nice`."""
    return f"2 [{nice}] {nice} "


def test_every_thread_of_the_trainer_runs_at_the_configured_priority(tmp_path):
    result = probe(tmp_path, "7")
    assert result.stdout.startswith(expect(max(BASE, 7))), result.stdout + result.stderr
    assert int(result.stdout.split()[-1]) >= 3  # BLAS's pool and the later thread were there, lowered too


def test_the_default_is_ten_and_zero_keeps_the_shells_priority(tmp_path):
    assert probe(tmp_path, "").stdout.startswith(expect(max(BASE, 10)))
    assert probe(tmp_path, "0").stdout.startswith(expect(BASE))


def test_a_trainer_started_lower_is_never_raised(tmp_path):
    assert probe(tmp_path, "5", start_nice=12).stdout.startswith(expect(min(19, BASE + 12)))


def test_out_of_range_values_are_clamped_and_a_typo_is_refused_with_a_message(tmp_path):
    assert probe(tmp_path, "-5").stdout.startswith(expect(BASE))  # never raised: that would need privileges
    assert probe(tmp_path, "40").stdout.startswith(expect(19))
    result = probe(tmp_path, "ten")
    assert result.stdout.startswith(expect(BASE))  # refused before anything ran
    assert "MOVIELIKE_TRAIN_NICE" in result.stderr and "integer" in result.stderr and "Traceback" not in result.stderr
