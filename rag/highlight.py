"""Which sentences of a clause answer the question (shown in bold / as the reply).

Highlights are always whole sentences of the clause (corpus.text.split_sentences),
so a quote can never be anything but corpus text.
"""

from __future__ import annotations

import numpy as np

from corpus.models import Chunk
from corpus.text import comparable, split_sentences

# The question's character bigrams found in a sentence, as a fraction, are added to
# the sentence's cosine with this weight: a tie-breaker towards the sentence that
# uses the asker's own words, too small to override meaning.
LEXICAL_WEIGHT = 0.1
MAX_HIGHLIGHTS = 2  # a reply quotes the answer, not the clause again
TIE_MARGIN = 0.01  # a second sentence is shown only when it answers about as well as the best


def best_sentences(sentences_hans: list[str], vectors: np.ndarray, query_vec: np.ndarray, query_norm: str,
                   skip_heading: bool) -> list[int]:
    """Indices of the one or two sentences that answer (never just the heading)."""
    if not sentences_hans or len(sentences_hans) != len(vectors):
        return []
    grams = {query_norm[i : i + 2] for i in range(len(query_norm) - 1)}
    overlap = np.array([sum(g in s for g in grams) / max(len(grams), 1) for s in sentences_hans])
    score = vectors @ query_vec + LEXICAL_WEIGHT * overlap
    if skip_heading and len(sentences_hans) > 1:
        score[0] = -np.inf  # sentence 0 is "（n）title。", already shown as the heading
    order = np.argsort(-score)
    return [int(j) for j in order[:MAX_HIGHLIGHTS] if score[j] >= score[order[0]] - TIE_MARGIN]


def mention_sentences(text_hans: str, forms: list[str]) -> list[int]:
    """Indices of the sentences that contain the term, so a list shows where it is named."""
    return [j for j, s in enumerate(split_sentences(text_hans)) if any(f in comparable(s) for f in forms)]


def in_unit(c: Chunk, rows: np.ndarray, query_vec: np.ndarray, query_norm: str) -> list[int]:
    """`rows`: the index's sentence vectors from the unit's first; those past its own sentences
    are search aids (part names, windows), never shown."""
    sentences = split_sentences(c.text_hans)
    return best_sentences(sentences, rows[: len(sentences)], query_vec, query_norm,
                          skip_heading=bool(c.title) and c.number is not None)
