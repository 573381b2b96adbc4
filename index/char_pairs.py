"""The character pairs a library's text contains: a form with any other pair is in no unit.

Most questions are also tried as a bare phrase (a pasted clause fragment names its unit);
scanning 8 million characters for each costs ≈ 2 ms. The sorted table of the pairs that
occur (≈ 200,000 at the law library's size, 0.8 MB) rules most of them out first. Built
with the search indexes and kept with them, so a server start does not pay for it.
"""

from __future__ import annotations

import numpy as np


def codes(text: str) -> np.ndarray:
    """Each pair of neighbouring UTF-16 code units as one number."""
    units = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16).astype(np.uint32)
    return (units[:-1] << 16) | units[1:]


def table(text: str) -> np.ndarray:
    """The distinct pairs of `text`, sorted (for np.searchsorted)."""
    return np.unique(codes(text))


def could_occur(pairs: np.ndarray, form: str) -> bool:
    """False when some pair of `form` is not in the table: then no unit contains it."""
    if len(form) < 2 or not len(pairs):
        return True
    wanted = codes(form)
    at = np.minimum(np.searchsorted(pairs, wanted), len(pairs) - 1)
    return bool((pairs[at] == wanted).all())
