"""The policy library on disk: one SQLite file for the catalogue, the chunks and their vectors.

Why SQLite: adding or removing a document is one transaction, so a killed
`add` leaves the library exactly as it was, and a server reading the library
(WAL mode) keeps answering from the last committed state while an `add` runs.
Each document row carries a checksum over its chunks and vectors, so a damaged
entry is found and rebuilt alone from its stored source copy. FAISS and BM25
are derived from these rows when the library is loaded.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from pydantic import BaseModel, TypeAdapter

from corpus.models import Chunk, DocumentInfo

SCHEMA_VERSION = "2"
DB_NAME = "library.sqlite"
_CHUNK = TypeAdapter(Chunk)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    info TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    model_id TEXT NOT NULL,
    checksum TEXT NOT NULL,
    added_at TEXT NOT NULL,
    title_vector BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    data TEXT NOT NULL,
    vector BLOB NOT NULL,
    sentence_vectors BLOB NOT NULL,
    PRIMARY KEY (doc_seq, pos)
);
CREATE TABLE IF NOT EXISTS aux_vectors (
    name TEXT NOT NULL, model_id TEXT NOT NULL, checksum TEXT NOT NULL, vectors BLOB NOT NULL,
    PRIMARY KEY (name, model_id)
);
"""


class LibraryError(RuntimeError):
    """The library file cannot be opened or is not a policy-rag library."""


class StoredDocument(BaseModel):
    """One catalogue row as the rest of the app sees it."""

    seq: int
    info: DocumentInfo
    source_sha256: str
    model_id: str
    checksum: str
    added_at: str


class DocumentRows(BaseModel, arbitrary_types_allowed=True):
    """A document's chunks with their vectors, ready to be written in one transaction."""

    info: DocumentInfo
    source_sha256: str
    model_id: str
    chunks: list[Chunk]
    vectors: np.ndarray  # (chunks, dim) float32
    sentence_vectors: list[np.ndarray]  # per chunk: (sentences, dim) float32
    title_vector: np.ndarray  # (dim,) the document's title: lets a question that names it find it


