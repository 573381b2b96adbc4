"""What the engine returns: pydantic models shared by the CLI, API and chat."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from corpus.models import chunk_key

Mode = Literal["lookup", "section", "mentions", "search", "refused", "invalid"]
Lang = Literal["zh-hans", "zh-hant", "en"]


class Hit(BaseModel):
    """One cited clause. `text` and every entry of `highlights` are verbatim plan text."""

    kind: Literal["measure", "preamble", "principles"]
    measure: int | None
    label: str
    section: int | None
    section_title: str
    title: str
    text: str
    highlights: list[str] = Field(default_factory=list)
    score: float
    doc_id: str
    plan_title: str
    citation: str

    @property
    def key(self) -> str:
        return chunk_key(self.kind, self.measure)


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
