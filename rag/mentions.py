"""Mention lists: "which measures mention X" → every clause containing X.

Matching is exact substring search after script normalisation, so the list is
complete by construction. A name written as "XX新区" also matches the bare
"XX" that plans use inside enumerations (…、陕西西咸、…等新区).
"""

from __future__ import annotations

import logging
import re

import jieba

from corpus.models import Chunk
from corpus.text import compact, normalise
from rag.text_scan import TextScan, span

jieba.setLogLevel(logging.WARNING)

_Q = r"[\s?？。.!！,，、:：;；\"'“”‘’「」『』《》]*(?:请?全部列出|请列出|请一一列出|list them all)?[\s?？。.!！]*"
_WHICH = r"(?:哪些|哪几|哪个|什么|有哪些)"
_UNIT = r"(?:措施|条款|条文|条目|条|项|任务|内容|部分|地方|方面|举措|政策)"
_VERB = r"(?:提到|提及|涉及|包含|包括|说到|谈到|写到|出现|关于|有关|点名)"
INTENT_PATTERNS = [
    re.compile(rf"^{_WHICH}{_UNIT}?(?:中|里)?{_VERB}了?(?P<term>.+?)(?:的{_UNIT})?{_Q}$"),
    re.compile(rf"^(?P<term>.+?)(?:在|被)?{_WHICH}{_UNIT}(?:中|里)?(?:被)?{_VERB}(?:了|过)?{_Q}$"),
    re.compile(rf"^(?:{_VERB})(?P<term>.+?)的{_UNIT}(?:有哪些|是哪些|有什么)?{_Q}$"),
    re.compile(rf"^(?P<term>.+?)(?:有哪些|有什么|的){_UNIT}{_Q}$"),
    re.compile(rf"^which\s+(?:measures|clauses|items|articles|parts|tasks)\s+(?:mention|mentions|refer to|cover|include|name|involve)\s+(?P<term>.+?){_Q}$"),
    re.compile(rf"^(?:where|which measures?)\s+(?:is|are|does the plan)\s+(?P<term>.+?)\s+mentioned{_Q}$"),
]
# "X has which tasks" phrased as a task or requirement: answered as the list of units naming X
# when X is specific (in at most half of the units); a generic X (新区) is better ranked.
_DOC = r"(?:这个|这份|本|该)?(?:计划|规划|方案|意见|通知|文件|条例|法|规定|办法)?"
_ASKED = r"(?:任务|要求|安排|部署|工作|措施|举措|职责)"
TASK_PATTERNS = [
    re.compile(rf"^(?P<term>.+?)在{_DOC}(?:中|里)?(?:有|承担|负责)(?:哪些|什么){_ASKED}?{_Q}$"),
    re.compile(rf"^(?P<term>.+?)在{_DOC}(?:中|里)?(?:要|需要|应该|应当)?(?:做|负责|承担)(?:什么|哪些){_ASKED}?{_Q}$"),
    re.compile(rf"^{_DOC}(?:中|里)?对(?P<term>.+?)(?:有|提出了?)(?:哪些|什么){_ASKED}{_Q}$"),
    re.compile(rf"^(?P<term>.+?)(?:要|需要|应该|应当)做(?:什么|哪些){_ASKED}?{_Q}$"),
    re.compile(rf"^(?P<term>.+?)(?:怎么|如何|怎样)(?:发展|建设|推进){_Q}$"),
    re.compile(rf"^(?P<term>.+?){_VERB}了?(?:哪些|什么){_UNIT}{_Q}$"),
    re.compile(rf"^{_DOC}(?:中|里)?{_VERB}(?P<term>.+?)的{_UNIT}(?:有哪些|是哪些|有什么){_Q}$"),
    re.compile(rf"^(?P<term>.+?)(?:相关|有关)的{_UNIT}(?:有哪些|是哪些|有什么){_Q}$"),
    re.compile(rf"^(?P<term>.+?)(?:出现|被提到|被提及)在(?:哪些|哪几|什么){_UNIT}(?:里|中)?{_Q}$"),
    # “十五五”期间计划有哪些安排: a period's arrangements are the units naming the period
    re.compile(rf"^(?P<term>.+?)(?:期间|时期|阶段){_DOC}(?:中|里)?有(?:哪些|什么){_ASKED}{_Q}$"),
]
_DOC_NAMED = r"(?:这个|这份|本|该)?(?:计划|规划|方案|意见|通知|文件|条例|规定|办法)"
_IN_DOC = re.compile(rf"^{_DOC_NAMED}(?:中|里)|在{_DOC_NAMED}(?:中|里)?$")
SUFFIXES = ("新区",)
_DETERMINER = re.compile(r"^(?:各个|各|每个|每|所有|全部|有关|相关|所在)")  # how plans abbreviate a new area's name inside lists


