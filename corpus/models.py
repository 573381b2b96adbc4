"""Pydantic models for library documents and their citable chunks."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from corpus.document import CitableKind, UnitKind
from corpus.text import Script

def slug(stem: str) -> str:
    """A readable document id from a file name: letters, digits and Chinese kept, the rest as '-'."""
    s = re.sub(r"[^\w\u3400-\u9fff]+", "-", stem, flags=re.UNICODE).strip("-_").lower()
    return s[:80] or "doc"


UNNUMBERED_KEYS = {"preamble": "pre", "principles": "gen", "closing": "end", "signature": "sig"}


def chunk_key(kind: str, number: int | None, sub_number: int | None = None, line: int = 0) -> str:
    """A unit's id within its document, as gold files write it: the cited number
    ("18", "17-1" for 第十七条之一), or "pre"/"gen"/"end"/"sig" for unnumbered parts."""
    if number is not None:
        return f"{number}-{sub_number}" if sub_number else str(number)
    return UNNUMBERED_KEYS.get(kind, f"{kind}@{line}")


class PlanInfo(BaseModel):
    """One catalogue entry: a plan file shipped in corpus/plans (built into every library)."""

    doc_id: str
    file: str
    title: str
    short_title: str = ""
    date: str
    language: str = "zh-Hant"


class DocumentInfo(BaseModel):
    """A library document's catalogue entry: what `policy-rag list` shows."""

    doc_id: str
    title: str
    short_title: str = ""
    issuer: str = ""
    doc_number: str = ""  # 文号
    dates: dict[str, str] = Field(default_factory=dict)
    script: Script
    unit_kind: CitableKind
    units: int
    summary: str
    source: str  # the path the user gave
    stored_source: str  # the copy kept in the library's sources/ folder
    format: str
    builtin: bool = False
    warnings: list[str] = Field(default_factory=list)


class Chunk(BaseModel):
    """One citable unit of a document (or its preamble, principles, closing, signature).

    `text` is the unit exactly as displayed and quoted (label and heading
    included) in the script the document is written in; `text_hans` is its
    Simplified copy, used for indexing and for answers in Simplified script.
    """

    doc_id: str
    doc_title: str
    short_title: str = ""
    kind: UnitKind
    number: int | None = None  # the number users cite; None for unnumbered parts
    sub_number: int | None = None  # 第十七条之一 → number 17, sub_number 1
    number_in_section: int | None = None  # when a document numbers again in each section
    label: str
    section: int | None = None
    section_title: str = ""
    section_inferred: bool = False
    path: list[str] = Field(default_factory=list)
    title: str = ""
    text: str
    text_hans: str
    script: Script = "hant"
    source_file: str
    line_start: int
    line_end: int

    @property
    def key(self) -> str:
        return chunk_key(self.kind, self.number, self.sub_number, self.line_start)

    @property
    def measure(self) -> int | None:
        return self.number if self.kind == "measure" else None

    @property
    def plan_title(self) -> str:
        return self.doc_title


class Plan(BaseModel):
    info: PlanInfo
    chunks: list[Chunk]

