"""Test the bot as Slack talks to it: signed HTTP requests to /slack/events on loopback, and a loopback stub of the
Slack Web API (and of response_url) that records every call. Everything else is real: engine, Redis, aiohttp, Bolt."""
from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
import subprocess
import tempfile
import threading
import time
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from bot.app import create_app
from bot.config import BotConfig
from bot.maps import FilmMaps
from bot.server import create_web_app
from bot.services import Services
from bot.state import UserStateStore
from bot.store import connect

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass
class SlackStub:
    """Records (path, payload) of every call; answers like Slack would."""

    calls: list[tuple[str, dict]] = field(default_factory=list)
    posted: list[dict] = field(default_factory=list)  # chat.postMessage payloads with the ts we answered
    url: str = ""
    # Image URLs Slack "cannot download": a message or view showing one is refused as Slack refuses it
    # (invalid_blocks, "downloading image failed" with a JSON pointer to the image).
    unfetchable_images: set[str] = field(default_factory=set)
    # users.info's `user` objects by id (add_user); other ids are `user_not_found`, as in a real workspace.
    users: dict[str, dict] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)  # usergroups.users.list: group id -> user ids
    closed_channels: set[str] = field(default_factory=set)  # private channels the bot is not in: channel_not_found
    messages: dict[str, dict] = field(default_factory=dict)  # ts -> the message as it is now (posted, then updated)
    # Up to this many seconds (at random) before a chat.update takes effect, as Slack's own latency varies: updates
    # sent close together may land in another order than they were sent.
    update_latency: float = 0.0
    # Web API method -> how many of its next calls Slack answers 429 (rate limited, Retry-After: 0).
    rate_limited: dict[str, int] = field(default_factory=dict)
    # Web API method -> the scope Slack says it lacks (missing_scope), as for an app installed without it.
    missing_scopes: dict[str, str] = field(default_factory=dict)
    # File uploads (files.uploadV2 = files.getUploadURLExternal, a POST of the bytes to the upload_url it returned,
    # files.completeUploadExternal): file id -> {"filename", "length", "alt_txt", "data"} (data once POSTed).
    uploads: dict[str, dict] = field(default_factory=dict)
    shared_files: list[dict] = field(default_factory=list)  # completed uploads: {"file", "channel_id", "title", ...}
    refused_uploads: dict[str, str] = field(default_factory=dict)  # channel id -> completeUploadExternal's error
    upload_status: int = 200  # what the upload URL answers a POST of bytes (Slack: 200 "OK - <length>")

    def add_user(self, user: str, display_name: str = "", real_name: str = "", is_bot: bool = False,
                 deleted: bool = False) -> None:
        """A workspace member as users.info describes one (the fields the bot reads, and a few around them)."""
        self.users[user] = {
            "id": user, "team_id": "T1", "name": (display_name or real_name or user).lower(), "deleted": deleted,
            "real_name": real_name, "is_bot": is_bot, "is_app_user": False, "tz": "Europe/London",
            "profile": {"display_name": display_name, "real_name": real_name, "real_name_normalized": real_name,
                        "display_name_normalized": display_name, "image_72": "https://example.com/a.png"},
        }

    def message(self, ts: str) -> dict:
        """A posted message as Slack shows it now: its last chat.update, else what was posted."""
        return self.messages[ts]

    async def handle(self, request: web.Request) -> web.Response:
        if request.path.startswith("/upload/v1/"):
            return await self._receive_upload(request)
        if request.content_type == "application/json":
            payload = await request.json()
        else:
            payload = dict(await request.post())
        payload = {**request.query, **payload}  # some Web API methods send their arguments as query parameters
        self.calls.append((request.path, payload))
        method = request.path.rsplit("/", 1)[-1]
        refused = self._refused_image(payload)
        if refused is not None:
            error = {"ok": False, "error": "invalid_blocks", "errors": [f"downloading image failed [json-pointer:{refused}]"],
                     "response_metadata": {"messages": [f"[ERROR] downloading image failed [json-pointer:{refused}]"]}}
            return web.json_response(error, status=200 if request.path.startswith("/api/") else 400)
        if self.rate_limited.get(method, 0) > 0:
            self.rate_limited[method] -= 1
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"})
        result: dict = {"ok": True}
        if method in self.missing_scopes:
            result = {"ok": False, "error": "missing_scope", "needed": self.missing_scopes[method], "provided": "chat:write"}
        elif method == "auth.test":
            result.update(user_id="UBOT", bot_id="BBOT", team_id="T1", team="Test", url="https://test.slack.com/")
        elif method == "chat.postMessage" and payload.get("channel") in self.closed_channels:
            result = {"ok": False, "error": "channel_not_found"}
        elif method == "chat.postMessage":
            ts = f"{time.time():.6f}{len(self.posted):04d}"
            result.update(channel=payload.get("channel"), ts=ts, message={})
            self.posted.append({**payload, "ts": ts})
            self.messages[ts] = {**payload, "ts": ts}
        elif method == "chat.update" and payload.get("ts") not in self.messages:
            result = {"ok": False, "error": "message_not_found"}
        elif method == "chat.update":
            await asyncio.sleep(random.uniform(0, self.update_latency))
            self.messages[payload["ts"]] = {**self.messages[payload["ts"]], **payload}
            result.update(channel=payload.get("channel"), ts=payload["ts"], text=payload.get("text", ""),
                          message={"text": payload.get("text", ""), "blocks": payload.get("blocks", [])})
        elif method == "users.info":
            user = self.users.get(payload.get("user", ""))
            result = {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        elif method == "usergroups.users.list":
            members = self.usergroups.get(payload.get("usergroup", ""))
            result = {"ok": True, "users": members} if members is not None else {"ok": False, "error": "no_such_subteam"}
        elif method == "apps.connections.open":
            result.update(url=self.url.replace("http://", "ws://") + "/socket")
        elif method == "conversations.open":
            result.update(channel={"id": "D" + str(payload.get("users", ""))})
        elif method == "files.getUploadURLExternal":
            result = self._upload_url(payload)
        elif method == "files.completeUploadExternal":
            result = self._complete_upload(payload)
        return web.json_response(result) if request.path.startswith("/api/") else web.Response(text="ok")

    def _upload_url(self, payload: dict) -> dict:
        """files.getUploadURLExternal: `filename` and `length` (bytes) required; an upload URL of this stub's own."""
        length = str(payload.get("length", ""))
        if not payload.get("filename") or not length.isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{uuid.uuid4().hex[:10].upper()}"
        self.uploads[file_id] = {"filename": payload["filename"], "length": int(length),
                                 "alt_txt": payload.get("alt_txt"), "data": None}
        return {"ok": True, "upload_url": f"{self.url}/upload/v1/{file_id}", "file_id": file_id}

    async def _receive_upload(self, request: web.Request) -> web.Response:
        """The upload URL: takes the file's bytes in the body of a POST (as files.slack.com does), once."""
        file_id = request.path.rsplit("/", 1)[-1]
        data = await request.read()
        self.calls.append((request.path, {"bytes": len(data)}))
        upload = self.uploads.get(file_id)
        if upload is None or upload["data"] is not None:
            return web.Response(status=404, text="not found")
        if self.upload_status != 200:
            return web.Response(status=self.upload_status, text="upload failed")
        upload["data"] = data
        return web.Response(text=f"OK - {len(data)}")

    def _complete_upload(self, payload: dict) -> dict:
        """files.completeUploadExternal: `files` a JSON list of {"id", "title"}; each must have had its bytes POSTed.
        Shared into `channel_id` (or `channels`) unless the channel refuses the bot."""
        try:
            files = json.loads(payload.get("files", ""))
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        channel = payload.get("channel_id") or payload.get("channels")
        if channel in self.refused_uploads:
            return {"ok": False, "error": self.refused_uploads[channel]}
        done = []
        for item in files:
            upload = self.uploads.get(item.get("id"))
            if upload is None or upload["data"] is None or len(upload["data"]) != upload["length"]:
                return {"ok": False, "error": "file_not_found"}
            title = item.get("title") or upload["filename"]
            done.append({"id": item["id"], "name": upload["filename"], "title": title, "mimetype": "image/png",
                         "size": len(upload["data"]), "channels": [channel] if channel else []})
            self.shared_files.append({"file": item["id"], "channel_id": channel, "title": title,
                                      "initial_comment": payload.get("initial_comment"), "alt_txt": upload["alt_txt"],
                                      "filename": upload["filename"], "data": upload["data"]})
        return {"ok": True, "files": done}

    def _refused_image(self, payload: dict) -> str | None:
        """The JSON pointer of the first unfetchable image in a payload, or None."""
        def find(node, path: str) -> str | None:
            if isinstance(node, dict):
                if node.get("type") == "image" and node.get("image_url") in self.unfetchable_images:
                    return f"{path}/image_url"
                items = node.items()
            elif isinstance(node, list):
                items = ((str(i), item) for i, item in enumerate(node))
            else:
                return None
            for key, value in items:
                found = find(value, f"{path}/{key}")
                if found:
                    return found
            return None

        return find(payload, "") if self.unfetchable_images else None

    def accepted(self, method: str) -> list[dict]:
        """Payloads of a Web API method that Slack took (not refused for an image)."""
        return [payload for payload in self.api(method) if self._refused_image(payload) is None]

    def responses(self) -> list[dict]:
        """What the bot sent to response_urls, in order."""
        return [payload for path, payload in self.calls if path.startswith("/respond/")]

    def api(self, method: str) -> list[dict]:
        return [payload for path, payload in self.calls if path == f"/api/{method}"]

    async def wait_until(self, predicate, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; calls so far: {[path for path, _ in self.calls]}")
            await asyncio.sleep(0.01)

    async def wait_for_responses(self, count: int, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.responses()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} responses, got {self.responses()}")
            await asyncio.sleep(0.01)
        return self.responses()


RUN_SECONDS = 240.0  # a bot test's whole coroutine; pyproject's faulthandler_timeout (300 s) dumps threads after


def run(coroutine, timeout: float = RUN_SECONDS):
    """Run a test's coroutine on an event loop of its own, as asyncio.run does, but bounded: a coroutine still
    running after `timeout` seconds fails the test with where every pending task waits (asyncio.run would wait for
    ever and a faulthandler dump shows only the loop's select), and the clean-up after it is bounded too. What the
    clean-up could not finish is added to the test's own error, or else fails the test as a warning."""
    if not asyncio.iscoroutine(coroutine):
        raise ValueError(f"a coroutine was expected, got {coroutine!r}")
    if asyncio._get_running_loop() is not None:
        coroutine.close()
        raise RuntimeError("run() cannot be called from a running event loop")
    loop = asyncio.new_event_loop()
    problems: list[str] = []
    try:
        asyncio.set_event_loop(loop)
        task = loop.create_task(coroutine)
        done, _ = loop.run_until_complete(asyncio.wait({task}, timeout=timeout))
        if not done:
            raise AssertionError(f"still running after {timeout:.0f} s; where each task waits:\n{pending_tasks(loop)}")
        return task.result()
    except BaseException as error:
        problems = _close(loop)
        if problems:
            error.add_note("and the test's event loop did not close cleanly:\n" + "\n".join(problems))
        raise
    finally:
        if not loop.is_closed():
            problems = _close(loop)
            if problems:
                warnings.warn("the test's event loop did not close cleanly:\n" + "\n".join(problems), stacklevel=2)


def pending_tasks(loop: asyncio.AbstractEventLoop, tasks=None) -> str:
    """Each unfinished task of `loop` (or of `tasks`) with the chain of awaits it is suspended in, innermost last."""
    lines = []
    for task in asyncio.all_tasks(loop) if tasks is None else tasks:
        lines.append(f"{task.get_name()}:")
        awaited = task.get_coro()
        while awaited is not None:
            frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None) or getattr(awaited, "ag_frame", None)
            if frame is not None:
                lines.append(f"  {frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}")
            awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None) or getattr(awaited, "ag_await", None)
    return "\n".join(lines)


