"""movielike's recommender over one model bundle: load it, resolve titles, and answer films like a film, films
around a linked page, picks for a taste and picks for a group, crowd favourites, each with a why. Never imports TensorFlow, `bot` or
`training`.

Modules: engine (the Engine API), model (one loaded bundle), similar / recommend / group / pages / favourites (the queries), kinds
(what kind of page a link is), blend (how the views mix), films (Film, Suggestion), titles + normalize (title
resolution), explain (why lines), ratings (the ratings view and fold-in), posters (the poster view), search + vectors
(nearest vectors, top-k), bundle (the format training writes), config (settings), errors, cli (`movielike`).
"""
from engine.blend import SIMILAR_VIEWS, VIEWS, Blend
from engine.bundle import RELOAD_CHANNEL
from engine.config import Config
from engine.engine import MAX_K, Engine
from engine.errors import BadInput, BundleError, EngineError, NoPageKinds, NoPosterView, NoRatingsView, NotFound
from engine.films import Film, Suggestion, film_label, wikipedia_url
from engine.group import MAX_GROUP, GroupMember
from engine.pages import Page

__all__ = ["MAX_GROUP", "MAX_K", "RELOAD_CHANNEL", "SIMILAR_VIEWS", "VIEWS", "BadInput", "Blend", "BundleError", "Config",
           "Engine", "EngineError", "Film", "GroupMember", "NoPageKinds", "NoPosterView", "NoRatingsView", "NotFound", "Page", "Suggestion",
           "film_label", "wikipedia_url"]
