"""Engine benchmark: similar() latency over 1,000 varied queries, Annoy recall@10 and speed against exact search,
at the loaded size and at 4x / 16x the catalogue, plus the engine's memory. Prints one JSON object.

    python bench/engine.py [--models DIR] [--queries 1000] [--scales 1,4,16]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annoy import AnnoyIndex

from engine import Engine, NotFound
from engine.vectors import normalize_rows, top_k


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentiles(samples: list[float]) -> dict:
    values = np.array(samples) * 1000
    return {"p50_ms": round(float(np.percentile(values, 50)), 4), "p99_ms": round(float(np.percentile(values, 99)), 4), "n": len(samples)}


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(text: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    i = rng.choice(letters)
    kind = rng.choice(("drop", "swap", "double"))
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "swap" and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i] + text[i:]


def varied_queries(engine: Engine, n: int, seed: int = 1) -> list[tuple[str, str]]:
    """(kind, text): titles as typed exactly, in another case, without accents or a leading 'The', or with a typo."""
    rng = random.Random(seed)
    state = engine.model
    popular = [int(i) for i in state.popular_order[:5000]]
    queries = []
    for _ in range(n):
        title = state.titles[rng.choice(popular)]
        bare = title.split(" (")[0]
        kind = rng.choice(("exact", "case", "accents_article", "typo"))
        if kind == "exact":
            text = title
        elif kind == "case":
            text = bare.lower() if rng.random() < 0.5 else bare.upper()
        elif kind == "accents_article":
            text = strip_accents(bare)
            text = text[4:] if text.startswith("The ") else "the " + text
        else:
            text = typo(bare, rng) if len(bare) >= 6 else bare
        queries.append(("typo" if kind == "typo" else "exact_case_accents_article", text))
    return queries


def time_similar(engine: Engine, queries: list[tuple[str, str]]) -> dict:
    by_kind: dict[str, list[float]] = {}
    not_found = 0
    for kind, text in queries:
        started = time.perf_counter()
        try:
            engine.similar(text, k=10)
        except NotFound:
            not_found += 1
        by_kind.setdefault(kind, []).append(time.perf_counter() - started)
    result = {kind: percentiles(samples) for kind, samples in by_kind.items()}
    result["not_found"] = not_found
    return result


def exact_top(vectors: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    """The k + 1 nearest rows by exact cosine (a query taken from the catalogue finds itself first)."""
    return top_k(vectors @ query, k + 1)


def compare_search(vectors: np.ndarray, queries: np.ndarray, configs: list[tuple[int, int]], k: int = 10) -> dict:
    """Exact numpy search against Annoy (n_trees, search_k) re-ranked exactly: recall@10 and per-query times."""
    exact_times, truth = [], []
    for query in queries:
        started = time.perf_counter()
        top = exact_top(vectors, query, k)
        exact_times.append(time.perf_counter() - started)
        truth.append(set(top[:k + 1].tolist()))
    report = {"n": len(vectors), "exact": percentiles(exact_times), "annoy": []}
    built: dict[int, AnnoyIndex] = {}
    for n_trees, search_k in configs:
        if n_trees not in built:
            index = AnnoyIndex(vectors.shape[1], "angular")
            index.set_seed(42)
            for i, vector in enumerate(vectors):
                index.add_item(i, vector.tolist())
            started = time.perf_counter()
            index.build(n_trees, n_jobs=-1)
            built[n_trees] = index
            report.setdefault("build_seconds", {})[n_trees] = round(time.perf_counter() - started, 2)
        index = built[n_trees]
        times, recalls = [], []
        for query, expected in zip(queries, truth):
            started = time.perf_counter()
            candidates = np.asarray(index.get_nns_by_vector(query.tolist(), 100, search_k=search_k))
            scores = vectors[candidates] @ query
            found = candidates[top_k(scores, k + 1)]
            times.append(time.perf_counter() - started)
            recalls.append(len(set(found.tolist()) & expected) / len(expected))
        entry = {"n_trees": n_trees, "search_k": search_k, "recall_at_10": round(float(np.mean(recalls)), 4), **percentiles(times)}
        entry["speed_vs_exact"] = round(report["exact"]["p50_ms"] / entry["p50_ms"], 2)
        report["annoy"].append(entry)
    for index in built.values():
        index.unload()
    qualified = [a for a in report["annoy"] if a["recall_at_10"] >= 0.98]
    report["fastest_annoy_with_recall_0.98"] = min(qualified, key=lambda a: a["p50_ms"]) if qualified else None
    best = report["fastest_annoy_with_recall_0.98"]
    report["winner"] = "annoy" if best and best["p50_ms"] < report["exact"]["p50_ms"] else "exact"
    return report


def tiled(vectors: np.ndarray, factor: int, rng: np.random.Generator, noise: float = 1.2) -> np.ndarray:
    """The catalogue repeated `factor` times, each copy moved by random noise of norm about `noise` (cosine to its
    original about 0.64, about as close as a film's nearest neighbours) and re-normalised: a larger set in which the
    copies mix with the real neighbours instead of crowding them out."""
    sigma = noise / np.sqrt(vectors.shape[1])
    copies = [vectors] + [vectors + rng.normal(0, sigma, vectors.shape).astype(np.float32) for _ in range(factor - 1)]
    return normalize_rows(np.vstack(copies))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=None)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--search-queries", type=int, default=300)
    args = parser.parse_args()

    rss_before = rss_mb()
    started = time.perf_counter()
    engine = Engine.load(args.models)
    load_seconds = time.perf_counter() - started
    queries = varied_queries(engine, args.queries)
    engine.similar(int(engine.model.popular_order[0]))  # warm up (any catalogue: the best-known film)
    latency = time_similar(engine, queries)
    latency = {"warmup_then": latency, "again": time_similar(engine, queries)}
    rss_after = rss_mb()
    report = {
        "model": engine.version,
        "films": len(engine),
        "dim": engine.manifest["dim"],
        "search_mode": engine.search_mode,
        "similar_reads": "stored exact neighbours (top 100 per film, computed when publishing)",
        "load_seconds": round(load_seconds, 3),
        "similar_latency": latency,
        "rss_mb": {"python_baseline": round(rss_before, 1), "engine_loaded_and_queried": round(rss_after, 1)},
        "tensorflow_imported": "tensorflow" in sys.modules,
    }

    vectors = np.ascontiguousarray(engine.model.bundle.film_vectors)
    rng = np.random.default_rng(3)
    configs = [(n_trees, search_k) for n_trees in (20, 50, 100) for search_k in (5000, 20000, 50000, 100000)]
    report["search"] = {}
    for scale in [int(s) for s in args.scales.split(",") if s]:
        data = vectors if scale == 1 else tiled(vectors, scale, rng)
        picks = rng.choice(len(vectors), size=args.search_queries, replace=False)
        report["search"][f"{scale}x"] = compare_search(data, data[picks], configs)
        print(f"scale {scale}x done", file=sys.stderr, flush=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
