"""Tables for English questions: the library's words and listed names in pinyin
(rag/romanized.py), and English phrases as the library's Chinese words (rag/english_terms.py).

Spelling a large library takes seconds (the law corpus: 65,000 words, 2.6 s), so it is
done beside the first answers; a small one (the plan and five documents: 0.16 s) before
the engine opens. Ranking never waits for it — a question that waited would hold a server
worker — only an English list question does, for the names it must match exactly. The
dictionary is read once per process after them; an English question asked before that is
done waits for it once (≈ 3 s), so its answer does not depend on when it was asked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from rag.english_terms import english_terms, has_words
from rag.romanized import PinyinWords, RomanizedNames

BEFORE_OPENING = 20_000  # vocabulary words: spelled before the engine opens up to this many


class PinyinTables:
    def __init__(self, vocabulary: dict[str, int], listed_names: Callable[[], Iterable[str]],
                 tokens: Callable[[str], list[str]]) -> None:
        self._vocabulary, self._listed_names, self._tokens = vocabulary, listed_names, tokens
        self.words: PinyinWords | None = PinyinWords(vocabulary) if len(vocabulary) <= BEFORE_OPENING else None
        self._names: RomanizedNames | None = None
        self._ready = threading.Event()
        threading.Thread(target=self._build, name="pinyin-tables", daemon=True).start()

    def _build(self) -> None:
        try:
            if self.words is None:
                self.words = PinyinWords(self._vocabulary)
            self._names = RomanizedNames(self._listed_names())
            english_terms()  # once per process (≈ 3 s), before the first English question asks for it
        finally:
            self._ready.set()

    def glossed(self, question: str) -> list[str]:
        """The keyword tokens of the library's Chinese words for an English question's phrases
        (rag/english_terms.py)."""
        def known(word: str) -> bool:
            toks = self._tokens(word)
            return bool(toks) and all(t in self._vocabulary for t in toks)

        out: list[str] = []
        if not has_words(question):
            return out
        for word in english_terms().find(question, known):
            out += [t for t in self._tokens(word) if len(t) > 1 and t not in out]  # 小我 → not 小
        return out

    def names(self) -> RomanizedNames | None:
        """The listed names' table, waiting for it if it is still being built."""
        self._ready.wait()
        return self._names

    def wait(self, timeout: float | None = None) -> bool:
        """True once both tables are built (benchmarks wait, so timings do not overlap it)."""
        return self._ready.wait(timeout)
