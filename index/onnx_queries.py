"""Questions through ONNX Runtime: the bundled model's encoder without torch.

Reads the same sentence-transformers folder as the torch path (tokenizer.json, the
query prompt, mean pooling) plus the encoder exported by index/models/onnx_export.py,
so its vectors are the torch path's to 1e-5 cosine (tests/test_embedder.py).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path

import numpy as np

from index import onnx_runtime as rt
from index.models.errors import ModelError
from index.models.onnx_export import ONNX_FILE

MIN_QUERY_TOKENS = 10  # the torch path's floor: 8 tokens of text and its two special tokens


class OnnxQueries:
    def __init__(self, folder: Path, query_tokens: int) -> None:
        self.prompt = rt.prompt(folder, "query")
        self.tokenizer = rt.tokenizer(folder)
        # A question is read up to its first `query_tokens` tokens, specials included (what one
        # question may cost is bounded, as on the torch path), and never past the model's positions.
        self.tokenizer.enable_truncation(max_length=max(MIN_QUERY_TOKENS, min(query_tokens, rt.positions(folder))))
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("<pad>"))
        self.dim = rt.hidden_size(folder)
        # The session (1.5 s of a server's start, native code) is made while the library
        # opens: the first question waits for it, nothing else needs it.
        self._session = Future()
        # Not a daemon: a command that exits before the session is made must wait for it, since
        # native code still running while the interpreter shuts down aborts the process.
        threading.Thread(target=self._open, args=(folder / ONNX_FILE,), name="onnx-queries").start()

    def _open(self, path: Path) -> None:
        try:
            # Spinning threads would keep both cores busy after each question, taking them
            # from the retrieval that follows and from the other server worker.
            self._session.set_result(rt.session(path, spinning=False))
        except BaseException as e:  # a damaged file: raised to whoever asks first
            self._session.set_exception(e)

    @property
    def session(self):
        try:
            return self._session.result()
        except Exception as e:  # a fresh error each time: the stored one would grow its traceback
            raise ModelError(f"Cannot start the question model ({e}). Fix: policy-rag model build --force") from None

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        enc = self.tokenizer.encode_batch([self.prompt + t for t in texts])
        ids = np.array([e.ids for e in enc], np.int64)
        mask = np.array([e.attention_mask for e in enc], np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return rt.normalise(rt.mean_pool(hidden, mask))
