"""Finding a form in every unit's text at once (mention lists, absent names)."""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np

from corpus.text import scan_text
from index import char_pairs


class TextScan:
    """Every unit's comparable text in one string, so a name is looked for with str.find at C
    speed instead of testing each unit in turn (the law library has 67,000 of them).
    `text`: SearchIndex.scan_text, the units' texts joined by NUL (no form contains it, so
    no match spans two units)."""

    def __init__(self, text: str, pairs: np.ndarray | None = None) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\0", text)]
        self.pairs = char_pairs.table(text) if pairs is None else pairs  # SearchIndex.scan_pairs

    def could_contain(self, form: str) -> bool:
        """False when some two characters of `form` are next to each other nowhere in the text:
        most questions taken as bare phrases are then not scanned at all (index/char_pairs.py)."""
        return char_pairs.could_occur(self.pairs, form)

    @classmethod
    def of(cls, texts_hans: list[str]) -> TextScan:
        return cls(scan_text(texts_hans))

    def unit(self, i: int) -> str:
        end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[i] : end]

    def mentions(self, form: str, rows: range | None = None) -> bool:
        """Whether any unit (of `rows`) contains `form`: one scan, stopped at the first match."""
        if not form or not self.could_contain(form):
            return False
        lo = self.starts[rows.start] if rows else 0
        hi = (self.starts[rows.stop] if rows.stop < len(self.starts) else len(self.text)) if rows else len(self.text)
        return self.text.find(form, lo, hi) != -1

    def containing(self, form: str, rows: range | None = None) -> set[int]:
        """Units containing `form`; only the text of `rows` is read when given (a question
        restricted to one document does not pay for the whole library)."""
        found: set[int] = set()
        if not self.could_contain(form):
            return found
        rows = rows or range(len(self.starts))
        lo = self.starts[rows.start] if rows else 0
        hi = self.starts[rows.stop] if rows.stop < len(self.starts) else len(self.text)
        pos = self.text.find(form, lo, hi) if form and rows else -1
        while pos != -1:
            i = bisect_right(self.starts, pos) - 1
            found.add(i)
            pos = self.text.find(form, self.starts[i + 1], hi) if i + 1 < len(self.starts) else -1
        return found


def span(rows: list[int], whole: bool) -> range | None:
    """The stretch of units a scan reads: None for the whole library; a document's units are
    contiguous, so a few documents' rows are read from their first unit to their last."""
    return None if whole or not rows else range(min(rows), max(rows) + 1)
