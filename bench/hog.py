"""A bounded CPU hog on every core, for benches that measure under load (a bot shares its machine)."""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Iterator


def _hog(seconds: float) -> None:
    """Keep one core busy for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sum(i * i for i in range(10_000))


@contextlib.contextmanager
def hogging(seconds: float = 4 * 3600) -> Iterator[int]:
    """A hog on every core for the body (each also stops by itself after `seconds`, should this process die), stopped
    after, whatever happens. Yields how many."""
    hogs = [multiprocessing.Process(target=_hog, args=(seconds,), daemon=True) for _ in range(os.cpu_count() or 1)]
    for hog in hogs:
        hog.start()
    try:
        time.sleep(0.5)  # let them reach full speed
        yield len(hogs)
    finally:
        for hog in hogs:
            hog.terminate()
            hog.join()
