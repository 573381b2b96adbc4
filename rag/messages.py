"""Every user-facing string, one table per language (rag/strings/<lang>.json).

The CLI, the chat and the HTTP API all read from here, so a message reads the
same wherever a user meets it, and a translation is one data file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from rag.models import Lang

STRINGS = Path(__file__).resolve().parent / "strings"
LANGS: tuple[Lang, ...] = ("zh-hant", "zh-hans", "en")


@lru_cache(maxsize=None)
def table(lang: Lang) -> dict[str, str]:
    return json.loads((STRINGS / f"{lang}.json").read_text("utf-8"))


def msg(key: str, lang: Lang, **kw: object) -> str:
    return table(lang)[key].format(**kw)


def lang_from_header(accept_language: str | None) -> Lang:
    """The API's language for errors: the client's Accept-Language, else English.

    zh-TW / zh-HK / zh-Hant mean Traditional; any other zh means Simplified.
    """
    for part in (accept_language or "").lower().replace(" ", "").split(","):
        tag = part.split(";")[0]
        if tag.startswith("zh"):
            return "zh-hant" if any(t in tag for t in ("tw", "hk", "mo", "hant")) else "zh-hans"
        if tag.startswith("en"):
            return "en"
    return "en"
