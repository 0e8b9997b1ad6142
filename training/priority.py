"""The trainer yields the CPU to bots on the same machine: every thread of the process runs at a lower priority.

A retrain keeps both cores busy for minutes; at the same priority a bot beside it shares a core with it and its
replies wait for the trainer's time slices. Niceness is per thread on Linux and a new thread inherits its creator's,
so every thread already running (numpy's BLAS pool starts at import) is lowered too, and threads made later
(TensorFlow's pools) inherit it from the main thread. Niceness orders threads within one scheduling group (with the
kernel's autogroup, one session; under systemd, one service): separate services weigh each other by CPU weight.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

MAX_NICE = 19

log = logging.getLogger(__name__)


def lower_priority(nice: int) -> int | None:
    """Lower every thread of this process to at least `nice` (0..19; 0 leaves it as it is), never raising one.
    Returns the main thread's niceness after; None where the platform has no niceness (Windows)."""
    if not hasattr(os, "setpriority"):
        return None
    nice = max(0, min(int(nice), MAX_NICE))
    tasks = Path(f"/proc/{os.getpid()}/task")
    threads = [int(task.name) for task in tasks.iterdir()] if tasks.is_dir() else [0]  # elsewhere: this thread
    if nice:
        for thread in threads:
            try:
                if os.getpriority(os.PRIO_PROCESS, thread) < nice:
                    os.setpriority(os.PRIO_PROCESS, thread, nice)
            except OSError:  # the thread ended meanwhile, or no permission (lowering needs none): keep what it has
                continue
    now = os.getpriority(os.PRIO_PROCESS, 0)
    if now < nice:
        log.warning("could not lower the trainer's CPU priority to %d (it runs at %d): a bot beside it may slow down",
                    nice, now)
    return now