def _close(loop: asyncio.AbstractEventLoop, seconds: float = 10.0) -> list[str]:
    """Cancel what is left on `loop`, give it `seconds` to finish, shut its async generators and its executor (each
    bounded by `seconds`), close it; what did not finish, as lines (none when all did)."""
    problems = []
    try:
        left = asyncio.all_tasks(loop)
        for task in left:
            task.cancel()
        if left:
            _, pending = loop.run_until_complete(asyncio.wait(left, timeout=seconds))
            if pending:
                problems.append(f"{len(pending)} tasks still running {seconds:.0f} s after being cancelled:\n"
                                + pending_tasks(loop, pending))
        try:
            loop.run_until_complete(asyncio.wait_for(loop.shutdown_asyncgens(), seconds))
        except asyncio.TimeoutError:
            problems.append(f"async generators still closing after {seconds:.0f} s")
        if not _shut_executor(loop, seconds):
            problems.append(f"executor threads still running after {seconds:.0f} s")
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    return problems


def _shut_executor(loop: asyncio.AbstractEventLoop, seconds: float) -> bool:
    """Shut the loop's default executor, waiting up to `seconds` for its threads (loop.shutdown_default_executor
    waits for ever before Python 3.12, even under wait_for); whether they finished."""
    executor = getattr(loop, "_default_executor", None)
    if executor is None:
        return True
    finished = threading.Event()

    def shut() -> None:
        executor.shutdown(wait=True)
        finished.set()

    threading.Thread(target=shut, name="executor-shutdown", daemon=True).start()
    if finished.wait(seconds):
        return True
    executor.shutdown(wait=False, cancel_futures=True)
    return False


