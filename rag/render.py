"""Answer → Markdown. Corpus text is quoted verbatim; user text is escaped."""

from __future__ import annotations

import re

from corpus.numerals import int_to_cn
from index.sentences import split_sentences
from rag.messages import msg
from rag.models import Answer, Hit, Lang

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>~-])")


def escape(text: str) -> str:
    """User text shown as text: no HTML, no Markdown."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def citation(plan_title: str, label: str, kind: str) -> str:
    if kind == "measure":
        return f"《{plan_title}》第{label}項"
    return f"《{plan_title}》{label}"


def section_heading(hit: Hit) -> str:
    if hit.section is None:
        return ""
    return f"{int_to_cn(hit.section)}、{hit.section_title}"


def hit_markdown(hit: Hit, lang: Lang, show_score: bool) -> str:
    head = f"**{hit.label}{hit.title}**" if hit.kind != "preamble" else f"**{hit.label}**"
    meta = [section_heading(hit)] if hit.section else []
    if show_score:
        meta.append(f"{msg('relevance', lang)} {hit.score:.2f}")
    body = emphasise(hit.text, hit.highlights)
    lines = [head + (f"  \n<sub>{' · '.join(meta)}</sub>" if meta else ""), "", f"> {body}", "",
             f"<sub>{msg('citation', lang)}{hit.citation}</sub>"]
    return "\n".join(lines)


def emphasise(text: str, highlights: list[str]) -> str:
    """Bold the highlighted sentences, one bold run per group of adjacent ones."""
    out, run = [], []
    for sentence in split_sentences(text):
        if sentence in highlights:
            run.append(sentence)
            continue
        if run:
            out.append(f"**{''.join(run)}**")
            run = []
        out.append(sentence)
    if run:
        out.append(f"**{''.join(run)}**")
    return "".join(out)


def render(answer: Answer, header: str) -> str:
    parts = [header] if header else []
    show_score = answer.mode == "search"
    parts += [hit_markdown(h, answer.lang, show_score) for h in answer.results]
    return "\n\n".join(parts)
