"""The HTTP service: Slack's single events URL, liveness and readiness probes, and model hot-reload."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web
from redis.exceptions import RedisError
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.gate import is_plain_form, refusal
from bot.migrate import migrate
from bot.services import Services
from bot.store import StoreUnavailable
from engine import RELOAD_CHANNEL

log = logging.getLogger(__name__)
RELOAD_EVERY_SECONDS = 5.0
SHUTDOWN_SECONDS = 5.0  # on SIGTERM, requests and answers in flight get this long to finish (a platform kills after 10-30 s)


def create_web_app(bolt: AsyncApp, services: Services, reload_every: float = RELOAD_EVERY_SECONDS,
                   signing_secret: str | None = None) -> web.Application:
    """aiohttp app: POST /slack/events (commands, events, interactivity), GET /healthz, GET /readyz.

    With `signing_secret`, every request is checked (bot/gate.py) before Bolt parses it."""
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    async def slack_events(request: web.Request) -> web.Response:
        body = await request.read()
        refused = refusal(body, request.headers, verifier)
        if refused is not None:
            log.info("refused a request to /slack/events: %s (%d bytes)", refused[1], request.content_length or 0)
            return web.json_response({"ok": False, "error": refused[1]}, status=refused[0])
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request(body.decode(), request)))

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def readyz(_: web.Request) -> web.Response:
        status = {"model": services.engine.version, "redis": "ok"}
        try:
            await services.store.ping()
        except StoreUnavailable:
            status["redis"] = "unavailable"  # where Redis lives is not the world's business: the bot's log says
            return web.json_response({"ok": False, **status}, status=503)
        return web.json_response({"ok": True, **status})

    async def http_session(app: web.Application):
        services.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
        yield
        await services.http.close()
        services.http = None

    async def reload_models(app: web.Application):
        async def loop() -> None:
            while True:
                await asyncio.sleep(reload_every)
                try:
                    await asyncio.to_thread(services.engine.reload_if_changed)
                except Exception:
                    log.exception("model reload failed; still serving %s", services.engine.version)

        task = asyncio.create_task(loop())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def listen_for_models(app: web.Application):
        """Reload as soon as the trainer announces a new model on Redis (the poll above is the fallback)."""

        async def loop() -> None:
            while True:
                pubsub = None
                try:
                    await services.store.ping()  # also loads a cluster client's slot map, which its pubsub needs
                    pubsub = services.store.client.pubsub()
                    await pubsub.subscribe(RELOAD_CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            await asyncio.to_thread(services.engine.reload_if_changed)
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    log.info("model announcements unavailable (%s); polling CURRENT meanwhile", error)
                    await asyncio.sleep(reload_every)
                finally:
                    if pubsub is not None:
                        with contextlib.suppress(Exception):
                            await pubsub.aclose()

        task = asyncio.create_task(loop())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    web_app = web.Application(client_max_size=1024 * 1024)
    web_app.router.add_post("/slack/events", slack_events)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    async def migrate_state(app: web.Application):
        """Bring user state written by an older version up to date, once, before the first request and before any
        reload can start: film ids are read against the one model loaded at start-up (see bot/migrate.py)."""
        engine = services.engine
        model = engine.model  # pinned: every id of the run is read against this one model

        def key_of(film_id: int) -> str | None:
            return model.titles[film_id] if 0 <= film_id < len(model) else None

        if not engine.serving_current:
            log.warning("not migrating user state: serving a fallback model, not the one CURRENT names")
        else:
            try:
                await migrate(services.store, key_of)
            except (StoreUnavailable, RedisError, OSError) as error:
                log.warning("could not check the user-state schema (%s); will check at the next start", error)
        yield

    web_app.cleanup_ctx.append(migrate_state)  # first: the reload loops below start only after it
    web_app.cleanup_ctx.append(http_session)
    web_app.cleanup_ctx.append(reload_models)
    web_app.cleanup_ctx.append(listen_for_models)
    return web_app


def bolt_request(text: str, request: web.Request) -> AsyncBoltRequest:
    """Bolt's request for a body the gate let through. Bolt reads any form that mentions "payload" anywhere as
    interactivity and finds no fields in it: `/movielike the payload`, or a command from #payload-team, would reach no
    listener and the user would see Slack's "dispatch_failed". Such a form's own fields are put back here."""
    made = AsyncBoltRequest(body=text, query=request.query_string, headers=request.headers)  # type: ignore[arg-type]
    if "payload" in text and is_plain_form(text, request.headers):
        made.body = dict(parse_qsl(text, keep_blank_values=True))
        made.context = build_async_context(AsyncBoltContext({}), made.body)
    return made


async def serve(web_app: web.Application, port: int, bolt: AsyncApp | None = None, app_token: str | None = None) -> None:
    """Serve `web_app` on `port` until cancelled or sent SIGTERM/SIGINT; with `app_token`, also take Slack's requests
    over Socket Mode.

    The signals only set an event the loop waits on, so the stop runs in order (the site, the reload loops, the
    sessions): raised as KeyboardInterrupt wherever the loop happened to be, a stop could leave a Redis connection
    half-read and hang the shutdown (bench/bot_load.py saw a bot outlive SIGTERM by 20 s)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)

    def first_signal() -> None:  # a second one gets the default action: a stop that hangs can still be interrupted
        for signal_number in signals:
            loop.remove_signal_handler(signal_number)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        stop.set()

    for signal_number in signals:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # no signals here (Windows, a thread)
            loop.add_signal_handler(signal_number, first_signal)
    runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
    await runner.setup()
    await web.TCPSite(runner, port=port).start()
    handler = None
    try:
        if app_token and bolt is not None:
            handler = socket_mode_handler(bolt, app_token)
            await handler.connect_async()
            log.info("connected to Slack over Socket Mode")
        await stop.wait()
        log.info("stopping: signal received")
        for site in list(runner.sites):
            await site.stop()  # no new requests; the answers already acknowledged are finished below
        await finish_answers(SHUTDOWN_SECONDS)
    finally:
        if handler is not None:
            await handler.close_async()
        await runner.cleanup()


async def finish_answers(timeout: float) -> None:
    """Wait up to `timeout` seconds for the listeners Bolt still runs: a command is acknowledged at once and answered
    after, so the HTTP handlers are done long before the answers are sent (closing the reply session first would lose
    them). Bolt runs each listener as a task of `run_ack_function_asynchronously` (its asyncio runner)."""
    listeners = [task for task in asyncio.all_tasks() if not task.done()
                 and "run_ack_function_asynchronously" in getattr(task.get_coro(), "__qualname__", "")]
    if listeners:
        log.info("finishing %d answers before stopping", len(listeners))
        await asyncio.wait(listeners, timeout=timeout)


def socket_mode_handler(bolt: AsyncApp, app_token: str):
    """Bolt's Socket Mode handler on the app's own Web API client (so SLACK_API_URL applies to it too)."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    return AsyncSocketModeHandler(bolt, app_token)
