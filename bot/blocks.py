"""Every Block Kit message the bot sends, built in one place from engine results (movie night's, with these helpers,
in its sibling bot/night_blocks.py)."""
from __future__ import annotations

from engine import Film, Page, Suggestion, film_label, wikipedia_url

MAX_TITLE_IN_TEXT = 80
MAX_NOTICE_CHARS = 3000  # Slack's limit on a text object
WATCHLIST_SHOWN = 20  # two blocks each: within Slack's 50 blocks per message
SUGGESTIONS_PER_PAGE = 5
HELP_TEXT = (
    "*movielike* finds films like the ones you name.\n"
    "• `/movielike Blade Runner` — the films most like it, with why; rate them with 👍 / 👎\n"
    "• `/movielike about George Lucas` — films around a person, studio, genre or place\n"
    "• `/movielike pages George Lucas` — pages like it: directors like a director, studios like a studio...\n"
    "• `/movielike map Blade Runner` — a picture of the film and the 20 films most like it, posted in this conversation\n"
    "• `/movielike suggest` — one film at a time in a DM; react 👍 or 👎 and the next follows\n"
    "• `/movielike recs` — picks from everything you rated\n"
    "• `/movielike best horror 1980s` — films people rate above their usual, of a genre and decade if you like "
    "(both optional), leaving out what you rated\n"
    "• `/movielike watchlist` — films you saved with 🔖; *Seen it* on any film means I never suggest it again\n"
    "• `/movielike ratings` — what you rated, with Undo; `/movielike forget` deletes it all\n"
    "• `/movielike night @ana @ben` — movie night in this channel: people join, I pick 5 films for the group "
    "from what everyone rated, and you vote\n"
    "• `/movielike help` — this message"
)


# On every reply: start the one-film-at-a-time rating loop in a DM.
SUGGEST_BUTTON = {"type": "button", "text": {"type": "plain_text", "text": "Rate films one by one"},
                  "action_id": "start_suggest", "value": "start"}


def escape(text: str) -> str:
    """Slack mrkdwn escaping: user text and titles are data, so `<!channel>` stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What the user typed: Slack escapes `&`, `<` and `>` in the text it sends (and only those), so undo that once;
    the text is escaped again, once, wherever it is shown."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def film_link(film: Film | Suggestion) -> str:
    """The film's label linked to its Wikipedia article, escaped."""
    return f"<{wikipedia_url(film.title)}|{escape(film_label(film.title, film.year))}>"


def with_poster(section: dict, film: Film | Suggestion) -> dict:
    """The section with the film's poster as its accessory, when it has one over https (Slack fetches it)."""
    if film.image and film.image.startswith("https://"):
        section["accessory"] = {"type": "image", "image_url": film.image, "alt_text": film_label(film.title, film.year)}
    return section


FILM_VALUE = "k:"  # a button's value names its film by stable key (bare ids, from before keys, are refused)


def film_value(film: Film | Suggestion) -> str:
    """A button value naming the film in every model: its stable key, never its id in the model serving now."""
    return FILM_VALUE + film.key


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    element = {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    return element


def rating_buttons(film: Film | Suggestion, save: bool = True) -> dict:
    """👍 / 👎, and (unless the film is on the watchlist already) 🔖 Save, then Seen it: under every film."""
    value = film_value(film)
    elements = [button("👍 Like", "rate_like", value), button("👎 Not for me", "rate_dislike", value)]
    if save:
        elements.append(button("🔖 Save", "save_film", value))
    elements.append(button("Seen it", "seen_film", value))
    return {"type": "actions", "elements": elements}


SHARE_ACTION = "share"


def share_button(value: str) -> dict:
    """Post this answer (only its asker sees it) to the channel, attributed."""
    return button("Share", SHARE_ACTION, value)


def shared(message: dict, user: str) -> dict:
    """An answer as shared to the channel: 'Shared by @user' on top, and no Share button of its own."""
    kept = []
    for block in message["blocks"]:
        if block["type"] == "actions":
            block = {**block, "elements": [e for e in block["elements"] if e.get("action_id") != SHARE_ACTION]}
            if not block["elements"]:
                continue
        kept.append(block)
    by = {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Shared by <@{user}>"}]}
    return {"text": message["text"], "blocks": [by, *kept][:50]}


def suggestion_blocks(suggestion: Suggestion) -> list[dict]:
    text = f"*{film_link(suggestion)}*"
    if suggestion.director:
        text += f"\ndirected by {escape(suggestion.director)}"
    blocks = [with_poster({"type": "section", "text": {"type": "mrkdwn", "text": text}}, suggestion)]
    if suggestion.why:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(suggestion.why)}]})
    blocks.append(rating_buttons(suggestion))
    return blocks


