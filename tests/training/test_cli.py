"""`movielike-train` refuses bad requests with a message, before any slow work."""
from __future__ import annotations

from tests.conftest import run_cli


def test_missing_films_file_says_what_to_do(tmp_path):
    result = run_cli("training.cli", "train", "--films", str(tmp_path / "nope.ndjson"), "--models", str(tmp_path), timeout=120)
    assert result.returncode == 2
    assert "no films file" in result.stderr and "fetch-data" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_numbers_are_usage_errors(tmp_path, films_file):
    result = run_cli("training.cli", "train", "--films", str(films_file), "--epochs", "0", "--models", str(tmp_path), timeout=120)
    assert result.returncode == 2 and "--epochs" in result.stderr
    result = run_cli("training.cli", "train", "--loss", "magic", timeout=120)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_unreadable_films_file_is_reported(tmp_path):
    films = tmp_path / "films.ndjson"
    films.write_text("garbage\n{}\n")
    result = run_cli("training.cli", "train", "--films", str(films), "--models", str(tmp_path / "m"), timeout=120)
    assert result.returncode == 1
    assert "no readable film" in result.stderr and "2 bad lines" in result.stderr
    assert not (tmp_path / "m" / "CURRENT").exists()
