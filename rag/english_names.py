"""Documents an English question names: "the Anti-Foreign Sanctions Law" is 反外国制裁法.

Official English names are word-for-word renderings of the Chinese ones, so a run of words
ending in a genre word (Law, Regulations, Code …) names a document when the dictionary
senses of its words (rag/english_terms.py) spell one of that document's names, leaving at most
UNSPELLED of its characters unaccounted for. A name no word spells is not guessed at: "Civil
Procedure Law" is not taken for 民事诉讼法 ("procedure" never glosses 诉讼), so that question
keeps searching the whole library rather than a wrong law.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from rag.documents import DocNames
from rag.english_terms import LONGEST, STOP, EnglishTerms, word_forms

# Genre words and prefixes a dictionary gives no one-character sense for (law → 法).
GENRES = {"law": ("法",), "code": ("法典", "法"), "regulations": ("条例", "规定"), "regulation": ("条例", "规定"),
          "rules": ("规则", "规定", "办法"), "measures": ("办法", "措施"), "provisions": ("规定",),
          "interpretation": ("解释",), "interpretations": ("解释",), "constitution": ("宪法",)}
PREFIXES = {"anti": ("反",), "non": ("非",)}
COUNTRY = frozenset("prc people peoples republic china chinese s of the".split())
BEFORE = 6  # words before the genre word that may belong to the name
UNSPELLED = 1  # characters of the name no word of the question accounts for
MAX_TIED = 3  # different names spelled equally well that still narrow the search
_WORD = re.compile(r"[a-z]+")


def _senses(terms: EnglishTerms, words: list[str]) -> list[tuple[str, ...]]:
    """Per stretch of the name's words (longest dictionary phrase first): its possible Chinese."""
    out, i = [], 0
    while i < len(words):
        for n in range(min(LONGEST, len(words) - i), 0, -1):
            span = words[i : i + n]
            found = tuple(w for f in word_forms(span[-1]) for w in terms.table.get(" ".join([*span[:-1], f]), ()))
            if n == 1:
                found += GENRES.get(span[0], ()) + PREFIXES.get(span[0], ())
                found += tuple(w for f in word_forms(span[0]) for w in terms.within.get(f, ()))
            if found:
                out.append(found)
                i += n
                break
        else:
            return []  # a word with no Chinese at all: not a name we can read
    return out


def _unspelled(name: str, senses: list[tuple[str, ...]]) -> int | None:
    """Characters of `name` left over once each stretch takes its longest sense found in it;
    None if some stretch has no sense in the name."""
    left = name
    for options in senses:
        hit = max((s for s in options if s in left), key=len, default=None)
        if hit is None:
            return None
        left = left.replace(hit, "", 1)
    return len(left)


def _containing(names: list[DocNames], options: tuple[str, ...]) -> list[DocNames]:
    """The documents with a name containing one of `options`: one regex pass over all names
    instead of a substring test per name and option (1,500 laws: 1 ms, not 15)."""
    text = "\n".join("\t".join(n.exact) for n in names)
    starts = [0]
    for n in names[:-1]:
        starts.append(starts[-1] + sum(len(f) + 1 for f in n.exact) + (0 if n.exact else 1))
    pattern = re.compile("|".join(re.escape(o) for o in sorted(set(options), key=len, reverse=True)))
    hit = {bisect_right(starts, m.start()) - 1 for m in pattern.finditer(text)}
    return [names[i] for i in sorted(hit)]


def named_in_english(question: str, names: list[DocNames], terms: Callable[[], EnglishTerms]) -> list[str]:
    """The documents (ids) whose name the question spells in English best. A few may tie
    ("labour" glosses both 劳动 and 工会): up to MAX_TIED names are kept, for the search to
    choose among; more say nothing. `terms` is called only when a genre word is there."""
    words = _WORD.findall(question.lower())
    if not GENRES.keys() & set(words):
        return []
    best, found = UNSPELLED + 1, []
    for j, w in enumerate(words):
        if w not in GENRES:
            continue
        start = j
        while start > max(0, j - BEFORE) and words[start - 1] not in COUNTRY and words[start - 1] not in STOP:
            start -= 1
        if j - start < 1:
            continue  # "the law" alone names nothing
        senses = _senses(terms(), words[start : j + 1])
        for n in _containing(names, senses[0]) if senses else ():
            left = min((u for f in n.exact if (u := _unspelled(f, senses)) is not None), default=None)
            if left is None or left > best:
                continue
            if left < best:
                best, found = left, []
            found.append(n)
    spelled = {n.exact[0] for n in found}
    return [n.doc_id for n in found] if len(spelled) <= MAX_TIED else []
