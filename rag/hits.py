"""The one place a corpus Chunk becomes a cited Hit, in the asker's script.

Every field of a Hit comes from its Chunk, so a cited number, label or quote
always belongs to a clause that was actually returned.
"""

from __future__ import annotations

from corpus.models import Chunk
from corpus.text import split_sentences, to_hans
from rag.models import Hit


def citation(plan_title: str, label: str, kind: str) -> str:
    if kind == "measure":
        return f"《{plan_title}》第{label}項"
    return f"《{plan_title}》{label}"


def make_hit(c: Chunk, score: float, script: str, sentence_ids: list[int]) -> Hit:
    hans = script == "hans"
    text = c.text_hans if hans else c.text
    sentences = split_sentences(text)
    highlights = [sentences[j] for j in sorted(sentence_ids) if j < len(sentences)]
    return Hit(
        kind=c.kind, measure=c.measure, label=c.label, section=c.section,
        section_title=to_hans(c.section_title) if hans else c.section_title,
        title=to_hans(c.title) if hans else c.title, text=text, highlights=highlights,
        score=round(score, 4), doc_id=c.doc_id, plan_title=c.plan_title,
        citation=citation(c.plan_title, c.label, c.kind),
    )
