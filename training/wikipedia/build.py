"""Write pages as a MediaWiki export in the layout of a pages-articles-multistream dump, with its index.

Used to make real-format dumps from sample pages (tests, bench/extract.py) and small dumps of one's own.
"""
from __future__ import annotations

import bz2
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HEADER = ('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">\n'
          "  <siteinfo>\n    <sitename>Wikipedia</sitename>\n    <dbname>enwiki</dbname>\n  </siteinfo>\n")
FOOTER = "</mediawiki>\n"


def page_xml(title: str, page_id: int, text: str, ns: int = 0, redirect: str | None = None) -> str:
    redirect_tag = f"    <redirect title={quoteattr(redirect)} />\n" if redirect else ""
    return (f"  <page>\n    <title>{escape(title)}</title>\n    <ns>{ns}</ns>\n    <id>{page_id}</id>\n{redirect_tag}"
            f"    <revision>\n      <id>{page_id}</id>\n      <text bytes=\"{len(text)}\" xml:space=\"preserve\">{escape(text)}</text>\n"
            f"    </revision>\n  </page>\n")


def write_multistream(pages: Iterable[dict], dump_path: Path, index_path: Path, per_stream: int = 100) -> int:
    """pages: dicts with title, page_id, text (and ns). One bz2 stream for the header, one per `per_stream` pages,
    one for the footer; the index lists `offset:page_id:title` for every page. Returns the XML size in bytes."""
    xml_bytes = 0
    index_lines: list[str] = []
    with open(dump_path, "wb") as dump:
        def stream(text: str) -> int:
            nonlocal xml_bytes
            offset = dump.tell()
            data = text.encode("utf-8")
            xml_bytes += len(data)
            dump.write(bz2.compress(data, 9))
            return offset

        stream(HEADER)
        batch: list[dict] = []

        def flush() -> None:
            if batch:
                offset = stream("".join(page_xml(p["title"], p["page_id"], p["text"], p.get("ns", 0), p.get("redirect"))
                                        for p in batch))
                index_lines.extend(f"{offset}:{p['page_id']}:{p['title']}" for p in batch)
                batch.clear()

        for page in pages:
            batch.append(page)
            if len(batch) >= per_stream:
                flush()
        flush()
        stream(FOOTER)
    with bz2.open(index_path, "wt", encoding="utf-8") as index:
        index.write("\n".join(index_lines) + "\n")
    return xml_bytes
