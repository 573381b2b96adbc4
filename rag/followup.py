"""Follow-up questions resolved from the previous answer, without a language model.

"下一條呢", "那第十九條呢", "這條屬於哪一部分", "給我全文", "用简体", "more" only mean
something next to an answer. Each answer carries a `Context` (the units it showed,
the question they answer); a short question that matches one of these forms is
answered from it. Everything else is a new question.
"""

from __future__ import annotations

import re
from typing import Protocol

from rag.answers import answered, declined
from rag.messages import msg
from rag.models import CONTEXT_DOCS, CONTEXT_KEYS, CONTEXT_SHOWN, Answer, Context, Hit
from rag.query import Query, clean_text, understand
from rag.references import parse_reference

SHORT = 24  # follow-ups are short; a longer question is always a new one
_END = r"(?:呢|吧|吗)?[?？。.!！\s]*$"
KINDS: dict[str, re.Pattern[str]] = {
    "next": re.compile(rf"^(?:那|再)?(?:下一(?:条|项|个|款|点)?|下条|后一条|next(?:\s+(?:one|clause|article|measure|item))?)(?:是什么)?{_END}"),
    "previous": re.compile(rf"^(?:那)?(?:上一(?:条|项|个|款|点)?|上条|前一条|previous(?:\s+(?:one|clause|article|measure|item))?)(?:是什么)?{_END}"),
    "full": re.compile(r"全文|完整(?:的)?(?:内容|条文|原文)|^(?:看|给我)?原文|\bfull(?: text)?\b|\bwhole (?:clause|article|text)\b"),
    "section": re.compile(r"(?:属于|在)(?:哪|那)(?:一|个)?(?:个)?(?:部分|章|节|编)|哪(?:一|个)(?:部分|章)|which (?:section|part|chapter)"),
    "more": re.compile(rf"^(?:更多|还有(?:别的|其他的?)?|再来几条|再多一些|more(?: results)?|show more|anything else){_END}"),
    "hans": re.compile(rf"^(?:请)?(?:用|改用|换成|转成|显示)?简体(?:字|中文)?(?:显示|回答)?{_END}|^in simplified(?: chinese)?{_END}"),
    "hant": re.compile(rf"^(?:请)?(?:用|改用|换成|转成|显示)?繁体(?:字|中文)?(?:显示|回答)?{_END}|^in traditional(?: chinese)?{_END}"),
}


class Asker(Protocol):
    """What follow-ups need of the engine."""

    views: dict

    def ask(self, question: str, k: int | None = None, script: str | None = None,
            docs: list[str] | None = None) -> Answer: ...

    def unit(self, doc_id: str, key: str, script: str | None = "hant") -> Hit | None: ...


def kind_of(norm: str) -> str | None:
    """Which follow-up a (normalised, Simplified) question is, or None for a new question."""
    if len(norm) > SHORT:
        return None
    return next((k for k, pattern in KINDS.items() if pattern.search(norm)), None)


def context_of(answer: Answer, question: str, script: str, docs: list[str] | None, shown: int) -> Context:
    return Context(question=clean_text(question)[:4000], script=script if script in ("auto", "hans", "hant") else "auto",
                   docs=list(docs or [])[:CONTEXT_DOCS],
                   keys=[f"{h.doc_id}#{h.key}" for h in answer.results][:CONTEXT_KEYS], shown=min(shown, CONTEXT_SHOWN))


