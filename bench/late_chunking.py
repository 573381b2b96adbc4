"""Late chunking, measured and not kept: sentence vectors read from the clause's own pass.

The ingest embeds each clause and then each of its sentences on its own, which doubles the
encoding. Reading each sentence as the mean of its token vectors in the clause's pass costs
nothing extra (2.6x faster ingest, 3.8x with bfloat16), but with this small model a sentence's
row is then mostly about its clause (it is not even closest to its own stand-alone vector) and
the plan's dev set fell from hit@1 0.964 to 0.857. bench/embed_speed.py keeps the figures.
"""

from __future__ import annotations

import numpy as np

from corpus.models import Chunk
from corpus.part_names import part_names
from corpus.text import split_sentences
from index.embed_chunks import embed_texts, passage_text
from index.embedder import SentenceTransformerEmbedder


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / max(float(np.linalg.norm(v)), 1e-12)).astype(np.float32)


def passages_with_spans(self: SentenceTransformerEmbedder, texts: list[str],
                        spans: list[list[tuple[int, int]]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each text's vector and, from the same forward pass, one vector per character span (the
    mean of its token vectors): a sentence read within its clause, for no extra encoding."""
    import torch

    prompt, pad = self.passage_prompt, self._tok.pad_token_id
    enc = self._tok([prompt + t for t in texts], add_special_tokens=True, return_offsets_mapping=True)
    out = np.zeros((len(texts), self.dim), np.float32)
    parts = [np.zeros((len(s), self.dim), np.float32) for s in spans]
    fits = sorted((i for i, ids in enumerate(enc["input_ids"]) if len(ids) <= self._max_len),
                  key=lambda i: len(enc["input_ids"][i]))  # similar lengths share a batch: little padding
    for start in range(0, len(fits), self.batch_size):
        batch = fits[start : start + self.batch_size]
        ids = torch.full((len(batch), max(len(enc["input_ids"][i]) for i in batch)), pad)
        mask = torch.zeros_like(ids)
        for r, i in enumerate(batch):
            ids[r, : len(enc["input_ids"][i])] = torch.tensor(enc["input_ids"][i])
            mask[r, : len(enc["input_ids"][i])] = 1
        with torch.inference_mode(), self._precision():
            tokens = self.model[0]({"input_ids": ids, "attention_mask": mask})["token_embeddings"].float()
        for r, i in enumerate(batch):
            h = tokens[r, : len(enc["input_ids"][i])].numpy()
            out[i] = _unit(h.mean(0))  # mean pooling over every token, prompt included, as the model does
            offsets = [(a - len(prompt), b - len(prompt)) for a, b in enc["offset_mapping"][i]]
            for j, (a, b) in enumerate(spans[i]):
                inside = [k for k, (x, y) in enumerate(offsets) if y > x and x < b and y > a]
                parts[i][j] = _unit(h[inside].mean(0)) if inside else out[i]
    for i in set(range(len(texts))) - set(fits):  # over one window: whole-text windows, sentences alone
        out[i] = self.embed_passages([texts[i]])[0]
        parts[i] = self.embed_passages([texts[i][a:b] for a, b in spans[i]])
    return out, parts


def read_in_context(embedder: SentenceTransformerEmbedder,
                    chunks: list[Chunk]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Sentence vectors read from the clause's own pass (late chunking); part names still alone."""
    texts = [passage_text(c) for c in chunks]
    spans = []
    for c, text in zip(chunks, texts):
        start, own = len(text) - len(c.text_hans), []
        for s in split_sentences(c.text_hans):
            own.append((start, start + len(s)))
            start += len(s)
        spans.append(own)
    vectors, per_chunk = passages_with_spans(embedder, texts, spans)
    for i, c in enumerate(chunks):
        if names := part_names(c.kind):
            per_chunk[i] = np.vstack([per_chunk[i], embed_texts(embedder, [names])])
    return vectors, per_chunk
