"""Buttons in the App Home tab, as Slack sends them (container type "view", no response_url): answered at once and
the Home republished with what the click changed."""
from __future__ import annotations

import time

from slack_sdk.models.views import View

from bot.blocks import film_value
from tests.bot.harness import run, running_bot


def test_home_tab_like_is_answered_and_the_home_republished_with_it(engine):
    alien = engine.resolve("Alien")

    async def body():
        async with running_bot(engine) as bot:
            started = time.perf_counter()
            response = await bot.home_click("rate_like", film_value(alien))
            acked = time.perf_counter() - started
            assert response.status == 200 and acked < 3, (response.status, acked)  # Slack shows an error after 3 s
            await bot.stub.wait_until(lambda: bot.stub.api("views.publish"))
            [published] = bot.stub.api("views.publish")
            assert published["user_id"] == "U1"
            view = published["view"]
            View(**view).validate_json()  # Slack's own model of a view: refuses what Slack would refuse
            shown = str(view["blocks"])
            assert "you liked *Alien (1979)*" in shown  # the notice: what the click did
            assert "👍 <https://en.wikipedia.org/wiki/Alien_%28film%29|Alien (1979)>" in shown  # the recent ratings
            assert (await bot.store.ratings("T1", "U1")).likes == [alien.key]
            assert not bot.stub.responses()  # nothing sent to a response_url: there is none

            # Save from the Home: the Home shows the watchlist with a Remove button.
            await bot.home_click("save_film", film_value(engine.resolve("Heat (1995 film)")))
            await bot.stub.wait_until(lambda: len(bot.stub.api("views.publish")) == 2)
            view = bot.stub.api("views.publish")[1]["view"]
            View(**view).validate_json()
            assert "Your watchlist" in str(view["blocks"]) and "unsave_film" in str(view["blocks"])

    run(body())


def test_home_tab_on_enterprise_grid_without_a_team_field(engine):
    """Org-wide installs send `team: null` in Home-tab clicks; the workspace comes from the user's team."""
    alien = engine.resolve("Alien")

    async def body():
        async with running_bot(engine) as bot:
            import json
            from urllib.parse import urlencode

            payload = {"type": "block_actions", "user": {"id": "W1", "team_id": "T1"}, "team": None,
                       "enterprise": {"id": "E1", "name": "Grid"}, "is_enterprise_install": False, "api_app_id": "A1",
                       "container": {"type": "view", "view_id": "V1"}, "view": {"id": "V1", "type": "home", "team_id": "T1"},
                       "actions": [{"type": "button", "action_id": "rate_like", "value": film_value(alien), "action_ts": "1",
                                    "block_id": "b"}], "trigger_id": "1"}
            assert (await bot.post(urlencode({"payload": json.dumps(payload)}))).status == 200
            await bot.stub.wait_until(lambda: bot.stub.api("views.publish"))
            assert (await bot.store.ratings("T1", "W1")).likes == [alien.key]

    run(body())


def test_app_home_opened_publishes_a_valid_view(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.store.rate("T1", "U1", engine.resolve("Alien").key, 1)
            await bot.store.save("T1", "U1", engine.resolve("Heat (1995 film)").key)
            await bot.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.1"})
            await bot.stub.wait_until(lambda: bot.stub.api("views.publish"))
            view = bot.stub.api("views.publish")[0]["view"]
            View(**view).validate_json()
            shown = str(view["blocks"])
            assert "Picks for you" in shown and "Heat (1995)" in shown and "Alien (1979)" in shown
            picks = [b for b in view["blocks"] if b["type"] == "actions" and b["elements"][0]["action_id"] == "rate_like"]
            assert film_value(engine.resolve("Heat (1995 film)")) not in str(picks[:5])  # saved: not a pick again

    run(body())