def signed_headers(body: str, secret: str = SECRET, content_type: str = "application/x-www-form-urlencoded",
                   timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends with `body`: its timestamp (now, unless given) and its signature with `secret`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Slack-Request-Timestamp": stamp, "Content-Type": content_type,
            "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)}


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of a test's own on a free loopback port, keeping an append-only file in `folder` (a restart
    brings the same data back): stop() and start() it, or pause it through `process` (SIGSTOP)."""

    def __init__(self, folder):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                        "yes", "--appendfsync", "always", "--dir", str(folder)]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start it and wait until it answers PING."""
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL)
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                probe.sendall(b"PING\r\n")
                if probe.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


async def wait_ready(http: aiohttp.ClientSession, url: str, attempts: int = 600, pause: float = 0.05) -> bool:
    """Poll a bot process's /readyz at `url` until it answers 200; whether it did within `attempts`."""
    for _ in range(attempts):
        try:
            async with http.get(f"{url}/readyz") as response:
                if response.status == 200:
                    return True
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(pause)
    return False


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}"


@dataclass
class RunningBot:
    url: str
    stub: SlackStub
    store: UserStateStore
    http: aiohttp.ClientSession
    services: Services | None = None  # the bot's own (its engine, store and film maps)

    async def post(self, body: str, content_type: str = "application/x-www-form-urlencoded", timestamp: int | None = None,
                   secret: str = SECRET, headers: dict | None = None) -> aiohttp.ClientResponse:
        signed = signed_headers(body, secret, content_type, timestamp) if headers is None else headers
        response = await self.http.post(f"{self.url}/slack/events", data=body.encode(), headers=signed)
        await response.read()
        return response

    async def command(self, text: str, user: str = "U1", team: str = "T1", channel: str = "C1",
                      channel_name: str = "general") -> aiohttp.ClientResponse:
        body = urlencode({
            "token": "legacy", "team_id": team, "user_id": user, "user_name": "tester", "channel_id": channel,
            "channel_name": channel_name, "command": "/movielike", "text": text, "trigger_id": "1.2.3",
            "response_url": f"{self.stub.url}/respond/{uuid.uuid4().hex}", "api_app_id": "A1",
        })
        return await self.post(body)

    async def event(self, event: dict, event_id: str | None = None, retry: int | None = None) -> aiohttp.ClientResponse:
        body = event_body(event, event_id)
        headers = signed_headers(body, content_type="application/json")
        if retry is not None:
            headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        return await self.post(body, headers=headers)

    async def click(self, action_id: str, value: str, user: str = "U1", team: str = "T1") -> aiohttp.ClientResponse:
        payload = {
            "type": "block_actions", "team": {"id": team}, "user": {"id": user, "team_id": team}, "api_app_id": "A1",
            "token": "legacy", "trigger_id": "1.2.3", "channel": {"id": "C1"}, "container": {"type": "message"},
            "response_url": f"{self.stub.url}/respond/{uuid.uuid4().hex}",
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value, "action_ts": "1"}],
        }
        return await self.post(urlencode({"payload": json.dumps(payload)}))

    async def home_click(self, action_id: str, value: str, user: str = "U1", team: str = "T1") -> aiohttp.ClientResponse:
        """A button in the App Home tab, as Slack sends it: container type "view", the Home view, no response_url."""
        payload = {
            "type": "block_actions", "user": {"id": user, "username": "tester", "name": "tester", "team_id": team},
            "api_app_id": "A1", "token": "legacy", "container": {"type": "view", "view_id": "VHOME"},
            "trigger_id": "1.2.3", "team": {"id": team, "domain": "test"}, "enterprise": None,
            "is_enterprise_install": False,
            "view": {"id": "VHOME", "team_id": team, "type": "home", "blocks": [], "private_metadata": "",
                     "callback_id": "", "state": {"values": {}}, "hash": "1.2", "app_id": "A1", "external_id": "",
                     "app_installed_team_id": team, "bot_id": "BBOT", "root_view_id": "VHOME", "previous_view_id": None},
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value, "action_ts": "1",
                         "text": {"type": "plain_text", "text": "x", "emoji": True}}],
        }
        return await self.post(urlencode({"payload": json.dumps(payload)}))


