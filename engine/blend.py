"""How the two views mix in similar() and recommend(): weights tuned by the trainer and stored in the manifest."""
from __future__ import annotations

from dataclasses import dataclass

VIEWS = ("both", "links", "ratings")  # which model similar()/recommend() use: the blend, or one view alone
# similar() also has the poster view (films whose posters look alike): a view of one film, never of a taste, so
# recommend() does not take it.
SIMILAR_VIEWS = (*VIEWS, "posters")
LINKS_POPULARITY_PRIOR = 0.15  # recommend(by=links) without a tuned value: how much being well known lifts a cosine
# Manifests written before the fields were named for what they are used these keys. Weights of the earlier two-view
# recommend() (recommend_ratings_weight, popularity_weight) tuned another formula: they are not read.
_OLD_KEYS = {"similar": "similar_ratings_weight", "links_popularity": "links_popularity_weight"}


@dataclass(frozen=True)
class Blend:
    """The blend's weights; the trainer tunes them on held-out MovieLens users.

    similar():   score = (1 - similar_ratings_weight) x link score + similar_ratings_weight x ratings cosine.
    recommend(): score = watched (EASE) + taste_weight x taste + content_weight x link content + centroid_weight x
                 cosine to the liked films' mean - dislike_weight x link content of the disliked films, each
                 standardised on its best films (engine/recommend.py), + recommend_popularity_weight x popularity
                 (in [0, 1]). by="ratings" leaves the link signals out (its EASE may have learnt from the links).
    recommend(by="links"): cosine + links_popularity_weight x popularity.
    Defaults: the weights tuned on the shared data (README, Recommendation evaluation).
    """

    similar_ratings_weight: float = 0.2
    taste_weight: float = 1.0
    content_weight: float = 0.5
    centroid_weight: float = 0.25
    dislike_weight: float = 0.25
    recommend_popularity_weight: float = 0.0
    links_popularity_weight: float = LINKS_POPULARITY_PRIOR

    def weight_of(self, signal: str) -> float:
        """The weight of one of recommend()'s signals (engine/recommend.signals); EASE's `watched` is the unit."""
        return {"watched": 1.0, "taste": self.taste_weight, "content": self.content_weight,
                "centroid": self.centroid_weight, "unlike": self.dislike_weight}[signal]

    def to_manifest(self) -> dict:
        """The manifest's `blend` section: these names, and the old names of the weights that kept their meaning, so
        a bot not yet upgraded that loads a model this trainer published keeps its similar() and links-view weights
        (its two-view recommend() finds none of its own weights and uses its defaults)."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return {**fields, **{old: fields[new] for old, new in _OLD_KEYS.items()}}

    @classmethod
    def from_manifest(cls, manifest: dict) -> Blend:
        """The manifest's `blend` section (new or old key names); defaults for what it lacks."""
        stored = {_OLD_KEYS.get(name, name): value for name, value in (manifest.get("blend") or {}).items()}
        return cls(**{name: float(stored[name]) for name in cls.__dataclass_fields__ if name in stored})


def check_view(by: str, views: tuple[str, ...] = VIEWS) -> str:
    """`by` itself when it names one of `views`; ValueError listing them otherwise."""
    if by not in views:
        raise ValueError(f"by must be one of {', '.join(views)}, got {by!r}")
    return by
