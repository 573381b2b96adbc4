"""Explicit clause and section references: 第十八條, (18), measure 18, 第三部分 …

Parsed before any search, because a user who names a clause wants exactly that
clause. Input is already NFKC-normalised Simplified lower-case text.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from corpus.numerals import NUMERAL_CHARS, cn_to_int

_NUM = rf"(\d+|[{NUMERAL_CHARS}]+)"
_ASK = r"(?:措施)?(?:是什么|说了什么|讲了什么|讲什么|说什么|的内容|内容|呢)?[?？。.!！\s]*"
MEASURE_PATTERNS = [
    re.compile(rf"第\s*\(?\s*{_NUM}\s*\)?\s*(?:条|项|款|点)"),  # also 第(十四)项, as our citations write it
    re.compile(rf"^\s*{_NUM}\s*(?:条|项){_ASK}$"),  # a bare "十八条" / "18项" as the whole question
    re.compile(rf"措施\s*(?:第\s*)?{_NUM}"),
    re.compile(rf"\b(?:measure|item|article|clause|point|no\.?)\s*(?:no\.?|number)?\s*#?\s*(\d+)\b"),
    re.compile(rf"\b(\d+)(?:st|nd|rd|th)\s+(?:measure|item|article|clause|point)\b"),
]
# "(18)" and "#18" name a clause in a short question, but in pasted text or code they are
# list markers: they count only in questions of at most SHORT_QUESTION characters.
WEAK_PATTERNS = [re.compile(rf"\(\s*{_NUM}\s*\)"), re.compile(rf"#\s*(\d+)\b")]
SHORT_QUESTION = 40
SECTION_PATTERNS = [
    re.compile(rf"第\s*{_NUM}\s*(?:部分|节|章|板块|方面)"),
    re.compile(rf"\b(?:section|part|chapter)\s*(\d+)\b"),
]


class Reference(BaseModel):
    measures: list[int] = []  # unit numbers (measures, articles, items)
    sections: list[int] = []
    start: int | None = None  # where the first reference begins: the text before it may name a document

    @property
    def empty(self) -> bool:
        return not self.measures and not self.sections


def _numbers(patterns: list[re.Pattern[str]], text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for pat in patterns:
        for m in pat.finditer(text):
            n = cn_to_int(m.group(1))
            if n is not None:
                found.append((m.start(), n))
    return found


def parse_reference(text: str) -> Reference:
    """Measure and section numbers named in `text`, in the order written."""
    sections = _numbers(SECTION_PATTERNS, text)
    measures = _numbers(MEASURE_PATTERNS + (WEAK_PATTERNS if len(text.strip()) <= SHORT_QUESTION else []), text)
    seen: set[int] = set()
    ordered = [n for _, n in sorted(measures) if not (n in seen or seen.add(n))]
    starts = [pos for pos, _ in sections + measures]
    return Reference(measures=ordered, sections=sorted({n for _, n in sections}), start=min(starts, default=None))
