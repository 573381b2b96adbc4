"""Text handling shared by every layer: scripts, character classes, normal forms, sentences.

One home so that the corpus, the keyword index and question parsing convert
scripts with the same OpenCC tables, compare text in the same form (NFKC,
Simplified, lower-case) and split sentences the same way for highlighting.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

import opencc

Script = Literal["hans", "hant"]

CJK = r"\u3400-\u9fff\uf900-\ufaff"  # Han ideographs incl. extension A and compatibility forms
CJK_PUNCT = r"，、。；：？！（）「」『』“”《》—"
HAN = re.compile(rf"[{CJK}]")
LATIN = re.compile(r"[A-Za-z]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
QUOTES_AND_SPACE = re.compile(r"[\s\"'“”‘’「」『』《》]")
_SENTENCE_END = re.compile(r"(?<=[。；！？])")


@lru_cache(maxsize=None)
def _cc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


# One question is converted several times while it is answered (scope, mentions, search) and
# the same clauses are shown again and again; OpenCC costs ~0.1 ms per short text. Whole
# documents (ingest) are not kept.
CACHED_UP_TO, CACHE_SIZE = 2_000, 8_192


@lru_cache(maxsize=CACHE_SIZE)
def _convert_cached(config: str, text: str) -> str:
    return _cc(config).convert(text)


def _convert(config: str, text: str) -> str:
    return _convert_cached(config, text) if len(text) <= CACHED_UP_TO else _cc(config).convert(text)


def to_hans(text: str) -> str:
    return _convert("t2s", text)


def to_hant(text: str) -> str:
    """Simplified → Traditional with phrase context (s2tw keeps 群, 為, 眾; no vocabulary changes)."""
    return _convert("s2tw", text)


def repair_traditional(text: str) -> str:
    """Fix a naive character-by-character S→T conversion (全麵, 體係, 機製 …).

    Round-tripping through Simplified lets OpenCC's phrase tables choose the
    right Traditional character in context.
    """
    return to_hant(to_hans(text))


def detect_script(text: str) -> Script | None:
    """hans / hant for Chinese text, None when there is no Chinese to judge by."""
    sample = "".join(HAN.findall(text))
    if not sample:
        return None
    as_hans, as_hant = to_hans(sample), to_hant(sample)
    simp_only = sum(a != b for a, b in zip(sample, as_hant))  # chars only Simplified writes
    trad_only = sum(a != b for a, b in zip(sample, as_hans))  # chars only Traditional writes
    if trad_only > simp_only:
        return "hant"
    if simp_only > trad_only:
        return "hans"
    return None


# Full-width ASCII and the ideographic space: nearly all that NFKC changes in Chinese text.
_FULL_WIDTH = {c: unicodedata.normalize("NFKC", chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]}


def nfkc(text: str) -> str:
    """NFKC, twice as fast on Chinese text (opening the law library normalises 8.6 million
    characters): the full-width forms by table, the full algorithm only if anything is left."""
    text = text.translate(_FULL_WIDTH)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def normalise(text: str) -> str:
    """Any script → the form every matcher compares in: NFKC, Simplified, lower-case."""
    return to_hans(nfkc(text)).lower()


def normalise_hans(text_hans: str) -> str:
    """`normalise` for text already in Simplified (skips the slow script conversion)."""
    return nfkc(text_hans).lower()


def compact(text: str) -> str:
    """Drop quotes and white space, so 「浦东」 and 浦 东 match 浦东."""
    return QUOTES_AND_SPACE.sub("", text)


def comparable(text_hans: str) -> str:
    """The form mention search compares: normalised, without quotes or spaces."""
    return compact(normalise_hans(text_hans))


def scan_text(texts_hans: list[str]) -> str:
    """Units' comparable texts in one string for str.find (rag.mentions.TextScan), NUL-separated."""
    return "\0".join(comparable(t) for t in texts_hans)


def has_han(text: str) -> bool:
    return bool(HAN.search(text))


def is_english(text: str) -> bool:
    """Latin letters and no Chinese: answer in English."""
    return not HAN.search(text) and bool(LATIN.search(text))


def has_content(text: str) -> bool:
    """At least one letter, digit or Chinese character (not only punctuation/emoji)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def split_sentences(text: str) -> list[str]:
    """Split after 。；！？ so that "".join(result) == text (highlights stay verbatim)."""
    parts = [p for p in _SENTENCE_END.split(text) if p]
    return parts or [text]
