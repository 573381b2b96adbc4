"""PDF with a text layer (pypdf, BSD-licensed) → lines, with wrapped lines joined.

A PDF stores visual lines, not paragraphs: a sentence running past the right
margin is cut in two. A line is joined to the next when it runs to the margin
without ending a sentence (or is a bare label such as 第二条) and the next line
does not start a unit, heading or date. Scanned PDFs have no text layer and are
refused ("no_text_layer"): we do not OCR.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from corpus.clean import Line
from corpus.errors import IngestError
from corpus.formats import SourceText
from corpus.layout import classify

log = logging.getLogger(__name__)

PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$")
SENTENCE_END = "。；！？：!?;:"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")
FULL_LINE = 0.85  # share of the usual line width at which a line counts as running to the margin


def read_pdf(data: bytes, source: str) -> SourceText:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except (PdfReadError, ValueError, TypeError, KeyError, OSError) as exc:
        raise IngestError("unreadable", source, f"not a readable PDF ({exc})") from exc
    if encrypted:
        _decrypt(reader, source)
    pages: list[list[str]] = []
    try:
        n_pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError("unreadable", source, f"PDF page tree is broken ({exc})") from exc
    for number in range(n_pages):
        try:
            text = reader.pages[number].extract_text() or ""
        except (FileNotDecryptedError, DependencyError) as exc:
            raise IngestError("encrypted", source, "PDF is encrypted and cannot be read without its password") \
                from exc
        except Exception as exc:  # pypdf raises many types on damaged content streams
            log.warning("%s: page %d unreadable (%s)", source, number + 1, exc)
            text = ""
        pages.append([t for t in (unspace(ln) for ln in text.splitlines()) if t])
    if not any(pages):
        raise IngestError("no_text_layer", source, f"PDF has no text layer on any of its {n_pages} page(s); it is "
                          "probably scanned. Run OCR first or upload the original document")
    lines = join_wrapped(_drop_page_furniture(pages))
    return SourceText(lines=lines, format="pdf")


def unspace(line: str) -> str:
    """Some PDFs place every glyph separately and pypdf returns '第 一 条   本 规 定'; undo that."""
    line = _CONTROL.sub("", line).strip()
    chars = [c for c in line if not c.isspace()]
    if len(chars) >= 4 and line.count(" ") >= 0.8 * (len(chars) - 1):
        line = re.sub(r" {2,}", "\u3000", line).replace(" ", "").replace("\u3000", " ")
    return line


def _decrypt(reader: PdfReader, source: str) -> None:
    """Many PDFs are 'encrypted' only against editing and open with an empty password."""
    try:
        if reader.decrypt(""):
            return
    except (DependencyError, NotImplementedError) as exc:
        raise IngestError("encrypted", source, f"PDF is encrypted with an unsupported method ({exc})") from exc
    raise IngestError("encrypted", source, "PDF is password-protected; remove the password and upload it again")


def _drop_page_furniture(pages: list[list[str]]) -> list[str]:
    """Page numbers, and running headers/footers repeated at the top or bottom of most pages."""
    edges = Counter(ln for page in pages for ln in {*page[:2], *page[-2:]})
    repeated = {ln for ln, n in edges.items() if len(pages) >= 3 and n >= 0.6 * len(pages)}
    return [ln for page in pages for ln in page if not PAGE_NUMBER.match(ln) and ln not in repeated]


def _width(line: str) -> float:
    return sum(0.5 if ord(c) < 128 else 1.0 for c in line if not c.isspace())


def _starts_block(line: str) -> bool:
    tag = classify(0, Line(line.strip(), 0, 0))
    return tag.kind != "text" or line.lstrip().startswith(("附件", "（此件", "(此件"))


def _bare_label(line: str) -> bool:
    tag = classify(0, Line(line.strip(), 0, 0))
    return tag.kind in ("article", "paren", "arabic") and not tag.rest


def join_wrapped(lines: list[str]) -> list[str]:
    if not lines:
        return []
    widths = sorted(_width(ln) for ln in lines)
    full = widths[int(0.9 * (len(widths) - 1))] * FULL_LINE
    out: list[str] = []
    for line in lines:
        if out and not _starts_block(line):
            prev = out[-1].rstrip()
            if _bare_label(prev) or (prev[-1] not in SENTENCE_END and _width(prev) >= full):
                out[-1] = prev + line.strip()
                continue
        out.append(line)
    return out
