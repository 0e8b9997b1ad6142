"""From one page's wikitext to a film record: a cheap infobox check, the infobox parsed alone (mwparserfromhell), links
by regex, and the Rotten Tomatoes figures from the reception text."""
from __future__ import annotations

import re

import mwparserfromhell

_INFOBOX_FILM = re.compile(r"\{\{\s*infobox[ _]+film\s*(?=[|}\n<])", re.IGNORECASE)
_REDIRECT = re.compile(r"^\s*#redirect\s*:?\s*\[\[([^\]|#]+)", re.IGNORECASE)
_LINK = re.compile(r"\[\[([^\[\]|#\n]+)(?:#[^\[\]|\n]*)?(?:\|[^\[\]]*)?\]\]")
_SKIP_PREFIXES = ("file:", "image:", "media:", "wikt:", "wiktionary:", "special:", "template:", "help:", "wikipedia:",
                  "wp:", "portal:", "user:", "talk:", "s:", "q:", "commons:", "w:", "d:", "n:", "b:", "v:", "mw:", "meta:")
_INTERWIKI = re.compile(r"^:?[a-z]{2,3}(-[a-z]+)?:")
_RT_PERCENT = re.compile(r"Rotten Tomatoes[^\n]{0,400}?(\d{1,3})\s*(?:%|percent)", re.IGNORECASE)
_RT_AVERAGE = re.compile(r"average (?:rating|score) (?:of )?(\d+(?:\.\d+)?)\s*/\s*10", re.IGNORECASE)
FIELDS = ("image", "director", "producer", "writer", "starring", "music", "cinematography", "editing", "studio",
          "distributor", "released", "runtime", "country", "language", "budget", "gross")


def redirect_target(text: str) -> str | None:
    match = _REDIRECT.match(text)
    return normalize_title(match.group(1)) if match else None


def is_film(text: str) -> bool:
    return _INFOBOX_FILM.search(text) is not None


def normalize_title(title: str) -> str:
    """As Wikipedia stores titles: underscores as spaces, single spaces, first letter upper case."""
    title = " ".join(title.replace("_", " ").split())
    return title[:1].upper() + title[1:]


def infobox_source(text: str) -> str | None:
    """The `{{Infobox film ...}}` template's source, found by matching braces (never the whole page parsed)."""
    match = _INFOBOX_FILM.search(text)
    if not match:
        return None
    depth, i = 0, match.start()
    while i < len(text) - 1:
        pair = text[i : i + 2]
        if pair == "{{":
            depth += 1
            i += 2
        elif pair == "}}":
            depth -= 1
            i += 2
            if depth == 0:
                return text[match.start() : i]
        else:
            i += 1
    return text[match.start() :]


_TOKENS = re.compile(r"\{\{|\}\}|\[\[|\]\]|\|")
_REF = re.compile(r"<ref[^>]*/>|<ref[^>]*>.*?</ref>|<!--.*?-->", re.IGNORECASE | re.DOTALL)


def infobox_fields(source: str) -> dict[str, str]:
    """The template's top-level `name = value` pairs, split at depth-0 pipes (links and nested templates kept)."""
    fields: dict[str, str] = {}
    depth, start = 0, None
    body_end = len(source) - 2
    for token in _TOKENS.finditer(source):
        kind = token.group()
        if kind in ("{{", "[["):
            depth += 1
        elif kind in ("}}", "]]"):
            depth -= 1
        elif depth == 1:
            if start is not None:
                _add_field(fields, source[start : token.start()])
            start = token.end()
    if start is not None:
        _add_field(fields, source[start:body_end])
    return fields


def _add_field(fields: dict[str, str], part: str) -> None:
    name, sep, value = part.partition("=")
    if sep:
        fields[name.strip().lower()] = value


def parse_infobox(source: str) -> dict:
    """Infobox fields as plain text (lists joined with ', '); only the fields we keep go through mwparserfromhell."""
    raw = infobox_fields(source)
    infobox: dict = {}
    for name in FIELDS:
        value = _REF.sub("", raw.get(name, ""))
        if not value.strip():
            continue
        text = mwparserfromhell.parse(value).strip_code(normalize=True, collapse=False, keep_template_params=True)
        text = ", ".join(part.strip(" *\u2022") for part in text.splitlines() if part.strip(" *\u2022"))
        if text:
            infobox[name] = text
    if "image" in infobox:
        infobox["image"] = infobox["image"].split("|")[0].strip()
    year = re.search(r"\b(18[89]\d|19\d\d|20\d\d)\b", raw.get("released", ""))
    if year:
        infobox["year"] = int(year.group(1))
    return infobox


def links(text: str) -> list[str]:
    """Linked page titles in order, without #fragments or |labels; no files, images or other wikis."""
    found: dict[str, None] = {}
    for match in _LINK.finditer(text):
        target = match.group(1).strip()
        lowered = target.lower()
        if not target or lowered.startswith(_SKIP_PREFIXES) or (_INTERWIKI.match(lowered) and not lowered.startswith("category:")):
            continue
        found.setdefault(normalize_title(target.lstrip(":")), None)
    return list(found)


def rotten_tomatoes(text: str) -> tuple[str | None, float | None]:
    percent = _RT_PERCENT.search(text)
    if not percent:
        return None, None
    average = _RT_AVERAGE.search(text, percent.start(), percent.end() + 600)
    return f"{percent.group(1)}%", (float(average.group(1)) if average else None)


def film_record(title: str, text: str) -> list | None:
    """[title, infobox, links, rotten_tomatoes, rating] for a film page, None for any other page."""
    source = infobox_source(text)
    if source is None:
        return None
    rt, rating = rotten_tomatoes(text)
    return [title, parse_infobox(source), links(text), rt, rating]
