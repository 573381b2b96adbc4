"""The one place a corpus Chunk becomes a cited Hit, in the asker's script.

Every field of a Hit comes from its Chunk, so a cited number, label or quote
always belongs to a unit that was actually returned. Documents are shown as
written when the asker uses their script, converted otherwise.
"""

from __future__ import annotations

from corpus.models import Chunk
from corpus.text import split_sentences, to_hans, to_hant
from rag.models import Hit


def in_script(text: str, written: str, script: str | None) -> str:
    """`text` written in script `written`, shown in `script` (None: as written)."""
    if script is None or script == written or not text:
        return text
    return to_hans(text) if script == "hans" else to_hant(text)


def unit_name(c: Chunk, label: str, script: str | None) -> str:
    """How a citation names the unit: 第十八條, 第（十八）項, 第12項, 第3段, or 前言."""
    item = "项" if (script or c.script) == "hans" else "項"
    if c.number is None:
        return label
    if c.kind == "measure":
        return f"第{label}{item}"
    if c.kind == "item":
        return f"第{c.number}{item}"
    return label  # articles (第十八条) and paragraphs (第3段) carry their own name


def citation(title: str, name: str) -> str:
    return f"《{title}》{name}"


def make_hit(c: Chunk, score: float, script: str | None, sentence_ids: list[int], unit_kind: str = "") -> Hit:
    """`script`: the asker's ("hans" | "hant"), or None to show the document as written (English askers)."""
    text = c.text_hans if script == "hans" else in_script(c.text, c.script, script)
    sentences = split_sentences(text)
    highlights = [sentences[j] for j in sorted(sentence_ids) if j < len(sentences)]
    title = in_script(c.doc_title, c.script, script)
    label = in_script(c.label, c.script, script)
    return Hit(
        key=c.key, doc_id=c.doc_id, doc_title=title, short_title=in_script(c.short_title, c.script, script),
        kind=c.kind, unit_kind=unit_kind or c.kind, unit=c.number, measure=c.measure, label=label,
        section=c.section, section_title=in_script(c.section_title, c.script, script),
        title=in_script(c.title, c.script, script), text=text, highlights=highlights, score=round(score, 4),
        plan_title=title, citation=citation(title, unit_name(c, label, script)),
    )
