"""English questions write Chinese names in pinyin (Tianjin Binhai, Lanzhou, Xixian).

To answer "Which measures mention the Tianjin Binhai New Area?" exactly, the
names the documents themselves list are romanised with pypinyin and matched,
on word boundaries, against the question — no hand-written table of places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from corpus.text import HAN

MAX_WORDS = 4  # "chongqing liang jiang new" — a name spans a few English words at most
MIN_LETTERS = 5  # shorter romanisations collide with English words
_LIST_INTENT = re.compile(r"\b(?:which|what|list|where|show)\b.*\b(?:measures?|clauses?|articles?|items?|mentions?|"
                          r"refers?|ask|asks|require|requires|say|says|tasks?)\b")


def _key(letters: str) -> str:
    """Doubled letters folded, so the official Shaanxi matches pinyin shanxi."""
    return re.sub(r"(.)\1+", r"\1", letters)


def _spelling(word: str, longest: int) -> str | None:
    """The pinyin key of a Chinese word of 2..`longest` characters, if long enough to trust."""
    if not (2 <= len(word) <= longest and all(HAN.match(ch) for ch in word)):
        return None
    from pypinyin import lazy_pinyin  # 0.3 s of tables: read by the thread that spells a large library, not at start

    key = _key("".join(lazy_pinyin(word)))
    return key if len(key) >= MIN_LETTERS else None


def asks_for_a_list(question: str) -> bool:
    return bool(_LIST_INTENT.search(question.lower()))


class RomanizedNames:
    def __init__(self, names: Iterable[str]) -> None:
        self.names: dict[str, str] = {}
        for name in sorted(set(names), key=len):
            if key := _spelling(name, 10):
                self.names.setdefault(key, name)

    def find(self, question: str) -> str | None:
        """The longest listed name the question spells in pinyin, or None."""
        words = re.findall(r"[a-z]+", question.lower())
        best: tuple[int, str] | None = None
        for i in range(len(words)):
            for j in range(min(len(words), i + MAX_WORDS), i, -1):
                name = self.names.get(_key("".join(words[i:j])))
                if name and (best is None or j - i > best[0]):
                    best = (j - i, name)
        return best[1] if best else None


class PinyinWords:
    """The library's own words by their pinyin, so an English question's "Erhai Lake" can
    search for 洱海 as a keyword. Only capitalised words count (names, not English prose),
    and only spellings of words the documents actually use."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words: dict[str, list[str]] = {}
        for word in words:
            if key := _spelling(word, 6):
                self.words.setdefault(key, []).append(word)

    def find(self, question: str) -> list[str]:
        """Library words spelled by runs of capitalised words, longest spelling first."""
        runs = re.findall(r"[A-Z][a-z]+(?:[ '-][A-Z][a-z]+)*", question)
        found: list[str] = []
        for run in runs:
            parts = [p.lower() for p in re.findall(r"[A-Za-z]+", run)]
            i = 0
            while i < len(parts):
                for j in range(min(len(parts), i + MAX_WORDS), i, -1):
                    hit = self.words.get(_key("".join(parts[i:j])))
                    if hit:
                        found.extend(w for w in hit if w not in found)
                        i = j
                        break
                else:
                    i += 1
        return found
