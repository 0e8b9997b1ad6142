"""Slack's requests checked before Bolt parses them: a body that is not UTF-8, a missing or wrong signature, a stale
or malformed timestamp, or a payload that does not parse is refused with 400/401 and one short log line (never the
body), instead of reaching Bolt, whose parser answers such requests with HTTP 500 and a traceback."""
from __future__ import annotations

import json
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
            json.loads(text)
        else:
            payload = parse_qs(text).get("payload")
            if payload:
                json.loads(payload[0])
    except (ValueError, RecursionError):
        return 400, "the payload does not parse"
    return None
