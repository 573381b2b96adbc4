"""Chinese numerals (一 … 九十九) ↔ int, for labels like （十八） and 第二十五條."""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
NUMERAL_CHARS = "零〇一二兩两三四五六七八九十百"


def cn_to_int(s: str) -> int | None:
    """Parse 一…九百九十九 (and ASCII/full-width digits); None if not a number."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in DIGITS:
            cur = DIGITS[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


def int_to_cn(n: int) -> str:
    """1 → 一, 18 → 十八, 25 → 二十五 (the plan's own label style)."""
    units = "零一二三四五六七八九"
    if n < 10:
        return units[n]
    if n < 20:
        return "十" + (units[n % 10] if n % 10 else "")
    if n < 100:
        return units[n // 10] + "十" + (units[n % 10] if n % 10 else "")
    return str(n)
