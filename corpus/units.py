"""Turn assembled drafts into numbered `Unit`s: principles, closing, numbers, titles, sections.

Section 一 of a plan is its 总体要求; scrapes often lose that heading, and then
the paragraph just before section 二 is taken as the principles (with a
warning) — the same rule the shipped-plan parser applies.
"""

from __future__ import annotations

from corpus.assemble import Draft, Heading
from corpus.document import Unit
from corpus.layout import CN_RANK, Tag
from corpus.structure import Numbering, Scheme

PRINCIPLES = {"hans": "总体要求", "hant": "總體要求"}
CLOSING = {"hans": "结尾", "hant": "結尾"}


def finish(drafts: list[Draft], scheme: Scheme, numbering: Numbering, script: str) -> tuple[list[Unit], list[str]]:
    """Units in document order plus the warnings a user should see (numbering gaps, restarts …)."""
    warnings = list(numbering.warnings)
    drafts = [d for d in drafts if d.lines]
    if scheme.unit_tag in ("paren", "arabic"):
        drafts = _principles(drafts, script, warnings)
    drafts = _closing(drafts, scheme, script)
    units: list[Unit] = []
    ordinal = 0
    for d in drafts:
        number = number_in_section = sub = None
        label, title = (CLOSING[script] if d.kind == "closing" else d.label), d.title
        if d.kind == scheme.unit:
            ordinal += 1
            if d.tag is None:  # no numbering at all: paragraphs 1..n
                number, label = ordinal, f"第{ordinal}段"
            elif numbering.restarted:
                number, number_in_section = ordinal, d.tag.number
            else:
                number, sub = d.tag.number, d.tag.sub
            title = "" if d.tag is None or d.kind == "article" else _unit_title(d.tag, len(d.lines))
        section = _section(d.path, scheme)
        units.append(Unit(
            kind=d.kind, number=number, label=label, title=title, path=[h.entry for h in d.path],
            section=section.number if section else (1 if d.kind == "principles" else None),
            section_title=section.title if section else (title if d.kind == "principles" else ""),
            text="\n".join(ln.text.strip() for ln in d.lines), line_start=d.lines[0].start,
            line_end=d.lines[-1].end, number_in_section=number_in_section, sub_number=sub))
    if numbering.restarted:
        warnings.append(f"{scheme.unit}s are numbered again in each section; `number` counts them in document "
                        "order and `number_in_section` keeps the written number")
    if scheme.unit_tag is None:
        warnings.append("no numbering found; ingested as paragraphs")
    return units, warnings


def _unit_title(tag: Tag, n_lines: int) -> str:
    """A heading-only label line ('（一）指导思想。') is the title when text follows it."""
    if n_lines >= 2 and tag.rest and tag.heading_like():
        return tag.rest.rstrip("。").strip()
    return tag.title_before_stop()


def _section(path: list[Heading], scheme: Scheme) -> Heading | None:
    numbered = [h for h in path if h.number is not None]
    if scheme.unit == "article":
        chapters = [h for h in numbered if h.label.endswith("章")]
        if chapters:
            return chapters[0]
    return numbered[0] if numbered else None


def _principles(drafts: list[Draft], script: str, warnings: list[str]) -> list[Draft]:
    sections = [h.number for d in drafts for h in d.path if h.rank == CN_RANK]
    for d in drafts:
        top = [h for h in d.path if h.rank == CN_RANK]
        if d.kind == "paragraph" and d.tag is None and top and top[0].number == 1 and len(d.path) == 1:
            d.kind = "principles"
    if sections and sections[0] == 2 and 1 not in sections and drafts and drafts[0].kind == "preamble" \
            and len(drafts[0].lines) >= 2:
        pre = drafts[0]
        title = PRINCIPLES[script]
        principles = Draft("principles", [pre.lines.pop()], label="一、", title=title)
        warnings.append(f"section 一 has no heading; the paragraph before 二、 (line {principles.lines[0].start}) "
                        f"is taken as {title}")
        return [pre, principles] + drafts[1:]
    return drafts


def _closing(drafts: list[Draft], scheme: Scheme, script: str) -> list[Draft]:
    """Split a closing paragraph off the last unit, in the two cases where it is recognisable.

    (a) A signature follows the unit and the unit's label line has its own text, so
        the paragraph before the signature is not the unit's body ("（二十三）加强队伍建设。…").
    (b) No signature, but every other measure/item is a single paragraph: trailing
        paragraphs after the last one are the document's closing, not its body.
    """
    out: list[Draft] = []
    for d in drafts:
        prev = out[-1] if out else None
        if d.kind == "signature" and prev is not None and prev.kind == scheme.unit and prev.tag is not None \
                and len(prev.lines) >= 2 and prev.tag.rest and not prev.tag.heading_like():
            out.append(Draft("closing", [prev.lines.pop()], label=CLOSING[script]))
        out.append(d)
    units = [d for d in out if d.kind == scheme.unit and d.tag is not None]
    if scheme.unit in ("measure", "item") and len(units) >= 3 and len(units[-1].lines) >= 2 \
            and all(len(u.lines) == 1 for u in units[:-1]) and not any(d.kind == "closing" for d in out):
        last = units[-1]
        at = out.index(last) + 1
        out.insert(at, Draft("closing", last.lines[1:], label=CLOSING[script]))
        del last.lines[1:]
    return out
