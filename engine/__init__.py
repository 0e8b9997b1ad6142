"""movielike's recommender over one model bundle: load it, resolve titles, and answer films like a film, films
around a linked page and picks for a taste, each with a why. Never imports TensorFlow, `bot` or `training`.

Modules: engine (the Engine API), model (one loaded bundle), similar / recommend (the queries), blend (how the
views mix), films (Film, Suggestion), titles + normalize (title resolution), explain (why lines), ratings (the
ratings view and fold-in), search + vectors (nearest vectors, top-k), bundle (the format training writes),
config (settings), errors, cli (`movielike`).
"""
from engine.blend import VIEWS, Blend
from engine.bundle import RELOAD_CHANNEL
from engine.config import Config
from engine.engine import MAX_K, Engine
from engine.errors import BadInput, BundleError, EngineError, NoRatingsView, NotFound
from engine.films import Film, Suggestion, film_label, wikipedia_url

__all__ = ["MAX_K", "RELOAD_CHANNEL", "VIEWS", "BadInput", "Blend", "BundleError", "Config", "Engine", "EngineError", "Film",
           "NoRatingsView", "NotFound", "Suggestion", "film_label", "wikipedia_url"]
