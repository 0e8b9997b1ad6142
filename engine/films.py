"""What the engine hands out: a film of the catalogue, and a suggestion (a film with a score and a why)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import quote

from engine.normalize import split_disambiguator


@dataclass(frozen=True)
class Film:
    """A film in the catalogue. `id` is its row in the loaded bundle and changes from one bundle to the next;
    `key` (its Wikipedia article title) names it in every bundle: store the key, never the id."""

    id: int
    title: str
    year: int | None
    image: str | None
    director: str | None
    movielens_id: int | None

    @property
    def key(self) -> str:
        """The film's stable identity across bundles: its Wikipedia article title (unique in a catalogue; a renamed
        article still answers to its old title through the dump's redirects, see Engine.ids_for)."""
        return self.title

    @property
    def url(self) -> str:
        return wikipedia_url(self.title)

    @property
    def label(self) -> str:
        return film_label(self.title, self.year)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Suggestion(Film):
    """One result: the film, its `score` (higher is closer; a cosine in [-1, 1] for similar by ratings, the cosine
    plus exact link evidence, up to about 4, for the links view, standardised signals added up for recommend,
    popularity in [0, 1] for the well-known films offered to someone with no likes) and `why` in words."""

    score: float
    why: str


def wikipedia_url(title: str) -> str:
    """The article's address, percent-encoded so it is safe inside Slack's <url|label> links."""
    return "https://en.wikipedia.org/wiki/" + quote(title.replace(" ", "_"), safe="_,:'!")


def film_label(title: str, year: int | None) -> str:
    """How people write a film: 'The Thing (1982 film)' -> 'The Thing (1982)', 'Alien (film)' + 1979 -> 'Alien (1979)'."""
    name = split_disambiguator(title)[0].strip() or title
    return f"{name} ({year})" if year else name
