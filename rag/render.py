"""One renderer for Answers and Hits, with the views the interfaces need.

`answer_markdown` is the full answer (CLI, API `markdown`, exported chats);
`chat_markdown` the chat's one message per answer (the sentences that answer,
each clause's full text, citation and link expandable in place); `reply_markdown`
the short reply for API clients of the chat endpoint; `browse_markdown` one
clause on its own page. Corpus text is quoted verbatim; user text is always escaped.
"""

from __future__ import annotations

import re

from corpus.numerals import int_to_cn
from corpus.text import split_sentences
from rag.messages import msg
from rag.models import Answer, Hit, Lang

# Every ASCII character Markdown (with GFM autolinks) gives a meaning: `1.` lists, `===` headings,
# `http:` and `www.` links, `$` maths. Escaped, each shows as itself.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>~=.:$%-])")


def escape(text: str) -> str:
    """User text shown as text: no HTML, no Markdown."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def section_heading(hit: Hit) -> str:
    if hit.section is None:
        return ""
    return f"{int_to_cn(hit.section)}、{hit.section_title}"


def heading(hit: Hit) -> str:
    """Label and title as the document writes them: （十八）實施人才引進專項政策."""
    return f"{hit.label}{hit.title}" if hit.kind != "preamble" else hit.label


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


def hit_markdown(hit: Hit, lang: Lang, show_score: bool) -> str:
    meta = [section_heading(hit)] if hit.section else []
    if show_score:
        meta.append(f"{msg('relevance', lang)} {hit.score:.2f}")
    head = f"**{heading(hit)}**" + (f"  \n<sub>{' · '.join(meta)}</sub>" if meta else "")
    body = emphasise(hit.text, hit.highlights)
    return "\n".join([head, "", f"> {body}", "", f"<sub>{msg('citation', lang)}{hit.citation}</sub>"])


def answer_markdown(answer: Answer) -> str:
    """The whole answer: header, then each clause in full with highlights and citation."""
    if not answer.answered:
        return answer.message
    parts = [answer.message] if answer.message else []
    parts += [hit_markdown(h, answer.lang, answer.mode == "search") for h in answer.results]
    return "\n\n".join(parts)


def reply_markdown(answer: Answer) -> str:
    """The chat reply: header, then per clause its heading and the sentences that answer."""
    if not answer.answered:
        return answer.message
    parts = [answer.message]
    for hit in answer.results:
        head = f"**{hit.label}{hit.title}**" if hit.title else f"**{hit.label}**"
        if answer.mode == "search":
            head += f" <sub>{msg('relevance', answer.lang)} {hit.score:.2f}</sub>"
        quote = "".join(hit.highlights) if hit.highlights else hit.text
        if hit.highlights and answer.mode == "mentions":
            quote = emphasise(quote, hit.highlights)
        parts.append(f"{head}\n\n> {quote}")
    return "\n\n".join(parts)


def unit_link(hit: Hit) -> str:
    """A link that opens this unit (relative, so it works on any host and inside the widget)."""
    return f"?doc={hit.doc_id}&unit={hit.key}"


def chat_markdown(answer: Answer) -> str:
    """One chat message per answer: header, then per clause its heading, the sentences that
    answer and its citation; the full clause, a copyable citation and a link open in place."""
    if not answer.answered:
        return answer.message
    parts = [answer.message]
    for hit in answer.results:
        meta = [section_heading(hit)] if hit.section else []
        if answer.mode == "search":
            meta.append(f"{msg('relevance', answer.lang)} {hit.score:.2f}")
        head = f"**{heading(hit)}**" + (f"  \n<sub>{' · '.join(meta)}</sub>" if meta else "")
        whole = not hit.highlights or answer.mode in ("lookup",) and len(answer.results) == 1
        quote = hit.text if whole else (emphasise("".join(hit.highlights), hit.highlights)
                                        if answer.mode == "mentions" else "".join(hit.highlights))
        more = "" if whole else f"{hit.text}\n\n"
        parts.append(f"{head}\n\n> {quote}\n\n<sub>{msg('citation', answer.lang)}{hit.citation}</sub>\n\n"
                     f"<details><summary>{msg('full_and_cite', answer.lang)}</summary>\n\n{more}"
                     f"```text\n{hit.citation}\n```\n\n[{msg('link', answer.lang)}]({unit_link(hit)})\n\n</details>")
    return "\n\n".join(parts)


def source_plain(hit: Hit, lang: Lang) -> str:
    """Citation and full clause as plain text (API clients that show no widgets)."""
    return f"{msg('source', lang)}{msg('colon', lang)}{hit.citation}\n\n{hit.text}"


def outline_label(hit: Hit) -> str:
    """Browser entry that keeps the plan's structure visible: 第二部分 · （一）…"""
    if hit.kind == "measure" and hit.section:
        return f"第{int_to_cn(hit.section)}部分 · {hit.label}{hit.title}"
    return f"{hit.label}{hit.title}"


def browse_markdown(hit: Hit) -> str:
    section = section_heading(hit)
    title = f"## {hit.label}{hit.title}" if hit.title else f"## {hit.label}"
    return "\n\n".join(p for p in (title, f"*{section}*" if section else "", hit.text, f"`{hit.citation}`") if p)