def rows_checksum(chunk_json: list[str], vectors: list[bytes], sentence_vectors: list[bytes]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for data, vec, sent in zip(chunk_json, vectors, sentence_vectors):
        h.update(data.encode())
        h.update(vec)
        h.update(sent)
    return h.hexdigest()


class Library:
    """Open (creating if needed) the library database in `folder`."""

    def __init__(self, folder: Path, *, readonly: bool = False) -> None:
        self.folder = folder
        self.path = folder / DB_NAME
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            else:
                folder.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=60)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.executescript(_SCHEMA)
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
                self.db.commit()
            self.db.execute("PRAGMA foreign_keys=ON")
            version = self._meta("schema_version")
        except sqlite3.Error as e:
            raise LibraryError(f"{self.path}: not a readable library ({e})") from e
        if version != SCHEMA_VERSION:
            raise LibraryError(f"{self.path}: library format {version}, this version reads {SCHEMA_VERSION}")

    def close(self) -> None:
        self.db.close()

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def generation(self) -> int:
        """Grows with every committed change: readers poll it to see new documents."""
        return int(self._meta("generation") or 0)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self.db:  # one transaction: all or nothing, even if the process is killed
            self.db.execute("BEGIN IMMEDIATE")
            yield self.db
            self.db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    # ----------------------------------------------------------------- catalogue
    def documents(self) -> list[StoredDocument]:
        rows = self.db.execute(
            "SELECT seq, info, source_sha256, model_id, checksum, added_at FROM documents ORDER BY seq").fetchall()
        docs = [StoredDocument(seq=r[0], info=DocumentInfo.model_validate_json(r[1]), source_sha256=r[2],
                               model_id=r[3], checksum=r[4], added_at=r[5]) for r in rows]
        return sorted(docs, key=lambda d: (not d.info.builtin, d.seq))  # library order: built-in first

    def document(self, doc_id: str) -> StoredDocument | None:
        return next((d for d in self.documents() if d.info.doc_id == doc_id), None)

    def put(self, doc: DocumentRows) -> None:
        """Add or replace one document with all its chunks, atomically."""
        chunk_json = [_CHUNK.dump_json(c).decode() for c in doc.chunks]
        vecs = [np.ascontiguousarray(v, np.float32).tobytes() for v in doc.vectors]
        sents = [np.ascontiguousarray(s, np.float32).tobytes() for s in doc.sentence_vectors]
        checksum = rows_checksum(chunk_json, vecs, sents)
        added = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._write() as db:
            old = db.execute("SELECT seq FROM documents WHERE id = ?", (doc.info.doc_id,)).fetchone()
            title = np.ascontiguousarray(doc.title_vector, np.float32).tobytes()
            values = (doc.info.model_dump_json(), doc.source_sha256, doc.model_id, checksum, added, title)
            if old:  # a rebuild keeps the document's place in the library order
                seq = old[0]
                db.execute("DELETE FROM chunks WHERE doc_seq = ?", (seq,))
                db.execute("UPDATE documents SET info=?, source_sha256=?, model_id=?, checksum=?, added_at=?, "
                           "title_vector=? "
                           "WHERE seq = ?", (*values, seq))
            else:
                seq = db.execute("INSERT INTO documents (id, info, source_sha256, model_id, checksum, added_at, "
                                 "title_vector) VALUES (?, ?, ?, ?, ?, ?, ?)", (doc.info.doc_id, *values)).lastrowid
            db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?, ?)",
                           [(seq, i, d, v, s) for i, (d, v, s) in enumerate(zip(chunk_json, vecs, sents))])

    def remove(self, doc_id: str) -> bool:
        with self._write() as db:
            return db.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount > 0

    # --------------------------------------------------------------------- rows
    def rows(self, seq: int) -> tuple[list[str], list[bytes], list[bytes]]:
        rows = self.db.execute("SELECT data, vector, sentence_vectors FROM chunks WHERE doc_seq = ? ORDER BY pos",
                               (seq,)).fetchall()
        return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]

    def damaged(self, doc: StoredDocument) -> str | None:
        """Why a document's rows must not be served, or None when they match its checksum."""
        return _damaged(doc, *self.rows(doc.seq))

    def title_vectors(self, docs: list[StoredDocument], dim: int) -> np.ndarray:
        """One row per document of `docs`, in that order."""
        rows = dict(self.db.execute("SELECT seq, title_vector FROM documents").fetchall())
        return np.frombuffer(b"".join(rows[d.seq] for d in docs), np.float32).reshape(len(docs), dim)

    def chunks(self, doc: StoredDocument) -> list[Chunk]:
        """A document's chunks without their vectors (for listing and showing: no model needed)."""
        rows = self.db.execute("SELECT data FROM chunks WHERE doc_seq = ? ORDER BY pos", (doc.seq,)).fetchall()
        return [_CHUNK.validate_json(r[0]) for r in rows]

    def load(self, doc: StoredDocument, dim: int) -> tuple[list[Chunk], np.ndarray, list[np.ndarray]] | str:
        """A document's chunks and vectors, verified against its checksum (else why not)."""
        data, vecs, sents = self.rows(doc.seq)
        if (why := _damaged(doc, data, vecs, sents)) is not None:
            return why
        chunks = [_CHUNK.validate_json(d) for d in data]
        vectors = np.frombuffer(b"".join(vecs), np.float32).reshape(len(vecs), dim)
        return chunks, vectors, [np.frombuffer(s, np.float32).reshape(-1, dim) for s in sents]

    # ------------------------------------------------------------ aux vectors
    def aux_vectors(self, name: str, model_id: str, texts: list[str], dim: int) -> np.ndarray | None:
        row = self.db.execute("SELECT checksum, vectors FROM aux_vectors WHERE name = ? AND model_id = ?",
                              (name, model_id)).fetchone()
        if not row or row[0] != _texts_checksum(texts):
            return None
        return np.frombuffer(row[1], np.float32).reshape(-1, dim)

    def put_aux_vectors(self, name: str, model_id: str, texts: list[str], vectors: np.ndarray) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO aux_vectors VALUES (?, ?, ?, ?)",
                            (name, model_id, _texts_checksum(texts), np.ascontiguousarray(vectors, np.float32).tobytes()))


def _damaged(doc: StoredDocument, data: list[str], vecs: list[bytes], sents: list[bytes]) -> str | None:
    if not data:
        return "no chunks stored"
    if rows_checksum(data, vecs, sents) != doc.checksum:
        return "chunks or vectors do not match their checksum"
    return None


def library_generation(folder: Path) -> int | None:
    """The committed generation of the library in `folder`, read cheaply (None if absent)."""
    path = folder / DB_NAME
    if not path.exists():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else None
    finally:
        db.close()


def _texts_checksum(texts: list[str]) -> str:
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()
