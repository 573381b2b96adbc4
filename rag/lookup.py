"""Clause and section lookups: a user who names 第十八條 or 第三部分 gets exactly that.

Returns the chunks to show, or the message explaining why the number does not
exist (the plan's real range), never a nearby clause.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.models import Chunk
from corpus.numerals import int_to_cn
from corpus.text import to_hans
from rag.messages import msg
from rag.models import Lang, Mode
from rag.references import Reference


@dataclass
class Lookup:
    mode: Mode  # "lookup" | "section" | "invalid"
    chunks: list[Chunk]
    message: str


def lookup(chunks: list[Chunk], ref: Reference, lang: Lang, script: str) -> Lookup:
    measures = [c for c in chunks if c.kind == "measure"]
    picked: list[Chunk] = []
    for n in ref.measures:
        found = [c for c in measures if c.measure == n]
        if not found:
            count = len(measures)
            return Lookup("invalid", [], msg("out_of_range", lang, count=count, n=n, last=int_to_cn(count)))
        picked += found
    if not ref.sections:
        return Lookup("lookup", picked, msg("lookup", lang))
    sections = sorted({c.section for c in chunks if c.section})
    for n in ref.sections:
        if n not in sections:
            return Lookup("invalid", [], msg("section_out_of_range", lang, count=len(sections), n=n,
                                            last=int_to_cn(max(sections))))
        picked += [c for c in chunks if c.section == n and c not in picked]
    if ref.measures:
        return Lookup("lookup", picked, msg("lookup", lang))
    title = picked[0].section_title
    title = to_hans(title) if script == "hans" else title
    return Lookup("section", picked, msg("section", lang, n=picked[0].section, title=title, count=len(picked)))
