"""What kind of fact a question asks for, and whether a clause states one.

Near-domain questions ("深圳经济特区是哪一年成立的", "浦东新区的GDP是多少", "天府新区的常住
人口有多少", "雄安新区管委会主任是谁") share words with the documents and pass the similarity
test of rag/refusal.py, but they ask for a year, a length of time, an amount of money, a
number of people or the holder of an office that no clause they match states. A question
asking for one is answered by the clauses among the best few that give one (first), and
declined when none does. A document's own dates count as its preamble's: when it was issued.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from corpus.models import Chunk

Asked = Literal["year", "duration", "money", "people", "person", "holder"]

WINDOW = 5  # the best-ranked clauses looked at for one that gives what is asked
_ASKED: dict[Asked, re.Pattern] = {
    "year": re.compile(r"哪一?年|哪个年份|什么年份|\b(?:what|which) year\b"),
    # 几年内 asks a length of time; 近几年 / 今后几年 / 几年来 / 多少年轻人 do not
    # a time limit (有没有时间限制, 时限) is answered by the clause stating it
    "duration": re.compile(r"多久|多长时间|时间限制|时限|多少(?:天|小时|分钟|个?月|年(?!轻)|个?工作日)|(?<![近后])几(?:天|小时|分钟|个月|个工作日|年(?![来前]))"
                           r"|\bhow long\b|\btime limits?\b"),
    # an amount: 多少钱 / 多少亿美元 / GDP是多少; "how much" alone may ask about support, not money
    "money": re.compile(r"多少(?:[万亿千百]*(?:元|美元|欧元|港元|钱))|多少亿|(?:gdp|生产总值|产值|营业额|收入|外资|投资额|"
                        r"预算|税收|价格|房价|工资)[^，。？?]{0,6}(?:是|有|为)?多少|\bhow much (?:money|funding|is the fine)\b|"
                        r"\bhow much (?:did|does|do|will) .{1,40}\b(?:spend|cost|pay|earn|invest)\b|\b(?:what|how much) (?:is|was|were) (?:the |its )?(?:\w+ ){0,3}(?:gdp|"
                        r"gross domestic product|revenue|budget|price|salary|income|fine)\b"),
    # a head count: 人口有多少 / 多少人 (not 多少人民币) / how many people
    "people": re.compile(r"人口[^，。？?]{0,6}多少|多少(?:万)?(?:人(?!民)|名)|几(?:个人|名|位)|"
                         r"\bhow many (?:people|persons|residents|inhabitants|members|employees|staff|judges)\b|"
                         r"\bwhat (?:is|was) the (?:\w+ ){0,2}population\b"),
    # the person holding an office now (现任行长是谁): only a clause naming a person answers it
    "person": re.compile(r"现任.{0,12}(?:是谁|是哪位|叫什么)|叫什么名字|\bwho is the current\b|\bname of the current\b"),
    # who holds an office (主任是谁, not 是谁提名 / 是谁任命: that asks who appoints)
    "holder": re.compile(r"(?:主任|书记|市长|省长|区长|县长|局长|部长|主席|总理|负责人|行长|院长|董事长|总经理|校长|首长|"
                         r"行政长官|会长|理事长|秘书长|总裁|总统|首相)(?:是谁|是哪位|叫什么)(?!提名|任命|决定|任免|选|批准|负责|来)|\bwho (?:is|was) (?:the )?(?:current )?(?:director|head|mayor|"
                         r"(?:party )?secretary|chairman|chair|governor|minister|president|premier|chief executive)\b"),
}
# A count of at most three digits (2035年 is a date, not a length) or Chinese numerals; 月 and 日
# right after a number are a date (12月1日), so months count as 个月 and days not after 月.
_NUMBER = r"(?<![\d月年])(?:\d{1,3}|[一二两三四五六七八九十百千半]+)"
_AMOUNT = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)"
_GIVEN: dict[Asked, re.Pattern] = {
    "year": re.compile(r"(?:1[89]|20)\d\d(?:年|[-/.]\d)|[〇零一二三四五六七八九]{4}年"),
    "duration": re.compile(rf"{_NUMBER}\s*(?:个小时|小时|分钟|天|日|周|星期|个月|年|个工作日|工作日)"),
    # money, and what amounts are stated as in law: multiples (一倍以上五倍以下) and shares (百分之十, 5%)
    "money": re.compile(rf"{_AMOUNT}\s*[万亿千百]*(?:元|美元|欧元|港元)|{_AMOUNT}\s*倍|百分之|\d\s*%"),
    "people": re.compile(rf"{_AMOUNT}\s*[万千百]*(?:人(?![民才员事力口])|名(?![称义单]))"),
    # who holds it (主任由国务院总理兼任, 张三同志), not who appoints to it (院长由人大选举)
    "person": re.compile(r"同志"),
    "holder": re.compile(r"由[^，。；]{1,24}(?:担任|兼任)|同志"),
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


def typed_first(question_norm: str, ranked: list[tuple[int, float]], chunks: list[Chunk],
                dated: Callable[[str], bool]) -> list[tuple[int, float]]:
    """`ranked` (unit index, score) for a question asking a year, a length of time … : the best
    WINDOW clauses that give one first; none when no clause does. Other questions: as ranked.
    `dated(doc_id)`: the document records its own dates."""
    kind = asked(question_norm)
    if kind is None:
        return ranked
    issuance = about_issuance(question_norm)
    typed = [(i, f) for i, f in ranked[:WINDOW]
             if gives(kind, chunks[i].text_hans, chunks[i].kind, issuance and dated(chunks[i].doc_id))]
    return typed + [p for p in ranked if p not in typed] if typed else []
