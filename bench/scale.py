"""How build time, memory and query latency grow with 100 and 1,000 plans.

The shipped plan is replicated synthetically: chunk text and vectors are
copied (vectors with small noise so FAISS sees distinct points) under new
document ids. Embedding is linear in the number of unique texts and is
reported from the measured per-passage rate instead of re-encoding copies.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from pathlib import Path

import numpy as np

from bench.speed import QUESTIONS
from index import dense, keyword
from rag.engine import Engine


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _noisy(v: np.ndarray, copies: int, rng: np.random.Generator) -> np.ndarray:
    out = np.tile(v, (copies, 1)) + rng.normal(0, 0.01, (copies * len(v), v.shape[1])).astype(np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def replicate(base: Engine, plans: int, flat: bool = False) -> tuple[Engine, dict[str, float]]:
    rng = np.random.default_rng(0)
    idx = base.index
    n = len(idx.chunks)
    before = rss_mb()
    t0 = time.perf_counter()
    chunks = [c.model_copy(update={"doc_id": f"{c.doc_id}-{p}"}) for p in range(plans) for c in idx.chunks]
    chunk_vecs = _noisy(idx.chunk_vectors, plans, rng)
    sent_vecs = _noisy(idx.sentence_vectors, plans, rng)
    counts = np.tile(idx.sentence_ends - idx.sentence_starts, plans)
    own = np.tile(idx.text_ends - idx.sentence_starts, plans)
    t1 = time.perf_counter()
    tokens = [idx.tokenizer.tokens(c.text_hans) for c in idx.chunks] * plans
    bm25 = keyword.build(tokens)
    t2 = time.perf_counter()
    if flat:
        import faiss

        faiss_index = faiss.IndexFlatIP(chunk_vecs.shape[1])
        faiss_index.add(chunk_vecs)
    else:
        faiss_index = dense.build_index(chunk_vecs)
    t3 = time.perf_counter()
    docs = [d.model_copy(update={"doc_id": f"{d.doc_id}-{p}"}) for p in range(plans) for d in idx.docs]
    index = dataclasses.replace(
        idx, docs=docs, chunks=chunks, chunk_vectors=chunk_vecs, dense=faiss_index, bm25=bm25,
        title_vectors=np.tile(idx.title_vectors, (plans, 1)), chunk_doc=np.repeat(np.arange(len(docs)), n),
        sentence_vectors=sent_vecs, sentence_starts=np.cumsum(counts) - counts, sentence_ends=np.cumsum(counts),
        text_ends=np.cumsum(counts) - counts + own,
        persisted_at=None)
    engine = Engine(base.settings, base.embedder, index)
    t4 = time.perf_counter()
    lat = []
    for _ in range(3):
        for q in QUESTIONS:
            t = time.perf_counter()
            engine.ask(q)
            lat.append((time.perf_counter() - t) * 1000)
    return engine, {
        "plans": plans, "chunks": len(chunks), "faiss": type(faiss_index).__name__,
        "bm25_build_s": round(t2 - t1, 2), "faiss_build_s": round(t3 - t2, 2),
        "engine_init_s": round(t4 - t3, 2), "copy_s": round(t1 - t0, 2),
        "rss_growth_mb": round(rss_mb() - before, 1),
        "ask_p50_ms": round(statistics.median(lat), 1), "ask_p95_ms": round(sorted(lat)[int(0.95 * len(lat))], 1),
    }
