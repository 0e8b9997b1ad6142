"""A synthetic films file at the size of the real English Wikipedia (about 170,000 film articles, ~60 links each),
with the shape of the shared data: link popularity follows a Zipf law (a few pages, countries and genres, are linked
by thousands of films; most people by a handful), and films come in clusters (a studio era, a director's circle)
whose members share links, so every film has real neighbours. Cookbook format, one JSON array per line.

    python bench/synthetic_films.py --out var/synthetic/films.ndjson [--films 170000] [--links-per-film 60]

Used to run the whole chain (train, publish, load, query) at full scale: see the README's Performance section.
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

GENRES = ["Drama", "Comedy", "Horror", "Western", "Science fiction", "Crime", "Romance", "Musical", "War", "Animated",
          "Documentary", "Thriller", "Action", "Adventure", "Fantasy"]


def write_films(out: Path, films: int, links_per_film: int, seed: int = 7) -> dict:
    """Write the file (to a temporary name, renamed into place); returns its statistics."""
    rng = np.random.default_rng(seed)
    clusters = max(1, films // 85)  # ~85 films a cluster: a director's or a studio era's circle
    cluster_pages = 400  # pages a cluster's films draw from (its people, places, works)
    shared_pages = 20_000  # pages every film may link (countries, genres, awards, decades, big studios)
    zipf_shared = 1.0 / np.arange(1, shared_pages + 1) ** 1.1
    zipf_shared /= zipf_shared.sum()
    zipf_cluster = 1.0 / np.arange(1, cluster_pages + 1) ** 0.9
    zipf_cluster /= zipf_cluster.sum()
    total_links = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    cluster_of = rng.integers(0, clusters, films)
    draws_per_film = links_per_film * 1.33  # about a quarter of the Zipf draws repeat a link and are dropped
    counts = np.clip(rng.lognormal(np.log(draws_per_film) - 0.18, 0.6, films).astype(int), 3, 500)
    own = (counts * 0.6).astype(int)
    # All draws at once (with replacement: a film's repeated link is dropped when the file is read, as a real
    # article's is), so 170k films take seconds, not hours.
    cluster_draws = rng.choice(cluster_pages, int(own.sum()), p=zipf_cluster)
    shared_draws = rng.choice(shared_pages, int((counts - own).sum()), p=zipf_shared)
    cluster_at = np.concatenate([[0], np.cumsum(own)])
    shared_at = np.concatenate([[0], np.cumsum(counts - own)])
    part = out.with_name(out.name + ".part")
    try:
        with open(part, "w", encoding="utf-8") as handle:
            for number in range(films):
                cluster = int(cluster_of[number])
                pages = [f"Person {cluster}-{p}" for p in cluster_draws[cluster_at[number]:cluster_at[number + 1]]]
                pages += [f"Page {p}" for p in shared_draws[shared_at[number]:shared_at[number + 1]]]
                pages = list(dict.fromkeys(pages))
                year = 1920 + (cluster * 7 + number) % 100
                infobox = {"year": year, "genres": [GENRES[cluster % len(GENRES)]]}
                handle.write(json.dumps([f"Synthetic film {number} ({year} film)", infobox, pages, None, None]) + "\n")
                total_links += len(pages)
        os.replace(part, out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return {"films": films, "links": total_links, "links_per_film": round(total_links / films, 1), "clusters": clusters,
            "bytes": out.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--films", type=int, default=170_000)
    parser.add_argument("--links-per-film", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(write_films(Path(args.out), args.films, args.links_per_film, args.seed), indent=2))


if __name__ == "__main__":
    main()
