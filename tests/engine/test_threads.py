"""Serving processes cap numpy's BLAS threads (MOVIELIKE_BLAS_THREADS, default 1); 0 leaves the library's default."""
from __future__ import annotations

import subprocess
import sys

from engine import Config


def test_config_reads_the_blas_thread_cap():
    assert Config.from_env({}).blas_threads == 1
    assert Config.from_env({"MOVIELIKE_BLAS_THREADS": "0"}).blas_threads == 0
    assert Config.from_env({"MOVIELIKE_BLAS_THREADS": "4"}).blas_threads == 4


def test_the_cap_applies_to_every_blas_pool_in_the_process():
    """In a fresh process, as at a serving process's start-up: after the call every BLAS/OpenMP pool has one thread."""
    script = (
        "import numpy, threadpoolctl\n"
        "from engine.threads import limit_blas_threads\n"
        "limit_blas_threads(1)\n"
        "pools = threadpoolctl.threadpool_info()\n"
        "assert pools, 'numpy has a BLAS'\n"
        "print(sorted({pool['num_threads'] for pool in pools}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[1]"
