"""Questions through ONNX Runtime: the bundled model's encoder without torch.

Reads the same sentence-transformers folder as the torch path (tokenizer.json, the
query prompt, mean pooling) plus the encoder exported by index/models/onnx_export.py,
so its vectors are the torch path's to 1e-5 cosine (tests/test_embedder.py).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from index.models.onnx_export import ONNX_FILE

log = logging.getLogger(__name__)

MIN_QUERY_TOKENS = 10  # the torch path's floor: 8 tokens of text and its two special tokens


class OnnxQueries:
    def __init__(self, folder: Path, query_tokens: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text("utf-8"))
        if pooling.get("pooling_mode", "mean") != "mean" or not pooling.get("include_prompt", True):
            raise ValueError(f"{folder}: only mean pooling over the whole input is exported")
        config = json.loads((folder / "config_sentence_transformers.json").read_text("utf-8"))
        self.prompt = (config.get("prompts") or {}).get("query", "")
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # A question is read up to its first `query_tokens` tokens, specials included (what one
        # question may cost is bounded, as on the torch path), and never past the model's positions.
        positions = json.loads((folder / "config.json").read_text("utf-8")).get("max_position_embeddings", 512)
        self.tokenizer.enable_truncation(max_length=max(MIN_QUERY_TOKENS, min(query_tokens, positions)))
        pad = self.tokenizer.token_to_id("<pad>")
        if pad is None:
            raise ValueError(f"{folder}: the tokenizer has no <pad> token")
        self.tokenizer.enable_padding(pad_id=pad)
        options = ort.SessionOptions()
        # Spinning threads would keep both cores busy after each question, taking them
        # from the retrieval that follows and from the other server worker.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"])
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        enc = self.tokenizer.encode_batch([self.prompt + t for t in texts])
        ids = np.array([e.ids for e in enc], np.int64)
        mask = np.array([e.attention_mask for e in enc], np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)