def extract_term(question: str) -> tuple[str | None, bool]:
    """(term, explicit) — explicit when the question asks for a list."""
    q = normalise(question).strip()
    term = _first_term(INTENT_PATTERNS, q)
    if term:
        return term, True
    bare = re.sub(_Q + "$", "", q)
    bare = compact(bare)
    return (bare or None), False


def _clean_term(raw: str) -> str:
    """Drop what names the document rather than the thing asked about (…在这个计划中)."""
    term = compact(raw).strip(" ?？。!！,，")
    return _IN_DOC.sub("", term)


def task_term(question: str) -> str | None:
    """X of "X在计划中有哪些任务 / 计划对X有什么要求 / X要做什么 / X怎么发展", or None."""
    return _first_term(TASK_PATTERNS, normalise(question).strip())


def _first_term(patterns: list[re.Pattern[str]], q: str) -> str | None:
    for pat in patterns:
        m = pat.match(q)
        if m and len(term := _clean_term(m.group("term"))) >= 2:
            return term
    return None


def variants(term: str, listed: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The forms a name is written in: as asked; "XX新区" also as the "XX" of lists; and a
    listed "place + area" name (上海浦东) also by its area part alone (浦东, 南沙科学城)."""
    out = [term]
    for suffix in SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 2:
            out.append(term[: -len(suffix)])
    for name in list(out):
        if name in listed:
            out += [f for f in area_part(name) if f not in out]
    return out


# Generic landform words a name can end with: 舟山群岛 is also written 舟山 (宁波舟山港).
_LANDFORM = re.compile(r"(?:群岛|半岛|列岛)$")


def area_part(name: str) -> list[str]:
    """上海浦东 → [浦东]: the part after a leading province or city name (jieba tags it ns);
    浙江舟山群岛 → [舟山群岛, 舟山]: without a generic landform word when a place remains."""
    for k in (2, 3):
        rest = name[k:]
        if len(rest) >= 2 and _is_place(name[:k]):
            core = _LANDFORM.sub("", rest)
            return [rest] + ([core] if core != rest and len(core) >= 2 and _is_place(core) else [])
    return []


def _is_place(word: str) -> bool:
    import jieba.posseg as posseg  # 0.25 s of tables, at the first listed name's variants rather than at start

    tagged = list(posseg.cut(word, HMM=False))
    return len(tagged) == 1 and tagged[0].flag == "ns"


def _containing(forms: list[str], scan: TextScan, scope: list[int], whole: bool) -> list[int]:
    stretch = span(scope, whole)
    found = set().union(*(scan.containing(f, stretch) for f in forms)) if forms else set()
    return sorted(found) if whole else [i for i in scope if i in found]


def find_mentions(term: str, chunks: list[Chunk], scan: TextScan, scope: list[int] | None = None,
                  listed: frozenset[str] | set[str] = frozenset()) -> list[int]:
    """Indices of chunks containing the term (or its variants), grouped by document in
    library order, in document order; a document's unnumbered parts (preamble …) only
    when none of its numbered units contains the term. A term with no verbatim match
    that is written "A的B" matches the units that contain every part."""
    whole = scope is None or len(scope) == len(chunks)
    scope = list(range(len(chunks))) if scope is None else scope
    hits = _containing(variants(term, listed), scan, scope, whole)
    bare = _DETERMINER.sub("", term)
    if not hits and len(bare) >= 2 and bare != term:  # 各省(市) → the 所在省(市) / 有关省(市) of the text
        hits = _containing(variants(bare, listed), scan, scope, whole)
    parts = sorted((p for p in term.split("的") if len(p) >= 2), key=len, reverse=True)
    if not hits and len(parts) > 1:
        # The longest part is the rarest: scanned once, the others only checked in its units
        # (a short part such as 有限责任公司 is in thousands of units of a law library).
        every = [i for i in sorted(scan.containing(parts[0], span(scope, whole)))
                 if all(p in scan.unit(i) for p in parts[1:])]
        kept = set(every)
        hits = every if whole else [i for i in scope if i in kept]
    by_doc: dict[str, list[int]] = {}
    for i in hits:
        by_doc.setdefault(chunks[i].doc_id, []).append(i)
    out: list[int] = []
    for idx in by_doc.values():
        out += [i for i in idx if chunks[i].number is not None] or idx
    return out


def bare_mention(term: str, found: list[int], rows: int, terms: set[str]) -> bool:
    """A bare phrase is answered as a mention list when it names one unit, or is (part of) a
    name the documents list — an enumeration item or quoted term (`terms`) — and is specific
    enough to appear in at most half of the `rows` units in scope. Other bare phrases are
    better served ranked by relevance."""
    if len(found) == 1:
        return True
    listed = any(v in t for v in variants(term) for t in terms)
    return listed and len(found) <= rows // 2
