"""Split a cleaned plan into citable chunks: preamble, principles, measures.

Chinese action plans share one shape: a title, an introduction, section
headings 一、二、… and numbered measures （一）（二）… that run on across
sections. Scrapes often lose the 一、總體要求 heading; then the paragraph just
before section 二 is the guiding principles, marked as inferred.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus.clean import Line, clean
from corpus.models import Chunk, Plan, PlanInfo
from corpus.numerals import NUMERAL_CHARS, cn_to_int
from corpus.text import repair_traditional, to_hans

log = logging.getLogger(__name__)

SECTION = re.compile(rf"^([{NUMERAL_CHARS}]+)、(.{{2,40}})$")
MEASURE = re.compile(rf"^（([{NUMERAL_CHARS}]+)）(.*)$")
INFERRED_PRINCIPLES_TITLE = "總體要求"
PARSER_VERSION = "2"  # bump when chunking changes: built-in documents are re-embedded


class ParseError(ValueError):
    """The file does not have the shape of an action plan."""


@dataclass
class _Block:
    kind: str
    lines: list[Line] = field(default_factory=list)
    measure: int | None = None
    label: str = ""
    section: int | None = None
    section_title: str = ""
    section_inferred: bool = False


def _blocks(lines: list[Line], title: str) -> tuple[list[Line], list[_Block]]:
    """Intro lines (before the first heading) and the blocks that follow."""
    intro: list[Line] = []
    blocks: list[_Block] = []
    section: tuple[int, str] | None = None
    for ln in lines:
        t = ln.text
        if not blocks and section is None and t.replace(" ", "") == title.replace(" ", ""):
            continue  # the title line
        if (m := SECTION.match(t)) and "。" not in t:
            section = (cn_to_int(m.group(1)) or 0, m.group(2).strip())
            if section[0] == 1:
                blocks.append(_Block("principles", section=1, section_title=section[1], label="一、"))
            continue
        if m := MEASURE.match(t):
            blocks.append(_Block("measure", [ln], measure=cn_to_int(m.group(1)), label=f"（{m.group(1)}）",
                                 section=section[0] if section else None,
                                 section_title=section[1] if section else ""))
            continue
        if blocks:
            blocks[-1].lines.append(ln)  # a continuation paragraph stays with its heading
        else:
            intro.append(ln)
    return intro, blocks


def parse_plan(raw: str, info: PlanInfo) -> Plan:
    intro, blocks = _blocks(clean(raw), info.title)
    measures = [b for b in blocks if b.kind == "measure"]
    if not measures:
        raise ParseError(f"{info.file}: no numbered measures （一）… found")
    numbers = [b.measure for b in measures]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ParseError(f"{info.file}: measures are not numbered 1…{len(numbers)}: {numbers}")
    head: list[_Block] = []
    has_principles = any(b.kind == "principles" for b in blocks)
    if not has_principles and len(intro) >= 2:
        head.append(_Block("principles", [intro.pop()], section=1, label="一、",
                           section_title=INFERRED_PRINCIPLES_TITLE, section_inferred=True))
    if intro:
        head.insert(0, _Block("preamble", intro, label="前言"))
    return Plan(info=info, chunks=[_chunk(b, info) for b in head + blocks if b.lines])


def _chunk(b: _Block, info: PlanInfo) -> Chunk:
    text = repair_traditional("".join(ln.text for ln in b.lines))
    if b.kind == "measure":
        title = text[len(b.label):].split("。", 1)[0].strip()
    elif b.kind == "principles":
        title = b.section_title
    else:
        title = ""
    return Chunk(
        doc_id=info.doc_id, doc_title=info.title, short_title=info.short_title, kind=b.kind, number=b.measure,
        label=b.label, script="hant",
        section=b.section, section_title=repair_traditional(b.section_title), section_inferred=b.section_inferred,
        title=title, text=text, text_hans=to_hans(text), source_file=info.file,
        line_start=b.lines[0].start, line_end=b.lines[-1].end,
    )


def load_plan(path: Path, info: PlanInfo) -> Plan:
    return parse_plan(path.read_text("utf-8"), info)
