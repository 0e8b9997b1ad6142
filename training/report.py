"""Evaluate a trained model next to the TF-IDF baseline, as figures for the terminal and the manifest."""
from __future__ import annotations

import time

import numpy as np

from training.dataset import LinkDataset
from training.evaluate import (
    franchise_hit_rate,
    link_share,
    neighbour_examples,
    tfidf_matrix,
    tfidf_neighbours,
    vector_neighbours,
)
from training.franchise import franchise_pairs


def evaluate_model(dataset: LinkDataset, film_vectors: np.ndarray, link_vectors: np.ndarray) -> dict:
    """Link share, franchise hit rate@10 for the model and for exact TF-IDF cosine, and example neighbours."""
    started = time.perf_counter()
    pairs = franchise_pairs(dataset.films)
    model_rate = franchise_hit_rate(vector_neighbours(film_vectors), pairs)
    tfidf_rate = franchise_hit_rate(tfidf_neighbours(tfidf_matrix(dataset)), pairs)
    return {
        "link_share": round(link_share(film_vectors, link_vectors, dataset), 4),
        "franchise_pairs": len(pairs),
        "franchise_hit_rate_at_10": round(model_rate, 4),
        "tfidf_franchise_hit_rate_at_10": round(tfidf_rate, 4),
        "examples": neighbour_examples(film_vectors, dataset),
        "seconds": round(time.perf_counter() - started, 2),
    }


def format_metrics(metrics: dict, loss_curve: list[float]) -> str:
    """The evaluation as a few readable lines."""
    lines = ["loss by epoch: " + " ".join(f"{x:.3f}" for x in loss_curve)]
    lines.append(f"link share (a film's own links among its nearest links): {metrics['link_share']:.3f}")
    verdict = "beats" if metrics["franchise_hit_rate_at_10"] >= metrics["tfidf_franchise_hit_rate_at_10"] else "LOSES TO"
    lines.append(
        f"franchise hit rate@10 over {metrics['franchise_pairs']} sequel pairs: model {metrics['franchise_hit_rate_at_10']:.3f}"
        f" {verdict} exact TF-IDF cosine {metrics['tfidf_franchise_hit_rate_at_10']:.3f}"
    )
    for title, neighbours in metrics["examples"].items():
        lines.append(f"  {title}: " + " · ".join(neighbours))
    return "\n".join(lines)
