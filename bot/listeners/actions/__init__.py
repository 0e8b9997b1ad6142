"""Button clicks: ratings, undo, forget, more like this, views, picking between namesakes, the rating loop, the
watchlist and seen films, pages like a page, sharing an answer to the channel, and movie night (join, leave, pick, vote, close)."""
import re

from slack_bolt.async_app import AsyncApp

from bot import blocks, night_blocks
from bot.listeners.actions.more_like import more_like
from bot.listeners.actions.night_join import night_join, night_leave
from bot.listeners.actions.night_pick import night_pick
from bot.listeners.actions.night_vote import night_close, night_vote
from bot.listeners.actions.pages_like import pages_like
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
    app.action(re.compile(rf"^{SIMILAR_VIEW}(both|links|ratings|posters)$"))(similar_view)
    app.action("save_film")(save_film)
    app.action("unsave_film")(unsave_film)
    app.action("seen_film")(seen_film)
    app.action("share")(share)
    app.action(blocks.PAGES_LIKE_ACTION)(pages_like)
    app.action(night_blocks.JOIN)(night_join)
    app.action(night_blocks.LEAVE)(night_leave)
    app.action(night_blocks.PICK)(night_pick)
    app.action(night_blocks.VOTE)(night_vote)
    app.action(night_blocks.CLOSE)(night_close)
