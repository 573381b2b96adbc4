"""Finding a form in every unit's text at once (mention lists, absent names, bare phrases)."""

from __future__ import annotations

import re
from bisect import bisect_right

from corpus.text import scan_text
from index import char_pairs

# Candidate units beyond this are read faster by one pass over the whole text (≈ 1.5 µs a unit
# against 3–8 ms a pass at the law library's size).
SCAN_ABOVE = 2000


class TextScan:
    """Every unit's comparable text in one string, so a name is looked for with str.find at C
    speed, and only in the units holding each of its character pairs (index/char_pairs.py).
    `text`: SearchIndex.scan_text, the units' texts joined by NUL (no form contains it, so
    no match spans two units)."""

    def __init__(self, text: str, pairs: char_pairs.PairPostings | None = None) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\0", text)]
        self.pairs = char_pairs.postings(text) if pairs is None else pairs  # SearchIndex.scan_pairs

    @classmethod
    def of(cls, texts_hans: list[str]) -> TextScan:
        return cls(scan_text(texts_hans))

    def unit(self, i: int) -> str:
        return self.text[self.starts[i] : self._end(i)]

    def mentions(self, form: str, rows: range | None = None) -> bool:
        """Whether any unit (of `rows`) contains `form`, stopped at the first match."""
        return bool(form) and bool(self._containing(form, rows, first=True))

    def containing(self, form: str, rows: range | None = None) -> set[int]:
        """Units containing `form`; only units of `rows` are read when given (a question
        restricted to one document does not pay for the whole library)."""
        return self._containing(form, rows, first=False) if form else set()

    def _containing(self, form: str, rows: range | None, first: bool) -> set[int]:
        found: set[int] = set()
        rows = rows if rows is not None else range(len(self.starts))
        if not rows:
            return found
        maybe = char_pairs.candidates(self.pairs, form, rows)
        if maybe is not None and len(maybe) <= SCAN_ABOVE:
            for i in maybe.tolist():
                if self.text.find(form, self.starts[i], self._end(i)) != -1:
                    found.add(i)
                    if first:
                        break
            return found
        hi = self._end(rows.stop - 1)  # a common form: one pass over the text is cheaper
        pos = self.text.find(form, self.starts[rows.start], hi)
        while pos != -1:
            i = bisect_right(self.starts, pos) - 1
            found.add(i)
            if first or i + 1 >= len(self.starts):
                break
            pos = self.text.find(form, self.starts[i + 1], hi)
        return found

    def _end(self, i: int) -> int:
        return self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)


def span(rows: list[int], whole: bool) -> range | None:
    """The stretch of units a scan reads: None for the whole library; a document's units are
    contiguous, so a few documents' rows are read from their first unit to their last."""
    return None if whole or not rows else range(min(rows), max(rows) + 1)
