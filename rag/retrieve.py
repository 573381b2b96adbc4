"""Hybrid retrieval: dense (clause and best sentence) fused with BM25.

Each signal is standardised over the candidate set before adding, and a
signal with nothing to say — BM25 when no query word occurs in the plan, as
for most English questions — contributes zero instead of noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index import dense, keyword
from index.store import SearchIndex

CANDIDATES = 100
W_CHUNK, W_SENTENCE, W_BM25 = 1.0, 2.0, 1.0  # best-sentence match carries cross-lingual questions


@dataclass
class Ranked:
    order: list[int]  # chunk indices, best first
    fused: np.ndarray  # fused score per entry of `order`
    sentence_top: float  # best sentence cosine
    bm25_top: float  # best raw BM25 score
    background_top: float  # best cosine to everyday, off-topic texts


class SentenceTable:
    """Clause vectors and sentence vectors grouped by clause, held in memory."""

    def __init__(self, index: SearchIndex) -> None:
        self.chunk_vectors = index.dense.reconstruct_n(0, index.dense.ntotal)
        owners = np.array([i for i, _ in index.sentences], dtype=np.int64)
        self.vectors = index.sentence_vectors
        self.starts = np.searchsorted(owners, np.arange(len(index.chunks)))
        self.ends = np.searchsorted(owners, np.arange(len(index.chunks)), side="right")

    def best(self, query_vec: np.ndarray, chunk_ids: np.ndarray) -> np.ndarray:
        out = np.full(len(chunk_ids), -1.0, np.float32)
        for j, c in enumerate(chunk_ids):
            a, b = self.starts[c], self.ends[c]
            if b > a:
                out[j] = float((self.vectors[a:b] @ query_vec).max())
        return out


def _standardise(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return (x - x.mean()) / sd if sd > 1e-9 else np.zeros_like(x)


def rank(index: SearchIndex, sentences: SentenceTable, query_vec: np.ndarray, query_tokens: list[str]) -> Ranked:
    d_scores, d_ids = dense.search(index.dense, query_vec, CANDIDATES)
    bm = keyword.scores(index.bm25, query_tokens)
    bm_top_ids = np.argsort(-bm)[:CANDIDATES] if bm.max() > 0 else np.array([], np.int64)
    cand = np.unique(np.concatenate([d_ids.astype(np.int64), bm_top_ids.astype(np.int64)]))
    d = sentences.chunk_vectors[cand] @ query_vec
    s = sentences.best(query_vec, cand)
    b = bm[cand]
    fused = W_CHUNK * _standardise(d) + W_SENTENCE * _standardise(s)
    if b.max() > 0:
        fused = fused + W_BM25 * _standardise(b)
    order = np.argsort(-fused, kind="stable")
    return Ranked(
        order=[int(cand[i]) for i in order], fused=fused[order],
        sentence_top=float(s.max()), bm25_top=float(b.max()) if len(b) else 0.0,
        background_top=float((index.background_vectors @ query_vec).max()),
    )
