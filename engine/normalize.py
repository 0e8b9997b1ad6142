"""Title normalisation shared by the resolver and the trainer: what two spellings of one title have in common."""
from __future__ import annotations

import re
import unicodedata

# "(film)", "(1982 film)", "(2011 American film)", "(1976)" at the end of a Wikipedia title or of what a user typed.
_DISAMBIGUATOR = re.compile(r"\s*\((?P<inner>[^()]*\b(?:film|movie|\d{4})\b[^()]*)\)\s*$", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def clean_text(text: str) -> str:
    """Drop control and invisible characters and squeeze whitespace: what a user meant to type."""
    return " ".join(_CONTROL.sub(" ", text).split())


def split_disambiguator(title: str) -> tuple[str, int | None]:
    """'The Thing (1982 film)' -> ('The Thing', 1982); 'Alien (film)' -> ('Alien', None)."""
    match = _DISAMBIGUATOR.search(title)
    if not match:
        return title, None
    year = _YEAR.search(match.group("inner"))
    return title[: match.start()], int(year.group(1)) if year else None


def normalize(title: str, drop_article: bool = True) -> str:
    """Comparable key: accents folded, case folded, '&' -> 'and', punctuation dropped, a leading 'The' dropped."""
    decomposed = unicodedata.normalize("NFKD", title)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    folded = folded.replace("&", " and ").replace("'", "").replace("\u2019", "")
    key = _NOT_WORD.sub(" ", folded).strip()
    if drop_article and key.startswith("the "):
        key = key[4:]
    return key


def title_key(title: str, drop_article: bool = True) -> str:
    """Key of a title without its disambiguator: 'Star Wars (film)' and 'star wars' share 'star wars'."""
    return normalize(split_disambiguator(title)[0], drop_article)


def split_trailing_year(text: str) -> tuple[str, int | None]:
    """'Alien 1979' -> ('Alien', 1979); '2001' -> ('2001', None): a year alone is a title, not a filter."""
    match = re.search(r"[\s,]+(1[89]\d\d|20\d\d)$", text.strip())
    if not match or not text[: match.start()].strip():
        return text, None
    return text[: match.start()], int(match.group(1))
