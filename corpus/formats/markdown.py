"""Markdown in the LawRefBook layout (and plain Markdown in general).

LawRefBook files: `# title`, date lines, `<!-- INFO END -->`, then `##`/`###`
headings for 编/章/节 and one article per paragraph. Positions in the line list
stay equal to file line numbers (consumed header lines become ""), so a unit's
line_start/line_end point straight into the .md file.
"""

from __future__ import annotations

import re

from corpus.formats import SourceText
from corpus.formats.text import decode_bytes

INFO_END = re.compile(r"^\s*<!--\s*INFO\s+END\s*-->\s*$", re.IGNORECASE)
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
BULLET = re.compile(r"^\s*(?:[-*+]\s+|>\s?)")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def read_markdown(data: bytes, source: str) -> SourceText:
    text = COMMENT.sub(_blank_comment, decode_bytes(data, source))
    raw = text.splitlines()
    hints: dict[str, str] = {}
    lines = [_inline(t) for t in raw]
    headings: list[int] = []
    end = next((i for i, t in enumerate(raw) if INFO_END.match(t)), None)
    header_end = end if end is not None else 0
    header: list[str] = []
    for i, t in enumerate(raw):
        m = HEADING.match(t)
        if m and m.group(1) == "#" and "title" not in hints and not any(x.strip() for x in lines[:i]):
            hints["title"] = _inline(m.group(2))
            lines[i] = ""
        elif i < header_end:
            if lines[i].strip():
                header.append(lines[i].strip())
            lines[i] = ""
        elif m:
            lines[i] = _inline(m.group(2))
            headings.append(i)
    if end is not None:
        lines[end] = ""
    if header:
        hints["header"] = "\n".join(header)
    return SourceText(lines=lines, hints=hints, format="md", heading_lines=headings)


def _blank_comment(m: re.Match[str]) -> str:
    """Comments vanish but keep their line breaks, so line numbers stay true."""
    body = m.group(0)
    if INFO_END.match(body):
        return body
    return "\n" * body.count("\n")


def _inline(line: str) -> str:
    if TABLE_RULE.match(line):
        return ""
    line = BULLET.sub("", line)
    line = IMAGE.sub("", line)
    line = LINK.sub(r"\1", line)
    line = EMPHASIS.sub(r"\2", line)
    if line.strip().startswith("|"):
        line = " ".join(c.strip() for c in line.strip().strip("|").split("|"))
    return ESCAPE.sub(r"\1", line).strip()