VIEW_LABELS = {"both": "Both views", "links": "By shared links", "ratings": "Liked by the same people",
               "posters": "Looks like"}
VIEW_HEADINGS = {"both": "", "links": " (by shared links)", "ratings": " (liked by the same people)",
                 "posters": " (posters that look alike)"}


def similar_message(film: Film, suggestions: list[Suggestion], offset: int = 0, typed: str | None = None,
                    namesakes: list[Film] | None = None, by: str = "both", views: tuple[str, ...] = ()) -> dict:
    """The film asked for, then films like it, each with poster, why and rating buttons, then buttons to see the
    other views of it (`views`), then 'More like this'; when other films share the title, buttons to switch."""
    heading = f"Films like *{film_link(film)}*{VIEW_HEADINGS.get(by, '')}"
    share = f"similar:{offset}:{by}:{film_value(film)}"
    if film.director:
        heading += f", directed by {escape(film.director)}"
    if typed:
        heading += f"\n_(you typed “{escape(typed[:MAX_TITLE_IN_TEXT])}”)_"
    blocks: list[dict] = [with_poster({"type": "section", "text": {"type": "mrkdwn", "text": heading}}, film)]
    if namesakes:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "Not this one? Other films with this title:"}]})
        blocks.append({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": film_label(other.title, other.year)[:75]},
             "action_id": f"pick_film_{i}", "value": film_value(other)}
            for i, other in enumerate(namesakes[:5])
        ]})
    blocks.append({"type": "divider"})
    for suggestion in suggestions:
        blocks.extend(suggestion_blocks(suggestion))
    others = [view for view in views if view != by]
    if len(views) > 1 and others:
        blocks.append({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": VIEW_LABELS[view]},
             "action_id": f"similar_view_{view}", "value": film_value(film)}
            for view in others
        ]})
    more = f"{offset + len(suggestions)}:{by}:{film_value(film)}"
    blocks.append({
        "type": "actions",
        "elements": [button("More like this", "more_like", more), SUGGEST_BUTTON, share_button(share)],
    })
    return {"text": f"Films like {escape(film_label(film.title, film.year))}", "blocks": blocks}


def list_message(heading: str, suggestions: list[Suggestion], share: str | None = None, buttons: list[dict] = ()) -> dict:
    """A heading (mrkdwn, already escaped) and films, each with poster, why and buttons; `share`: a Share button's
    value; `buttons`: more buttons at the end (e.g. "Similar directors" under `about`)."""
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": heading}}, {"type": "divider"}]
    for suggestion in suggestions:
        blocks.extend(suggestion_blocks(suggestion))
    blocks.append({"type": "actions", "elements": [SUGGEST_BUTTON, *buttons] + ([share_button(share)] if share else [])})
    return {"text": heading, "blocks": blocks}


def favourites_message(suggestions: list[Suggestion], genre: str | None, decade: str | None, ranked: bool) -> dict:
    """Crowd favourites (`/movielike best`): a heading naming the genre and decade, then the films as list_message."""
    which = " · ".join(escape(part) for part in (genre, decade) if part)
    if not suggestions:
        return plain(f"No films{' (' + which + ')' if which else ''} left to show: you have rated or seen them all.")
    heading = "*Films people rate above their usual*" if ranked else (
        "*Well-known films* (this model has no MovieLens ratings to rank by)")
    return list_message(heading + (f" · {which}" if which else ""), suggestions)


