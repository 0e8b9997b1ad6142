"""Movie night through signed requests: `/movielike night` in a channel, Join, Pick films, votes (two at once too),
Close vote, the winner in the thread; who may do what, forget and uninstall, and every kind of bad input."""
from __future__ import annotations

import asyncio
import random
import re

from slack_sdk.models.blocks import Block

from engine import film_label
from tests.bot.harness import free_port, run, running_bot

VOTES = re.compile(r"\|([^>]*)>\*\n🗳️ (\d+) votes?")


def people(stub) -> None:
    stub.add_user("U1", "olive", "Olive Organiser")
    stub.add_user("U2", "ana", "Ana Lima")
    stub.add_user("U3", "", "Ben Okafor")  # no display name: whys use the real name
    stub.add_user("UBOT", "movielike", is_bot=True)


def buttons(message: dict, action_id: str | None = None) -> list[dict]:
    found = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return [e for e in found if action_id is None or e["action_id"] == action_id]


def members(message: dict) -> str:
    return next(b["elements"][0]["text"] for b in message["blocks"] if b["type"] == "context"
                and b["elements"][0]["text"].startswith("*In ("))


def counts(message: dict) -> dict[str, int]:
    """Film label -> the votes the message shows for it."""
    return {label: int(count) for b in message["blocks"] if b["type"] == "section"
            for label, count in VOTES.findall(b["text"]["text"])}


def whys(message: dict) -> list[str]:
    return [b["elements"][0]["text"] for b in message["blocks"] if b["type"] == "context"
            and not b["elements"][0]["text"].startswith("*In (")]


def label(engine, key: str) -> str:
    film = engine.film_by_key(key)
    return film_label(film.title, film.year)


def valid(message: dict) -> None:
    for block in message["blocks"]:
        Block.parse(block).validate_json()  # what Slack would refuse, by slack_sdk's own models
    assert len(message["blocks"]) <= 50


async def start(bot, text: str = "night <@U2|ana>", user: str = "U1") -> tuple[str, str]:
    """Start a night in C1; (its message's ts, its id)."""
    before = len(bot.stub.responses())
    await bot.command(text, user=user)
    await bot.stub.wait_for_responses(before + 1)
    posted = [p for p in bot.stub.posted if p.get("text", "").startswith("Movie night")][-1]
    return posted["ts"], buttons(posted, "night_join")[0]["value"]


async def picked(bot, ts: str, night: str, user: str = "U1") -> list[str]:
    """Press Pick films; the picked films' keys, from the Vote buttons, in pick order."""
    await bot.click("night_pick", night, user=user)
    await bot.stub.wait_until(lambda: len(buttons(bot.stub.message(ts), "night_vote")) == 5)
    return [b["value"].split(":k:", 1)[1] for b in buttons(bot.stub.message(ts), "night_vote")]


async def vote(bot, night: str, key: str, user: str) -> str:
    """Vote and wait for the voter's answer; its text."""
    before = len(bot.stub.responses())
    await bot.click("night_vote", f"{night}:k:{key}", user=user)
    return (await bot.stub.wait_for_responses(before + 1))[-1]["text"]


async def click(bot, action_id: str, value: str, user: str) -> str:
    before = len(bot.stub.responses())
    await bot.click(action_id, value, user=user)
    return (await bot.stub.wait_for_responses(before + 1))[-1]["text"]


