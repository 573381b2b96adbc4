"""Pydantic models for plans and their clause-level chunks."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

ChunkKind = Literal["preamble", "principles", "measure"]


def chunk_key(kind: str, measure: int | None) -> str:
    """Stable id used in indexes and gold files: measure number, "pre" or "gen"."""
    if kind == "measure":
        return str(measure)
    return "pre" if kind == "preamble" else "gen"


class PlanInfo(BaseModel):
    """One catalogue entry: a plan file shipped in corpus/plans."""

    doc_id: str
    file: str
    title: str
    date: str
    language: str = "zh-Hant"


class Chunk(BaseModel):
    """One citable unit of a plan: the preamble, the principles or one measure.

    `text` is the repaired Traditional clause exactly as displayed and quoted
    (label and heading included); `text_hans` is its Simplified copy, used for
    indexing and for answers in Simplified script.
    """

    doc_id: str
    plan_title: str
    kind: ChunkKind
    measure: int | None = None
    label: str
    section: int | None = None
    section_title: str = ""
    section_inferred: bool = False
    title: str
    text: str
    text_hans: str
    source_file: str
    line_start: int
    line_end: int

    @property
    def key(self) -> str:
        return chunk_key(self.kind, self.measure)


class Plan(BaseModel):
    info: PlanInfo
    chunks: list[Chunk]
