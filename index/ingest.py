"""Add documents to the library: read, structure, embed, store.

Each document is parsed (corpus.ingest) and given a stable id; consecutive
documents are embedded together (batches of like lengths across documents),
then each is copied into the library's sources/ folder and written in its own
transaction, so a killed run leaves every document either fully added or
absent, and running the same command again continues with the documents not
yet added.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from corpus.catalogue import BuiltinDocument
from corpus.chunks import to_chunks
from corpus.errors import IngestError
from corpus.ingest import DEFAULT_MAX_BYTES, parse_file
from corpus.models import DocumentInfo, slug
from index.embed_chunks import Pending, embed_document, embed_documents
from index.embedder import Embedder
from index.library import Library, StoredDocument

log = logging.getLogger(__name__)

SOURCES = "sources"


class AddResult(BaseModel):
    """What `policy-rag add` reports per file (also its --json output)."""

    source: str
    id: str | None = None
    title: str | None = None
    short_title: str | None = None
    unit_kind: str | None = None
    units: int | None = None
    summary: str | None = None
    warnings: list[str] = []
    duplicate_of: str | None = None
    error: str | None = None
    code: str | None = None

    @property
    def added(self) -> bool:
        return self.id is not None and self.duplicate_of is None and self.error is None


class Overrides(BaseModel):
    """Metadata the user sets on `add` (only for a single file)."""

    doc_id: str | None = None
    title: str | None = None
    short_title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None


def expand(paths: list[Path]) -> list[Path]:
    """Files in the order given; folders recursively, sorted, hidden files skipped."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and not any(
                part.startswith(".") for part in f.relative_to(p).parts))
        else:
            out.append(p)
    return out


