"""Word .docx → lines: body paragraphs and table cells in document order.

A .docx is a zip; a truncated or renamed file fails to open and becomes
IngestError("unreadable"). Password-protected Word files are not zips at all
but OLE containers holding an EncryptedPackage, reported as "encrypted".
"""

from __future__ import annotations

import io
import logging
import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from corpus.errors import IngestError
from corpus.formats import SourceText, metadata_key

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(data: bytes, source: str) -> SourceText:
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise IngestError("encrypted", source, "Word file is password-protected; remove the password first")
        raise IngestError("unreadable", source, "this is an old binary Word (.doc) file, not .docx; save it as .docx")
    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError, EOFError) as exc:
        raise IngestError("unreadable", source, f"not a readable .docx file ({type(exc).__name__})") from exc
    lines: list[str] = []
    hints: dict[str, str] = {}
    headings: list[int] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            para = Paragraph(child, doc)
            style = (para.style.name if para.style is not None else "") or ""
            if style == "Title" and para.text.strip() and "title" not in hints:
                hints["title"] = para.text.strip()
            elif style.startswith(("Heading", "标题")) and para.text.strip():
                headings.append(len(lines))
            lines.extend(para.text.split("\n"))
        elif child.tag == qn("w:tbl"):
            lines.extend(_table_lines(Table(child, doc), hints))
    return SourceText(lines=lines, hints=hints, format="docx", heading_lines=headings)


def _table_lines(table: Table, hints: dict[str, str]) -> list[str]:
    """One line per cell paragraph; a metadata table (发文字号 | 国办发〔2018〕118号) becomes hints.

    Merged cells repeat in python-docx, so each cell is read once.
    """
    cells: list[str] = []
    seen: list[object] = []  # the cell elements themselves: ids of freed lxml proxies get reused
    for row in table.rows:
        for cell in row.cells:
            if not any(cell._tc is tc for tc in seen):
                seen.append(cell._tc)
                cells.append("\n".join(p.text for p in cell.paragraphs))
    keys = [metadata_key(c) for c in cells]
    if any(keys) and sum(len(c) for c in cells) < 2000:
        for i, key in enumerate(keys):
            if key and i + 1 < len(cells) and keys[i + 1] is None and cells[i + 1].strip():
                hints.setdefault(key, " ".join(cells[i + 1].split()))
        return []
    return [line for c in cells for line in c.split("\n")]