def event_body(event: dict, event_id: str | None = None, team: str = "T1") -> str:
    """An Events API envelope, as Slack sends it."""
    return json.dumps({
        "token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10]}", "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}], "event": event,
    })


@contextlib.asynccontextmanager
async def running_bot(engine, redis_url: str = REDIS_URL, reload_every: float = 5.0, cluster: bool = False):
    """The real bot on a loopback port, talking to a loopback Slack stub and a real Redis (keys cleaned after);
    `cluster`: `redis_url` is a node of a Redis Cluster, as with REDIS_CLUSTER=1."""
    stub = SlackStub()
    stub_app = web.Application()
    stub_app.router.add_route("POST", "/{tail:.*}", stub.handle)
    stub_app.router.add_route("GET", "/{tail:.*}", stub.handle)  # users.info and usergroups.users.list are GETs
    stub_runner, stub.url = await _serve(stub_app)
    client = connect(redis_url, embedded_path=None, cluster=cluster)
    store = UserStateStore(client, prefix=f"test-{uuid.uuid4().hex[:8]}")
    map_cache = tempfile.TemporaryDirectory(prefix="movielike-maps-")
    services = Services(engine, store, maps=FilmMaps(Path(map_cache.name)))
    config = BotConfig(bot_token=TOKEN, signing_secret=SECRET, api_url=f"{stub.url}/api/")
    bot_runner, url = await _serve(create_web_app(create_app(config, services), services, reload_every, SECRET))
    http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))  # a stuck request fails, never hangs
    try:
        yield RunningBot(url, stub, store, http, services)
    finally:
        await http.close()
        await bot_runner.cleanup()
        await stub_runner.cleanup()
        services.maps.close()
        map_cache.cleanup()
        with contextlib.suppress(Exception):
            keys = [key async for key in client.scan_iter(f"{store.prefix}:*")]
            if keys:
                await client.delete(*keys)
        await client.aclose()
