"""Dense vectors in FAISS: inner product on L2-normalised vectors = cosine."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

HNSW_FROM = 20_000  # above this many vectors, exact search stops being the cheap part


def build_index(vectors: np.ndarray) -> faiss.Index:
    """Exact search for plan-sized corpora; HNSW for very large ones."""
    dim = vectors.shape[1]
    if len(vectors) >= HNSW_FROM:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    else:
        index = faiss.IndexFlatIP(dim)
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def search(index: faiss.Index, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k (scores, ids) for one query vector; ids are -1-free."""
    k = min(k, index.ntotal)
    scores, ids = index.search(np.ascontiguousarray(query[None, :], dtype=np.float32), k)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]


def save(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    return faiss.read_index(str(path))
