"""Passages through ONNX Runtime on the int8 encoder (`EMBED_PRECISION=int8`).

The bulk of `add` is encoding passages. The same weights with their matrix products in
int8 (index/models/onnx_export.write_int8) run 1.6x faster than torch's bfloat16 here;
their vectors agree with float32 to ≥ 0.99 cosine (bench/embed_speed.py). Long texts are
read as the torch path reads them: consecutive windows of the model's length, each mean-
pooled and weighted by its token count, then normalised.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index import onnx_runtime as rt
from index.models.onnx_export import INT8_FILE


class OnnxPassages:
    def __init__(self, folder: Path, batch_size: int = 16) -> None:
        self.prompt = rt.prompt(folder, "passage")
        self.tokenizer = rt.tokenizer(folder)
        self.pad = self.tokenizer.token_to_id("<pad>")
        wrap = self.tokenizer.encode("", add_special_tokens=True).ids  # e.g. [<s>, </s>]
        self.head, self.tail = wrap[:1], wrap[1:]
        self.window = rt.positions(folder) - len(wrap)
        self.batch_size = batch_size
        self.session = rt.session(folder / INT8_FILE, spinning=True)  # bulk work: the cores are ours
        self.dim = rt.hidden_size(folder)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        sums = np.zeros((len(texts), self.dim), np.float64)
        pieces: list[tuple[int, list[int]]] = []  # (text, window's content ids)
        for i, enc in enumerate(self.tokenizer.encode_batch([self.prompt + t for t in texts], add_special_tokens=False)):
            content = enc.ids or []
            pieces += [(i, content[a : a + self.window]) for a in range(0, max(len(content), 1), self.window)]
        pieces.sort(key=lambda p: len(p[1]))  # batches of like lengths: little padding
        for s in range(0, len(pieces), self.batch_size):
            batch = pieces[s : s + self.batch_size]
            width = len(batch[-1][1]) + len(self.head) + len(self.tail)
            ids = np.full((len(batch), width), self.pad, np.int64)
            mask = np.zeros((len(batch), width), np.int64)
            for row, (_, content) in enumerate(batch):
                seq = self.head + content + self.tail
                ids[row, : len(seq)], mask[row, : len(seq)] = seq, 1
            pooled = rt.mean_pool(self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0], mask)
            for row, (i, content) in enumerate(batch):
                sums[i] += max(len(content), 1) * pooled[row]
        return rt.normalise(sums)
