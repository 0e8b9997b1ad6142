"""Pages like a page, checked on directors: are a director's nearest directors (by link vectors) directors of the
same genres?

A director is a page named in some film's `director` infobox field (training/publish/link_kinds.py); their genres
are the infobox genres of the films they directed. For each director with vectors and genres: the share of their
10 nearest other directors (cosine of link vectors, what `Engine.pages_like(page, kind="director")` answers) who
share at least one genre with them, against the same share for 10 directors drawn at random.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.vectors import top_k_rows
from training.data.films import FilmRecord
from training.evaluation.blocked import in_blocks
from training.publish.link_kinds import infer_link_kinds, kind_coverage, named_links

K = 10


def director_genres(films: Sequence[FilmRecord], link_titles: Sequence[str]) -> dict[int, set[str]]:
    """Link id of each director -> the infobox genres of the films they directed (empty when none has genres)."""
    link_id = {title: i for i, title in enumerate(link_titles)}
    genres: dict[int, set[str]] = {}
    for film in films:
        for i, kind in named_links(film, link_id):
            if kind == "director":
                genres.setdefault(i, set()).update(film.infobox.get("genres") or ())
    return genres


def director_genre_share(films: Sequence[FilmRecord], link_titles: Sequence[str], link_vectors: np.ndarray,
                         k: int = K, sample: int = 2000, seed: int = 7) -> dict:
    """The share of a director's k nearest directors who share a genre with them, and of k random directors."""
    genres = director_genres(films, link_titles)
    ids = np.array(sorted(i for i, named in genres.items() if named and i < len(link_vectors)), dtype=np.int64)
    if len(ids) <= k:
        return {"directors": len(ids), "top10_share_genre": None, "random_share_genre": None}
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(ids), size=min(sample, len(ids)), replace=False))
    vectors = np.asarray(link_vectors[ids], dtype=np.float32)

    def nearest_of(block: np.ndarray, k: int) -> np.ndarray:
        scores = vectors[rows[block]] @ vectors.T
        scores[np.arange(len(block)), rows[block]] = -np.inf  # never a director's own page
        return top_k_rows(scores, k)

    nearest = in_blocks(nearest_of, len(ids))(np.arange(len(rows)), k)
    sets = [genres[int(i)] for i in ids]

    def shares(row: int, others) -> float:
        return float(np.mean([bool(sets[row] & sets[int(other)]) for other in others]))

    near = [shares(row, nearest[n]) for n, row in enumerate(rows.tolist())]
    drawn = []
    for row in rows.tolist():
        others = rng.choice(len(ids) - 1, size=k, replace=False)
        drawn.append(shares(row, others + (others >= row)))  # any director but themselves
    return {"directors": len(ids), "sampled": len(rows), "top10_share_genre": round(float(np.mean(near)), 4),
            "random_share_genre": round(float(np.mean(drawn)), 4)}


def evaluate_pages(films: Sequence[FilmRecord], link_titles: Sequence[str], link_vectors: np.ndarray) -> dict:
    """The manifest's `pages` metrics: how many of the model's links have a kind, and the directors' genre check."""
    kinds = infer_link_kinds(films, link_titles)
    return {"kinds": kind_coverage(kinds, len(link_vectors)),
            "directors": director_genre_share(films, link_titles, link_vectors)}


def format_pages(metrics: dict) -> str:
    check = metrics["directors"]
    coverage = metrics["kinds"]
    line = f"page kinds: {coverage['with_kind']:.1%} of {coverage['model_links']:,} pages with vectors have one"
    if check["top10_share_genre"] is None:
        return f"{line}; too few directors ({check['directors']}) for the genre check"
    return (f"{line}\npages like a director ({check['directors']:,} directors): "
            f"{check['top10_share_genre']:.3f} of their 10 nearest directors share a genre with them, "
            f"random directors {check['random_share_genre']:.3f}")


def main(argv: list[str] | None = None) -> int:
    """The check on a published model and its films file, for a model trained before kinds were evaluated:
    `python -m training.evaluation.pages --models DIR --films FILE` prints it and its JSON."""
    import argparse
    import json
    from pathlib import Path

    from engine.bundle import load_current
    from training.data.films import read_films

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--models", required=True, help="a models directory (its CURRENT version is read)")
    parser.add_argument("--films", required=True, help="the films file the model was trained on")
    args = parser.parse_args(argv)
    bundle = load_current(Path(args.models))
    kept = set(bundle.films["titles"])
    films = [film for film in read_films(args.films).films if film.title in kept]  # the films train evaluates
    metrics = evaluate_pages(films, bundle.link_titles, np.asarray(bundle.link_vectors))
    print(format_pages(metrics))
    print(json.dumps(metrics))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
