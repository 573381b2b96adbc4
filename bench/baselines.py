"""The systems we compare against, each as `ask(question) -> Answer` on the same chunks.

* BM25 only and dense only: one signal of our index, no lookup, no refusal.
* Generic RAG: what a default tutorial pipeline does — the plan cut into fixed
  500-character windows with overlap, dense top-k, and the citation is whatever
  measure labels a window happens to contain.
"""

from __future__ import annotations

import re

import numpy as np

from corpus.models import Chunk
from index import dense, keyword
from index.embedder import Embedder
from index.store import SearchIndex
from rag.models import Answer, Hit
from rag.hits import make_hit

LABEL = re.compile(r"（[一二三四五六七八九十]+）")


def _hit(c: Chunk, score: float) -> Hit:
    return make_hit(c, score, "hant", [])


def _answer(q: str, hits: list[Hit]) -> Answer:
    return Answer(question=q, answered=bool(hits), mode="search", script="hant", lang="zh-hant", results=hits)


class BM25Only:
    name = "BM25 only"

    def __init__(self, index: SearchIndex, k: int = 5) -> None:
        self.index, self.k = index, k

    def ask(self, q: str) -> Answer:
        s = keyword.scores(self.index.bm25, self.index.tokenizer.tokens(q))
        order = np.argsort(-s, kind="stable")[: self.k]
        return _answer(q, [_hit(self.index.chunks[i], float(s[i])) for i in order])


class DenseOnly:
    name = "dense only"

    def __init__(self, index: SearchIndex, embedder: Embedder, k: int = 5) -> None:
        self.index, self.embedder, self.k = index, embedder, k

    def ask(self, q: str) -> Answer:
        from corpus.text import to_hans

        vec = self.embedder.embed_queries([to_hans(q)])[0]
        scores, ids = dense.search(self.index.dense, vec, self.k)
        return _answer(q, [_hit(self.index.chunks[int(i)], float(s)) for s, i in zip(scores, ids)])


class GenericRAG:
    """500-character windows (100 overlap) over the cleaned plan; dense top-k windows."""

    name = "generic RAG (500-char windows)"

    def __init__(self, chunks: list[Chunk], embedder: Embedder, k: int = 5, size: int = 500,
                 overlap: int = 100) -> None:
        self.chunks, self.embedder, self.k = chunks, embedder, k
        text = "\n".join(c.text for c in chunks)
        step = size - overlap
        self.windows = [text[i : i + size] for i in range(0, max(1, len(text) - overlap), step)]
        self.vectors = embedder.embed_passages(self.windows)
        self.by_label = {c.label: c for c in chunks if c.kind == "measure"}

    def ask(self, q: str) -> Answer:
        vec = self.embedder.embed_queries([q])[0]
        order = np.argsort(-(self.vectors @ vec))[: self.k]
        hits: list[Hit] = []
        seen: set[str] = set()
        for w in order:
            for label in LABEL.findall(self.windows[w]):
                if label in self.by_label and label not in seen:
                    seen.add(label)
                    hits.append(_hit(self.by_label[label], float(self.vectors[w] @ vec)))
        return _answer(q, hits)
