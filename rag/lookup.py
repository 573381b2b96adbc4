"""Unit and section lookups: a user who names 第十八條 or 第三章 gets exactly that.

Per document: a number that a document lacks is answered with the document's
real range, never a nearby unit. Across documents: when no document is named
and several have the number, each document's unit is returned, grouped by
document, and the message says so — one is never picked silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.models import Chunk, DocumentInfo
from corpus.numerals import int_to_cn
from corpus.text import to_hans, to_hant
from rag.messages import msg
from rag.models import Lang, Mode
from rag.references import Reference

# A bare 第十八条 in a library of laws is in most of them: past this many documents the answer
# shows the first ones (library order) and says how many have it, instead of a thousand articles.
MAX_DOCUMENTS_LISTED = 10


@dataclass
class DocView:
    """One document of the loaded library: its catalogue entry and chunks in order."""

    info: DocumentInfo
    chunks: list[Chunk]

    def units(self, n: int) -> list[Chunk]:
        """Unit n (第十七条, not the inserted 第十七条之一, which is asked for by its own name)."""
        return [c for c in self.chunks if c.number == n and c.kind == self.info.unit_kind and not c.sub_number]

    def citable(self) -> list[Chunk]:
        return [c for c in self.chunks if c.kind == self.info.unit_kind and c.number is not None]

    def sections(self) -> list[int]:
        return sorted({c.section for c in self.chunks if c.section})

    def title(self, script: str) -> str:
        if script == self.info.script:
            return self.info.title
        return to_hans(self.info.title) if script == "hans" else to_hant(self.info.title)


@dataclass
class Lookup:
    mode: Mode  # "lookup" | "section" | "invalid"
    chunks: list[Chunk]
    message: str


def noun(kind: str, lang: Lang) -> str:
    return msg(f"noun_{kind}", lang)


def _doc_units(view: DocView, ref: Reference, lang: Lang, script: str) -> Lookup:
    """The old single-plan rules, for one document."""
    picked: list[Chunk] = []
    for n in ref.measures:
        found = view.units(n)
        if not found:
            count = len(view.citable())
            if view.info.unit_kind == "measure" and view.info.builtin:
                return Lookup("invalid", [], msg("out_of_range", lang, count=count, n=n, last=int_to_cn(count)))
            return Lookup("invalid", [], msg("unit_out_of_range", lang, title=view.title(script), count=count, n=n,
                                            noun=noun(view.info.unit_kind, lang)))
        picked += found
    if not ref.sections:
        return Lookup("lookup", picked, msg("lookup", lang))
    sections = view.sections()
    for n in ref.sections:
        if n not in sections:
            if view.info.builtin:
                return Lookup("invalid", [], msg("section_out_of_range", lang, count=len(sections), n=n,
                                                last=int_to_cn(max(sections))))
            return Lookup("invalid", [], msg("section_out_of_range_doc", lang, title=view.title(script),
                                            count=len(sections), n=n))
        picked += [c for c in view.chunks if c.section == n and c not in picked]
    if ref.measures:
        return Lookup("lookup", picked, msg("lookup", lang))
    title = picked[0].section_title
    title = to_hans(title) if script == "hans" else title
    return Lookup("section", picked, msg("section", lang, n=picked[0].section, title=title, count=len(picked)))


def lookup(views: list[DocView], ref: Reference, lang: Lang, script: str) -> Lookup:
    """`views`: the documents in scope (named, selected, or the whole library), in library order."""
    if len(views) == 1:
        return _doc_units(views[0], ref, lang, script)
    n = (ref.measures or ref.sections)[0]
    has = [v for v in views if all(v.units(m) for m in ref.measures) and all(s in v.sections() for s in ref.sections)]
    if not has:
        return Lookup("invalid", [], msg("unit_nowhere" if ref.measures else "section_nowhere", lang, n=n))
    if len(has) == 1:
        return _doc_units(has[0], ref, lang, script)
    shown = has[:MAX_DOCUMENTS_LISTED]
    chunks = [c for v in shown for c in _doc_units(v, ref, lang, script).chunks]
    key = "unit_ambiguous" if ref.measures else "section_ambiguous"
    key += "_many" if len(shown) < len(has) else ""
    return Lookup("lookup" if ref.measures else "section", chunks,
                  msg(key, lang, count=len(has), n=n, shown=len(shown)))
