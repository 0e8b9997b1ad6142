"""Posters in messages: Slack refuses a whole message (`invalid_blocks`, "downloading image failed") when it cannot
fetch one image. Every message and view the bot sends goes through `deliver`: posters that failed recently are left
out before sending; a message refused for its images is sent again without them, and the URLs Slack pointed at are
remembered in Redis (bot/state.py, with a TTL) so they are not offered again."""
from __future__ import annotations

import copy
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.state import UserStateStore
from bot.store import StoreUnavailable

log = logging.getLogger(__name__)
POINTER = re.compile(r"json-pointer:(/[^\]\s]*)")
MAX_ATTEMPTS = 3  # as sent; without the posters Slack named; without any poster
BLOCK_ERRORS = {"invalid_blocks", "invalid_blocks_format", "invalid_arguments"}

# A sender posts one payload and returns None when Slack took it, else Slack's error answer (a dict).
Sender = Callable[[dict], Awaitable[dict | None]]


def image_urls(payload: Any) -> list[str]:
    """Every image URL of a message or view (or a list of blocks), in order: image blocks, section accessories and
    context elements, in the payload's blocks and its attachments' blocks, where Block Kit puts images. Read there
    only: every reply goes through this, and walking each of a reply's few hundred nodes cost 0.1-0.2 ms."""
    if isinstance(payload, list):
        payload = {"blocks": payload}
    if not isinstance(payload, dict):
        return []
    blocks = _list(payload.get("blocks")) + [block for attachment in _list(payload.get("attachments"))
                                             if isinstance(attachment, dict) for block in _list(attachment.get("blocks"))]
    urls = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        for item in (block, block.get("accessory"), *_list(block.get("elements"))):
            if isinstance(item, dict) and item.get("type") == "image" and isinstance(item.get("image_url"), str):
                urls.append(item["image_url"])
    return urls


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def without_images(node: Any, urls: set[str] | None = None) -> Any:
    """A copy of a payload with its images (only those in `urls`, when given) taken out: image blocks and context
    image elements are dropped, image accessories removed from their sections."""
    def drop(item: Any) -> bool:
        return (isinstance(item, dict) and item.get("type") == "image"
                and (urls is None or item.get("image_url") in urls))

    if isinstance(node, list):
        return [without_images(item, urls) for item in node if not drop(item)]
    if not isinstance(node, dict):
        return node
    return {key: without_images(value, urls) for key, value in node.items() if not (key == "accessory" and drop(value))}


def _at(payload: dict, pointer: str) -> Any:
    """The value a JSON pointer names in `payload` (a view's pointers may start at /view), or None."""
    node: Any = payload
    parts = [part.replace("~1", "/").replace("~0", "~") for part in pointer.strip("/").split("/")]
    if parts and parts[0] == "view" and "view" not in payload:
        parts = parts[1:]
    for part in parts:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def refused_images(payload: dict, error: dict) -> set[str] | None:
    """The image URLs Slack says it could not fetch when it refused `payload` for its blocks (possibly none named),
    or None when the refusal was about something else or the payload has no images."""
    if error.get("error") not in BLOCK_ERRORS or not image_urls(payload):
        return None
    messages = [*(error.get("errors") or []), *((error.get("response_metadata") or {}).get("messages") or [])]
    named = set()
    for message in messages:
        for pointer in POINTER.findall(str(message)):
            found = _at(payload, pointer)
            url = found.get("image_url") if isinstance(found, dict) else found if pointer.endswith("/image_url") else None
            if isinstance(url, str) and url.startswith("https://"):  # a poster, never some other text Slack pointed at
                named.add(url)
    return named


async def deliver(store: UserStateStore, payload: dict, send: Sender) -> dict | None:
    """Send `payload` (a message or a view) without posters that failed before. If Slack refuses it for its images,
    remember the URLs it named and send it again without them (the other posters stay); if it names none, or still
    refuses, send it without any image. Returns Slack's last error, or None."""
    try:
        failed = await store.failed_posters(image_urls(payload))
    except StoreUnavailable:
        failed = set()  # cannot check: send the posters, the fallback below still applies
    if failed:
        payload = without_images(payload, failed)
    for attempt in range(MAX_ATTEMPTS):
        error = await send(payload)
        if error is None:
            return None
        refused = refused_images(payload, error)
        if refused is None:
            return error
        log.info("Slack refused a message for its images (%d named); sending it again without them", len(refused))
        if refused:
            try:
                await store.remember_failed_posters(sorted(refused))
            except StoreUnavailable:
                log.warning("Redis unavailable: failed poster URLs not remembered")
        last_try = not refused or attempt >= MAX_ATTEMPTS - 2
        payload = without_images(copy.deepcopy(payload), None if last_try else refused)
    return error
