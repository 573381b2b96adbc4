"""Undo what a web scrape does to a plan, keeping each line's source line number.

Handles: site metadata lines, the body repeated after `-END-`, the next
article's footer, lines broken before punctuation, ASCII punctuation and
stray spaces inside Chinese text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.text import CJK, CJK_PUNCT

META = re.compile(r"^\s*-\s*\S{1,8}\s*[:：]")  # "- 分類 :新聞中心", "- 作者 :admin"
NOISE_LINES = {"詳情", "详情", "分享", "打印", "關閉", "关闭", "【打印】", "【關閉】"}
FOOTER = re.compile(r"^\s*(上一[個个篇]|下一[個个篇])\s*[:：]?")
END = re.compile(r"^\s*-\s*END\s*-\s*$", re.IGNORECASE)
CONTINUATION = re.compile(r"^[,，、。;；:：?？!！)）」』”]")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])\s+|\s+(?=[{CJK}{CJK_PUNCT}])")
_ASCII_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_PUNCT = re.compile(r"[,;:?!()]")


@dataclass
class Line:
    text: str
    start: int  # 1-based source line numbers
    end: int


def read_lines(raw: str) -> list[Line]:
    return [Line(t, i, i) for i, t in enumerate(raw.splitlines(), start=1)]


def drop_noise(lines: list[Line]) -> list[Line]:
    """Metadata, -END- markers, the footer, and any line already seen (the repeated body)."""
    out, seen, in_footer = [], set(), False
    for ln in lines:
        t = ln.text.strip()
        if FOOTER.match(t):
            in_footer = True
        if in_footer and not END.match(t):
            continue
        in_footer = False
        if not t or META.match(t) or t in NOISE_LINES or END.match(t):
            continue
        key = re.sub(r"\s+", "", t)
        if len(key) > 8 and key in seen:  # the scrape repeats the body after -END-
            continue
        seen.add(key)
        out.append(Line(t, ln.start, ln.end))
    return out


def join_broken(lines: list[Line]) -> list[Line]:
    """A line that starts with punctuation continues the line before it."""
    out: list[Line] = []
    for ln in lines:
        if out and CONTINUATION.match(ln.text.lstrip()):
            prev = out[-1]
            out[-1] = Line(prev.text + ln.text.strip(), prev.start, ln.end)
        else:
            out.append(ln)
    return out


def _fullwidth_punct(text: str) -> str:
    """ASCII , ; : ? ! ( ) → full-width when they sit next to Chinese text."""
    def repl(m: re.Match[str]) -> str:
        i = m.start()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        chinese = re.compile(rf"[{CJK}{CJK_PUNCT}]")
        near = bool(chinese.match(before) or chinese.match(after))
        if m.group() == "(":
            near = near or bool(chinese.match(after))
        return _ASCII_TO_FULL[m.group()] if near else m.group()
    return _ASCII_PUNCT.sub(repl, text)


def normalise_text(text: str) -> str:
    text = _SPACE_NEAR_CJK.sub("", text.strip())
    text = _fullwidth_punct(text)
    return _SPACE_NEAR_CJK.sub("", text)


def clean(raw: str) -> list[Line]:
    lines = join_broken(drop_noise(read_lines(raw)))
    return [Line(normalise_text(ln.text), ln.start, ln.end) for ln in lines]
