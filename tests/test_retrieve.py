"""Candidate selection of the hybrid search (rag/retrieve.py)."""

from __future__ import annotations


def test_a_restricted_search_takes_its_keyword_candidates_from_the_allowed_units():
    """A book of a code (1,260 articles) searched on its own: the library-wide best keyword
    matches may all lie in other laws, and masking them afterwards left nothing of the book."""
    import numpy as np

    from rag.retrieve import best_of

    scores = np.zeros(10_000, np.float32)
    scores[:600] = 5.0  # other laws score best
    scores[9_000:9_010] = np.arange(1, 11) / 10  # the allowed book's units score a little
    member = np.zeros(10_000, bool)
    member[8_000:] = True
    assert sorted(best_of(scores, 5, member)) == list(range(9_005, 9_010))
    assert len(best_of(scores, 500)) == 500 and set(best_of(scores, 500)) <= set(range(600))
