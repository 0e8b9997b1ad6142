"""The bot's log format: one line per record whatever the message holds (a title, a forged header, a traceback)."""
from __future__ import annotations

import logging

from bot.logs import MAX_LINE_CHARS, OneLineFormatter


def record(message: str, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("bot.test", logging.WARNING, __file__, 1, message, args, exc_info)


def test_newlines_are_escaped_so_no_log_line_can_be_forged():
    line = OneLineFormatter("%(levelname)s %(message)s").format(record("title %s", "Alien\nERROR forged\r\nline"))
    assert "\n" not in line and "\r" not in line
    assert line == "WARNING title Alien\\nERROR forged\\r\\nline"


def test_a_traceback_folds_onto_its_line_and_a_huge_message_is_cut():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        line = OneLineFormatter("%(message)s").format(record("failed", exc_info=sys.exc_info()))
    assert "\n" not in line and "ValueError: boom" in line
    huge = OneLineFormatter("%(message)s").format(record("start " + "x" * 100_000 + " KeyError: 'the cause'"))
    assert len(huge) == MAX_LINE_CHARS and huge.startswith("start ") and huge.endswith("KeyError: 'the cause'")