def test_movie_night_from_the_command_to_the_winner_in_the_thread(engine):
    alien, heat, thing, aliens = (engine.resolve(t) for t in ("Alien", "Heat (1995 film)", "The Thing (1982 film)",
                                                             "Aliens (film)"))

    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            await bot.store.rate("T1", "U2", alien.key, 1)
            await bot.store.rate("T1", "U3", heat.key, 1)
            await bot.store.rate("T1", "U3", thing.key, -1)
            await bot.store.mark_seen("T1", "U1", aliens.key)  # the organiser saw it: never picked
            ts, night = await start(bot)
            assert "Your movie night is up" in bot.stub.responses()[0]["text"]  # to the organiser only
            [posted] = bot.stub.posted
            assert posted["channel"] == "C1" and posted["blocks"][0]["text"]["text"] == "🍿 Movie night"
            assert members(posted) == "*In (2/15):* <@U1>, <@U2>"  # the organiser and who they mentioned
            assert [b["action_id"] for b in buttons(posted)] == ["night_join", "night_leave", "night_pick"]

            await bot.click("night_join", night, user="U3")
            await bot.stub.wait_until(lambda: "<@U3>" in members(bot.stub.message(ts)))
            assert "in already" in await click(bot, "night_join", night, user="U3")
            assert "Only <@U1>" in await click(bot, "night_pick", night, user="U2")  # the organiser picks
            assert buttons(bot.stub.message(ts), "night_vote") == []

            keys = await picked(bot, ts, night)
            message = bot.stub.message(ts)
            assert len(set(keys)) == 5 and not {alien.key, heat.key, thing.key, aliens.key} & set(keys)
            assert [b["action_id"] for b in buttons(message)][-2:] == ["night_close", "night_leave"]
            assert sum(1 for b in message["blocks"] if b.get("accessory", {}).get("type") == "image") >= 3  # posters
            named = " ".join(whys(message))
            assert "ana" in named and "Ben Okafor" in named and "U2" not in named and "U3" not in named
            assert "\x1f" not in named and "someone" not in named  # every placeholder became a display name
            assert set(counts(message).values()) == {0}

            first, second = keys[0], keys[1]
            assert "Your vote" in await vote(bot, night, first, "U2")
            await vote(bot, night, first, "U3")
            await vote(bot, night, second, "U1")
            await bot.stub.wait_until(lambda: counts(bot.stub.message(ts))[label(engine, first)] == 2)
            assert counts(bot.stub.message(ts))[label(engine, second)] == 1

            await bot.click("night_close", night, user="U1")
            await bot.stub.wait_until(lambda: any(p.get("thread_ts") == ts for p in bot.stub.accepted("chat.postMessage")))
            [winner] = [p for p in bot.stub.accepted("chat.postMessage") if p.get("thread_ts") == ts]
            assert winner["channel"] == "C1" and f"{label(engine, first)}" in winner["text"]
            assert "wins with 2 votes" in winner["blocks"][0]["text"]["text"]
            await bot.stub.wait_until(lambda: buttons(bot.stub.message(ts), "night_vote") == [])
            closed = bot.stub.message(ts)
            assert "The vote is closed" in str(closed["blocks"]) and "🏆" in str(closed["blocks"])
            assert buttons(closed) == []  # nothing left to press

            assert "The vote is closed" in await vote(bot, night, second, "U3")  # too late: refused, not counted
            assert counts(bot.stub.message(ts))[label(engine, first)] == 2
            for message in [*bot.stub.accepted("chat.postMessage"), *bot.stub.accepted("chat.update")]:
                valid(message)

    run(body())


