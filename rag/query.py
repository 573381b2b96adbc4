"""Question clean-up and understanding: script, language, search forms."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from corpus.text import CONTROL, detect_script, is_english, normalise, to_hans
from rag.models import Lang


class Query(BaseModel):
    text: str  # cleaned, as typed
    norm: str  # NFKC, Simplified, lower-case: what matchers compare
    dense_text: str  # what is embedded
    script: Literal["hans", "hant"]
    lang: Lang
    show: Literal["hans", "hant"] | None  # script to show documents in; None = as written (English askers)


_MARKUP = re.compile(r"<[^<>]{0,300}>")


def clean_text(question: str) -> str:
    """Drop NUL/control/bidi characters, lone surrogates and HTML tags; collapse spaces.

    Tags carry no question (and pasted markup must never steer retrieval);
    the chat still shows what the user typed, escaped.
    """
    question = question.encode("utf-8", "replace").decode("utf-8")
    question = CONTROL.sub(" ", _MARKUP.sub(" ", question))
    return re.sub(r"\s+", " ", question).strip()


def language(text: str, script_override: str = "auto") -> tuple[Literal["hans", "hant"], Lang]:
    english = is_english(text)
    if script_override in ("hans", "hant"):
        script = script_override
    else:
        script = detect_script(text) or "hant"
    lang: Lang = "en" if english else ("zh-hans" if script == "hans" else "zh-hant")
    return script, lang  # type: ignore[return-value]


def too_long(question: str, limit: int) -> bool:
    """The one definition of "too long": code points as sent, checked before any work."""
    return len(question) > limit


def understand(question: str, script_override: str = "auto") -> Query:
    """Clean and classify a question of acceptable length."""
    text = clean_text(question)
    script, lang = language(text[:200], script_override)
    show = script if lang != "en" or script_override in ("hans", "hant") else None
    return Query(text=text, norm=normalise(text), dense_text=to_hans(text), script=script, lang=lang, show=show)
