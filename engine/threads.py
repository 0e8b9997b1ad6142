"""How many threads numpy's BLAS (OpenBLAS, MKL) and OpenMP may use in a serving process.

The engine's linear algebra is small (a 129 x 129 Newton step, a few thousand dot products): one thread does it in
milliseconds, while BLAS's default of one spinning thread per core, on a machine another process keeps busy, took
a recommendation from 21 ms to 1.3 s (issue 12). Serving processes (the bot, the `movielike` CLI) call
`limit_blas_threads` once at start-up; training is left alone.
"""
from __future__ import annotations

from threadpoolctl import threadpool_limits

_limits: list = []  # the active limit, kept referenced for the life of the process


def limit_blas_threads(threads: int) -> None:
    """Cap BLAS and OpenMP thread pools at `threads` for the rest of the process (0: leave the libraries' defaults)."""
    if threads > 0:
        _limits.append(threadpool_limits(limits=threads))
