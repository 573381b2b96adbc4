"""Read a user's file into text lines plus metadata hints, one reader per format.

Every failure a user can cause (wrong type, empty, binary, scanned, encrypted,
too big, corrupt) becomes an IngestError with a code; the size limit is
checked with stat() before a single byte is read.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, Field

from corpus.document import Format
from corpus.errors import IngestError

log = logging.getLogger(__name__)

# Label cells of the metadata table on gov.cn pages (and Word copies of them) → hint keys.
META_LABELS = {"索引号": "index", "主题分类": "category", "发文机关": "issuer", "发布机关": "issuer",
               "发文单位": "issuer", "成文日期": "date:成文", "标题": "title", "发文字号": "doc_number",
               "文号": "doc_number", "发布日期": "date:发布", "公布日期": "date:公布", "施行日期": "date:施行",
               "生效日期": "date:施行", "实施日期": "date:施行", "主题词": "keywords", "有效性": "validity"}
SUFFIXES: dict[str, Format] = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                               ".pdf": "pdf", ".docx": "docx"}


class SourceText(BaseModel):
    """A document as lines (paragraphs), before any structure is known.

    `hints` carry what the format itself states (a Markdown `# title`, the gov.cn
    metadata table): title, issuer, doc_number and date keys such as date:成文.
    `heading_lines` are 0-based indexes of lines the format marks as headings.
    """

    lines: list[str]
    hints: dict[str, str] = Field(default_factory=dict)
    format: Format
    heading_lines: list[int] = Field(default_factory=list)


def metadata_key(cell_text: str) -> str | None:
    """'发文字号：' / '标　　题：' → the hint key, or None when the cell is not a metadata label."""
    return META_LABELS.get("".join(cell_text.split()).rstrip("：:"))


def read_source(path: Path, max_bytes: int) -> SourceText:
    """Dispatch on the file suffix; raise IngestError for anything unusable."""
    name = path.name
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        kinds = ", ".join(sorted(SUFFIXES))
        raise IngestError("unsupported_type", name, f"unsupported file type {path.suffix or '(none)'!r}; "
                          f"accepted: {kinds}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError("unreadable", name, f"cannot open the file ({exc.strerror or exc})") from exc
    if size > max_bytes:
        raise IngestError("too_large", name, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
    if size == 0:
        raise IngestError("empty", name, "file is empty")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError("unreadable", name, f"cannot read the file ({exc.strerror or exc})") from exc
    source = _reader(fmt)(data, name)
    if not any(line.strip() for line in source.lines):
        raise IngestError("empty", name, "file contains no text")
    log.info("read %s as %s: %d lines, hints %s", name, fmt, len(source.lines), sorted(source.hints))
    return source


def _reader(fmt: Format) -> Callable[[bytes, str], SourceText]:
    """Imported lazily so that a text upload never loads pypdf or python-docx."""
    if fmt == "txt":
        from corpus.formats.text import read_txt
        return read_txt
    if fmt == "md":
        from corpus.formats.markdown import read_markdown
        return read_markdown
    if fmt == "html":
        from corpus.formats.html import read_html
        return read_html
    if fmt == "pdf":
        from corpus.formats.pdf import read_pdf
        return read_pdf
    from corpus.formats.docx import read_docx
    return read_docx
