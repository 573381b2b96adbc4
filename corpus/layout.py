"""What each cleaned line looks like: a unit label, a heading, a date, or body text.

Only the start of a line (a paragraph) can carry a label, so "依照本法第十二条"
inside an article never becomes an article. Whether a label really starts a unit
is decided later, from the numbering sequence (corpus.structure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.clean import Line
from corpus.numerals import NUMERAL_CHARS, cn_to_int

CN = NUMERAL_CHARS
NUM = rf"[{CN}0-9０-９]+"
ARTICLE = re.compile(rf"^(第\s*({NUM})\s*[条條](?:之\s*([{CN}]+))?)(?![、，,。；：;:.]|至第)\s*(.*)$")
DIVISION = re.compile(rf"^(第\s*({NUM})\s*(编|編|章|节|節|部分))(?![、，,。；：的])\s*(.*)$")
PAREN = re.compile(rf"^([（(]([{CN}]+)[）)])\s*(.*)$")
ARABIC = re.compile(r"^(([0-9０-９]{1,4})\s*[.．、](?![0-9０-９]))\s*(.*)$")
CN_SECTION = re.compile(rf"^(([{CN}]+)\s*、)\s*(.*)$")
DATE_ONLY = re.compile(r"^(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d〇零一二三四五六七八九十]{1,3}\s*月\s*"
                       r"[\d〇零一二三四五六七八九十]{1,3}\s*日$")
NOTE = re.compile(r"^[（(]此[件文].{1,12}[）)]$")
ATTACHMENT = re.compile(r"^(附件|附表|附录|附)\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$")
TOC = re.compile(r"^目\s*录$")
RANKS = {"编": 0, "編": 0, "部分": 0, "章": 1, "节": 2, "節": 2}
CN_RANK, PAREN_RANK, OTHER_HEADING_RANK = 3, 4, 5
MAX_HEADING = 40


@dataclass
class Tag:
    """One non-empty line and what its start looks like."""

    index: int  # position in the line list given to tag_lines
    line: Line
    kind: str  # article | division | paren | arabic | cn | date | note | attachment | toc | text
    label: str = ""
    number: int | None = None
    sub: int | None = None  # 之一 → 1
    rest: str = ""  # text after the label
    rank: int | None = None  # heading rank for divisions (编 0, 章 1, 节 2)
    md_heading: bool = False

    @property
    def text(self) -> str:
        return self.line.text

    def heading_like(self) -> bool:
        """A label followed by a short title and no running sentence (一、总体要求 / （一）指导思想。)."""
        rest = self.rest.rstrip("。").strip()
        return self.md_heading or (len(rest) <= MAX_HEADING and not any(c in rest for c in "。；;，,：:"))

    def title_before_stop(self, limit: int = 30) -> str:
        """'实施人才引进专项政策' from '（十八）实施人才引进专项政策。支持…' (short first sentence only)."""
        head, stop, tail = self.rest.partition("。")
        head = head.strip()
        return head if stop and tail.strip() and 0 < len(head) <= limit and not any(c in head for c in "；;：:") \
            else ""


def _num(s: str) -> int | None:
    """A label's number; 零 is no label number."""
    return cn_to_int(s) or None


def classify(index: int, line: Line, md_heading: bool = False) -> Tag:
    t = line.text.strip()
    tag = Tag(index, line, "text", md_heading=md_heading)
    if m := DIVISION.match(t):
        rest = m.group(4).strip()
        if md_heading or (len(rest) <= MAX_HEADING and not any(c in rest for c in "。；，")):
            return _set(tag, "division", m.group(1), _num(m.group(2)), rest, rank=RANKS[m.group(3)])
    if m := ARTICLE.match(t):
        sub = _num(m.group(3)) if m.group(3) else None
        return _set(tag, "article", m.group(1), _num(m.group(2)), m.group(4), sub=sub)
    for kind, rx in (("paren", PAREN), ("cn", CN_SECTION), ("arabic", ARABIC)):
        if m := rx.match(t):
            number = _num(m.group(2))
            if number:
                return _set(tag, kind, m.group(1), number, m.group(3))
    if DATE_ONLY.match(t):
        tag.kind = "date"
    elif NOTE.match(t):
        tag.kind = "note"
    elif ATTACHMENT.match(t):
        tag.kind = "attachment"
    elif TOC.match(t):
        tag.kind = "toc"
    return tag


def _set(tag: Tag, kind: str, label: str, number: int | None, rest: str, rank: int | None = None,
         sub: int | None = None) -> Tag:
    tag.kind, tag.label, tag.number, tag.rest, tag.rank, tag.sub = kind, label, number, rest.strip(), rank, sub
    return tag


def tag_lines(lines: list[Line], md_headings: set[int]) -> list[Tag]:
    return [classify(i, ln, i in md_headings) for i, ln in enumerate(lines) if ln.text.strip()]


def issuer_like(tag: Tag) -> bool:
    t = tag.text.strip()
    return tag.kind == "text" and 2 <= len(t) <= 40 and not any(c in t for c in "。；，：:;,《》“”")


def signature_blocks(tags: list[Tag]) -> list[tuple[int, int]]:
    """(first, last) positions in `tags` of signature blocks: issuer line(s), a date line, （此件…）.

    A bare date line counts only when an issuer precedes it or a note/end follows,
    so a date standing alone inside body text is not mistaken for a signature.
    """
    blocks: list[tuple[int, int]] = []
    for k, tag in enumerate(tags):
        if tag.kind != "date" or (blocks and k <= blocks[-1][1]):
            continue
        first = k
        while first - 1 >= 0 and k - first < 4 and issuer_like(tags[first - 1]) \
                and (not blocks or first - 1 > blocks[-1][1]):
            first -= 1
        last = k
        while last + 1 < len(tags) and tags[last + 1].kind == "note":
            last += 1
        if first < k or last > k or k == len(tags) - 1:
            blocks.append((first, last))
    return blocks
