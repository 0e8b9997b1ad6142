"""The bot's log: one short line per event. Newlines are escaped (a title or a forged header cannot write a fake log
line) and each line is capped, so no request can grow the log by more than a line; tracebacks fold onto their line."""
from __future__ import annotations

import logging

MAX_LINE_CHARS = 2000
CUT = " [...] "
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class OneLineFormatter(logging.Formatter):
    """The usual format with every record on one line: `\\n` and `\\r` escaped, at most MAX_LINE_CHARS characters
    (a longer one keeps its start and its end: a traceback's last line names the error)."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        text = text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
        if len(text) <= MAX_LINE_CHARS:
            return text
        head = MAX_LINE_CHARS // 4  # the head says when and where; the tail holds a traceback's exception
        return text[:head] + CUT + text[len(text) - (MAX_LINE_CHARS - head - len(CUT)):]


def configure(level: int = logging.INFO) -> None:
    """Route every logger (ours, Bolt's, aiohttp's) through one handler with the one-line format."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
