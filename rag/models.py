"""What the engine returns: pydantic models shared by the CLI, API and chat."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from corpus.document import UnitKind

Mode = Literal["lookup", "section", "mentions", "search", "count", "refused", "invalid"]
Lang = Literal["zh-hans", "zh-hant", "en"]


class Hit(BaseModel):
    """One cited unit. `text` and every entry of `highlights` are verbatim document text."""

    key: str  # the unit's id within its document: "18", "pre", "gen", "17-1"
    doc_id: str
    doc_title: str  # in the answer's script
    short_title: str = ""
    kind: UnitKind
    unit_kind: str  # what the document's numbered units are: article | measure | item | paragraph
    unit: int | None  # the number users cite; None for preamble, principles, closing, signature
    measure: int | None  # the shipped plan's field: `unit` when the unit is a measure
    label: str
    section: int | None
    section_title: str
    title: str
    text: str
    highlights: list[str] = Field(default_factory=list)
    score: float
    plan_title: str  # = doc_title, kept for existing API clients
    citation: str


CONTEXT_DOCS, CONTEXT_KEYS, CONTEXT_SHOWN = 50, 100, 1000  # what a follow-up may carry back


class Context(BaseModel):
    """What a follow-up ("下一條呢", "more") needs of the previous answer. Every answer carries
    one; a client that sends it back with the next question gets follow-ups resolved."""

    question: str = Field("", max_length=4000)  # the question the results answer (for "more", a script change)
    script: Literal["auto", "hans", "hant"] = "auto"
    docs: list[str] = Field(default_factory=list, max_length=CONTEXT_DOCS)
    keys: list[str] = Field(default_factory=list, max_length=CONTEXT_KEYS)  # "doc_id#key" of the units shown, in order
    shown: int = Field(0, ge=0, le=CONTEXT_SHOWN)  # how many ranked results have been shown


class Answer(BaseModel):
    question: str
    answered: bool
    mode: Mode
    script: Literal["hans", "hant"]
    lang: Lang
    message: str = ""
    term: str | None = None
    results: list[Hit] = Field(default_factory=list)
    markdown: str = ""
    context: Context | None = None  # send it back with a follow-up question