def unknown_genre(typed: str, candidates: list[str]) -> dict:
    """`/movielike best` with a genre it does not know: the closest genres."""
    names = " or ".join(f"*{escape(name)}*" for name in candidates[:3])
    return plain(f"I don't know the genre “{escape(typed[:40])}”. Did you mean {names}? "
                 f"For example `/movielike best {escape(candidates[0].lower())} 1980s`.")


PAGES_LIKE_ACTION = "pages_like"  # value "<kind>:<page title>", kind "" for pages of any kind
PAGES_SHOWN = 10
STALE_PAGES = "That button names pages I can't show any more; try `/movielike pages George Lucas`."
_KIND_PLURALS = {"company": "studios", "category": "categories", "person": "people"}


def similar_pages(kind: str | None) -> tuple[str, str | None]:
    """What to ask for pages like a page of this main kind, and the button's words: ("director", "Similar
    directors"); the other roles a person plays are "person" ("Similar people"); an unknown kind asks for pages of
    any kind ("Similar pages")."""
    if kind in ("writer", "producer", "cinematographer", "editor"):
        kind = "person"
    plural = _KIND_PLURALS.get(kind, f"{kind}s") if kind else "pages"
    return kind, f"Similar {plural}"


def pages_button(page: Page) -> dict:
    """'Similar directors' (or people, studios, genres...): pages like `page`, of its kind."""
    kind, label = similar_pages(page.kind)
    return button(label, PAGES_LIKE_ACTION, f"{kind or ''}:{page.title}"[:2000])


def pages_message(page: Page, pages: list[Page], kind: str | None) -> dict:
    """Pages like `page` (of `kind`, when asked for), each linked to its article with its kind, the films the two
    share, and a button to go on from it; then Share."""
    plural = similar_pages(kind)[1].removeprefix("Similar ") if kind else "pages"
    heading = f"{plural.capitalize()} like *<{wikipedia_url(page.title)}|{escape(page.name)}>*"
    message_blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": heading}}, {"type": "divider"}]
    for other in pages[:PAGES_SHOWN]:
        text = f"*<{wikipedia_url(other.title)}|{escape(other.name)}>*" + (f" · {other.kind}" if other.kind else "")
        text += f"\n{escape(other.why)}" if other.why else ""
        message_blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_NOTICE_CHARS]},
                               "accessory": button("Pages like this", PAGES_LIKE_ACTION, f"{kind or ''}:{other.title}"[:2000])})
    if not pages:
        message_blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"No {plural} near it."}})
    message_blocks.append({"type": "actions", "elements": [SUGGEST_BUTTON, share_button(f"pages:{kind or ''}:{page.title}")]})
    return {"text": f"{plural.capitalize()} like {escape(page.name)}", "blocks": message_blocks}


