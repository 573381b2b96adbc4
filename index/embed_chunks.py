"""Turn a document's chunks into the vectors retrieval needs.

Each chunk is embedded with its document and section titles (context a bare
clause lacks), and each of its sentences on its own, so that one sentence that
answers a question can carry a long clause.
"""

from __future__ import annotations

import re
from functools import cached_property

import numpy as np
from pydantic import BaseModel

from corpus.models import Chunk, DocumentInfo
from corpus.part_names import part_names
from corpus.text import split_sentences
from index.embedder import Embedder
from index.library import DocumentRows

BATCH = 1024  # texts per call: a whole document's, but bounded for the longest codes
PASSAGE_FORMAT = "3"  # bump when passage_text or sentence_texts change: stored vectors are then re-embedded
# A sentence longer than LONG_SENTENCE (a principles paragraph is one 300-character sentence
# joined by commas) also gets rows for its comma-separated stretches of at least STRETCH
# characters: "贯彻新发展理念" is lost in the whole sentence's vector. Measured: kinds opening hit@1 0.50 → 0.58,
# nothing else moved; 1 % more rows on the law corpus. Shorter limits (60/24) lost elsewhere.
LONG_SENTENCE, STRETCH = 150, 40
_COMMA = re.compile(r"(?<=[，,])")


def vectors_id(embedder: Embedder) -> str:
    """What stored vectors were made with: the model and the passage format."""
    return f"{embedder.model_id}+passage-v{PASSAGE_FORMAT}"


def passage_text(c: Chunk) -> str:
    """What gets embedded for a clause: the clause with its document and section titles as written."""
    return "\n".join(p for p in (c.doc_title, c.section_title, part_names(c.kind), c.text_hans) if p)


def stretches(sentence: str) -> list[str]:
    """Consecutive comma-separated stretches of a long sentence ([] for a short one)."""
    if len(sentence) <= LONG_SENTENCE:
        return []
    out, current = [], ""
    for part in _COMMA.split(sentence):
        current += part
        if len(current) >= STRETCH:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out if len(out) > 1 else []


def sentence_texts(c: Chunk) -> list[str]:
    """The unit's sentences (first: highlights and refusal read them), the stretches of its
    long sentences, then (for unnumbered parts) the names readers call it by: the extra row
    lets a question about "the guiding principles" match the part as a whole."""
    names = part_names(c.kind)
    sentences = split_sentences(c.text_hans)
    return sentences + [p for s in sentences for p in stretches(s)] + ([names] if names else [])


def embed_texts(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """In calls of up to BATCH texts taken in order of length: the encoder pads each batch to its
    longest text, and sorts and shares out among its callers only the texts of one call (a whole
    document sorted first: clauses 1.3x, sentences 1.2x faster; same vectors — bench/embed_speed.py)."""
    out = np.zeros((len(texts), embedder.dim), np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for s in range(0, len(texts), BATCH):
        part = order[s : s + BATCH]
        out[part] = embedder.embed_passages([texts[i] for i in part])
    return out


class Pending(BaseModel):
    """A parsed document waiting for its vectors: `add` embeds several together."""

    info: DocumentInfo
    chunks: list[Chunk]
    source_sha256: str

    @cached_property
    def sentences(self) -> list[list[str]]:
        return [sentence_texts(c) for c in self.chunks]

    @cached_property
    def texts(self) -> list[str]:
        """Each clause with its titles, then every clause's sentences, then the document's title."""
        title = "\n".join(t for t in (self.info.title, self.info.short_title, self.info.doc_number) if t)
        return [passage_text(c) for c in self.chunks] + [s for group in self.sentences for s in group] + [title]


def embed_documents(docs: list[Pending], embedder: Embedder) -> list[DocumentRows]:
    """All the documents' texts in one length-sorted pass: across documents, batches of like
    lengths pad less and keep both cores busy (40 laws: 1.25x faster than one call per
    document; vectors within 1e-5 cosine, the padding differs — bench/add_groups.py). Reading
    the sentences from the clause's own pass instead (late chunking) halves the cost but
    measured worse (bench/embed_speed.py)."""
    flat = embed_texts(embedder, [t for d in docs for t in d.texts])
    out, start = [], 0
    for doc in docs:
        vectors = flat[start : start + len(doc.texts)]
        start += len(doc.texts)
        bounds = np.cumsum([len(doc.chunks)] + [len(group) for group in doc.sentences])
        out.append(DocumentRows(info=doc.info, source_sha256=doc.source_sha256, model_id=vectors_id(embedder),
                                chunks=doc.chunks, vectors=vectors[: len(doc.chunks)],
                                sentence_vectors=[vectors[a:b] for a, b in zip(bounds, bounds[1:])],
                                title_vector=vectors[-1]))
    return out


def embed_document(info: DocumentInfo, chunks: list[Chunk], embedder: Embedder, source_sha256: str) -> DocumentRows:
    return embed_documents([Pending(info=info, chunks=chunks, source_sha256=source_sha256)], embedder)[0]
