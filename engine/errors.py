"""The engine's own error types: each message says what went wrong and what to do next."""
from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


class BadInput(EngineError):
    """The text given cannot be a query (empty, too long, nothing but symbols)."""


class NotFound(EngineError):
    """No film (or linked page) matches; `candidates` holds the closest ones, best first."""

    def __init__(self, query: str, candidates: list | None = None, kind: str = "film"):
        self.query = query
        self.candidates = list(candidates or [])
        self.kind = kind
        hint = ""
        if self.candidates:
            names = "; ".join(c if isinstance(c, str) else getattr(c, "title", str(c)) for c in self.candidates[:5])
            hint = f" Did you mean: {names}?"
        super().__init__(f"No {kind} matches {query!r}.{hint}")


class BundleError(EngineError):
    """The model bundle is missing, from an unknown format, or does not match its manifest."""


class NoRatingsView(EngineError):
    """A ratings-view query for a film MovieLens never rated, or on a model trained without ratings."""


class NoPosterView(EngineError):
    """A poster-view query for a film without a poster vector, or on a model published without the poster part
    (`missing_part` is then True: an admin adds the part with `movielike-train posters`)."""

    def __init__(self, message: str, missing_part: bool = False):
        super().__init__(message)
        self.missing_part = missing_part


class NoPageKinds(EngineError):
    """A kind filter on pages (`pages_like(..., kind=...)`) with a model published before page kinds were stored."""
