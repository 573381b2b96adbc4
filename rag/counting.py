""""How many articles/measures does X have": counted per document, never across them."""

from __future__ import annotations

import re

from rag.answers import answered
from rag.lookup import DocView, noun
from rag.messages import msg
from rag.models import Answer
from rag.query import Query

_COUNT = re.compile(r"(?:多少|(?<!哪)几)(?:个|项|条)?(?:条|项|条款|条文|项措施|个措施|措施|条措施|个条款|个部分|章)"
                    r"|how\s+many\s+(?:articles|measures|items|clauses|provisions|chapters|sections)")


def is_count_question(text_norm: str) -> bool:
    return bool(_COUNT.search(text_norm))


def _detail(view: DocView, lang: str) -> str:
    sections = view.sections()
    if not sections:
        return ""
    chapters = any(c.path and c.path[0].split(" ")[0].endswith("章") for c in view.chunks)
    if lang == "en":
        return f" in {len(sections)} {'chapters' if chapters else 'sections'}"
    return f"，分{len(sections)}{'章' if chapters else '個部分' if lang == 'zh-hant' else '个部分'}"


def count_answer(q: Query, views: list[DocView]) -> Answer:
    lines = [msg("count", q.lang, title=v.title(q.script), count=len(v.citable()),
                 noun=noun(v.info.unit_kind, q.lang), detail=_detail(v, q.lang)) for v in views]
    return answered(q, "count", [], "\n\n".join(lines))
