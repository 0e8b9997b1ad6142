"""Block Kit messages on their own: structure Slack accepts, escaped text, posters only over https."""
from __future__ import annotations

from bot import blocks
from engine import Film, Suggestion


def film(**overrides) -> Film:
    values = dict(id=1, title="The Thing (1982 film)", year=1982, image="https://upload.wikimedia.org/x.jpg",
                  director="John Carpenter", movielens_id=2288)
    values.update(overrides)
    return Film(**values)


def suggestion(i: int, **overrides) -> Suggestion:
    values = dict(id=10 + i, title=f"Film {i} & <friends>", year=1990, image=None, director=None, movielens_id=None,
                  score=0.5, why="Kurt Russell · Horror film")
    values.update(overrides)
    return Suggestion(**values)


def test_similar_message_has_heading_suggestions_buttons_and_paging():
    message = blocks.similar_message(film(), [suggestion(i) for i in range(5)], offset=5)
    heading = message["blocks"][0]
    assert "The Thing (1982)" in heading["text"]["text"] and heading["accessory"]["type"] == "image"
    assert message["blocks"][-1]["elements"][0]["value"] == "1:10:both"  # film, next offset, view
    assert len(message["blocks"]) <= 50  # Slack's limit
    text = str(message["blocks"])
    assert "Film 0 &amp; &lt;friends&gt;" in text and "<friends>" not in text


def test_posters_only_over_https_and_did_you_mean_buttons():
    section = blocks.similar_message(film(image="http://insecure/x.jpg"), [])["blocks"][0]
    assert "accessory" not in section
    message = blocks.did_you_mean("Blade Runnr", [film(id=i) for i in range(7)])
    assert len(message["blocks"][1]["elements"]) == 5
    assert blocks.did_you_mean("zzz", [])["blocks"][1]["type"] == "context"