def watchlist_entry(film: Film) -> list[dict]:
    """A saved film: its link with Remove, then 👍 / 👎 and Seen it (in the watchlist message and the Home)."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": film_link(film)},
             "accessory": button("Remove", "unsave_film", film_value(film))},
            rating_buttons(film, save=False)]


def watchlist_message(films: list[Film]) -> dict:
    """The films the user saved, newest first, each with Remove, 👍 / 👎 and Seen it."""
    if not films:
        return plain("Your watchlist is empty: press 🔖 Save under any film to keep it here.")
    message_blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": "🔖 Your watchlist"}}]
    for film in films[:WATCHLIST_SHOWN]:
        message_blocks.extend(watchlist_entry(film))
    if len(films) > WATCHLIST_SHOWN:
        message_blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"Showing the {WATCHLIST_SHOWN} newest of {len(films)}.")}]})
    return {"text": "Your watchlist", "blocks": message_blocks}


def suggestion_message(suggestion: Suggestion) -> dict:
    """One suggestion to rate: react 👍/👎 (or use the buttons) and the next one follows in the thread."""
    message_blocks = suggestion_blocks(suggestion)
    message_blocks.insert(-1, {"type": "context", "elements": [{"type": "mrkdwn", "text": (
        "React :+1: :heart: :star: :fire: if it's for you, :-1: :sleeping: :wastebasket: if not; "
        "I'll follow with the next one in this thread.")}]})
    return {"text": f"How about {escape(film_label(suggestion.title, suggestion.year))}?", "blocks": message_blocks}


def ratings_message(liked: list[Film], disliked: list[Film]) -> dict:
    """What the user rated, each with an Undo button."""
    if not liked and not disliked:
        return plain("You haven't rated anything yet. Try `/movielike suggest`.")
    message_blocks: list[dict] = []
    for heading, films in (("👍 Liked", liked), ("👎 Not for you", disliked)):
        if not films:
            continue
        message_blocks.append({"type": "header", "text": {"type": "plain_text", "text": heading}})
        for film in films[:20]:
            message_blocks.append({
                "type": "section",
                "text": {"type": "mrkdwn", "text": film_link(film)},
                "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Undo"}, "action_id": "unrate",
                              "value": film_value(film)},
            })
    if len(liked) > 20 or len(disliked) > 20:
        message_blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "Showing the 20 newest of each."}]})
    return {"text": "Your ratings", "blocks": message_blocks}


def forget_confirmation() -> dict:
    return {
        "text": "Forget everything?",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": (
                "This deletes all your ratings and what I've shown you, and takes you out of any movie night. Sure?")}},
            {"type": "actions", "elements": [
                {"type": "button", "style": "danger", "text": {"type": "plain_text", "text": "Forget me"},
                 "action_id": "forget_confirm", "value": "yes"},
                {"type": "button", "text": {"type": "plain_text", "text": "Keep my ratings"}, "action_id": "forget_cancel", "value": "no"},
            ]},
        ],
    }


def home_view(recent: list[tuple[Film, int]], picks: list[Suggestion], watchlist: list[Film] = (),
              notice: str | None = None) -> dict:
    """The App Home tab: a notice (what the last click did), a fresh set of picks, the watchlist, recent ratings."""
    view_blocks: list[dict] = []
    if notice:
        view_blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": notice[:MAX_NOTICE_CHARS]}]})
    view_blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Picks for you"}})
    for pick in picks:
        view_blocks.extend(suggestion_blocks(pick))
    if watchlist:
        view_blocks.append({"type": "header", "text": {"type": "plain_text", "text": "🔖 Your watchlist"}})
        for film in watchlist:
            view_blocks.extend(watchlist_entry(film))
    view_blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Your recent ratings"}})
    if recent:
        lines = [f"{'👍' if value > 0 else '👎'} {film_link(film)}" for film, value in recent[:10]]
        view_blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    else:
        view_blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "Nothing rated yet: try `/movielike suggest`."}})
    return {"type": "home", "blocks": view_blocks[:100]}


def did_you_mean(typed: str, candidates: list[Film]) -> dict:
    """Buttons for the closest titles when nothing matched for sure."""
    text = f"I couldn't find a film called “{escape(typed[:MAX_TITLE_IN_TEXT])}”."
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": text + (" Did you mean:" if candidates else "")}}]
    if candidates:
        blocks.append({
            "type": "actions",
            "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": film_label(c.title, c.year)[:75]},
                 "action_id": f"pick_film_{i}", "value": film_value(c)}
                for i, c in enumerate(candidates[:5])
            ],
        })
    else:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "Check the spelling, or try `/movielike help`."}]})
    return {"text": text, "blocks": blocks}


def plain(text: str) -> dict:
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def help_message() -> dict:
    return plain(HELP_TEXT)
