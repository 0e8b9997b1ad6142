"""Block Kit for movie night: the night's public message (members, then picks with votes, then the result), the
winner in its thread, and the organiser's notes. A sibling of bot/blocks.py, built with its helpers."""
from __future__ import annotations

from bot.blocks import FILM_VALUE, button, escape, film_link, plain, with_poster
from bot.night_state import CLOSED, FORGOTTEN_NAME, NIGHT_FILMS, OPEN, PLACEHOLDER, VOTING, CloseResult, Night
from engine import Film, film_label, wikipedia_url

JOIN, LEAVE, PICK, VOTE, CLOSE = "night_join", "night_leave", "night_pick", "night_vote", "night_close"
PICK_ANYWAY = "anyway"  # "<night id>:anyway": pick with nobody else in (the organiser said so)
START_HINT = "`/movielike suggest`"


def vote_value(night_id: str, key: str) -> str:
    """A Vote button's value: the night, and the film by stable key ("<id>:k:<key>"), valid after a retrain."""
    return f"{night_id}:{FILM_VALUE}{key}"


def pick_label(key: str, film: Film | None) -> str:
    """A picked film's label; one the model serving now lacks (retrained since) is shown by its key."""
    return film_label(film.title, film.year) if film else film_label(key, None)


def _link(key: str, film: Film | None) -> str:
    return film_link(film) if film else f"<{wikipedia_url(key)}|{escape(film_label(key, None))}>"


def why_text(why: str, names: dict[str, str]) -> str:
    """A stored why as shown: escaped, each member's placeholder replaced by their display name (escaped), or
    "someone" for a member whose name is not stored (forgotten, or no longer in when the films were picked)."""
    return PLACEHOLDER.sub(lambda found: escape(names.get(found.group(1)) or FORGOTTEN_NAME), escape(why))


def _votes(count: int) -> str:
    return f"{count} vote" if count == 1 else f"{count} votes"


def _intro(night: Night, films: dict[str, Film | None], cap: int) -> str:
    organiser = f"<@{night.organiser}>"
    if night.state == OPEN:
        return (f"{organiser} is organising a movie night. Press *Join* to be in; when everyone's in, {organiser} "
                f"presses *Pick films* and I'll choose {NIGHT_FILMS} films for the group from what each of you rated "
                f"(at most {cap} people).")
    if night.state == VOTING:
        return ("Films for the group, from what everyone rated. *Vote* for the one you'd watch: one vote each "
                f"(voting again moves yours; anyone here can vote, and voting joins). {organiser} closes the vote.")
    if night.winner:
        return f"The vote is closed: *{escape(pick_label(night.winner, films.get(night.winner)))}* won. Details in the thread."
    return "The vote is closed; nobody voted."


def night_message(night: Night, films: dict[str, Film | None], cap: int) -> dict:
    """The night's public message: who organises it and who is in; Join / Leave / Pick films while it is open; then
    each picked film (poster, year, why) with its votes and a Vote button; Close vote for the organiser."""
    members = ", ".join(f"<@{user}>" for user in night.members)
    message_blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": "🍿 Movie night"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _intro(night, films, cap)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"*In ({len(night.members)}/{cap}):* {members}"}]},
    ]
    if night.state == OPEN:
        message_blocks.append({"type": "actions", "elements": [
            button("Join", JOIN, night.id, style="primary"), button("Leave", LEAVE, night.id),
            button("Pick films", PICK, night.id)]})
    else:
        if night.well_known:
            message_blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
                "Nobody here has liked a film yet, so these are well-known films. Rate a few with "
                f"{START_HINT} (or 👍 / 👎 under any film) and next time's picks will fit the group.")}]})
        message_blocks.append({"type": "divider"})
        counts = night.counts()
        for key, why in night.picks:
            film = films.get(key)
            text = f"*{_link(key, film)}*\n🗳️ {_votes(counts[key])}" + (" 🏆" if key == night.winner else "")
            section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
            message_blocks.append(with_poster(section, film) if film else section)
            if why:
                message_blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": why_text(why, night.names)}]})
            if night.state == VOTING:
                message_blocks.append({"type": "actions", "elements": [button("🗳️ Vote", VOTE, vote_value(night.id, key))]})
        if night.state == VOTING:
            message_blocks.append({"type": "actions", "elements": [
                button("Close vote", CLOSE, night.id, style="danger"), button("Leave", LEAVE, night.id)]})
    text = "Movie night" + (": the vote is closed" if night.state == CLOSED else f", organised by <@{night.organiser}>")
    return {"text": text, "blocks": message_blocks[:50]}


def winner_message(result: CloseResult, film: Film | None) -> dict:
    """The result, in the night's thread: the winner and its votes; a tie says so and how it was broken."""
    if not result.winner:
        return plain("The vote is closed with no votes, so there's no winner this time.")
    label = f"*{_link(result.winner, film)}*"
    if result.tied > 1:
        text = (f"🏆 It's a tie: {result.tied} films got {_votes(result.votes)} each. {label} was picked first, "
                "so it wins. Enjoy the film!")
    else:
        text = f"🏆 {label} wins with {_votes(result.votes)}. Enjoy the film!"
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    return {"text": f"The winner is {escape(pick_label(result.winner, film))}",
            "blocks": [with_poster(section, film) if film else section]}


def called_off() -> dict:
    """The night's message once the night is deleted with its organiser, who was alone in it and asked to be
    forgotten: no mentions, no buttons."""
    return {"text": "This movie night was called off", "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": "🍿 Movie night"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "This movie night was called off."}},
    ]}


def nobody_joined(night_id: str) -> dict:
    """To the organiser who pressed Pick alone: wait for people, or pick for themselves anyway."""
    text = ("Nobody has joined yet. Wait for people to press *Join* (or start again naming them: "
            "`/movielike night @ana @ben`), or pick films for yourself alone.")
    return {"text": "Nobody has joined yet", "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "actions", "elements": [button("Pick for me anyway", PICK, f"{night_id}:{PICK_ANYWAY}")]},
    ]}


def started_notes(cap: int, bots: list[str], not_found: list[str], unknown: list[str], groups: list[str],
                  left_out: list[str]) -> dict:
    """To the organiser once the night is posted: who named in the command is not in it, and why."""
    lines = ["Your movie night is up in the channel: people press *Join*, then you press *Pick films*."]
    if bots:
        lines.append(f"I left out {', '.join(f'<@{user}>' for user in bots)}: bots don't watch films.")
    if not_found:
        lines.append(f"I couldn't find {', '.join(escape(user) for user in not_found)} in this workspace, so they're not in.")
    if unknown:
        names = ", ".join(f"“{escape(name)}”" for name in unknown)
        verb = "is" if len(unknown) == 1 else "are"
        lines.append(f"I couldn't tell who {names} {verb}: choose people from Slack's @ menu so their names turn into mentions.")
    if groups:
        lines.append(f"I couldn't read the user group {', '.join(f'<!subteam^{group}>' for group in groups)}, so its members "
                     "aren't in.")
    if left_out:
        lines.append(f"A movie night takes at most {cap} people, so I left out {', '.join(f'<@{user}>' for user in left_out)}.")
    return plain("\n".join(lines))
