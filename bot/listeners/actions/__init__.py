"""Button clicks: ratings, undo, forget, more like this, views, picking between namesakes, the rating loop, the
watchlist and seen films, sharing an answer to the channel."""
import re

from slack_bolt.async_app import AsyncApp

from bot.listeners.actions.more_like import more_like
from bot.listeners.actions.pick_film import pick_film
from bot.listeners.actions.rate import rate_dislike, rate_like
from bot.listeners.actions.ratings import forget_cancel, forget_confirm, unrate
from bot.listeners.actions.share import share
from bot.listeners.actions.similar_view import ACTION_PREFIX as SIMILAR_VIEW
from bot.listeners.actions.similar_view import similar_view
from bot.listeners.actions.start_suggest import start_suggest
from bot.listeners.actions.watchlist import save_film, seen_film, unsave_film


def register(app: AsyncApp) -> None:
    app.action("rate_like")(rate_like)
    app.action("rate_dislike")(rate_dislike)
    app.action("more_like")(more_like)
    app.action(re.compile(r"^pick_film_\d+$"))(pick_film)
    app.action("unrate")(unrate)
    app.action("forget_confirm")(forget_confirm)
    app.action("forget_cancel")(forget_cancel)
    app.action("start_suggest")(start_suggest)
    app.action(re.compile(rf"^{SIMILAR_VIEW}(both|links|ratings)$"))(similar_view)
    app.action("save_film")(save_film)
    app.action("unsave_film")(unsave_film)
    app.action("seen_film")(seen_film)
    app.action("share")(share)
