"""HTML pages and fragments (gov.cn and similar) → one line per block element.

Government pages wrap the text in layout tables, banners, QR codes and a
metadata table (索引号/发文机关/成文日期/标题/发文字号/发布日期). The metadata
table is read into hints and dropped; scripts, styles, navigation and comments
are dropped; site chrome lines (扫一扫, 打印, 关闭 …) are filtered only when they
are short, so body text is never lost.

Hostile input stays linear: scripts/comments are cut with forward-only scans
before parsing, the tree is walked once with an explicit stack (no recursion,
no tree mutation), and pages with more elements than any document page has
are refused.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from corpus.errors import IngestError
from corpus.formats import SourceText, metadata_key
from corpus.formats.text import decode_bytes

log = logging.getLogger(__name__)

DROP = {"script", "style", "noscript", "nav", "head", "iframe", "canvas", "svg", "form", "select", "button",
        "template", "object", "embed", "textarea"}
BLOCKS = {"p", "div", "td", "th", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "center", "caption", "aside",
          "main", "figure", "figcaption", "address", "hr", "title", "body", "html"}
MAX_ELEMENTS = 100_000  # real policy pages have a few thousand; more means a hostile or generated file
CHROME = re.compile(r"扫一扫|打印本页|【?打印】?$|【?关闭】?$|关闭窗口|^收藏|分享到|^【?字[体号]|版权所有|网站标识码|"
                    r"ICP备|公网安备|主办单位|^上一篇|^下一篇|^相关(链接|稿件|新闻)|责任编辑|浏览次数|我要纠错|返回顶部|"
                    r"^【?(大|中|小)\s*(中|小)?\s*(小)?】?$|^(首页|English|繁体|无障碍)$")
_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_OPEN = re.compile(r"<(script|style)\b|<!--", re.IGNORECASE)
_CLOSE = {"script": re.compile(r"</script\s*>", re.IGNORECASE), "style": re.compile(r"</style\s*>", re.IGNORECASE)}
_TAG = re.compile(r"<[A-Za-z]")


@dataclass
class _Table:
    start: int  # index in the line list where the table began
    cells: list[str] = field(default_factory=list)
    nested: bool = False


def read_html(data: bytes, source: str) -> SourceText:
    text = strip_scripts(decode_bytes(data, source))
    elements = sum(1 for _ in _TAG.finditer(text))
    if elements > MAX_ELEMENTS:
        raise IngestError("unreadable", source, f"HTML has {elements:,} elements (more than {MAX_ELEMENTS:,}); "
                          "this is not a document page")
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml/bs4 raise assorted errors on pathological markup
        raise IngestError("unreadable", source, f"HTML could not be parsed ({type(exc).__name__})") from exc
    lines, hints = walk(soup)
    kept = [ln for ln in lines if not (len(ln) <= 40 and CHROME.search(ln))]
    log.debug("%s: %d lines, %d chrome lines dropped", source, len(kept), len(lines) - len(kept))
    return SourceText(lines=kept, hints=hints, format="html")


def strip_scripts(text: str) -> str:
    """Cut <script>/<style> bodies and comments with forward-only scans (an unclosed one ends the text)."""
    out: list[str] = []
    pos = 0
    while (m := _OPEN.search(text, pos)) is not None:
        out.append(text[pos:m.start()])
        if m.group(0) == "<!--":
            end = text.find("-->", m.end())
            pos = len(text) if end < 0 else end + 3
        else:
            close = _CLOSE[m.group(1).lower()].search(text, m.end())
            pos = len(text) if close is None else close.end()
    out.append(text[pos:])
    return "".join(out)


def walk(soup: BeautifulSoup) -> tuple[list[str], dict[str, str]]:
    """Lines broken at block elements and <br>; innermost metadata tables become hints instead."""
    lines: list[str] = []
    buf: list[str] = []
    hints: dict[str, str] = {}
    tables: list[_Table] = []

    def flush() -> None:
        line = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if line:
            lines.append(line)

    stack: list[tuple[object, bool, int]] = [(soup, False, 0)]
    while stack:
        node, leaving, mark = stack.pop()
        if leaving:
            assert isinstance(node, Tag)
            if node.name in BLOCKS:
                flush()
            if node.name in ("td", "th") and tables:
                tables[-1].cells.append("".join(lines[mark:]))
            elif node.name == "table" and tables:
                table = tables.pop()
                if tables:
                    tables[-1].nested = True
                if not table.nested and _metadata_table(table.cells, hints):
                    del lines[table.start:]
            continue
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:  # not Comment, Doctype, CData, script text …
                buf.append(str(node))
            continue
        if not isinstance(node, Tag) or node.name in DROP:
            continue
        if node.name == "br":
            flush()
            continue
        if node.name in BLOCKS:
            flush()
        if node.name == "table":
            tables.append(_Table(len(lines)))
        stack.append((node, True, len(lines)))
        stack.extend((child, False, 0) for child in reversed(node.contents))
    flush()
    return lines, hints


def _metadata_table(cells: list[str], hints: dict[str, str]) -> bool:
    """Label/value cells (发文字号： | 国办发〔2018〕118号) → hints; True when the table was one."""
    keys = [metadata_key(c) for c in cells]
    if not any(keys) or sum(len(c) for c in cells) > 2000:
        return False
    for i, key in enumerate(keys):
        if key and i + 1 < len(cells) and keys[i + 1] is None:
            value = _WS.sub(" ", cells[i + 1]).strip()
            if value:
                hints.setdefault(key, value)
    return True
