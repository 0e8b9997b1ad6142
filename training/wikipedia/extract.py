"""Extract every film of a dump into Cookbook-format ndjson, with redirects to films in a side file.

One pass without an index; with the multistream index, the streams are split over worker processes. Output goes
to a temporary name and is renamed at the end, so an interrupted run leaves nothing behind.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from training.wikipedia.dump import pages_in_file, pages_in_range, read_index
from training.wikipedia.wikitext import film_record, is_film, normalize_title, redirect_target

CHUNK_BYTES = 4 << 20  # compressed bytes of whole streams handed to a worker at a time


@dataclass
class ExtractStats:
    pages: int = 0
    films: int = 0
    redirects_to_films: int = 0
    bad_pages: int = 0
    seconds: float = 0.0

    def add(self, other: ExtractStats) -> None:
        for name in ("pages", "films", "bad_pages"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _extract_pages(pages) -> tuple[list[list], list[tuple[str, str]], ExtractStats]:
    films, redirects, stats = [], [], ExtractStats()
    for page in pages:
        stats.pages += 1
        if page.ns != 0:
            continue
        target = redirect_target(page.text)
        if target is not None:
            redirects.append((normalize_title(page.title), target))
            continue
        if not is_film(page.text):
            continue
        try:
            record = film_record(normalize_title(page.title), page.text)
        except Exception:
            stats.bad_pages += 1
            continue
        if record is not None:
            films.append(record)
            stats.films += 1
    return films, redirects, stats


def _extract_range(args: tuple[str, int, int | None]):
    path, start, end = args
    films, redirects, stats = _extract_pages(pages_in_range(path, start, end))
    return films, redirects, stats, (end or os.path.getsize(path)) - start


def _chunks(offsets: list[int], size: int, chunk_bytes: int) -> list[tuple[int, int | None]]:
    """Consecutive runs of whole streams of about `chunk_bytes` compressed bytes each."""
    ranges, start = [], offsets[0]
    for offset in offsets[1:]:
        if offset - start >= chunk_bytes:
            ranges.append((start, offset))
            start = offset
    ranges.append((start, None))
    return ranges


def extract(dump: str | Path, out: str | Path, index: str | Path | None = None, workers: int = 1,
            progress: bool = True) -> ExtractStats:
    """Write films to `out` and redirects to films to `out` with `.redirects.ndjson`; returns the counts."""
    from tqdm.auto import tqdm

    dump, out = str(dump), Path(out)
    total = os.path.getsize(dump)
    started = time.perf_counter()
    stats = ExtractStats()
    out.parent.mkdir(parents=True, exist_ok=True)
    film_handle, film_temp = tempfile.mkstemp(prefix=f".{out.name}-", dir=out.parent)
    redirect_path = out.with_name(out.name.replace(".ndjson", "") + ".redirects.ndjson")
    redirects: list[tuple[str, str]] = []
    titles: set[str] = set()
    bar = tqdm(total=total, unit="B", unit_scale=True, desc="extracting", disable=not progress)
    try:
        with os.fdopen(film_handle, "w", encoding="utf-8") as film_out:

            def take(films, found_redirects, chunk_stats):
                for record in films:
                    film_out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    titles.add(record[0])
                redirects.extend(found_redirects)
                stats.add(chunk_stats)
                bar.set_postfix(films=stats.films, refresh=False)

            if index is None:
                def on_read(n: int) -> None:
                    bar.update(n)
                take(*_extract_pages(pages_in_file(dump, on_read)))
            else:
                ranges = _chunks(read_index(str(index)), total, CHUNK_BYTES)
                jobs = [(dump, start, end) for start, end in ranges]
                if workers <= 1:
                    results = map(_extract_range, jobs)
                    for films, found, chunk_stats, compressed in results:
                        take(films, found, chunk_stats)
                        bar.update(compressed)
                else:
                    with ProcessPoolExecutor(max_workers=workers) as pool:
                        for films, found, chunk_stats, compressed in pool.map(_extract_range, jobs):
                            take(films, found, chunk_stats)
                            bar.update(compressed)
        kept = [(source, target) for source, target in redirects if target in titles and source not in titles]
        stats.redirects_to_films = len(kept)
        redirect_handle, redirect_temp = tempfile.mkstemp(prefix=f".{redirect_path.name}-", dir=out.parent)
        with os.fdopen(redirect_handle, "w", encoding="utf-8") as redirect_out:
            for source, target in kept:
                redirect_out.write(json.dumps([source, target], ensure_ascii=False) + "\n")
        stats.seconds = round(time.perf_counter() - started, 2)
        stats_path = out.with_name(out.name.replace(".ndjson", "") + ".stats.json")
        stats_path.write_text(json.dumps(asdict(stats), indent=2))
        os.replace(redirect_temp, redirect_path)
        os.replace(film_temp, out)
    except BaseException:
        Path(film_temp).unlink(missing_ok=True)
        for leftover in out.parent.glob(f".{redirect_path.name}-*"):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        bar.close()
    return stats
