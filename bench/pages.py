"""Pages-like benchmark: `Engine.pages_like` latency (k=10, whys included) over varied pages, with no kind and with
each page's own main kind, after one warm-up query of each. Prints one JSON object.

    python bench/pages.py [--models DIR] [--queries 1000]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import Config, Engine, EngineError
from engine.threads import limit_blas_threads


def percentiles(samples: list[float]) -> dict:
    values = np.array(samples) * 1000
    return {"p50_ms": round(float(np.percentile(values, 50)), 4), "p99_ms": round(float(np.percentile(values, 99)), 4),
            "n": len(samples)}


def pages_to_ask(engine: Engine, n: int, seed: int = 1) -> list[str]:
    """Page titles, drawn with probability by how many films link to them (what people ask about: known names),
    typed as the title exactly."""
    model = engine.model
    bundle = model.bundle
    n_model_links = int(bundle.manifest["counts"]["model_links"])
    films = np.bincount(bundle.link_indices, minlength=len(bundle.link_titles))[:n_model_links].astype(np.float64)
    rng = np.random.default_rng(seed)
    asked: list[str] = []
    while len(asked) < n:
        for i in rng.choice(n_model_links, size=n, p=films / films.sum()).tolist():
            try:
                engine.page(bundle.link_titles[i])
            except EngineError:  # a title no one could type (".", symbols only): not a query
                continue
            asked.append(bundle.link_titles[i])
    return asked[:n]


def time_pages(engine: Engine, pages: list[str], same_kind: bool) -> dict:
    samples = []
    for page in pages:
        kind = engine.page(page).kind if same_kind else None
        started = time.perf_counter()
        engine.pages_like(page, 10, kind)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=None)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    config = Config.from_env()
    limit_blas_threads(config.blas_threads)  # as the bot and the CLI do (MOVIELIKE_BLAS_THREADS, default 1)
    engine = Engine.load(args.models, config)
    pages = pages_to_ask(engine, args.queries)
    kinds = engine.has_page_kinds
    engine.pages_like(pages[0], 10)  # warm-up: builds which films link to each page (once per model)
    if kinds:
        for kind in {engine.page(page).kind for page in pages} - {None}:
            engine.pages_like(pages[0], 10, kind)  # warm-up: each kind's pages as one matrix (once per model)
    report = {
        "model": engine.version,
        "pages_with_vectors": int(engine.manifest["counts"]["model_links"]),
        "dim": engine.manifest["dim"],
        "blas_threads": config.blas_threads or "library default",
        "pages_like_latency": {"any_kind": time_pages(engine, pages, same_kind=False),
                               "same_kind": time_pages(engine, pages, same_kind=True) if kinds else None},
        "tensorflow_imported": "tensorflow" in sys.modules,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
