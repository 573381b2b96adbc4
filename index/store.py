"""Open the library for search: verify it, repair what is damaged, build FAISS and BM25.

The library (index/library.py) is the truth on disk. Opening it makes sure the
built-in documents are present and current, re-embeds documents stored with
another model, rebuilds a damaged document alone from its stored source, and
replaces an unreadable library file by one rebuilt from the stored sources.
When the data folder cannot be written, the built-in documents are served
from a temporary library with a warning.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus.errors import IngestError
from corpus.models import Chunk, DocumentInfo
from corpus.part_names import part_names, role_names
from corpus.text import scan_text, split_sentences
from index import char_pairs, dense, keyword, search_cache
from index.embed_chunks import vectors_id
from index.embedder import Embedder
from corpus.catalogue import BuiltinDocument
from index.ingest import rebuild_document, restore_from_sources, write_builtin
from index.library import Library, LibraryError, StoredDocument
from index.tokenize import Tokenizer, corpus_terms

log = logging.getLogger(__name__)


@dataclass
class SearchIndex:
    """Everything retrieval needs, in memory, for one generation of the library."""

    docs: list[DocumentInfo]
    chunks: list[Chunk]
    chunk_vectors: np.ndarray
    title_vectors: np.ndarray  # per document, in the order of `docs`
    chunk_doc: np.ndarray  # per chunk: its document's position in `docs`
    dense: object  # faiss.Index over chunk_vectors
    bm25: object  # bm25s.BM25 over the chunks' Simplified tokens
    tokenizer: Tokenizer
    scan_text: str  # the units' comparable texts, NUL-separated: mention search (rag.text_scan.TextScan)
    scan_pairs: char_pairs.PairPostings  # the units holding each character pair of scan_text (index/char_pairs.py)
    sentence_vectors: np.ndarray
    sentence_starts: np.ndarray  # per chunk: its first row in sentence_vectors
    sentence_ends: np.ndarray
    text_ends: np.ndarray  # per chunk: end of its own sentences (rows after it are part names, search aids)
    background_vectors: np.ndarray
    model_id: str
    generation: int
    checksum: str  # over every document's stored checksum: changes with any document
    persisted_at: Path | None
    repaired: list[str] = field(default_factory=list)  # what opening had to fix, for `build` to report


def _open(data_dir: Path, embedder: Embedder, repaired: list[str]) -> Library:
    try:
        return Library(data_dir)
    except LibraryError as e:
        damaged = data_dir / f"library.damaged-{int(time.time())}.sqlite"
        log.warning("%s; moving it to %s and rebuilding from the stored sources", e, damaged.name)
        for suffix in ("", "-wal", "-shm"):
            src = data_dir / f"library.sqlite{suffix}"
            if src.exists():
                src.rename(damaged.with_name(damaged.name + suffix))
        lib = Library(data_dir)
        repaired += restore_from_sources(lib, embedder)
        return lib


def _rebuild(lib: Library, doc_id: str, embedder: Embedder, builtins: list[BuiltinDocument], reason: str,
             say: Callable[[str], None], repaired: list[str]) -> bool:
    """False when an added document cannot be rebuilt (its stored source is gone or unreadable):
    it is then left out and the rest served. A built-in one that cannot be written raises, so
    open_index can serve the built-ins from a temporary library instead."""
    builtin = next((b for b in builtins if b.info.doc_id == doc_id), None)
    stored = lib.document(doc_id)
    say(f"{'embedding built-in document' if builtin else 'rebuilding'} {doc_id} ({reason})")
    if builtin:
        write_builtin(lib, builtin, embedder)
    elif stored:
        try:
            rebuild_document(lib, stored, embedder)
        except (OSError, LibraryError, IngestError) as e:
            log.warning("%s: %s, and it could not be rebuilt (%s); leaving it out", doc_id, reason, e)
            return False
    repaired.append(f"{doc_id}: {reason}")
    return True


def _repair(lib: Library, embedder: Embedder, builtins: list[BuiltinDocument], force: bool,
            say: Callable[[str], None], repaired: list[str], verify_rows: bool = True) -> None:
    """`verify_rows=False`: the rows' checksums are left to build_search_index, which reads
    every row anyway (reading them twice cost a second at the law library's size)."""
    vid = vectors_id(embedder)
    stored = {d.info.doc_id: d for d in lib.documents()}
    for b in builtins:
        doc = stored.get(b.info.doc_id)
        reason = ("forced" if force else "not built yet" if doc is None
                  else "changed" if doc.source_sha256 != b.source_sha256
                  else "model changed" if doc.model_id != vid else lib.damaged(doc) if verify_rows else None)
        if reason:
            _rebuild(lib, b.info.doc_id, embedder, builtins, reason, say, repaired)
    builtin_ids = {b.info.doc_id for b in builtins}
    for doc_id, doc in stored.items():
        if doc_id in builtin_ids:
            continue
        reason = ("forced" if force else "model changed" if doc.model_id != vid
                  else lib.damaged(doc) if verify_rows else None)
        if reason:
            _rebuild(lib, doc_id, embedder, builtins, reason, say, repaired)


def prepare_library(data_dir: Path, embedder: Embedder, builtins: list[BuiltinDocument], *, force: bool = False,
                    progress: Callable[[str], None] | None = None, repaired: list[str] | None = None,
                    verify_rows: bool = True) -> Library:
    """The library in `data_dir`, readable, with every document current (and its rows intact,
    unless `verify_rows` is False: then build_search_index checks them while loading)."""
    repaired = [] if repaired is None else repaired
    lib = _open(data_dir, embedder, repaired)
    try:
        _repair(lib, embedder, builtins, force, progress or (lambda m: log.info(m)), repaired, verify_rows)
    except BaseException:
        lib.close()
        raise
    return lib


def open_index(data_dir: Path, embedder: Embedder, builtins: list[BuiltinDocument], *, background: list[str],
               force: bool = False, progress: Callable[[str], None] | None = None) -> SearchIndex:
    say = progress or (lambda m: log.info(m))
    repaired: list[str] = []
    try:
        lib = prepare_library(data_dir, embedder, builtins, force=force, progress=say, repaired=repaired,
                              verify_rows=False)
        persisted: Path | None = data_dir
    except (OSError, LibraryError) as e:
        log.warning("Data folder %s is not writable (%s); serving the built-in documents in memory only.",
                    data_dir, e)
        tmp = Path(tempfile.mkdtemp(prefix="policy-rag-library-"))
        lib, persisted = Library(tmp), None
        _repair(lib, embedder, builtins, force, say, repaired)
    try:
        say("loading search index")
        fix = lambda doc_id, reason: _rebuild(lib, doc_id, embedder, builtins, reason, say, repaired)  # noqa: E731
        return build_search_index(lib, embedder, background, persisted, repaired, fix)
    finally:
        lib.close()
        if persisted is None:
            shutil.rmtree(lib.folder, ignore_errors=True)


def build_search_index(lib: Library, embedder: Embedder, background: list[str], persisted: Path | None,
                       repaired: list[str], fix: Callable[[str, str], bool]) -> SearchIndex:
    """`fix(doc_id, reason)` rebuilds a document whose rows do not match their checksum (False:
    it could not). Documents whose vectors are not this model's (a failed re-embedding) are left out."""
    generation = lib.generation()  # before reading: a document added meanwhile makes the watcher reload
    docs, chunks, vecs, sents, sizes = [], [], [], [], []
    h = hashlib.sha256()
    stored = lib.documents()
    kept: list[StoredDocument] = []  # a repair changes the generation: the watcher then reloads once, harmlessly
    vid = vectors_id(embedder)
    for doc in stored:
        if doc.model_id != vid:
            log.warning("%s: embedded with %s and could not be re-embedded; leaving it out",
                        doc.info.doc_id, doc.model_id)
            continue
        loaded = lib.load(doc, embedder.dim)
        if isinstance(loaded, str):
            if not fix(doc.info.doc_id, loaded):
                continue
            doc = lib.document(doc.info.doc_id) or doc
            loaded = lib.load(doc, embedder.dim)
            if isinstance(loaded, str):
                log.warning("%s: %s after rebuilding it; leaving it out", doc.info.doc_id, loaded)
                continue
        kept.append(doc)
        h.update(f"{doc.info.doc_id}:{doc.checksum}\n".encode())
        c, v, s = loaded
        docs.append(doc.info)
        sizes.append(len(c))
        chunks += c
        vecs.append(v)
        sents += s
    vectors = np.concatenate(vecs) if vecs else np.zeros((0, embedder.dim), np.float32)
    counts = np.array([len(s) for s in sents], np.int64)
    ends = np.cumsum(counts)
    bg = lib.aux_vectors("background", embedder.model_id, background, embedder.dim)
    if bg is None:
        bg = embedder.embed_passages(background)
        lib.put_aux_vectors("background", embedder.model_id, background, bg)
    checksum = h.hexdigest()
    key = search_cache.cache_key(checksum, embedder.model_id)
    cached = search_cache.load(persisted, key) if persisted else None
    if cached:
        dense_index, bm25, terms, scan, pairs = cached
        tokenizer = Tokenizer(terms)
    else:
        tokenizer = Tokenizer(corpus_terms(c.text_hans for c in chunks))
        dense_index = dense.build_index(vectors)
        bm25 = keyword.build([tokenizer.tokens(f"{part_names(c.kind)} {role_names(c.text_hans)} {c.text_hans}")
                              for c in chunks])
        scan = scan_text([c.text_hans for c in chunks])
        pairs = char_pairs.postings(scan)
        if persisted:
            search_cache.save(persisted, key, dense_index, bm25, tokenizer.terms, scan, pairs)
    return SearchIndex(
        docs=docs, chunks=chunks, chunk_vectors=vectors, title_vectors=lib.title_vectors(kept, embedder.dim),
        chunk_doc=np.repeat(np.arange(len(docs)), sizes),
        dense=dense_index, bm25=bm25, tokenizer=tokenizer, scan_text=scan, scan_pairs=pairs,
        sentence_vectors=np.concatenate(sents) if sents else np.zeros((0, embedder.dim), np.float32),
        sentence_starts=ends - counts, sentence_ends=ends, background_vectors=bg,
        model_id=embedder.model_id,
        text_ends=ends - counts + np.array([len(split_sentences(c.text_hans)) for c in chunks], np.int64),
        generation=generation, checksum=checksum, persisted_at=persisted, repaired=repaired,
    )
