"""Question clean-up and understanding: script, language, search forms."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pydantic import BaseModel

from corpus.script import detect_script, to_hans
from index.tokenize import normalise_query_text
from rag.models import Lang

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


class Query(BaseModel):
    text: str  # cleaned, as typed
    norm: str  # NFKC, Simplified, lower-case: what matchers compare
    dense_text: str  # what is embedded
    script: Literal["hans", "hant"]
    lang: Lang


_MARKUP = re.compile(r"<[^<>]{0,300}>")


def clean_text(question: str) -> str:
    """Drop NUL/control/bidi characters, lone surrogates and HTML tags; collapse spaces.

    Tags carry no question (and pasted markup must never steer retrieval);
    the chat still shows what the user typed, escaped.
    """
    question = question.encode("utf-8", "replace").decode("utf-8")
    question = _CONTROL.sub(" ", _MARKUP.sub(" ", question))
    return re.sub(r"\s+", " ", question).strip()


def has_content(text: str) -> bool:
    """At least one letter, digit or Chinese character (not only punctuation/emoji)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def language(text: str, script_override: str = "auto") -> tuple[Literal["hans", "hant"], Lang]:
    english = not _CJK.search(text) and bool(_LATIN.search(text))
    if script_override in ("hans", "hant"):
        script = script_override
    else:
        script = detect_script(text) or "hant"
    lang: Lang = "en" if english else ("zh-hans" if script == "hans" else "zh-hant")
    return script, lang  # type: ignore[return-value]


def understand(question: str, script_override: str = "auto", max_chars: int | None = None) -> Query:
    """Clean and classify; over-long questions are only classified (from their start)."""
    text = clean_text(question)
    script, lang = language(text[:200], script_override)
    if max_chars is not None and len(text) > max_chars:
        return Query(text=text, norm="", dense_text="", script=script, lang=lang)
    norm = normalise_query_text(text)
    return Query(text=text, norm=norm, dense_text=to_hans(text), script=script, lang=lang)
