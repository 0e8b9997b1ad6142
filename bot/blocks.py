"""Every Block Kit message the bot sends, built in one place from engine results."""
from __future__ import annotations

from engine import Film, Suggestion
from engine.engine import film_label, wikipedia_url

MAX_TITLE_IN_TEXT = 80
SUGGESTIONS_PER_PAGE = 5
HELP_TEXT = (
    "*movielike* finds films like the ones you name.\n"
    "• `/movielike Blade Runner` — the films most like it, with why; rate them with 👍 / 👎\n"
    "• `/movielike about George Lucas` — films around a person, studio, genre or place\n"
    "• `/movielike recs` — picks from everything you rated\n"
    "• `/movielike help` — this message"
)


def escape(text: str) -> str:
    """Slack mrkdwn escaping: user text and titles are data, so `<!channel>` stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _film_link(film: Film | Suggestion) -> str:
    return f"<{wikipedia_url(film.title)}|{escape(film_label(film.title, film.year))}>"


def _poster(section: dict, film: Film | Suggestion) -> dict:
    if film.image and film.image.startswith("https://"):
        section["accessory"] = {"type": "image", "image_url": film.image, "alt_text": film_label(film.title, film.year)}
    return section


def rating_buttons(film_id: int) -> dict:
    return {
        "type": "actions",
        "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "👍 Like"}, "action_id": "rate_like", "value": str(film_id)},
            {"type": "button", "text": {"type": "plain_text", "text": "👎 Not for me"}, "action_id": "rate_dislike", "value": str(film_id)},
        ],
    }


def suggestion_blocks(suggestion: Suggestion) -> list[dict]:
    text = f"*{_film_link(suggestion)}*"
    if suggestion.director:
        text += f"\ndirected by {escape(suggestion.director)}"
    blocks = [_poster({"type": "section", "text": {"type": "mrkdwn", "text": text}}, suggestion)]
    if suggestion.why:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(suggestion.why)}]})
    blocks.append(rating_buttons(suggestion.id))
    return blocks


def similar_message(film: Film, suggestions: list[Suggestion], offset: int = 0, typed: str | None = None) -> dict:
    """The film asked for, then films like it, each with poster, why and rating buttons, then 'More like this'."""
    heading = f"Films like *{_film_link(film)}*"
    if film.director:
        heading += f", directed by {escape(film.director)}"
    if typed:
        heading += f"\n_(you typed “{escape(typed[:MAX_TITLE_IN_TEXT])}”)_"
    blocks: list[dict] = [_poster({"type": "section", "text": {"type": "mrkdwn", "text": heading}}, film), {"type": "divider"}]
    for suggestion in suggestions:
        blocks.extend(suggestion_blocks(suggestion))
    more = f"{film.id}:{offset + len(suggestions)}"
    blocks.append({
        "type": "actions",
        "elements": [{"type": "button", "text": {"type": "plain_text", "text": "More like this"}, "action_id": "more_like", "value": more}],
    })
    return {"text": f"Films like {film_label(film.title, film.year)}", "blocks": blocks}


def list_message(heading: str, suggestions: list[Suggestion]) -> dict:
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": heading}}, {"type": "divider"}]
    for suggestion in suggestions:
        blocks.extend(suggestion_blocks(suggestion))
    return {"text": heading, "blocks": blocks}


def did_you_mean(typed: str, candidates: list[Film]) -> dict:
    """Buttons for the closest titles when nothing matched for sure."""
    text = f"I couldn't find a film called “{escape(typed[:MAX_TITLE_IN_TEXT])}”."
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": text + (" Did you mean:" if candidates else "")}}]
    if candidates:
        blocks.append({
            "type": "actions",
            "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": film_label(c.title, c.year)[:75]}, "action_id": f"pick_film_{i}", "value": str(c.id)}
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
