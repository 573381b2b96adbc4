"""A deterministic, model-free embedder: hashed character n-grams.

Registered as model "hashing" (POLICY_RAG_MODEL=hashing). It knows no meaning,
only shared characters, so it is for tests of wiring — lookups, mention lists,
routing, rendering, storage, the API — which then run in seconds instead of
loading a transformer. Answers that need meaning use the real model.
"""

from __future__ import annotations

import hashlib

import numpy as np

from corpus.text import compact, normalise

HASHING_MODEL = "hashing"
DIM = 256
NGRAMS = (1, 2)


def _bucket(gram: str) -> int:
    return int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little") % DIM


class HashingEmbedder:
    model_id = f"{HASHING_MODEL}-{DIM}"
    dim = DIM

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), np.float32)
        for row, text in enumerate(texts):
            t = compact(normalise(text))
            for n in NGRAMS:
                for i in range(len(t) - n + 1):
                    out[row, _bucket(t[i : i + n])] += 1.0
            norm = float(np.linalg.norm(out[row]))
            out[row] = out[row] / norm if norm else out[row]
        return out
