"""movielike's recommender: load a model bundle and answer films like a film, films around a page, picks for a taste.

Never imports TensorFlow, `bot` or `training`.
"""
from engine.config import Config
from engine.engine import Engine, Film, Suggestion
from engine.errors import BadInput, BundleError, EngineError, NoRatingsView, NotFound

__all__ = ["BadInput", "BundleError", "Config", "Engine", "EngineError", "Film", "NoRatingsView", "NotFound", "Suggestion"]
