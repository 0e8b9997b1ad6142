"""`movielike-bot`: load the model once, connect to Redis, serve Slack on PORT."""
from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys

from bot import logs
from bot.app import create_app
from bot.config import BotConfig, ConfigError
from bot.maps import FilmMaps
from bot.server import create_web_app, serve
from bot.services import Services
from bot.state import UserStateStore
from bot.store import StoreUnavailable, connect, stop_embedded
from engine import BundleError, Config, Engine
from engine.threads import limit_blas_threads

# A reply builds a few hundred dicts and lists (its blocks): at Python's default (700, 10, 10) the collector ran every
# couple of requests and took about a fifth of the bot's CPU under load (bench/bot_load.py, cpu_ms_per_request 1.16
# -> 0.90, medians of three alternating rounds). Garbage cycles are rare here; memory is unchanged.
GC_THRESHOLDS = (10_000, 10, 10)


def main(argv: list[str] | None = None) -> int:
    # Ctrl-C and a platform's SIGTERM both stop cleanly, even when a shell started us with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    logs.configure()
    try:
        bot_config = BotConfig.from_env()
        config = Config.from_env()
        limit_blas_threads(config.blas_threads)
        engine = Engine.load(config.models_dir, config)
        store = UserStateStore(connect(config.redis_url, config.redis_file, config.redis_cluster, config.redis_fsync),
                               night_ttl=bot_config.night_ttl_seconds)
    except (ConfigError, ValueError, BundleError, StoreUnavailable) as error:
        print(f"movielike-bot: {error}", file=sys.stderr)
        return 2
    services = Services(engine, store, maps=FilmMaps(bot_config.map_cache))
    gc.freeze()  # the loaded model is long-lived: keep it out of every garbage collection from now on
    gc.set_threshold(*GC_THRESHOLDS)
    logging.getLogger(__name__).info("model %s loaded (%d films); serving on port %d", engine.version, len(engine), bot_config.port)
    bolt = create_app(bot_config, services)
    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C or SIGTERM: a clean stop
            web_app = create_web_app(bolt, services, signing_secret=bot_config.signing_secret)
            asyncio.run(serve(web_app, bot_config.port, bolt, bot_config.app_token))
    finally:
        stop_embedded()  # the embedded Redis (when there is no REDIS_URL) stops with the bot
    return 0


if __name__ == "__main__":
    sys.exit(main())