def test_two_people_voting_at_once_are_both_counted(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            ts, night = await start(bot)
            keys = await picked(bot, ts, night)
            bot.stub.update_latency = 0.05  # concurrent updates land in any order: the last one must still be right
            responses = len(bot.stub.responses())
            await asyncio.gather(bot.click("night_vote", f"{night}:k:{keys[0]}", user="U2"),
                                 bot.click("night_vote", f"{night}:k:{keys[0]}", user="U3"))
            await bot.stub.wait_for_responses(responses + 2)  # each answered once its request stopped updating
            assert counts(bot.stub.message(ts))[label(engine, keys[0])] == 2
            assert (await bot.store.nights.read("T1", night)).counts()[keys[0]] == 2

            # A burst: eight more people vote while two of the first move their votes; the last update shows it all.
            voters = [(f"U{n}", keys[n % 3]) for n in range(4, 12)] + [("U2", keys[1]), ("U3", keys[2])]

            async def click_soon(user: str, key: str) -> None:  # spread over 30 ms: votes and updates interleave
                await asyncio.sleep(random.uniform(0, 0.03))
                await bot.click("night_vote", f"{night}:k:{key}", user=user)

            await asyncio.gather(*(click_soon(user, key) for user, key in voters))
            await bot.stub.wait_for_responses(responses + 2 + len(voters))
            expected = {label(engine, key): sum(1 for _, k in voters if k == key) for key in keys}
            assert counts(bot.stub.message(ts)) == expected and sum(expected.values()) == 10
            stored = await bot.store.nights.read("T1", night)
            assert len(stored.members) == 11  # voting joined the eight: 3 + 8

    run(body())


def test_a_vote_right_after_the_last_read_of_the_request_updating_the_message_is_still_shown(engine):
    """The request holding a night's update lock read the night for the last time, then a vote lands and its request
    finds the lock still held: the holder reads the version again once it unlocks, and sends the message again."""

    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            ts, night = await start(bot)
            keys = await picked(bot, ts, night)
            nights = bot.store.nights
            unlock = nights.unlock_updates
            late: list[str] = []

            async def unlock_after_a_late_vote(team: str, night_id: str, token: str) -> None:
                if not late:  # the holder of U2's update, past its last read
                    late.append((await nights.vote(team, night_id, "U3", keys[1], 15))[0])
                    assert await nights.lock_updates(team, night_id) is None  # so U3's request would just return
                await unlock(team, night_id, token)

            nights.unlock_updates = unlock_after_a_late_vote
            assert "Your vote" in await vote(bot, night, keys[0], "U2")
            assert late == ["voted"]
            shown = counts(bot.stub.message(ts))
            assert shown[label(engine, keys[0])] == 1 and shown[label(engine, keys[1])] == 1

    run(body())


def test_a_rate_limited_update_is_sent_again_after_retry_after(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            ts, night = await start(bot)
            keys = await picked(bot, ts, night)
            updates = len(bot.stub.api("chat.update"))
            bot.stub.rate_limited["chat.update"] = 1  # Slack answers 429 (Retry-After: 0) once
            assert "Your vote" in await vote(bot, night, keys[0], "U2")
            assert len(bot.stub.api("chat.update")) == updates + 2  # refused, then sent again
            assert counts(bot.stub.message(ts))[label(engine, keys[0])] == 1

    run(body())


def test_a_new_vote_moves_the_old_one(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            ts, night = await start(bot)
            keys = await picked(bot, ts, night)
            await vote(bot, night, keys[0], "U2")
            answer = await vote(bot, night, keys[1], "U2")
            assert f"Moved your vote from *{label(engine, keys[0])}* to *{label(engine, keys[1])}*" in answer
            assert "already" in await vote(bot, night, keys[1], "U2")
            shown = counts(bot.stub.message(ts))
            assert shown[label(engine, keys[0])] == 0 and shown[label(engine, keys[1])] == 1 and sum(shown.values()) == 1
            assert "isn't one of" in await vote(bot, night, "Some Other Film", "U2")  # not a pick: refused
            assert "over" in await click(bot, "night_vote", "x}:evil:k:Alien", user="U2")  # forged id: no such night

    run(body())


def test_only_the_organiser_closes_and_a_tie_goes_to_the_first_pick(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            ts, night = await start(bot, "night <@U2|ana> <@U3>")
            assert "Pick films first" in await click(bot, "night_close", night, user="U1")
            keys = await picked(bot, ts, night)
            await vote(bot, night, keys[2], "U2")
            await vote(bot, night, keys[1], "U3")
            assert "Only <@U1>, who started this movie night, can close the vote" in await click(bot, "night_close", night, "U2")
            assert buttons(bot.stub.message(ts), "night_vote")  # still open
            assert "Moved" in await vote(bot, night, keys[0], "U2")  # so votes still count

            await bot.click("night_close", night, user="U1")
            await bot.stub.wait_until(lambda: any(p.get("thread_ts") == ts for p in bot.stub.accepted("chat.postMessage")))
            [winner] = [p for p in bot.stub.accepted("chat.postMessage") if p.get("thread_ts") == ts]
            text = winner["blocks"][0]["text"]["text"]
            assert "It's a tie: 2 films got 1 vote each" in text and label(engine, keys[0]) in text  # picked first
            assert "closed already" in await click(bot, "night_close", night, user="U1")
            assert "The vote is closed" in await vote(bot, night, keys[1], "U2")
            assert "closed" in await click(bot, "night_join", night, user="U3")

    run(body())


def test_forget_takes_a_member_and_their_vote_out_of_the_night(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            await bot.store.rate("T1", "U2", engine.resolve("Alien").key, 1)
            ts, night = await start(bot, "night <@U2|ana> <@U3>")
            keys = await picked(bot, ts, night)
            assert any("ana liked Alien (1979)" in why for why in whys(bot.stub.message(ts)))
            await vote(bot, night, keys[0], "U2")
            await vote(bot, night, keys[0], "U3")
            assert await bot.store.nights.nights_of("T1", "U2") == [night]

            done = await click(bot, "forget_confirm", "yes", user="U2")
            assert "taken you out of your movie nights" in done
            await bot.stub.wait_until(lambda: "<@U2>" not in members(bot.stub.message(ts)))
            assert counts(bot.stub.message(ts))[label(engine, keys[0])] == 1  # their vote is gone, not just hidden
            named = " ".join(whys(bot.stub.message(ts)))
            assert "ana" not in re.findall(r"\w+", named) and "someone liked Alien (1979)" in named  # nor their name
            stored = await bot.store.nights.read("T1", night)
            assert "U2" not in stored.votes and "U2" not in stored.members
            assert await bot.store.nights.nights_of("T1", "U2") == []

            # The organiser forgets: the night passes to the earliest member left, who may close it.
            await bot.click("forget_confirm", "yes", user="U1")
            await bot.stub.wait_until(lambda: members(bot.stub.message(ts)) == "*In (1/15):* <@U3>")
            assert "<@U1>" not in str(bot.stub.message(ts)["blocks"])
            await bot.click("night_close", night, user="U3")
            await bot.stub.wait_until(lambda: any(p.get("thread_ts") == ts for p in bot.stub.accepted("chat.postMessage")))

    run(body())


def test_forgetting_a_name_inside_a_title_or_another_name_takes_out_only_that_member(engine):
    """Whys are stored with placeholders, never names: forgetting "Al" leaves "Alice" and "Alien" as they were."""

    async def body():
        async with running_bot(engine) as bot:
            bot.stub.add_user("U1", "olive")
            bot.stub.add_user("U2", "Alice")
            bot.stub.add_user("U4", "Al")
            for user in ("U2", "U4"):
                await bot.store.rate("T1", user, engine.resolve("Alien").key, 1)
            ts, night = await start(bot, "night <@U2> <@U4>")
            await picked(bot, ts, night)
            assert "Alice and Al liked Alien (1979)" in " ".join(whys(bot.stub.message(ts)))

            assert "taken you out of your movie nights" in await click(bot, "forget_confirm", "yes", user="U4")
            await bot.stub.wait_until(lambda: "<@U4>" not in members(bot.stub.message(ts)))
            named = " ".join(whys(bot.stub.message(ts)))
            assert "Alice and someone liked Alien (1979)" in named and "Al" not in re.findall(r"\w+", named)
            assert "someoneice" not in named and "someoneien" not in named
            assert (await bot.store.nights.read("T1", night)).names == {"U1": "olive", "U2": "Alice"}

    run(body())


def test_an_organiser_alone_who_forgets_calls_the_night_off(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            ts, night = await start(bot, "night")
            assert "taken you out of your movie nights" in await click(bot, "forget_confirm", "yes", user="U1")
            await bot.stub.wait_until(lambda: "called off" in bot.stub.message(ts)["text"])
            message = bot.stub.message(ts)
            assert "This movie night was called off." in str(message["blocks"]) and buttons(message) == []
            assert "<@" not in str(message) and "72 hours" not in str(message)  # no mention left, nothing to press
            valid(message)
            assert await bot.store.nights.read("T1", night) is None
            assert "over" in await click(bot, "night_join", night, user="U2")

    run(body())


def test_forget_leaves_alone_a_night_the_user_was_never_in(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            _, night = await start(bot)
            assert "films aren't picked yet" in await vote(bot, night, "Alien", "U5")  # refused, but indexed first
            assert await bot.store.nights.nights_of("T1", "U5") == [night]
            updates = len(bot.stub.api("chat.update"))
            version = (await bot.store.nights.read("T1", night)).version
            assert await click(bot, "forget_confirm", "yes", user="U5") == "Done: I've forgotten all your ratings."
            await asyncio.sleep(0.3)  # the message would be updated after the answer
            assert len(bot.stub.api("chat.update")) == updates
            assert (await bot.store.nights.read("T1", night)).version == version

    run(body())


def test_uninstalling_deletes_the_workspace_nights(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            ts, night = await start(bot)
            keys = await picked(bot, ts, night)
            await vote(bot, night, keys[0], "U2")
            pattern = f"{bot.store.prefix}:{{T1:night:{night}}}:*"
            assert len([key async for key in bot.store.client.scan_iter(pattern)]) == 4  # night, members, picks, votes
            await bot.event({"type": "app_uninstalled", "event_ts": "1.1"})
            for _ in range(100):
                if not [key async for key in bot.store.client.scan_iter(f"{bot.store.prefix}:{{T1:*")]:
                    break
                await asyncio.sleep(0.05)
            assert [key async for key in bot.store.client.scan_iter(f"{bot.store.prefix}:{{T1:*")] == []
            assert "over" in await vote(bot, night, keys[0], "U3")

    run(body())


def test_a_direct_message_is_no_place_for_movie_night(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            await bot.command("night <@U2|ana>", channel="D0123", channel_name="directmessage")
            [answer] = await bot.stub.wait_for_responses(1)
            assert "Movie night works in a channel" in answer["text"]
            await bot.event({"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "night",
                             "ts": "1.1"})
            await bot.stub.wait_until(lambda: bot.stub.accepted("chat.postMessage"))
            [typed] = bot.stub.accepted("chat.postMessage")
            assert typed["channel"] == "D1" and "Movie night works in a channel" in typed["text"]
            assert not [key async for key in bot.store.client.scan_iter(f"{bot.store.prefix}:{{T1:night:*")]

    run(body())


def test_a_user_group_joins_and_the_night_stops_at_15(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            club = [f"U{n}" for n in range(10, 30)]
            for user in club:
                bot.stub.add_user(user, f"member {user}")
            bot.stub.usergroups["S1"] = ["U1", *club]  # the organiser is in the group too: counted once
            ts, night = await start(bot, "night <@U2|ana> <!subteam^S1|@film-club>")
            notes = bot.stub.responses()[0]["text"]
            shown = members(bot.stub.message(ts))
            assert shown.startswith("*In (15/15):* <@U1>, <@U2>, <@U10>,") and "<@U22>" in shown and "<@U23>" not in shown
            assert "at most 15 people, so I left out <@U23>, " in notes and "<@U29>." in notes
            assert "full" in await click(bot, "night_join", night, user="U3")
            assert len((await bot.store.nights.read("T1", night)).members) == 15

    run(body())


def test_bots_unknown_people_and_unknown_groups_are_left_out_and_said_so(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            bot.stub.add_user("UHELPER", "helper", is_bot=True)
            bot.stub.add_user("UGONE", "gone", deleted=True)  # deactivated
            ts, _ = await start(bot, "night <@UBOT|movielike> <@UHELPER> <@UNOBODY> <@UGONE|gone> @carol "
                                     "<!subteam^SGONE|@ghosts> <!here> <#C9|films> <@U2|ana>")
            notes = bot.stub.responses()[0]["text"]
            assert members(bot.stub.message(ts)) == "*In (2/15):* <@U1>, <@U2>"
            assert "I left out <@UBOT>, <@UHELPER>: bots don't watch films." in notes
            assert "I couldn't find UNOBODY, UGONE in this workspace" in notes
            assert "I couldn't tell who “@here”, “#films”, “@carol” are" in notes and "user group <!subteam^SGONE>" in notes

    run(body())


def test_an_app_installed_without_the_scopes_to_look_people_up_says_to_update_it(engine):
    """Without users:read (or usergroups:read) Slack can say nothing about anyone: the organiser is told to update
    the app, rather than everyone let in unchecked and called "someone"."""

    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            bot.stub.missing_scopes["users.info"] = "users:read"
            await bot.command("night <@U2|ana>")
            [answer] = await bot.stub.wait_for_responses(1)
            assert "without Slack's `users:read` permission" in answer["text"] and "update the app" in answer["text"]
            assert bot.stub.api("chat.postMessage") == []
            assert not [key async for key in bot.store.client.scan_iter(f"{bot.store.prefix}:{{T1:night:*")]

            bot.stub.missing_scopes = {"usergroups.users.list": "usergroups:read"}
            await bot.command("night <!subteam^S1|@film-club>")
            assert "`usergroups:read`" in (await bot.stub.wait_for_responses(2))[-1]["text"]

            bot.stub.missing_scopes = {}
            ts, night = await start(bot, "night")  # nobody named: nothing looked up yet
            await bot.click("night_join", night, user="U2")
            await bot.stub.wait_until(lambda: "<@U2>" in members(bot.stub.message(ts)))
            bot.stub.missing_scopes["users.info"] = "users:read"
            assert "`users:read`" in await click(bot, "night_pick", night, user="U1")  # names for the whys
            assert buttons(bot.stub.message(ts), "night_vote") == []

    run(body())


def test_nobody_has_ratings_still_gets_well_known_films_and_how_to_start(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            await bot.store.rate("T1", "U2", engine.resolve("Alien").key, -1)  # a dislike is no taste to pick from
            ts, night = await start(bot)
            keys = await picked(bot, ts, night)
            text = str(bot.stub.message(ts)["blocks"])
            assert "Nobody here has liked a film yet" in text and "`/movielike suggest`" in text
            assert len(keys) == 5 and all(engine.film_by_key(key) is not None for key in keys)

    run(body())


def test_pick_with_nobody_else_in_asks_first(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            await bot.store.rate("T1", "U1", engine.resolve("Alien").key, 1)
            ts, night = await start(bot, "night")
            assert members(bot.stub.message(ts)) == "*In (1/15):* <@U1>"
            await bot.click("night_pick", night, user="U1")
            asked = (await bot.stub.wait_for_responses(2))[-1]
            assert "Nobody has joined yet" in asked["text"] and buttons(asked)[0]["value"] == f"{night}:anyway"
            assert buttons(bot.stub.message(ts), "night_vote") == []
            keys = await picked(bot, ts, buttons(asked)[0]["value"])
            assert engine.resolve("Alien").key not in keys
            assert "Nobody here has liked" not in str(bot.stub.message(ts)["blocks"])  # the organiser has

    run(body())


def test_titles_starting_with_night_are_still_titles_and_help_mentions_night(engine):
    async def body():
        async with running_bot(engine) as bot:
            await bot.command("Night of the Living Dead")
            await bot.command("help")
            similar, help_ = await bot.stub.wait_for_responses(2)
            assert "Films like *<https://en.wikipedia.org/wiki/Night_of_the_Living_Dead|" in similar["blocks"][0]["text"]["text"]
            assert "`/movielike night @ana @ben`" in help_["text"]
            assert bot.stub.api("chat.postMessage") == []

    run(body())


def test_a_channel_the_bot_cannot_post_in_and_redis_down(engine):
    async def body():
        async with running_bot(engine) as bot:
            people(bot.stub)
            bot.stub.closed_channels.add("G1")
            await bot.command("night <@U2|ana>", channel="G1", channel_name="privategroup")
            [answer] = await bot.stub.wait_for_responses(1)
            assert "invite me first" in answer["text"]
            assert not [key async for key in bot.store.client.scan_iter(f"{bot.store.prefix}:{{T1:night:*")]
        async with running_bot(engine, redis_url=f"redis://127.0.0.1:{free_port()}/0") as bot:
            people(bot.stub)
            await bot.command("night <@U2|ana>")
            [answer] = await bot.stub.wait_for_responses(1)
            assert "couldn't reach my memory" in answer["text"] and bot.stub.api("chat.postMessage") == []

    run(body())


def test_redis_down_during_pick_and_vote_is_said_and_loses_nothing(engine, redis_server):
    async def body():
        async with running_bot(engine, redis_url=redis_server.url) as bot:
            people(bot.stub)
            await bot.store.rate("T1", "U2", engine.resolve("Alien").key, 1)
            ts, night = await start(bot)
            redis_server.stop()
            assert "couldn't reach my memory" in await click(bot, "night_pick", night, user="U1")
            redis_server.start()  # the same data back (append-only file), the bot's client reconnects
            keys = await picked(bot, ts, night)
            await vote(bot, night, keys[0], "U2")
            redis_server.stop()
            assert "couldn't reach my memory" in await vote(bot, night, keys[1], "U1")
            assert "couldn't reach my memory" in await click(bot, "night_close", night, user="U1")
            redis_server.start()
            assert counts(bot.stub.message(ts))[label(engine, keys[0])] == 1  # as it was
            assert "Your vote" in await vote(bot, night, keys[1], "U1")
            stored = await bot.store.nights.read("T1", night)
            assert stored.votes == {"U2": keys[0], "U1": keys[1]} and stored.state == "voting"

    run(body())
