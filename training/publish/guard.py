"""The retrain guard: a new model that evaluates worse than the published one is not published."""
from __future__ import annotations

import json
from pathlib import Path

from engine.bundle import MANIFEST, current_version

GUARDED_METRICS = ("franchise_hit_rate_at_10", "link_share", "recommend_ndcg_at_10")


def guard_report(current: dict | None, new: dict, tolerance: float) -> str | None:
    """None when `new` may replace `current`; otherwise a report of each metric that dropped by more than `tolerance`."""
    if not current:
        return None
    drops = []
    for name in GUARDED_METRICS:
        before, after = current.get(name), new.get(name)
        if before is not None and after is not None and after < before - tolerance:
            drops.append(f"  {name}: {before:.4f} -> {after:.4f} (drop {before - after:.4f} > tolerance {tolerance})")
    if not drops:
        return None
    return ("The new model evaluates worse than the published one; not publishing (use --force to publish anyway):\n"
            + "\n".join(drops))


def published_metrics(models_dir: Path) -> dict | None:
    """The published bundle's evaluation, or None when nothing (readable) is published."""
    version = current_version(models_dir)
    if version is None:
        return None
    try:
        return json.loads((Path(models_dir) / version / MANIFEST).read_text()).get("metrics")
    except (OSError, json.JSONDecodeError):
        return None
