"""`movielike-bot` as an operator runs it: clear errors for missing settings; ready fast and small."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.server import SHUTDOWN_SECONDS
from tests.bot.harness import free_port, run, signed_headers, wait_ready
from tests.conftest import ROOT


def test_missing_settings_are_named(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    result = subprocess.run([sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "Traceback" not in result.stderr


def test_manifest_declares_what_the_code_handles():
    manifest = json.loads((ROOT / "manifest.json").read_text())
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/movielike"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert {"commands", "chat:write", "im:write", "reactions:read"} <= set(manifest["oauth_config"]["scopes"]["bot"])
    from bot.listeners.events import SUBSCRIBED_EVENTS

    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == SUBSCRIBED_EVENTS
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    # The Messages tab takes text (answered like the command), which needs message.im and its scope.
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False
    assert "im:history" in manifest["oauth_config"]["scopes"]["bot"]
    # Movie night: names for whys and bots left out (users.info), user groups (usergroups.users.list), its message in
    # public channels the bot was not invited to; mentions sent as ids (should_escape), and the hint says so.
    assert {"users:read", "usergroups:read", "chat:write.public"} <= set(manifest["oauth_config"]["scopes"]["bot"])
    [command] = manifest["features"]["slash_commands"]
    assert command["should_escape"] is True and "night @ana" in command["usage_hint"]
    # `/movielike map`: the picture is uploaded with files.uploadV2, which needs files:write.
    assert "files:write" in manifest["oauth_config"]["scopes"]["bot"] and "map Blade Runner" in command["usage_hint"]


def test_movie_night_ttl_is_a_setting_with_a_default():
    from bot.config import BotConfig, ConfigError

    required = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret"}
    assert BotConfig.from_env(required).night_ttl_seconds == 3 * 86400
    assert BotConfig.from_env({**required, "MOVIELIKE_NIGHT_TTL_HOURS": "24"}).night_ttl_seconds == 86400
    for bad in ("0", "1.5", "three days"):
        try:
            BotConfig.from_env({**required, "MOVIELIKE_NIGHT_TTL_HOURS": bad})
        except ConfigError as error:
            assert "MOVIELIKE_NIGHT_TTL_HOURS" in str(error)
        else:
            raise AssertionError(f"{bad!r} was accepted")



def test_starts_ready_and_stays_small(models_dir):
    """The bot comes up ready on a real model and Redis; how fast is measured by bench/bot_load.py (bot_ready_seconds)."""
    port = free_port()
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret", "PORT": str(port),
           "MOVIELIKE_MODELS": str(models_dir), "REDIS_URL": "redis://127.0.0.1:6379/0"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"],
                               env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        ready_after = None
        while time.perf_counter() - started < 60:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                    if response.status == 200:
                        ready_after = time.perf_counter() - started
                        break
            except OSError:
                time.sleep(0.02)
        assert ready_after is not None, "the bot did not become ready in 60 s"
        rss_mb = int(next(line for line in Path(f"/proc/{process.pid}/status").read_text().splitlines()
                          if line.startswith("VmRSS")).split()[1]) / 1024
        assert rss_mb < 300, f"{rss_mb:.0f} MB"
        # Hostile requests to the real process: its log (stderr, as an operator reads it) grows by at most one short
        # line each, never a traceback, a body, or a line a newline forged.
        hostile = [
            (b"payload={oops", {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=0"}),
            (b"\xff\xfe" * 1000, {}),
            (b"x" * 500_000 + b"\nERROR forged", {"X-Slack-Signature": "v0=1"}),
            (b'{"type": "event_callback", "token": "xoxb-secret-token"}', {"Content-Type": "application/json"}),
        ]
        for body, headers in hostile:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers)
            try:
                urllib.request.urlopen(request, timeout=10)
                raise AssertionError("a hostile request was accepted")
            except urllib.error.HTTPError as error:
                assert error.code in (400, 401, 413), error.code
    finally:
        process.terminate()  # SIGTERM, as a platform stops a bot: a clean stop, in order, within seconds
        stopping = time.perf_counter()
        _, log = process.communicate(timeout=10)
    assert process.returncode == 0 and time.perf_counter() - stopping < SHUTDOWN_SECONDS + 3, log[-2000:]
    assert "stopping: signal received" in log
    after_start = [line for line in log.splitlines() if "refused" in line or "Traceback" in line or "forged" in line]
    assert len(after_start) <= len(hostile), after_start
    assert all(len(line) < 300 and "Traceback" not in line and not line.startswith("ERROR forged") for line in after_start)
    assert "xoxb-secret-token" not in log and "oops" not in log and "xoxb-test" not in log


def test_answers_acknowledged_before_sigterm_still_arrive(models_dir):
    """A platform stops the bot with SIGTERM while commands are being answered: each was acknowledged at once, and its
    films must still reach Slack before the bot exits (Bolt answers after the HTTP request is done)."""
    import asyncio
    import signal
    import uuid
    from urllib.parse import urlencode

    import aiohttp
    from aiohttp import web

    async def body() -> tuple[int, int]:
        arrived: list[str] = []

        async def stub(request: web.Request) -> web.Response:
            if request.path.startswith("/respond/"):
                arrived.append(await request.text())
                return web.Response(text="ok")
            return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"})

        stub_app = web.Application()
        stub_app.router.add_route("POST", "/{tail:.*}", stub)
        runner = web.AppRunner(stub_app, access_log=None)
        await runner.setup()
        stub_port, port = free_port(), free_port()
        await web.TCPSite(runner, "127.0.0.1", stub_port).start()
        env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret", "PORT": str(port),
               "MOVIELIKE_MODELS": str(models_dir), "REDIS_URL": "redis://127.0.0.1:6379/0",
               "SLACK_API_URL": f"http://127.0.0.1:{stub_port}/api/"}
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", env=env, cwd=ROOT,
                                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            async with aiohttp.ClientSession() as http:
                assert await wait_ready(http, f"http://127.0.0.1:{port}", pause=0.1), "the bot did not become ready"

                async def command(number: int) -> int:
                    form = urlencode({"command": "/movielike", "text": "Heat", "team_id": "T1", "channel_id": "C1",
                                      "user_id": f"U{uuid.uuid4().hex[:8].upper()}", "api_app_id": "A1",
                                      "response_url": f"http://127.0.0.1:{stub_port}/respond/{number}"})
                    async with http.post(f"http://127.0.0.1:{port}/slack/events", data=form,
                                         headers=signed_headers(form, "secret")) as response:
                        return response.status

                statuses = await asyncio.gather(*[command(number) for number in range(40)])
                process.send_signal(signal.SIGTERM)  # every command acknowledged, most answers not yet sent
                await asyncio.wait_for(process.wait(), timeout=SHUTDOWN_SECONDS + 5)
            return sum(status == 200 for status in statuses), sum("Heat" in text for text in arrived)
        finally:
            if process.returncode is None:
                process.kill()
            await runner.cleanup()

    acknowledged, answered = run(body())
    assert acknowledged == 40 and answered == 40, (acknowledged, answered)
