"""Generic detection of a document's citable structure from its cleaned lines.

No rules for particular documents: the dominant numbering scheme is chosen
from what the lines start with, then every label is checked against the
numbering sequence, so a cross-reference or a stray label cannot become a
unit and a skipped number cannot shift later citations.

* articles 第X条 (laws, regulations, rules, judicial interpretations), grouped
  by 第X编/章/节 headings; （一） items inside an article stay in it;
* measures （X） under 一、 sections (plans, opinions, notices);
* items 1. under （X） sub-headings, or a flat list of items 1.;
* measures written as 一、 paragraphs when nothing finer is numbered;
* otherwise paragraphs 1..n, with a warning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from corpus.document import CitableKind
from corpus.layout import CN_RANK, OTHER_HEADING_RANK, PAREN_RANK, Tag

log = logging.getLogger(__name__)

MAX_SKIP = 5  # a forward jump up to this size is a gap in the text, not a cross-reference
MIN_CHAIN = 2
MIN_COVERAGE = 0.75  # share of body text the chosen units must hold


@dataclass
class Scheme:
    """Which tags are units and which are headings, for one document."""

    unit: CitableKind
    unit_tag: str | None  # article | paren | arabic | cn | None (paragraphs)
    heading_cn: str = "listed"  # 一、 lines as headings: "all", or only those in cn_headings
    paren_headings: bool = False  # （一） lines are sub-headings (items below them are the units)
    cn_headings: set[int] = field(default_factory=set)

    def heading_rank(self, tag: Tag) -> int | None:
        if tag.kind == "division":
            return tag.rank
        if tag.kind == "cn" and self.unit_tag != "cn":
            if self.heading_cn == "all" or tag.md_heading or tag.index in self.cn_headings:
                return CN_RANK
        if tag.kind == "paren" and self.paren_headings and tag.heading_like():
            return PAREN_RANK
        if tag.md_heading and tag.kind != self.unit_tag:
            return OTHER_HEADING_RANK
        return None

    def parent_rank(self) -> int:
        """Headings at or above this rank may restart the unit numbering."""
        return PAREN_RANK if self.paren_headings else CN_RANK


@dataclass
class Numbering:
    accepted: list[Tag] = field(default_factory=list)
    restarted: bool = False
    warnings: list[str] = field(default_factory=list)


def validate(cands: list[Tag], new_parent: list[bool], noun: str) -> Numbering:
    """Keep the labels that continue the sequence 1, 2, 3 … (or restart at 1 under a new heading).

    An abridged text (第一条, 第十一条, 第二十八条 …) has larger gaps than a scrape
    loses; when every label is still strictly increasing, all are kept.
    """
    out = _sequence(cands, new_parent, noun)
    keys = [(c.number or 0, c.sub or 0) for c in cands]
    if len(out.accepted) < len(cands) / 2 and len(cands) >= MIN_CHAIN and all(a < b for a, b in zip(keys, keys[1:])):
        out = Numbering(list(cands), warnings=[f"{noun} numbers have gaps (an abridged text?): "
                                               f"{', '.join(c.label for c in cands[:6])} …"])
    return out


def _sequence(cands: list[Tag], new_parent: list[bool], noun: str) -> Numbering:
    """Walk the labels in order; a stray label before the first 1 does not anchor the sequence."""
    out = Numbering()
    rejected: list[str] = []
    expected: int | None = None
    first = next((k for k, c in enumerate(cands) if c.number == 1 and c.sub is None), 0)
    for k, c in enumerate(cands):
        n = c.number or 0
        last = out.accepted[-1] if out.accepted else None
        nxt = cands[k + 1].number if k + 1 < len(cands) else None
        if last is None:
            ok = c.sub is None and k >= first
            if ok and n != 1:
                out.warnings.append(f"{noun} numbering starts at {c.label}, not 1")
        elif c.sub is not None:
            ok = last.number == n and (last.sub or 0) + 1 == c.sub
        elif n == expected:
            ok = True
        elif n == 1 and new_parent[k]:
            ok = out.restarted = True
        elif expected is not None and expected < n <= expected + MAX_SKIP and (nxt is None or nxt == n + 1):
            ok = True
            out.warnings.append(f"{noun} numbers skip from {expected - 1} to {n} ({c.label}, line {c.line.start})")
        else:
            ok = False
        if ok:
            out.accepted.append(c)
            expected = n + 1
        else:
            rejected.append(f"{c.label} (line {c.line.start})")
    if rejected:
        shown = ", ".join(rejected[:5]) + (" …" if len(rejected) > 5 else "")
        out.warnings.append(f"{len(rejected)} {noun} label(s) out of sequence kept as text: {shown}")
    return out


def number_units(tags: list[Tag], scheme: Scheme) -> Numbering:
    if scheme.unit_tag is None:
        return Numbering()
    cands, breaks, parent = [], [], True
    for tag in tags:
        rank = scheme.heading_rank(tag)
        if rank is not None and rank <= scheme.parent_rank():
            parent = True
        elif tag.kind == scheme.unit_tag and tag.number is not None:
            cands.append(tag)
            breaks.append(parent)
            parent = False
    return validate(cands, breaks, scheme.unit)


def _fits(tags: list[Tag], scheme: Scheme) -> Numbering | None:
    """The scheme's numbering, if it forms a chain covering most of its labels (else a list of cross-refs)."""
    numbering = number_units(tags, scheme)
    total = sum(1 for t in tags if t.kind == scheme.unit_tag and scheme.heading_rank(t) is None)
    ok = len(numbering.accepted) >= MIN_CHAIN and len(numbering.accepted) >= total / 2
    return numbering if ok else None


