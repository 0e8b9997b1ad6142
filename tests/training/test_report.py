"""The picture report, drawn from the session's real trained bundle."""
from __future__ import annotations

import io
import json

import pytest

from training.report import write_report

MIN_BYTES = 20_000  # a real picture, not an empty canvas


@pytest.fixture(scope="module")
def bundle(models_dir):
    return models_dir / (models_dir / "CURRENT").read_text().strip()


def test_report_writes_real_pngs(bundle, tmp_path):
    progress = io.StringIO()
    paths = write_report(bundle, tmp_path / "report", film="Heat", progress_out=progress)
    names = {path.name for path in paths}
    rated = "rating_factors.npy" in json.loads((bundle / "manifest.json").read_text())["files"]
    expected = {"training_curves.png"} | ({"rating_factors_pca.png"} if rated else set())
    assert expected <= names, progress.getvalue()
    assert any(name.startswith("neighbourhood_heat") for name in names), names
    assert len(paths) == (3 if rated else 2)  # a bundle trained without ratings has no ratings map
    for path in paths:
        assert path.is_file() and path.parent == tmp_path / "report"
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG"), path
        assert len(data) >= MIN_BYTES, (path, len(data))
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == sorted(names)  # no temporary files left
    if rated:
        assert "PC1: low end:" in progress.getvalue() and "PC2: low end:" in progress.getvalue()


def test_unknown_film_is_a_friendly_error(bundle, tmp_path):
    with pytest.raises(ValueError, match="No film called"):
        write_report(bundle, tmp_path, film="No Such Film Ever Made 1234")


def test_report_command_writes_the_pictures(models_dir, tmp_path):
    from tests.conftest import run_cli

    result = run_cli("training.cli", "report", "--models", str(models_dir), "--out", str(tmp_path / "report"),
                     "--film", "Blade Runner", timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    written = [line.removeprefix("wrote ") for line in result.stdout.splitlines() if line.startswith("wrote ")]
    assert len(written) == 3 and all(path.endswith(".png") for path in written)
    assert "PC1: low end:" in result.stderr
    missing = run_cli("training.cli", "report", "--models", str(models_dir), "--out", str(tmp_path / "r2"),
                      "--film", "No Such Film Zzyzx", timeout=300)
    assert missing.returncode == 1 and "No Such Film Zzyzx" in missing.stderr and "Traceback" not in missing.stderr
