"""The bot's log: one short line per event. Newlines are escaped (a title or a forged header cannot write a fake log
line) and each line is capped, so no request can grow the log by more than a line; tracebacks fold onto their line."""
from __future__ import annotations

import logging

MAX_LINE_CHARS = 2000
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class OneLineFormatter(logging.Formatter):
    """The usual format with every record on one line: `\\n` and `\\r` escaped, at most MAX_LINE_CHARS characters."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        text = text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
        return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS - 12] + " [truncated]"


def configure(level: int = logging.INFO) -> None:
    """Route every logger (ours, Bolt's, aiohttp's) through one handler with the one-line format."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
