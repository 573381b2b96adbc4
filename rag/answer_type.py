"""What kind of fact a question asks for, and whether a clause states one.

Near-domain questions ("深圳经济特区是哪一年成立的", "上海到杭州的高铁要多久") share words
with the documents and pass the similarity test of rag/refusal.py, but they ask for a
year or a length of time that no clause they match states. A question asking for one
is answered by the clauses among the best few that give one (first), and declined when
none does. A document's own dates count as its preamble's: when it was issued.
"""

from __future__ import annotations

import re
from typing import Literal

Asked = Literal["year", "duration"]

WINDOW = 5  # the best-ranked clauses looked at for one that gives what is asked
_ASKED: dict[Asked, re.Pattern] = {
    "year": re.compile(r"哪一?年|哪个年份|什么年份|\b(?:what|which) year\b"),
    # 几年内 asks a length of time; 近几年 / 今后几年 / 几年来 / 多少年轻人 do not
    "duration": re.compile(r"多久|多长时间|多少(?:天|小时|分钟|个?月|年(?!轻)|个?工作日)|(?<![近后])几(?:天|小时|分钟|个月|个工作日|年(?![来前]))"
                           r"|\bhow long\b"),
}
# A count of at most three digits (2035年 is a date, not a length) or Chinese numerals; 月 and 日
# right after a number are a date (12月1日), so months count as 个月 and days not after 月.
_NUMBER = r"(?<![\d月年])(?:\d{1,3}|[一二两三四五六七八九十百千半]+)"
_GIVEN: dict[Asked, re.Pattern] = {
    "year": re.compile(r"(?:1[89]|20)\d\d(?:年|[-/.]\d)|[〇零一二三四五六七八九]{4}年"),
    "duration": re.compile(rf"{_NUMBER}\s*(?:个小时|小时|分钟|天|日|周|星期|个月|年|个工作日|工作日)"),
}
DATED_PARTS = frozenset({"preamble", "closing", "signature"})  # where a document's own dates belong
# The events a document's recorded dates are of: a question about one is about the document.
_ISSUANCE = re.compile(r"发布|印发|出台|公布|颁布|施行|生效|通过|修订|修正|成文|\b(?:issued|published|adopted|promulgated|"
                       r"effective|enacted|amended)\b")


def asked(question_norm: str) -> Asked | None:
    return next((kind for kind, pattern in _ASKED.items() if pattern.search(question_norm)), None)


def about_issuance(question_norm: str) -> bool:
    return bool(_ISSUANCE.search(question_norm))


def gives(kind: Asked, text_hans: str, part: str = "", dated: bool = False) -> bool:
    """Whether a clause states a `kind`. `dated`: its document records dates and the question is
    about one of them (这个计划是哪一年印发的): the preamble then gives the year."""
    return bool(_GIVEN[kind].search(text_hans)) or (kind == "year" and dated and part in DATED_PARTS)
