"""Build, persist and load the search index for a corpus and an embedder.

The persisted folder is reused only when its manifest names the same corpus
checksum, model and format and every file matches its checksum; otherwise it
is rebuilt (and published atomically). When the data folder cannot be written
the index is built in memory and the server still answers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import numpy as np
from pydantic import BaseModel, TypeAdapter, ValidationError
from tqdm import tqdm

from corpus.models import Chunk
from corpus.text import to_hans
from index import dense, keyword
from index.atomic import FileRecord, build_lock, current, new_build_dir, publish, record_files, verify_files
from index.embedder import Embedder
from corpus.text import split_sentences
from index.tokenize import Tokenizer, corpus_terms

log = logging.getLogger(__name__)

FORMAT_VERSION = "5"
MANIFEST = "manifest.json"
_CHUNKS = TypeAdapter(list[Chunk])


class IndexManifest(BaseModel):
    format_version: str
    corpus_checksum: str
    background_checksum: str
    model_id: str
    dim: int
    chunks: int
    sentences: int
    versions: dict[str, str]
    built_at: str
    build_seconds: float
    files: dict[str, FileRecord]


@dataclass
class SearchIndex:
    """Everything retrieval needs, in memory."""

    chunks: list[Chunk]
    dense: object  # faiss.Index
    bm25: object  # bm25s.BM25
    tokenizer: Tokenizer
    sentences: list[tuple[int, str]]  # (chunk index, Traditional sentence)
    sentence_vectors: np.ndarray
    background_vectors: np.ndarray  # the caller's everyday texts, to tell off-topic questions apart
    manifest: IndexManifest
    persisted_at: Path | None


def passage_text(c: Chunk) -> str:
    """What gets embedded: the clause with its plan and section context."""
    return "\n".join(p for p in (c.plan_title, c.section_title, c.text_hans) if p)


def _versions() -> dict[str, str]:
    return {p: version(p) for p in ("faiss-cpu", "bm25s", "jieba", "numpy", "sentence-transformers")}


def _expected(corpus_checksum: str, embedder: Embedder, background: list[str]) -> dict[str, object]:
    return {"format_version": FORMAT_VERSION, "corpus_checksum": corpus_checksum,
            "background_checksum": hashlib.sha256("\n".join(background).encode()).hexdigest(),
            "model_id": embedder.model_id, "dim": embedder.dim}


def check_folder(folder: Path | None, corpus_checksum: str, embedder: Embedder, background: list[str]) -> str | None:
    """Why a persisted index must not be served, or None if it is valid."""
    if folder is None:
        return "no index built yet"
    try:
        manifest = IndexManifest.model_validate_json((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValidationError, ValueError):
        return "manifest missing or unreadable"
    for key, want in _expected(corpus_checksum, embedder, background).items():
        if getattr(manifest, key) != want:
            return f"{key} changed"
    return verify_files(folder, manifest.files)


def build_in(folder: Path, chunks: list[Chunk], corpus_checksum: str, embedder: Embedder,
             background: list[str]) -> IndexManifest:
    """Compute every artefact and write it into `folder` (not yet published)."""
    start = time.perf_counter()
    tokenizer = Tokenizer(corpus_terms(c.text_hans for c in chunks))
    sentences = [(i, s) for i, c in enumerate(chunks) for s in split_sentences(c.text)]
    texts = [passage_text(c) for c in chunks]
    vectors = _embed_with_progress(embedder, texts, "chunks")
    sent_vectors = _embed_with_progress(embedder, [to_hans(s) for _, s in sentences], "sentences")
    dense.save(dense.build_index(vectors), folder / "dense.faiss")
    keyword.save(keyword.build([tokenizer.tokens(c.text_hans) for c in chunks]), folder / "bm25")
    np.save(folder / "sentence_vectors.npy", sent_vectors)
    np.save(folder / "background_vectors.npy", embedder.embed_passages(background))
    (folder / "chunks.json").write_bytes(_CHUNKS.dump_json(chunks))
    (folder / "terms.json").write_text(json.dumps(tokenizer.terms, ensure_ascii=False), "utf-8")
    manifest = IndexManifest(
        **_expected(corpus_checksum, embedder, background), chunks=len(chunks), sentences=len(sentences),
        versions=_versions(), built_at=datetime.now(timezone.utc).isoformat(),
        build_seconds=round(time.perf_counter() - start, 2), files=record_files(folder),
    )
    (folder / MANIFEST).write_text(manifest.model_dump_json(indent=2), "utf-8")
    return manifest


def _embed_with_progress(embedder: Embedder, texts: list[str], what: str, batch: int = 64) -> np.ndarray:
    out = np.zeros((len(texts), embedder.dim), np.float32)
    with tqdm(total=len(texts), desc=f"embedding {what}", unit="text", disable=None) as bar:  # None: only on a terminal
        for s in range(0, len(texts), batch):
            out[s : s + batch] = embedder.embed_passages(texts[s : s + batch])
            bar.update(min(batch, len(texts) - s))
    return out


def load_folder(folder: Path) -> SearchIndex:
    manifest = IndexManifest.model_validate_json((folder / MANIFEST).read_text("utf-8"))
    chunks = _CHUNKS.validate_json((folder / "chunks.json").read_bytes())
    tokenizer = Tokenizer(json.loads((folder / "terms.json").read_text("utf-8")))
    sentences = [(i, s) for i, c in enumerate(chunks) for s in split_sentences(c.text)]
    return SearchIndex(
        chunks=chunks, dense=dense.load(folder / "dense.faiss"), bm25=keyword.load(folder / "bm25"),
        tokenizer=tokenizer, sentences=sentences,
        sentence_vectors=np.load(folder / "sentence_vectors.npy", allow_pickle=False),
        background_vectors=np.load(folder / "background_vectors.npy", allow_pickle=False),
        manifest=manifest, persisted_at=folder,
    )


def load_or_build(
    chunks: list[Chunk], corpus_checksum: str, embedder: Embedder, data_dir: Path, *,
    background: list[str], force: bool = False,
) -> SearchIndex:
    """The valid persisted index, or a fresh build (persisted when possible)."""
    folder = current(data_dir)
    reason = "forced" if force else check_folder(folder, corpus_checksum, embedder, background)
    if reason is None:
        return load_folder(folder)  # type: ignore[arg-type]
    try:
        with build_lock(data_dir):
            folder = current(data_dir)
            reason = "forced" if force else check_folder(folder, corpus_checksum, embedder, background)
            if reason is None:
                return load_folder(folder)  # type: ignore[arg-type]
            log.warning("Building the search index in %s (%s) …", data_dir, reason)
            tmp = new_build_dir(data_dir)
            try:
                build_in(tmp, chunks, corpus_checksum, embedder, background)
                return load_folder(publish(tmp, data_dir))
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    except OSError as e:
        log.warning("Data folder %s is not writable (%s); building the index in memory only.", data_dir, e)
        return _build_in_memory(chunks, corpus_checksum, embedder, background)


def _build_in_memory(chunks: list[Chunk], corpus_checksum: str, embedder: Embedder,
                     background: list[str]) -> SearchIndex:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="policy-rag-index-") as tmp:
        build_in(Path(tmp), chunks, corpus_checksum, embedder, background)
        index = load_folder(Path(tmp))
    index.persisted_at = None
    return index
