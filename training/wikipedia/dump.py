"""Stream pages out of a MediaWiki XML export compressed with bz2, whole or by multistream stream ranges.

A pages-articles-multistream dump is many bz2 streams back to back (a header, then about 100 pages a stream, then
a footer); its index says where each stream starts. Any run of whole streams decompresses to a run of whole
<page> elements, which is what lets workers split the file.
"""
from __future__ import annotations

import bz2
import io
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass

READ_BLOCK = 1 << 20


@dataclass(frozen=True)
class Page:
    title: str
    ns: int
    text: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def iter_pages(xml_stream) -> Iterator[Page]:
    """Pages from an XML byte stream (a whole export, or <page> elements wrapped in any root); memory stays flat."""
    title, ns, text = "", 0, ""
    for _, element in ElementTree.iterparse(xml_stream, events=("end",)):
        tag = _local(element.tag)
        if tag == "title":
            title = element.text or ""
        elif tag == "ns":
            ns = int(element.text or 0)
        elif tag == "text":
            text = element.text or ""
        elif tag == "page":
            yield Page(title, ns, text)
            element.clear()
            title, ns, text = "", 0, ""
        elif tag == "revision":
            element.clear()


class _CountingReader(io.RawIOBase):
    """Reads a file and counts compressed bytes consumed, for progress bars."""

    def __init__(self, handle, on_read):
        self.handle = handle
        self.on_read = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.handle.read(len(buffer))
        self.on_read(len(data))
        buffer[: len(data)] = data
        return len(data)


def pages_in_file(path: str, on_read=lambda n: None) -> Iterator[Page]:
    """Every page of a .xml.bz2 dump (single or multistream), in one sequential pass."""
    with open(path, "rb") as raw:
        reader = io.BufferedReader(_CountingReader(raw, on_read), READ_BLOCK)
        with bz2.BZ2File(reader) as xml:
            yield from iter_pages(xml)


def read_index(index_path: str) -> list[int]:
    """Stream start offsets from a multistream index (`offset:page_id:title` lines, bz2), sorted and unique."""
    offsets: set[int] = set()
    with bz2.open(index_path, "rt", encoding="utf-8") as index:
        for line in index:
            head = line.split(":", 1)[0]
            if head.isdigit():
                offsets.add(int(head))
    return sorted(offsets)


def decompress_range(path: str, start: int, end: int | None) -> bytes:
    """Decompress the whole bz2 streams in bytes [start, end) of `path`, stream after stream."""
    out = []
    with open(path, "rb") as handle:
        handle.seek(start)
        remaining = None if end is None else end - start
        data = handle.read() if remaining is None else handle.read(remaining)
    while data:
        decompressor = bz2.BZ2Decompressor()
        out.append(decompressor.decompress(data))
        data = decompressor.unused_data
    return b"".join(out)


def pages_in_range(path: str, start: int, end: int | None) -> Iterator[Page]:
    """The pages inside whole streams [start, end): the header's and footer's tags are cut away."""
    xml = decompress_range(path, start, end)
    first, last = xml.find(b"<page>"), xml.rfind(b"</page>")
    if first < 0 or last < 0:
        return iter(())
    return iter_pages(io.BytesIO(b"<pages>" + xml[first : last + len(b"</page>")] + b"</pages>"))