def unique_id(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _write_atomic(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def source_name(sha: str, suffix: str) -> str:
    return f"{sha[:32]}{suffix.lower()}"


def store_source(folder: Path, data: bytes, sha: str, suffix: str) -> str:
    """Keep a copy of the file in the library, so the library folder is self-contained."""
    target_dir = folder / SOURCES
    target_dir.mkdir(parents=True, exist_ok=True)
    name = source_name(sha, suffix)
    if not (target_dir / name).exists():
        _write_atomic(target_dir / name, data)
    return name


def _write_sidecar(folder: Path, info: DocumentInfo, sha: str) -> None:
    """The catalogue entry beside the source copy: enough to rebuild the library without its database."""
    _write_atomic(folder / SOURCES / f"{Path(info.stored_source).stem}.json",
                  json.dumps({"sha256": sha, "info": info.model_dump()}, ensure_ascii=False).encode())


def _put(library: Library, info: DocumentInfo, chunks: list, embedder: Embedder, sha: str) -> None:
    library.put(embed_document(info, chunks, embedder, sha))
    _write_sidecar(library.folder, info, sha)


def write_builtin(library: Library, b: BuiltinDocument, embedder: Embedder) -> None:
    stored = store_source(library.folder, b.source_path.read_bytes(), b.source_sha256, b.source_path.suffix)
    info = b.info.model_copy(update={"stored_source": stored})
    _put(library, info, b.chunks, embedder, b.source_sha256)


def _reparse(library: Library, info: DocumentInfo, max_bytes: int) -> list:
    path = library.folder / SOURCES / info.stored_source
    doc = parse_file(path, max_bytes=max_bytes)
    return to_chunks(doc, info)


def rebuild_document(library: Library, doc: StoredDocument, embedder: Embedder,
                     max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Re-parse one document from its stored source copy and re-embed it; the others are untouched."""
    _put(library, doc.info, _reparse(library, doc.info, max_bytes), embedder, doc.source_sha256)


def restore_from_sources(library: Library, embedder: Embedder, max_bytes: int = DEFAULT_MAX_BYTES) -> list[str]:
    """Re-add every user document recorded beside the source copies (after the database was lost)."""
    restored = []
    for sidecar in sorted((library.folder / SOURCES).glob("*.json")):
        try:
            record = json.loads(sidecar.read_text("utf-8"))
            info = DocumentInfo.model_validate(record["info"])
            if info.builtin:
                continue
            _put(library, info, _reparse(library, info, max_bytes), embedder, record["sha256"])
            restored.append(f"{info.doc_id}: restored from its stored source")
        except (OSError, ValueError, KeyError, IngestError) as e:
            log.warning("cannot restore %s: %s", sidecar.name, e)
    return restored


class Prepared(BaseModel):
    """A file read and structured, waiting for its vectors; its source copy is written with it."""

    doc: Pending
    data: bytes
    suffix: str


def add_paths(paths: list[Path], library: Library, embedder: Embedder, *, max_bytes: int,
              overrides: Overrides | None = None, group_texts: int = 1) -> Iterator[AddResult]:
    """Each file's result, in order. Consecutive documents are embedded together until their
    texts reach `group_texts` (batches of like lengths across documents: faster), then each is
    written in its own transaction: a killed run loses at most one group's work, never half a document."""
    files = expand(paths)
    known = {d.source_sha256: d.info for d in library.documents()}
    taken = {d.info.doc_id for d in library.documents()}
    waiting: list[AddResult | Prepared] = []
    texts = 0
    for path in files:
        try:
            item = prepare_file(path, max_bytes=max_bytes, known=known, taken=taken,
                                overrides=overrides if len(files) == 1 else None)
        except Exception:  # unforeseen: what was read before it is still added
            yield from _publish(waiting, library, embedder)
            raise
        waiting.append(item)
        texts += len(item.doc.texts) if isinstance(item, Prepared) else 0
        if texts >= group_texts or not texts:  # a result with nothing to embed before it is not held back
            yield from _publish(waiting, library, embedder)
            waiting, texts = [], 0
    yield from _publish(waiting, library, embedder)


def _publish(waiting: list[AddResult | Prepared], library: Library, embedder: Embedder) -> Iterator[AddResult]:
    prepared = [p for p in waiting if isinstance(p, Prepared)]
    try:
        rows = iter(embed_documents([p.doc for p in prepared], embedder) if prepared else [])
    except Exception:
        if len(prepared) < 2:
            raise
        for item in waiting:  # the documents before the one that fails are still added
            yield from _publish([item], library, embedder)
        raise
    for item in waiting:
        if isinstance(item, AddResult):
            yield item
            continue
        info = item.doc.info
        store_source(library.folder, item.data, item.doc.source_sha256, item.suffix)
        library.put(next(rows))
        _write_sidecar(library.folder, info, item.doc.source_sha256)
        yield AddResult(source=info.source, id=info.doc_id, title=info.title, short_title=info.short_title,
                        unit_kind=info.unit_kind, units=info.units, summary=info.summary, warnings=info.warnings)


def prepare_file(path: Path, *, max_bytes: int, known: dict[str, DocumentInfo], taken: set[str],
                 overrides: Overrides | None = None) -> AddResult | Prepared:
    """Read, check and structure one file: Prepared, or the result that ends it here
    (unreadable, a duplicate, an id taken). A file already in the library is known by its
    checksum before it is parsed: a resumed run skips what it added in no time."""
    source = str(path)
    try:
        data = path.read_bytes() if path.stat().st_size <= max_bytes else None  # larger: parse_file says so
        sha = hashlib.sha256(data).hexdigest() if data is not None else ""
        if sha in known:
            return AddResult(source=source, id=known[sha].doc_id, duplicate_of=known[sha].doc_id,
                             title=known[sha].title)
        doc = parse_file(path, max_bytes=max_bytes)
        if data is None:  # it shrank between the two reads
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
    except IngestError as e:
        return AddResult(source=source, error=str(e), code=e.code)
    except OSError as e:
        return AddResult(source=source, error=f"{path.name}: cannot read ({e.strerror or e})", code="unreadable")
    o = overrides or Overrides()
    doc_id = o.doc_id or unique_id(slug(path.stem), taken)
    if o.doc_id and o.doc_id in taken:
        return AddResult(source=source, error=f"{path.name}: the id {o.doc_id!r} is already in the library",
                         code="id_taken")
    info = DocumentInfo(
        doc_id=doc_id, title=o.title or doc.meta.title, short_title=o.short_title or doc.meta.short_title,
        issuer=o.issuer or doc.meta.issuer, doc_number=o.doc_number or doc.meta.doc_number, dates=doc.meta.dates,
        script=doc.meta.script, unit_kind=doc.unit_kind, units=len(doc.citable()), summary=doc.summary(),
        source=source, stored_source=source_name(sha, path.suffix), format=doc.meta.format, warnings=doc.warnings,
    )
    known[sha] = info
    taken.add(doc_id)
    return Prepared(doc=Pending(info=info, chunks=to_chunks(doc, info), source_sha256=sha), data=data,
                    suffix=path.suffix)


def remove_document(library: Library, doc_id: str) -> StoredDocument | None:
    """Remove a user document and, when no other document shares it, its source copy."""
    doc = library.document(doc_id)
    if doc is None or doc.info.builtin:
        return None
    library.remove(doc_id)
    if not any(d.info.stored_source == doc.info.stored_source for d in library.documents()):
        for name in (doc.info.stored_source, f"{Path(doc.info.stored_source).stem}.json"):
            (library.folder / SOURCES / name).unlink(missing_ok=True)
    return doc
