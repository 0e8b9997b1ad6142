"""`make acceptance`: the full model, trained once on all the shared films with the default settings, exactly as an
admin would; every fixture of tests/conftest.py (models_dir, engine, manifest) then reads this model.

Set MOVIELIKE_ACCEPTANCE_MODELS to a directory holding an already published full model to skip training.
The trainer's time is reported (printed at the end), never asserted: a busy machine is slower, not wrong.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import train_model

FULL_TRAINING_TIMEOUT = 3600  # seconds: 8-15 minutes on a 2-core machine (854 s measured), room for a busy one


MEASURED: dict = {}  # the full training's time and peak memory, printed at the end of the run


@pytest.fixture(scope="session")
def trained(tmp_path_factory, films_file, ratings_file) -> dict:
    reuse = os.environ.get("MOVIELIKE_ACCEPTANCE_MODELS")
    if reuse:
        return {"models": Path(reuse), "seconds": None, "peak_rss_mb": None, "stderr": ""}
    result = train_model(films_file, ratings_file, tmp_path_factory.mktemp("full-models"), timeout=FULL_TRAINING_TIMEOUT)
    MEASURED.update(result)
    return result


def pytest_terminal_summary(terminalreporter) -> None:
    """How long the full training took and its peak memory, for the closing note (reported, not checked)."""
    if MEASURED:
        terminalreporter.write_line(f"full training: {MEASURED['seconds']:.0f} s, trainer peak memory "
                                    f"{MEASURED['peak_rss_mb']:.0f} MB")
