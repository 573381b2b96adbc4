"""Server logs that a stream of bad requests cannot flood.

A malformed request costs its sender 60 bytes and used to cost us 14 KB of
traceback. Each record becomes one short line (the exception's type and
message, no traceback unless debugging), and lines of the same kind are
limited per minute; how many were dropped is said once the minute is over.
"""

from __future__ import annotations

import copy
import logging
import threading
import time

LINE_CHARS = 300  # longest line written
PER_KIND = 5  # lines of one kind (logger + message template) per window
PER_WINDOW = 100  # lines of all kinds per window
WINDOW = 60.0  # seconds


class BriefLines(logging.Filter):
    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._kinds: dict[tuple[str, str], int] = {}
        self._total = 0
        self._dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            now = time.monotonic()
            if now - self._start > WINDOW:
                if self._dropped:
                    record.msg = f"({self._dropped} similar log lines dropped in the last minute) {record.msg}"
                self._start, self._kinds, self._total, self._dropped = now, {}, 0, 0
            kind = (record.name, str(record.msg)[:80])
            seen = self._kinds.get(kind, 0)
            if seen >= PER_KIND or self._total >= PER_WINDOW:
                self._dropped += 1
                return False
            self._kinds[kind] = seen + 1
            self._total += 1
        if record.exc_info and not logging.getLogger().isEnabledFor(logging.DEBUG):
            exc = record.exc_info[1]
            record.msg = f"{record.getMessage().rstrip()}: {type(exc).__name__}: {exc}"
            record.args, record.exc_info, record.exc_text, record.stack_info = None, None, None, None
        text = record.getMessage()
        if len(text) > LINE_CHARS:
            record.msg, record.args = text[:LINE_CHARS] + " …", None
        return True


def uvicorn_log_config() -> dict:
    """uvicorn's own logging set-up, with every handler passing through one BriefLines."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"brief": {"()": "ui.logs.shared"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["brief"]
    return config


_SHARED = BriefLines()


def shared() -> BriefLines:
    """The one filter every handler of the server process uses, so the budget is global."""
    return _SHARED


def install() -> None:
    for handler in logging.getLogger().handlers:
        handler.addFilter(_SHARED)
