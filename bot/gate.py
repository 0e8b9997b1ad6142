"""Slack's requests checked before Bolt parses them: a body that is not UTF-8, a missing or wrong signature, a stale
or malformed timestamp, or a payload that does not parse is refused with 400/401 and one short log line (never the
body), instead of reaching Bolt, whose parser answers such requests with HTTP 500 and a traceback."""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier


def refusal(body: bytes, headers, verifier: SignatureVerifier | None) -> tuple[int, str] | None:
    """None when the request may go on to Bolt (which verifies the signature again); else (HTTP status, reason)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return 400, "the body is not UTF-8"
    if verifier is not None:
        timestamp, signature = headers.get("X-Slack-Request-Timestamp"), headers.get("X-Slack-Signature")
        try:
            valid = verifier.is_valid(body=text, timestamp=timestamp, signature=signature)
        except (TypeError, ValueError, OverflowError):  # a timestamp that is not a number
            valid = False
        if not valid:
            return 401, "missing, stale or wrong signature"
    try:
        if headers.get("Content-Type", "").startswith("application/json"):
            parsed = json.loads(text)
        elif not is_plain_form(text, headers):  # interactivity: a form whose `payload` field is the JSON Bolt reads
            payload = parse_qs(text).get("payload")
            parsed = json.loads(payload[0]) if payload else {}
        else:  # a slash command's plain form fields: nothing Bolt could choke on, no need to parse it twice
            parsed = {}
    except (ValueError, RecursionError):
        return 400, "the payload does not parse"
    if not _shaped_like_slack(parsed):
        return 400, "the payload is not shaped like one Slack sends"
    return None


_HAS_PAYLOAD = re.compile(r"(?:^|&)payload=")  # a form field named exactly `payload` (values are URL-encoded: no & or =)
# Fields whose type Bolt relies on when it reads a payload: the wrong type there is a crash in Bolt (HTTP 500).
_OBJECTS = ("event", "view", "container", "channel", "message", "state")
_OBJECTS_OR_NULL = ("user", "team", "enterprise")


def is_plain_form(text: str, headers) -> bool:
    """A form body (a slash command's fields) without a field named `payload`, which carries interactivity's JSON."""
    return not headers.get("Content-Type", "").startswith("application/json") and not _HAS_PAYLOAD.search(text)


def _shaped_like_slack(payload) -> bool:
    """Whether a parsed body has the shape of what Slack sends (an object, with objects and lists where Slack puts
    them), so Bolt can read it. Content is not judged here: listeners answer odd values with a plain message."""
    if not isinstance(payload, dict):
        return False
    if any(name in payload and not isinstance(payload[name], dict) for name in _OBJECTS):
        return False
    if any(payload.get(name) is not None and not isinstance(payload[name], dict) for name in _OBJECTS_OR_NULL):
        return False
    actions = payload.get("actions", [])
    if not isinstance(actions, list) or not all(isinstance(action, dict) for action in actions):
        return False
    view = payload.get("view")
    return view is None or isinstance(view.get("type"), str)  # Bolt reads a view's type for every view payload
