"""Chinese numerals (一 … 九千九百九十九) ↔ int, for labels like （十八）, 第二十五條, 第一千二百六十条."""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "零〇一二兩两三四五六七八九十百千"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_to_int(s: str) -> int | None:
    """一千二百六十 / 一百零五 / 十八 / 18 / １８ → int (None if not a number)."""
    s = s.translate(_FULLWIDTH).replace(" ", "").strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, digit = 0, None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


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
