"""Sentence split used for highlighting: every piece is a verbatim substring."""

from __future__ import annotations

import re

_END = re.compile(r"(?<=[。；！？])")


def split_sentences(text: str) -> list[str]:
    """Split after 。；！？ so that "".join(result) == text."""
    parts = [p for p in _END.split(text) if p]
    return parts or [text]
