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


def lang_from_locale(environ: dict[str, str]) -> Lang:
    """The CLI's language: the first of LC_ALL, LC_MESSAGES, LANG that is set (zh_TW → 繁體,
    other zh → 简体), else English."""
    tag = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    return lang_from_header(tag.replace("_", "-").split(".")[0])


def ingest_error(code: str | None, source: str, error: str, lang: Lang) -> str:
    """One line naming the file and what is wrong, in `lang` (`error` is "source: reason")."""
    detail = error.removeprefix(f"{source}: ")
    key = f"ingest_{code}" if f"ingest_{code}" in table(lang) else "ingest_unreadable"
    return msg(key, lang, source=source, detail=detail)
