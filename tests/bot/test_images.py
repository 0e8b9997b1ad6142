"""Posters Slack cannot fetch: Slack refuses the whole message (`invalid_blocks`, "downloading image failed"); the
bot sends it again without images, remembers the URL in Redis, and leaves it out of later messages."""
from __future__ import annotations

from tests.bot.harness import run, running_bot


def test_a_message_refused_for_a_poster_is_sent_without_it_and_the_poster_is_remembered(engine):
    alien = engine.resolve("Alien")
    assert alien.image and alien.image.startswith("https://")

    async def body():
        async with running_bot(engine) as bot:
            bot.stub.unfetchable_images.add(alien.image)
            await bot.command("Alien")
            await bot.stub.wait_for_responses(2)
            refused, resent = bot.stub.responses()
            assert alien.image in str(refused) and alien.image not in str(resent)
            assert resent["blocks"][0]["text"]["text"] == refused["blocks"][0]["text"]["text"]  # same answer
            assert "image_url" in str(resent["blocks"][1:])  # the other films keep their posters
            assert await bot.store.failed_posters([alien.image, "https://example.org/x.jpg"]) == {alien.image}

            await bot.command("Alien")  # next time the poster is not offered: one post, taken at once
            await bot.stub.wait_for_responses(3)
            assert alien.image not in str(bot.stub.responses()[2])

            # The same for chat.postMessage (the rating loop's DM) and views.publish (the Home tab).
            bot.stub.unfetchable_images.clear()
            await bot.store.remember_failed_posters([])  # nothing to remember: no error
            await bot.command("suggest")
            await bot.stub.wait_until(lambda: bot.stub.api("chat.postMessage"))
            posted = bot.stub.api("chat.postMessage")[0]
            bot.stub.unfetchable_images.update(url for url in [_first_image(posted)] if url)
            await bot.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.1"})
            await bot.stub.wait_until(lambda: bot.stub.accepted("views.publish"))

    run(body())


def test_the_rating_loop_survives_an_unfetchable_poster(engine):
    async def body():
        async with running_bot(engine) as bot:
            first = engine.recommend(k=1)[0]  # what a user with no ratings is offered first
            assert first.image
            bot.stub.unfetchable_images.add(first.image)
            await bot.command("suggest")
            await bot.stub.wait_until(lambda: bot.stub.accepted("chat.postMessage"))
            [posted] = bot.stub.accepted("chat.postMessage")
            assert first.image not in str(posted) and first.title.split(" (")[0] in str(posted["blocks"][0])
            assert await bot.store.failed_posters([first.image]) == {first.image}
            assert "DM" in str(await bot.stub.wait_for_responses(1))  # and the user was told, as usual

    run(body())


def _first_image(payload: dict) -> str | None:
    import re

    found = re.search(r"'image_url': '([^']+)'", str(payload))
    return found.group(1) if found else None


def test_image_urls_finds_every_place_block_kit_puts_an_image_and_nothing_else():
    from bot.images import image_urls, without_images

    poster = {"type": "image", "image_url": "https://x/accessory.jpg", "alt_text": "a"}
    message = {"text": 'a title with "image_url": "https://x/typed.jpg" in it', "blocks": [
        {"type": "image", "image_url": "https://x/block.jpg", "alt_text": "b"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "image_url"}, "accessory": poster},
        {"type": "context", "elements": [{"type": "image", "image_url": "https://x/context.jpg", "alt_text": "c"},
                                         {"type": "mrkdwn", "text": "https://x/not-an-image.jpg"}]},
        {"type": "section", "accessory": {"type": "button", "text": {"type": "plain_text", "text": "b"}}},
        "not a block"],
        "attachments": [{"blocks": [{"type": "image", "image_url": "https://x/attached.jpg", "alt_text": "d"}]}]}
    urls = ["https://x/block.jpg", "https://x/accessory.jpg", "https://x/context.jpg", "https://x/attached.jpg"]
    assert image_urls(message) == urls
    assert image_urls(message["blocks"]) == urls[:3] and image_urls({"type": "home", "blocks": []}) == []
    assert image_urls(without_images(message)) == []  # what the last retry sends
