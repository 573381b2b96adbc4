"""The one place a corpus Chunk becomes a cited Hit, in the asker's script.

Every field of a Hit comes from its Chunk, so a cited number, label or quote
always belongs to a unit that was actually returned. Documents are shown as
written when the asker uses their script, converted otherwise.
"""

from __future__ import annotations

import re

from corpus.models import Chunk, DocumentInfo
from corpus.text import split_sentences, to_hans, to_hant
from rag.models import Hit

_COUNT = re.compile(r"\(\d+\)$")  # 修正(2): the second amendment, still an amendment
COMMENCED = "施行"  # a date a text takes effect: two versions may share it, the same text may not


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


def citation(title: str, name: str, edition: str = "") -> str:
    return f"《{title}》{edition}{name}"


def editions(docs: list[DocumentInfo]) -> dict[str, str]:
    """（2023年修正） for each document whose title another document of the library shares with a
    different latest text: two versions of a law number their articles differently, so a citation
    that names only the title could point at the wrong one. The day is added when the year does not
    tell them apart. Parts of one code (民法典's books share its title and dates) and lone titles
    get none."""
    by_title: dict[str, list[DocumentInfo]] = {}
    for d in docs:
        by_title.setdefault(d.title, []).append(d)
    out: dict[str, str] = {}
    for versions in by_title.values():
        marks = {d.doc_id: _edition(d, day=False) for d in versions}
        if len(set(marks.values())) < len(versions):
            marks = {d.doc_id: _edition(d, day=True) for d in versions}
        if len(set(marks.values())) > 1:
            out |= marks
    return out


def _edition(info: DocumentInfo, day: bool) -> str:
    """The last text made (通过, 修正, 修订 …), not when it took effect."""
    made = {k: v for k, v in info.dates.items() if not k.startswith(COMMENCED)} or info.dates
    if not made:
        return ""
    event, date = max(made.items(), key=lambda kv: kv[1])
    when = f"{date[:4]}年" + (f"{int(date[5:7])}月{int(date[8:10])}日" if day and len(date) >= 10 else "")
    return f"（{when}{_COUNT.sub('', event)}）"


def make_hit(c: Chunk, score: float, script: str | None, sentence_ids: list[int], unit_kind: str = "",
             edition: str = "") -> Hit:
    """`script`: the asker's ("hans" | "hant"), or None to show the document as written (English askers).
    `edition`: editions()' mark of the document, when the library holds another version of it."""
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
        plan_title=title, citation=citation(title, unit_name(c, label, script), in_script(edition, "hans", script)),
    )
