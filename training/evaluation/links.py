"""The link model's evaluation, printed by every training run and stored in the manifest: link share, franchise
hit rate@10 next to exact TF-IDF cosine over the same links, and example neighbours."""
from __future__ import annotations

import time

import numpy as np
from scipy import sparse

from engine.film_links import FilmLinks
from engine.vectors import top_k, top_k_rows
from training.evaluation.blocked import in_blocks
from training.evaluation.franchise import follow_ups, franchise_pairs, share_of_hits
from training.evaluation.pages import evaluate_pages, format_pages
from training.evaluation.vectors_know import format_vectors_know, what_vectors_know
from training.links.dataset import LinkDataset

EXAMPLE_TITLES = ("Star Wars (film)", "Blade Runner", "Toy Story", "The Godfather", "Alien (film)", "Rocky")


def best_other_columns(scores: np.ndarray, k: int, exclude: np.ndarray) -> np.ndarray:
    """The k best columns of each row, best first, never column `exclude[i]` for row i (a film is not its own neighbour)."""
    scores = np.array(scores, dtype=np.float32, copy=True)
    scores[np.arange(len(scores)), exclude] = -np.inf
    return top_k_rows(scores, k)


def franchise_hits(neighbours_of, pairs: list[tuple[int, int]], k: int = 10) -> list[bool]:
    """For each (first, follow-up) pair, whether the follow-up is among the first film's k nearest films."""
    if not pairs:
        return []
    firsts = np.array(sorted({first for first, _ in pairs}))
    top = neighbours_of(firsts, k)
    row_of = {film: row for row, film in enumerate(firsts)}
    return [follow in set(top[row_of[first]].tolist()) for first, follow in pairs]


def franchise_hit_rate(neighbours_of, pairs: list[tuple[int, int]], k: int = 10) -> float:
    """Share of (first, follow-up) pairs whose follow-up is among the first film's k nearest films."""
    return share_of_hits(franchise_hits(neighbours_of, pairs, k), pairs)


def vector_neighbours(film_vectors: np.ndarray):
    """Exact cosine neighbours over normalised film vectors, as a function for `franchise_hit_rate`."""

    def neighbours(film_ids: np.ndarray, k: int) -> np.ndarray:
        return best_other_columns(film_vectors[film_ids] @ film_vectors.T, k, film_ids)

    return in_blocks(neighbours, len(film_vectors))


def tfidf_matrix(dataset: LinkDataset) -> sparse.csr_matrix:
    """Films x model links, idf-weighted binary links, rows L2-normalised: the plain baseline."""
    films = np.repeat(np.arange(dataset.n_films), np.diff(dataset.link_indptr))
    links = dataset.link_indices
    keep = links < dataset.n_model_links
    matrix = sparse.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.float32), (films[keep], links[keep])),
        shape=(dataset.n_films, dataset.n_model_links),
    )
    document_frequency = np.bincount(links[keep], minlength=dataset.n_model_links)
    idf = np.log(dataset.n_films / np.maximum(document_frequency, 1)).astype(np.float32)
    matrix = matrix @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.diags(1 / np.maximum(norms, 1e-12)) @ matrix


def tfidf_neighbours(matrix: sparse.csr_matrix):
    """Exact TF-IDF cosine neighbours, as a function for `franchise_hit_rate`."""

    def neighbours(film_ids: np.ndarray, k: int) -> np.ndarray:
        scores = (matrix[film_ids] @ matrix.T).toarray()
        return best_other_columns(scores, k, film_ids)

    return in_blocks(neighbours, matrix.shape[0])


LINK_SHARE_BLOCK = 100  # films scored against every linked page at a time


def link_share(film_vectors: np.ndarray, link_vectors: np.ndarray, dataset: LinkDataset, sample: int = 2000, seed: int = 7) -> float:
    """For sampled films with n model links: the share of the n links nearest the film that are its own."""
    rng = np.random.default_rng(seed)
    film_ids = rng.choice(dataset.n_films, size=min(sample, dataset.n_films), replace=False)
    shares = []
    for start in range(0, len(film_ids), LINK_SHARE_BLOCK):  # in blocks: 2,000 films x 590k pages is 4.7 GB at once
        block = film_ids[start:start + LINK_SHARE_BLOCK]
        scores = film_vectors[block] @ link_vectors.T
        for row, film_id in enumerate(block):
            own = dataset.links_of(film_id)
            own = own[own < dataset.n_model_links]
            if len(own) == 0:
                continue
            nearest = top_k(scores[row], len(own))
            shares.append(len(np.intersect1d(nearest, own)) / len(own))
    return float(np.mean(shares))


