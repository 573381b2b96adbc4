"""What both ONNX Runtime paths (questions, passages) read from the model folder.

The folder is the sentence-transformers one the torch path reads: tokenizer.json, the
prompts, mean pooling over the whole input; the encoder graphs are written at model build
(index/models/onnx_export.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def prompt(folder: Path, kind: str) -> str:
    """The folder's prompt for "query" or "passage" (E5: "query: ", "passage: ")."""
    config = json.loads((folder / "config_sentence_transformers.json").read_text("utf-8"))
    prompts = config.get("prompts") or {}
    return prompts.get(kind) or (prompts.get("document", "") if kind == "passage" else "")


def tokenizer(folder: Path):
    """The folder's fast tokenizer, refusing a pooling the exported graph does not do."""
    from tokenizers import Tokenizer

    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text("utf-8"))
    if pooling.get("pooling_mode", "mean") != "mean" or not pooling.get("include_prompt", True):
        raise ValueError(f"{folder}: only mean pooling over the whole input is exported")
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    if tok.token_to_id("<pad>") is None:
        raise ValueError(f"{folder}: the tokenizer has no <pad> token")
    return tok


def positions(folder: Path) -> int:
    return int(json.loads((folder / "config.json").read_text("utf-8")).get("max_position_embeddings", 512))


def hidden_size(folder: Path) -> int:
    """The vectors' length, known before any session exists."""
    return int(json.loads((folder / "config.json").read_text("utf-8"))["hidden_size"])


def session(path: Path, *, spinning: bool):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of each row's real tokens, not normalised (windows are weighted before that)."""
    weights = mask[..., None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)


def normalise(vectors: np.ndarray) -> np.ndarray:
    return (vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)).astype(np.float32)
