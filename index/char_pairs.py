"""Which units contain each pair of neighbouring characters: a form is only looked for in the
units that contain all of its pairs.

Most questions are also tried as a bare phrase (a pasted clause fragment names its unit), and
mention lists look for names; scanning the law library's 8 million characters costs 3–8 ms a
form. A unit holding a form holds each of its pairs, so the units listed under its rarest pair
(intersected with the next rarest) are the only ones read: 0.2–0.4 ms for a specific phrase, and
a form with a pair that occurs nowhere is ruled out at once. Built with the search indexes and
kept with them (26 MB at the law library's size), so a server start does not pay for it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

INTERSECT_ABOVE = 64  # a rarest list longer than this is narrowed by the next rarest pair's list


class PairPostings(NamedTuple):
    pairs: np.ndarray  # the distinct pair codes, sorted (uint32)
    offsets: np.ndarray  # units holding pairs[k]: units[offsets[k] : offsets[k + 1]] (int64)
    units: np.ndarray  # unit numbers, ascending within each pair's list (uint32)


def codes(text: str) -> np.ndarray:
    """Each pair of neighbouring UTF-16 code units as one number."""
    units = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16).astype(np.uint32)
    return (units[:-1] << 16) | units[1:]


def postings(text: str) -> PairPostings:
    """`text`: the units' texts joined by NUL; unit n is the text after the n-th NUL.
    One uint64 key per pair occurrence (pair code, unit), built in place: ≈ 9 bytes a character."""
    u16 = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16)
    if len(u16) < 2:
        return PairPostings(np.zeros(0, np.uint32), np.zeros(1, np.int64), np.zeros(0, np.uint32))
    inside = (u16[:-1] != 0) & (u16[1:] != 0)  # no pair spans two units
    keys = u16[:-1][inside].astype(np.uint64)
    keys <<= 16
    keys |= u16[1:][inside]
    keys <<= 32
    keys |= np.cumsum(u16 == 0, dtype=np.uint32)[:-1][inside]  # the unit each pair starts in
    keys = np.unique(keys)
    pair_of = (keys >> 32).astype(np.uint32)
    first = np.concatenate(([0], np.flatnonzero(np.diff(pair_of)) + 1))
    return PairPostings(pair_of[first], np.append(first, len(keys)).astype(np.int64),
                        (keys & 0xFFFFFFFF).astype(np.uint32))


def candidates(index: PairPostings, form: str, rows: range | None = None) -> np.ndarray | None:
    """Units (of `rows`, when given) that may contain `form` (ascending), or None when no pair
    narrows it down (a form shorter than two characters): every unit then may. Each pair's list
    is cut to `rows` first, so the rarest pair is the rarest within them."""
    if len(form) < 2:
        return None
    wanted = np.unique(codes(form))
    at = np.minimum(np.searchsorted(index.pairs, wanted), max(len(index.pairs) - 1, 0))
    if not len(index.pairs) or (index.pairs[at] != wanted).any():
        return np.zeros(0, np.uint32)
    lists = [index.units[index.offsets[k] : index.offsets[k + 1]] for k in at]
    if rows is not None:  # lists are ascending: a slice each
        lists = [u[np.searchsorted(u, rows.start) : np.searchsorted(u, rows.stop)] for u in lists]
    lists.sort(key=len)
    found = lists[0]
    if len(found) > INTERSECT_ABOVE and len(lists) > 1:
        found = np.intersect1d(found, lists[1], assume_unique=True)
    return found