def neighbour_examples(film_vectors: np.ndarray, dataset: LinkDataset, titles=EXAMPLE_TITLES, k: int = 5) -> dict[str, list[str]]:
    index = {film.title: i for i, film in enumerate(dataset.films)}
    found = [index[title] for title in titles if title in index]
    if not found:
        found = list(range(min(3, dataset.n_films)))
    top = vector_neighbours(film_vectors)(np.array(found), k)
    return {dataset.films[i].title: [dataset.films[j].title for j in row] for i, row in zip(found, top)}


def stored_neighbours_of(neighbours: np.ndarray):
    """The bundle's stored neighbours (the links view) as a function for `franchise_hit_rate`."""
    return lambda film_ids, k: neighbours[film_ids, :k]


def linked_film_hit_rate(neighbours_of, film_links: FilmLinks, k: int = 10) -> float | None:
    """Share of (film, film its article links to) pairs, namesakes left out, with the linked film in the first's top k;
    None when no film links to another."""
    pairs = film_links.pairs
    if len(pairs) == 0:
        return None
    sources = np.unique(pairs[:, 0])
    top = neighbours_of(sources, k)
    row_of = {film: row for row, film in enumerate(sources.tolist())}
    return float(np.mean([target in set(top[row_of[source]].tolist()) for source, target in pairs.tolist()]))


def generic_only_share(neighbours_of, dataset: LinkDataset, film_links: FilmLinks, specific, sample: int = 2000,
                       k: int = 10, seed: int = 7) -> float:
    """Share of (film, top-k neighbour) pairs, for sampled films, whose why could name only generic links: no
    specific link shared (`specific`: publish/neighbours.specific_links) and no link between their articles."""
    films = np.random.default_rng(seed).choice(dataset.n_films, size=min(sample, dataset.n_films), replace=False)
    top = neighbours_of(films, k)
    said = (specific[films] @ specific.T).tocsr()
    generic = [not said[row, other] and not film_links.linked(int(film), int(other))
               for row, film in enumerate(films.tolist()) for other in top[row].tolist()]
    return float(np.mean(generic))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def evaluate_model(dataset: LinkDataset, film_vectors: np.ndarray, link_vectors: np.ndarray,
                   neighbours: np.ndarray | None = None, film_links: FilmLinks | None = None) -> dict:
    """Link share, franchise hit rate@10 for the model and for exact TF-IDF cosine, what the vectors know of Rotten
    Tomatoes scores (vectors_know.py), and example neighbours; with the
    stored `neighbours` (the links view) and `film_links`, their franchise and linked-film hit rates and the share
    of generic-only whys, next to the learned cosine's."""
    started = time.perf_counter()
    pairs = franchise_pairs(dataset.films)
    follow = set(follow_ups(dataset.films, pairs))  # title namesakes (Fear / Fear X) left out: franchise_namesakes.py
    cosine = vector_neighbours(film_vectors)
    cosine_hits = franchise_hits(cosine, pairs)  # each pair scored once: over all pairs and over the follow-ups
    tfidf_hits = franchise_hits(tfidf_neighbours(tfidf_matrix(dataset)), pairs)
    metrics = {
        "link_share": round(link_share(film_vectors, link_vectors, dataset), 4),
        "franchise_pairs": len(pairs),
        "franchise_hit_rate_at_10": round(share_of_hits(cosine_hits, pairs), 4),
        "tfidf_franchise_hit_rate_at_10": round(share_of_hits(tfidf_hits, pairs), 4),
        "follow_up_pairs": len(follow),
        "follow_up_franchise_hit_rate_at_10": round(share_of_hits(cosine_hits, pairs, follow), 4),
        "tfidf_follow_up_franchise_hit_rate_at_10": round(share_of_hits(tfidf_hits, pairs, follow), 4),
    }
    if neighbours is not None and film_links is not None:
        from training.publish.neighbours import specific_links

        stored = stored_neighbours_of(neighbours)
        stored_hits = franchise_hits(stored, pairs)
        specific = specific_links(dataset.link_indptr, dataset.link_indices, len(dataset.link_titles))  # once for both
        metrics["links_view"] = {
            "franchise_hit_rate_at_10": round(share_of_hits(stored_hits, pairs), 4),
            "follow_up_franchise_hit_rate_at_10": round(share_of_hits(stored_hits, pairs, follow), 4),
            "linked_film_pairs": len(film_links.pairs),
            "linked_film_hit_rate_at_10": _rounded(linked_film_hit_rate(stored, film_links)),
            "cosine_linked_film_hit_rate_at_10": _rounded(linked_film_hit_rate(cosine, film_links)),
            "generic_only_why_share": round(generic_only_share(stored, dataset, film_links, specific), 4),
            "cosine_generic_only_why_share": round(generic_only_share(cosine, dataset, film_links, specific), 4),
        }
    metrics["vectors_know"] = what_vectors_know(dataset.films, film_vectors)
    metrics["pages"] = evaluate_pages(dataset.films, dataset.link_titles, link_vectors)  # pages like a page
    metrics["examples"] = neighbour_examples(film_vectors, dataset)
    metrics["seconds"] = round(time.perf_counter() - started, 2)
    return metrics


