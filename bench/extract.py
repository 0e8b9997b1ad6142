"""Extraction benchmark: real-format multistream dumps of at least 200 MB of XML, built by repeating the real sample
pages (with unique titles) in two mixes, each extracted with 1 and 2 workers next to bare bz2 decompression of the
same file, in one run. Prints one JSON object.

    python bench/extract.py [--mb 200] [--dir var/bench]
"""
from __future__ import annotations

import argparse
import bz2
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.wikipedia.build import write_multistream  # noqa: E402
from training.wikipedia.extract import extract  # noqa: E402
from training.wikipedia.wikitext import is_film  # noqa: E402


def sample_pages() -> list[dict]:
    data = Path(os.environ.get("MOVIELIKE_DATA", ROOT.parent / "shared" / "data"))
    source = data / "wikipedia" / "wikitext_samples" / "piki_film_fixtures.jsonl"
    return [json.loads(line) for line in source.read_text().splitlines()]


def build(folder: Path, megabytes: int, mix: str) -> tuple[Path, Path, int]:
    """`films`: every sample page repeated (89% films: the worst case). `realistic`: the non-film pages repeated with
    one film page in each round (about 6% films, nearer a real dump's 3%)."""
    dump, index, size_file = (folder / f"bench-{mix}.xml.bz2", folder / f"bench-{mix}-index.txt.bz2",
                              folder / f"bench-{mix}-xml-bytes")
    if dump.exists() and index.exists() and size_file.exists() and int(size_file.read_text()) >= megabytes * 1e6:
        return dump, index, int(size_file.read_text())
    rows = sample_pages()
    films = [r for r in rows if is_film(r["text"])]
    others = [r for r in rows if not is_film(r["text"])]

    def rounds():
        copy = 0
        while True:
            yield copy, (rows if mix == "films" else [*others, films[copy % len(films)]])
            copy += 1

    def pages():
        page_id, written = 1, 0
        for copy, chosen in rounds():
            for row in chosen:
                yield {"title": f"{row['title']} (copy {copy})", "page_id": page_id, "ns": int(row["ns"]), "text": row["text"]}
                page_id += 1
                written += len(row["text"].encode())
            if written >= megabytes * 1e6:
                return

    folder.mkdir(parents=True, exist_ok=True)
    xml_bytes = write_multistream(pages(), dump, index, per_stream=100)
    size_file.write_text(str(xml_bytes))
    return dump, index, xml_bytes


def bare_decompression_seconds(path: Path) -> float:
    started = time.perf_counter()
    with bz2.open(path, "rb") as stream:
        while stream.read(1 << 20):
            pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=200, help="megabytes of XML at least (default 200)")
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args()
    full: dict = {}
    for mix in ("films", "realistic"):
        dump, index, xml_bytes = build(args.dir, args.mb, mix)
        mb = xml_bytes / 1e6
        report: dict = {"xml_mb": round(mb, 1), "compressed_mb": round(dump.stat().st_size / 1e6, 1)}
        bare = bare_decompression_seconds(dump)
        report["bare_bz2_decompression"] = {"seconds": round(bare, 2), "xml_mb_per_s": round(mb / bare, 1)}
        with tempfile.TemporaryDirectory() as out:
            for workers in (1, 2):
                stats = extract(dump, Path(out) / f"films-{workers}.ndjson", index=index, workers=workers, progress=False)
                report[f"extract_{workers}_worker{'s' if workers > 1 else ''}"] = {
                    "seconds": stats.seconds,
                    "xml_mb_per_s": round(mb / stats.seconds, 1),
                    "pages_per_s": round(stats.pages / stats.seconds),
                    "pages": stats.pages,
                    "films": stats.films,
                    "vs_bare_decompression": round(bare / stats.seconds, 2),
                }
        full[mix] = report
    print(json.dumps(full, indent=2))


if __name__ == "__main__":
    main()
