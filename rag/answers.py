"""Assemble an Answer: answered with cited hits, or declined with a message."""

from __future__ import annotations

from rag.models import Answer, Hit, Mode
from rag.query import Query
from rag.render import answer_markdown


def answered(q: Query, mode: Mode, hits: list[Hit], header: str, term: str | None = None) -> Answer:
    a = Answer(question=q.text, answered=True, mode=mode, script=q.script, lang=q.lang,
               message=header, term=term, results=hits)
    a.markdown = answer_markdown(a)
    return a


def declined(q: Query, mode: Mode, message: str, echo_limit: int) -> Answer:
    """No results, only the message; never echo a megabyte question back."""
    question = q.text if len(q.text) <= echo_limit else q.text[:echo_limit] + "…"
    return Answer(question=question, answered=False, mode=mode, script=q.script, lang=q.lang,
                  message=message, results=[], markdown=message)
