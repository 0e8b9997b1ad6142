"""Read films in the Deep Learning Cookbook format: one JSON array `[title, infobox, links, rotten_tomatoes, rating]` a line."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

# MovieLens' genre names in the infobox's words (films with no infobox genres carry MovieLens' `ml_genres`); "" drops one.
ML_GENRES = {"Sci-Fi": "Science Fiction", "Animation": "Animated", "Film-Noir": "Noir", "Children": "Family",
             "IMAX": "", "(no genres listed)": ""}


@dataclass(frozen=True)
class FilmRecord:
    """One film as read from the input file; fields named once, here at the edge."""

    title: str
    infobox: dict
    links: tuple[str, ...]
    rotten_tomatoes: str | None = None
    rating: float | None = None

    @property
    def year(self) -> int | None:
        year = self.infobox.get("year")
        try:
            return int(year) if year is not None else None
        except (TypeError, ValueError):
            return None

    @property
    def genres(self) -> tuple[str, ...]:
        """The infobox's `genres` (e.g. ("Horror", "Comedy")); without them, MovieLens' genres in the same words."""
        named = self.infobox.get("genres") or [ML_GENRES.get(g, g) for g in self.infobox.get("ml_genres") or ()
                                               if ML_GENRES.get(g, g)]
        if isinstance(named, str):
            named = [named]
        return tuple(dict.fromkeys(str(g).strip() for g in named if str(g).strip()))

    @property
    def movielens_id(self) -> int | None:
        value = self.infobox.get("movielens_id")
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None


@dataclass
class ReadReport:
    """What reading a films file found: good films, bad lines (with a few examples) and duplicates skipped."""

    films: list[FilmRecord] = field(default_factory=list)
    bad_lines: int = 0
    duplicates: int = 0
    bad_examples: list[str] = field(default_factory=list)
    sha256: str = ""


def parse_line(line: str) -> FilmRecord:
    """Parse one line; raises ValueError saying what is wrong with it."""
    row = json.loads(line)
    if not isinstance(row, list) or len(row) < 3:
        raise ValueError("expected a JSON array [title, infobox, links, ...]")
    title, infobox, links = row[0], row[1], row[2]
    if not isinstance(title, str) or not title.strip():
        raise ValueError("title is not a non-empty string")
    if not isinstance(infobox, dict):
        infobox = {}
    if not isinstance(links, list):
        raise ValueError("links is not a list")
    unique_links = tuple(dict.fromkeys(link.strip() for link in links if isinstance(link, str) and link.strip()))
    rotten = row[3] if len(row) > 3 and isinstance(row[3], str) else None
    rating = row[4] if len(row) > 4 and isinstance(row[4], (int, float)) else None
    return FilmRecord(title.strip(), infobox, unique_links, rotten, rating)


def read_films(path: str | Path) -> ReadReport:
    """Read every film in `path`; a bad line is counted and skipped, never fatal. Also hashes the file."""
    report = ReadReport()
    seen: set[str] = set()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            digest.update(raw)
            text = raw.decode("utf-8", errors="replace").strip()
            if not text:
                continue
            try:
                film = parse_line(text)
            except (ValueError, json.JSONDecodeError) as error:
                report.bad_lines += 1
                if len(report.bad_examples) < 5:
                    report.bad_examples.append(f"line {number}: {error}")
                continue
            if film.title in seen:
                report.duplicates += 1
                continue
            seen.add(film.title)
            report.films.append(film)
    report.sha256 = digest.hexdigest()
    return report


def read_redirects(films_path: str | Path) -> list[tuple[str, str]]:
    """(other name, film title) pairs from the `.redirects.ndjson` that `extract` writes beside a films file."""
    path = Path(films_path)
    path = path.with_name(path.name.replace(".ndjson", "") + ".redirects.ndjson")
    if not path.is_file():
        return []
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            source, target = json.loads(line)
        except (ValueError, TypeError):
            continue
        if isinstance(source, str) and isinstance(target, str):
            pairs.append((source, target))
    return pairs