def choose_scheme(tags: list[Tag]) -> Scheme:
    """The finest numbering that carries the body text decides the citable unit.

    Chinese official numbering nests 一、 > （一） > 1.; the finest level whose units
    hold most of the body text wins, so sub-points inside a few measures, or items
    in only some sections, do not turn the whole document into items.
    """
    article = Scheme("article", "article", cn_headings=_cn_headings_over_articles(tags))
    if _fits(tags, article):
        return article
    options = []
    parens = [t for t in tags if t.kind == "paren"]
    if any(t.kind == "arabic" for t in tags) and parens:
        if _paren_holders(tags) >= max(2, len(parens) / 2) and sum(p.heading_like() for p in parens) >= len(parens) / 2:
            options.append(Scheme("item", "arabic", heading_cn="all", paren_headings=True))
    options += [Scheme("item", "arabic", heading_cn="all"), Scheme("measure", "paren", heading_cn="all"),
                Scheme("measure", "cn")]
    for scheme in options:
        numbering = _fits(tags, scheme)
        if numbering is not None and coverage(tags, scheme, numbering) >= MIN_COVERAGE:
            return scheme
    return Scheme("paragraph", None)


def coverage(tags: list[Tag], scheme: Scheme, numbering: Numbering) -> float:
    """Share of the body text (from the first numbered line on) that falls inside units."""
    accepted = {id(t) for t in numbering.accepted}
    start = next((k for k, t in enumerate(tags) if t.kind in ("division", "cn", "paren", "arabic")), len(tags))
    total = covered = 0
    inside = False
    for tag in tags[start:]:
        if id(tag) in accepted:
            inside = True
        elif scheme.heading_rank(tag) is not None or tag.kind in ("date", "note", "attachment"):
            inside = False
            if tag.kind == "cn" and scheme.heading_rank(tag) is not None:
                total += len(tag.rest)  # a 一、 heading carrying its own text is body, outside units
            continue
        total += len(tag.text)
        covered += len(tag.text) if inside else 0
    return covered / total if total else 0.0


def _paren_holders(tags: list[Tag]) -> int:
    """How many （X） lines are followed by 1. items before the next （X）/一、/division."""
    holders, inside, has_item = 0, False, False
    for tag in tags:
        if tag.kind in ("paren", "cn", "division"):
            holders += inside and has_item
            inside, has_item = tag.kind == "paren", False
        elif tag.kind == "arabic" and inside:
            has_item = True
    return holders + (inside and has_item)


def _cn_headings_over_articles(tags: list[Tag]) -> set[int]:
    """一、 lines that head articles (一、总则 in some judicial interpretations), not a 一、二、 list."""
    marks = [t for t in tags if t.kind in ("article", "cn", "division")]
    out = set()
    for k, t in enumerate(marks):
        if t.kind != "cn" or not t.heading_like():
            continue
        before = marks[k - 1].kind if k else None
        after = marks[k + 1].kind if k + 1 < len(marks) else None
        if before != "cn" and after in ("article", "division"):
            out.add(t.index)
    return out
