"""Configuration comes from the environment once, with defaults, and a wrong value names the variable."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import Config


def test_defaults_and_overrides():
    assert Config.from_env({}) == Config()
    config = Config.from_env({"MOVIELIKE_MODELS": "/m", "MOVIELIKE_SEARCH": "Annoy", "MOVIELIKE_EXACT_MAX_FILMS": "10"})
    assert config.models_dir == Path("/m") and config.search == "annoy" and config.exact_max_films == 10
    assert config.redis_url is None and config.redis_cluster is False
    redis = Config.from_env({"REDIS_URL": "redis://h:6379/0", "REDIS_CLUSTER": "1"})
    assert redis.redis_url == "redis://h:6379/0" and redis.redis_cluster is True
    store = Config.from_env({"MOVIELIKE_MODELS": "s3://bucket/models", "MOVIELIKE_MODELS_CACHE": "/cache"})
    assert store.models_url == "s3://bucket/models" and store.models_dir == Path("/cache")
    assert Config.from_env({"MOVIELIKE_MODELS": "s3://b/m"}).models_dir == Path("var/cache/models")
    assert Config().redis_fsync == "always" and Config.from_env({"MOVIELIKE_REDIS_FSYNC": "EverySec"}).redis_fsync == "everysec"


@pytest.mark.parametrize("name, value", [("MOVIELIKE_SEARCH", "fast"), ("MOVIELIKE_ANNOY_SEARCH_K", "lots"),
                                                ("MOVIELIKE_REDIS_FSYNC", "sometimes")])
def test_bad_values_name_the_variable(name, value):
    with pytest.raises(ValueError, match=name):
        Config.from_env({name: value})
