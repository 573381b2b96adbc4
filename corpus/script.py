"""Script handling with OpenCC: repair naive S→T output, convert, detect."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import opencc

Script = Literal["hans", "hant"]


@lru_cache(maxsize=None)
def _cc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_hans(text: str) -> str:
    return _cc("t2s").convert(text)


def to_hant(text: str) -> str:
    """Simplified → Traditional with phrase context (s2tw keeps 群, 為, 眾; no vocabulary changes)."""
    return _cc("s2tw").convert(text)


def repair_traditional(text: str) -> str:
    """Fix a naive character-by-character S→T conversion (全麵, 體係, 機製 …).

    Round-tripping through Simplified lets OpenCC's phrase tables choose the
    right Traditional character in context.
    """
    return to_hant(to_hans(text))


def detect_script(text: str) -> Script | None:
    """hans / hant for Chinese text, None when there is no Chinese to judge by."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"]
    if not han:
        return None
    sample = "".join(han)
    as_hans, as_hant = to_hans(sample), to_hant(sample)
    simp_only = sum(a != b for a, b in zip(sample, as_hant))  # chars only Simplified writes
    trad_only = sum(a != b for a, b in zip(sample, as_hans))  # chars only Traditional writes
    if trad_only > simp_only:
        return "hant"
    if simp_only > trad_only:
        return "hans"
    return None
