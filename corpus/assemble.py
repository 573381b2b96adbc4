"""Walk the tagged lines once and cut them into units, headings giving each unit its path.

Choices (documented for the people citing these units):
* Intro paragraphs of a section that belong to no measure become their own
  `paragraph` unit (number None, label = the section label, e.g. "二、") — not
  glued onto the previous measure (they are not part of it) nor onto the next
  one (its text must start with its own label). In a plan/opinion, section
  一's intro is the `principles` unit.
* Measures or items numbered again in each section keep their written number
  in `number_in_section`; `number` counts them in document order so it stays
  unique, and the path names the section (a warning says so).
* The paragraph just before a signature is the `closing` unit when the last
  measure already has its own text on its label line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.clean import Line
from corpus.document import UnitKind
from corpus.layout import Tag, signature_blocks
from corpus.structure import Numbering, Scheme

_WS = re.compile(r"\s+")


@dataclass
class Heading:
    rank: int
    entry: str  # as shown in Unit.path
    label: str = ""
    number: int | None = None
    title: str = ""


@dataclass
class Draft:
    kind: UnitKind
    lines: list[Line] = field(default_factory=list)
    tag: Tag | None = None  # the label line of a numbered unit
    path: list[Heading] = field(default_factory=list)
    label: str = ""
    title: str = ""


def heading_for(tag: Tag, rank: int) -> Heading:
    if tag.kind == "division":
        label = _WS.sub("", tag.label)
        title = _WS.sub("", tag.rest)
        return Heading(rank, f"{label} {title}".strip(), label, tag.number, title)
    if tag.kind in ("cn", "paren"):
        title = tag.rest.rstrip("。").strip() if tag.heading_like() else tag.title_before_stop(40)
        return Heading(rank, f"{tag.label}{title}", tag.label, tag.number, title)
    return Heading(rank, tag.text.strip(), title=tag.text.strip())


def assemble(tags: list[Tag], scheme: Scheme, numbering: Numbering) -> list[Draft]:
    """One pass: headings update the path, accepted labels open units, other text joins the open one."""
    accepted = {id(t) for t in numbering.accepted}
    skip = _toc(tags, scheme)
    sig_at = {first: last for first, last in signature_blocks(tags)}
    drafts: list[Draft] = []
    path: list[Heading] = []
    cur: Draft | None = None
    seen_unit = attachment = False
    k = 0
    while k < len(tags):
        tag = tags[k]
        if k in skip:
            k += 1
            continue
        if k in sig_at:
            cur = Draft("signature", [t.line for t in tags[k:sig_at[k] + 1]], label="署名")
            drafts.append(cur)
            cur, k = None, sig_at[k] + 1
            continue
        rank = scheme.heading_rank(tag)
        if tag.kind == "attachment":
            path, cur, attachment = [Heading(0, tag.text.strip().rstrip("：:"))], None, True
        elif attachment and rank is None and id(tag) not in accepted and _title_line(tag):
            path[-1].entry += (" " if path[-1].entry in ("附件", "附表", "附录") else "") + tag.text.strip()
        elif rank is not None:
            attachment = False
            path = [h for h in path if h.rank < rank] + [heading_for(tag, rank)]
            cur = None
            if tag.kind == "cn" and not tag.heading_like():  # 一、 heading with its own sentences
                cur = Draft("paragraph", [tag.line], path=list(path), label=tag.label, title=path[-1].title)
                drafts.append(cur)
        elif id(tag) in accepted:
            attachment, seen_unit = False, True
            cur = Draft(scheme.unit, [tag.line], tag=tag, path=list(path), label=tag.label)
            drafts.append(cur)
        else:
            attachment = False
            if cur is None:
                cur = _new_container(drafts, path, seen_unit, scheme)
                if not drafts or cur is not drafts[-1]:
                    drafts.append(cur)
            cur.lines.append(tag.line)
            if scheme.unit_tag is None:
                cur = None  # no numbering: every paragraph is its own unit
        k += 1
    return drafts


def _new_container(drafts: list[Draft], path: list[Heading], seen_unit: bool, scheme: Scheme) -> Draft:
    """Where body text goes when no unit is open: preamble, a section intro, or a closing."""
    if scheme.unit_tag is None:
        return Draft("paragraph", path=list(path))
    if not seen_unit and not path:
        if drafts and drafts[-1].kind == "preamble":
            return drafts[-1]
        return Draft("preamble", label="前言")
    if path:
        return Draft("paragraph", path=list(path), label=path[-1].label, title=path[-1].title)
    return Draft("closing", label="结尾")


def _title_line(tag: Tag) -> bool:
    t = tag.text.strip()
    return len(t) <= 60 and "。" not in t and tag.kind in ("text", "note")


def _toc(tags: list[Tag], scheme: Scheme) -> set[int]:
    """A 目录 line and the run of headings after it (a table of contents) are not text."""
    skip: set[int] = set()
    for k, tag in enumerate(tags):
        if tag.kind == "toc":
            skip.add(k)
            j = k + 1
            while j < len(tags) and scheme.heading_rank(tags[j]) is not None:
                if j > k + 1 and tags[j].label and tags[j].label == tags[k + 1].label:
                    break  # the body starts: its first heading repeats the contents' first entry
                skip.add(j)
                j += 1
    return skip
