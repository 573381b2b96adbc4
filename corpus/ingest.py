"""Public entry points: a user's file (or pasted text) → ParsedDocument.

reader (corpus.formats) → scrape cleaning (corpus.clean, where it applies)
→ header metadata (corpus.metadata) → structure (corpus.structure/assemble/units).
Text stays in the script it is written in: nothing is converted.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from corpus.assemble import assemble
from corpus.clean import END, META, Line, clean, join_broken, normalise_text
from corpus.document import DocumentMeta, Format, ParsedDocument
from corpus.errors import IngestError
from corpus.formats import SourceText, read_source
from corpus.layout import tag_lines
from corpus.metadata import DATE, add_date, iso_date, read_header, short_title

from corpus.text import CONTROL, detect_script
from corpus.structure import choose_scheme, number_units
from corpus.units import finish

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20_000_000
IN_FORCE = re.compile(r"自\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起(?:施行|实施|實施|生效)")


def parse_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Read and structure one file; raises IngestError for files that cannot be used."""
    path = Path(path)
    return parse_source(read_source(path, max_bytes), path.name)


def parse_text(text: str, source_name: str, format: Format = "txt") -> ParsedDocument:
    """Structure text already in hand (pasted, or decoded elsewhere)."""
    if not text.strip():
        raise IngestError("empty", source_name, "text is empty")
    if format == "md":
        from corpus.formats.markdown import read_markdown
        return parse_source(read_markdown(text.encode("utf-8"), source_name), source_name)
    return parse_source(SourceText(lines=text.splitlines(), format=format), source_name)


def clean_lines(source: SourceText) -> list[Line]:
    """Scrape repair: full corpus.clean for scraped text, the safe parts elsewhere.

    clean.clean also drops any repeated line, which is right for a scrape that
    repeats its body after -END- but would delete a law's repeated （二）情节严重的；
    so it runs only when the text carries the scrape's own markers.
    """
    # Zero-width and direction marks are invisible: a line of only U+200B (gov.cn pages put them
    # between parts) had become a unit nobody can read, and English questions matched it.
    raw = [CONTROL.sub("", t) for t in source.lines]
    if source.format == "md":
        return [Line(t.strip(), i, i) for i, t in enumerate(raw, 1)]
    head = [t for t in raw[:20] if t.strip()]
    if source.format == "txt" and (any(END.match(t) for t in raw) or sum(bool(META.match(t)) for t in head) >= 2):
        return clean("\n".join(raw))
    lines = join_broken([Line(t, i, i) for i, t in enumerate(raw, 1) if t.strip()])
    return [Line(normalise_text(ln.text), ln.start, ln.end) for ln in lines]


def parse_source(source: SourceText, source_name: str) -> ParsedDocument:
    lines = clean_lines(source)
    if not any(ln.text for ln in lines):
        raise IngestError("empty", source_name, "no text left after cleaning")
    header = read_header(lines, source.hints, source_name)
    body = [ln for i, ln in enumerate(lines) if i not in header.consumed and ln.text]
    marked = set(source.heading_lines)  # headings the format itself marks (Markdown #, Word styles)
    tags = tag_lines(body, {i for i, ln in enumerate(body) if ln.start - 1 in marked})
    scheme = choose_scheme(tags)
    numbering = number_units(tags, scheme)
    sample = "".join(ln.text for ln in lines[:400])[:20000]
    script = detect_script(sample) or "hans"
    units, warnings = finish(assemble(tags, scheme, numbering), scheme, numbering, script)
    dates = dict(header.dates)
    issuer = header.issuer
    for unit in units:
        if unit.kind == "signature":
            sig = unit.text.splitlines()
            if not issuer:
                issuer = "、".join(t for t in sig if DATE.search(t) is None and not t.startswith(("（", "(")))
            add_date(dates, "成文", next((iso_date(t) for t in sig if iso_date(t)), None))
    for unit in [u for u in units if u.kind == "preamble"] + units[-3:]:  # 主席令 text or the last articles
        if (m := IN_FORCE.search(unit.text)) and "施行" not in dates:
            add_date(dates, "施行", iso_date(m.group(1)))
    meta = DocumentMeta(title=header.title, short_title=short_title(header.title), issuer=issuer,
                        doc_number=header.doc_number, dates=dates, script=script, source_name=source_name,
                        format=source.format)
    doc = ParsedDocument(meta=meta, unit_kind=scheme.unit, units=units, warnings=warnings)
    log.info("%s: %s (%s)", source_name, doc.summary(), "; ".join(warnings) or "no warnings")
    return doc
