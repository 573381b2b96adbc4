"""The parsed-document contract between ingestion and the rest of the app.

A document is a list of units in reading order. Only units of `unit_kind`
carry the numbers users cite; preamble, principles, closing, signature and
section-intro paragraphs are kept as their own units so that no text is lost.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

UnitKind = Literal["article", "measure", "item", "paragraph", "preamble", "principles", "closing", "signature"]
CitableKind = Literal["article", "measure", "item", "paragraph"]
Format = Literal["txt", "md", "html", "pdf", "docx"]

_NOUN = {"article": "articles", "measure": "measures", "item": "items", "paragraph": "paragraphs"}


class DocumentMeta(BaseModel):
    title: str
    short_title: str = ""
    issuer: str = ""
    doc_number: str = ""  # 文号, e.g. 国办发〔2018〕118号
    dates: dict[str, str] = Field(default_factory=dict)  # {"成文": "2018-12-05", "施行": ...}, ISO dates
    script: Literal["hans", "hant"]
    source_name: str
    format: Format


class Unit(BaseModel):
    kind: UnitKind
    number: int | None  # the number users cite; None for unnumbered kinds
    label: str  # as written: 第十八条, （十八）, 18.; 前言/结尾/署名 for unnumbered kinds
    title: str = ""
    path: list[str] = Field(default_factory=list)  # enclosing headings, outermost first
    section: int | None = None  # top-level division number (第三章 → 3, 二、→ 2)
    section_title: str = ""
    text: str  # exactly as written after cleaning, label included, paragraphs joined by "\n"
    line_start: int  # 1-based positions in the extracted line list
    line_end: int
    # Only set when the document numbers its units again in each section: then `number`
    # is the position in document order and this is the number written in the label.
    number_in_section: int | None = None
    # 第十七条之一 → number 17, sub_number 1 (an article inserted by an amendment).
    sub_number: int | None = None


class ParsedDocument(BaseModel):
    meta: DocumentMeta
    unit_kind: CitableKind
    units: list[Unit]
    warnings: list[str] = Field(default_factory=list)

    def citable(self) -> list[Unit]:
        return [u for u in self.units if u.kind == self.unit_kind and u.number is not None]

    def summary(self) -> str:
        """'70 articles in 8 chapters', '23 measures in 6 sections', '130 items'."""
        units = self.citable()
        text = f"{len(units)} {_NOUN[self.unit_kind]}"
        if len(units) == 1:
            text = text[:-1]
        tops = Counter(u.path[0] for u in units if u.path and u.section is not None)
        if self.unit_kind == "article":
            chapters = {tuple(u.path[: i + 1]) for u in units for i, p in enumerate(u.path) if _is_chapter(p)}
            if chapters:
                return f"{text} in {len(chapters)} chapters"
        if len(tops) > 1:
            return f"{text} in {len(tops)} sections"
        return text


def _is_chapter(heading: str) -> bool:
    head = heading.split(" ", 1)[0]
    return head.startswith("第") and head.endswith("章")