def format_metrics(metrics: dict, loss_curve: list[float]) -> str:
    """The evaluation as a few readable lines."""
    lines = ["loss by epoch: " + " ".join(f"{x:.3f}" for x in loss_curve)]
    lines.append(f"link share (a film's own links among its nearest links): {metrics['link_share']:.3f}")
    if not metrics["franchise_pairs"]:
        lines.append("franchise hit rate@10: no sequel pairs in these films to score (titles like 'X 2' / 'X II')")
    else:
        verdict = "beats" if metrics["franchise_hit_rate_at_10"] >= metrics["tfidf_franchise_hit_rate_at_10"] else "LOSES TO"
        lines.append(
            f"franchise hit rate@10 over {metrics['franchise_pairs']} sequel pairs: model {metrics['franchise_hit_rate_at_10']:.3f}"
            f" {verdict} exact TF-IDF cosine {metrics['tfidf_franchise_hit_rate_at_10']:.3f}"
        )
        if metrics.get("follow_up_pairs") is not None and metrics["follow_up_pairs"] < metrics["franchise_pairs"]:
            lines.append(
                f"  over the {metrics['follow_up_pairs']} that are follow-ups ({metrics['franchise_pairs'] - metrics['follow_up_pairs']}"
                f" title namesakes left out, checked by hand): model {metrics['follow_up_franchise_hit_rate_at_10']:.3f}, "
                f"exact TF-IDF {metrics['tfidf_follow_up_franchise_hit_rate_at_10']:.3f}"
            )
    view = metrics.get("links_view")
    if view:
        parts = []
        if metrics["franchise_pairs"]:
            parts.append(f"franchise hit rate@10 {view['franchise_hit_rate_at_10']:.3f}"
                         + (f" ({view['follow_up_franchise_hit_rate_at_10']:.3f} over the follow-ups)"
                            if "follow_up_franchise_hit_rate_at_10" in view else ""))
        if view["linked_film_pairs"]:
            parts.append(f"linked films in the top 10 {view['linked_film_hit_rate_at_10']:.3f} of "
                         f"{view['linked_film_pairs']:,} pairs (cosine alone {view['cosine_linked_film_hit_rate_at_10']:.3f})")
        else:
            parts.append("no film's article links to another's")
        parts.append(f"whys with only generic links {view['generic_only_why_share']:.1%} (cosine alone "
                     f"{view['cosine_generic_only_why_share']:.1%})")
        lines.append("links view (cosine + exact link overlap + links between articles): " + "; ".join(parts))
    if "vectors_know" in metrics:
        lines.append(format_vectors_know(metrics["vectors_know"]))
    if "pages" in metrics:
        lines.append(format_pages(metrics["pages"]))
    for title, neighbours in metrics["examples"].items():
        lines.append(f"  {title}: " + " · ".join(neighbours))
    return "\n".join(lines)
