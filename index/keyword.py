"""BM25 over jieba tokens of the Simplified chunk text (bm25s, sparse numpy)."""

from __future__ import annotations

from pathlib import Path

import logging

import bm25s
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG to the root handler


def build(token_lists: list[list[str]]) -> bm25s.BM25:
    retriever = bm25s.BM25()
    retriever.index(token_lists, show_progress=False)
    return retriever


def scores(retriever: bm25s.BM25, query_tokens: list[str]) -> np.ndarray:
    """BM25 score of every chunk; all zeros when no query token is in the vocabulary."""
    known = [t for t in query_tokens if t in retriever.vocab_dict]
    if not known:
        return np.zeros(retriever.scores["num_docs"], np.float32)
    return retriever.get_scores(known).astype(np.float32)


def save(retriever: bm25s.BM25, folder: Path) -> None:
    retriever.save(str(folder), show_progress=False)


def load(folder: Path) -> bm25s.BM25:
    return bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