def ask_in_context(engine: Asker, question: str, context: Context | None, *, k: int, script: str = "auto",
                   docs: list[str] | None = None) -> Answer:
    """Answer `question`, as a follow-up of `context` when it is one; the answer carries its own context."""
    text = question if isinstance(question, str) else ""
    # Only a short question can be a follow-up: a long one goes straight to the engine, understood once.
    q = understand(text[: 2 * SHORT], script) if len(text) <= 2 * SHORT else None
    kind = kind_of(q.norm) if q else None
    if kind is None:
        answer = engine.ask(question, k=k, script=script, docs=docs)
        if q is not None:
            answer = _same_document(answer, q, context)
        answer.context = context_of(answer, question, script, docs, len(answer.results))
        return answer
    if context is None or not context.keys and kind not in ("more", "hans", "hant") or not context.question:
        return declined(q, "invalid", msg("follow_no_context", q.lang), SHORT)
    if kind in ("hans", "hant"):
        answer = engine.ask(context.question, k=max(k, context.shown), script=kind, docs=context.docs or None)
        answer.context = context_of(answer, context.question, kind, context.docs, len(answer.results))
        return answer
    if kind == "more":
        return _more(engine, q, context, k)
    doc_id, key = context.keys[0].split("#", 1)
    view = engine.views.get(doc_id)
    if view is None:
        return declined(q, "invalid", msg("follow_no_context", q.lang), SHORT)
    show = q.show if context.script == "auto" else context.script
    if kind == "full":
        hit = engine.unit(doc_id, key, show)
        answer = answered(q, "lookup", [hit] if hit else [], msg("full_text", q.lang))
    elif kind == "section":
        answer = _section(engine, q, view, key, show)
    else:
        answer = _neighbour(engine, q, view, key, show, 1 if kind == "next" else -1)
    answer.context = context_of(answer, context.question, context.script, context.docs, context.shown)
    if answer.results:
        answer.context.keys = [f"{h.doc_id}#{h.key}" for h in answer.results]
    return answer


def _neighbour(engine: Asker, q: Query, view, key: str, show: str | None, step: int) -> Answer:
    keys = [c.key for c in view.chunks]
    at = keys.index(key) if key in keys else -1
    if at < 0 or not 0 <= at + step < len(keys):
        return declined(q, "invalid", msg("follow_end" if step > 0 else "follow_start", q.lang,
                                          title=view.info.title), SHORT)
    hit = engine.unit(view.info.doc_id, keys[at + step], show)
    return answered(q, "lookup", [hit], msg("next_unit" if step > 0 else "previous_unit", q.lang))


def _section(engine: Asker, q: Query, view, key: str, show: str | None) -> Answer:
    unit = next((c for c in view.chunks if c.key == key), None)
    if unit is None or unit.section is None:
        return declined(q, "invalid", msg("follow_no_section", q.lang), SHORT)
    return engine.ask(f"第{unit.section}部分", script=show, docs=[view.info.doc_id])


def _more(engine: Asker, q: Query, context: Context, k: int) -> Answer:
    wanted = context.shown + k
    answer = engine.ask(context.question, k=wanted, script=context.script, docs=context.docs or None)
    if answer.mode != "search" or len(answer.results) <= context.shown:
        return declined(q, "invalid", msg("follow_no_more", q.lang), SHORT)
    answer.results = answer.results[context.shown:]
    answer.message = msg("more_results", q.lang, question=context.question)
    answer = answered(q, "search", answer.results, answer.message)
    answer.context = context_of(answer, context.question, context.script, context.docs,
                                context.shown + len(answer.results))
    return answer


def _same_document(answer: Answer, q: Query, context: Context | None) -> Answer:
    """"那第十九條呢" after an answer from one document means that document's 19, even when
    other documents have one too."""
    if context is None or not context.keys or answer.mode != "lookup" or parse_reference(q.norm).empty:
        return answer
    doc_id = context.keys[0].split("#", 1)[0]
    mine = [h for h in answer.results if h.doc_id == doc_id]
    if mine and len(mine) < len(answer.results):
        return answered(q, "lookup", mine, msg("lookup", q.lang))
    return answer


def unit_answer(engine: Asker, doc_id: str, key: str, script: str | None = None) -> Answer | None:
    """A deep link (?doc=…&unit=…) as an answer, so the chat opens with the clause in view."""
    hit = engine.unit(doc_id, key, script)  # None: as the document is written
    if hit is None:
        return None
    q = understand("", script or "auto")
    answer = answered(q, "lookup", [hit], msg("lookup", q.lang))
    answer.context = Context(keys=[f"{doc_id}#{key}"], question=f"{hit.label}{hit.title}")
    return answer
