"""The persisted index is reused only when valid; damage means rebuild, never serve."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from corpus.catalogue import corpus_checksum
from index import store
from index.atomic import current
from rag.refusal import background_texts

CHECKSUM = corpus_checksum()
BG = background_texts()


@pytest.fixture()
def built(tmp_path, chunks, embedder):
    data = tmp_path / "data"
    store.load_or_build(chunks, CHECKSUM, embedder, data, background=BG)
    return data


def _answers(index, embedder, chunks):
    from rag.engine import Engine
    from rag.settings import Settings

    engine = Engine(Settings(), embedder, index)
    return [engine.ask(q).model_dump() for q in ("外籍人才怎麼引進", "哪些措施提到哈爾濱", "What about land use?")]


def test_valid_index_is_reused_not_rebuilt(built, chunks, embedder, monkeypatch):
    folder = current(built)
    monkeypatch.setattr(store, "build_in", lambda *a, **k: pytest.fail("rebuilt a valid index"))
    index = store.load_or_build(chunks, CHECKSUM, embedder, built, background=BG)
    assert index.persisted_at == folder and index.manifest.chunks == 27
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["corpus_checksum"] == CHECKSUM and manifest["model_id"] == embedder.model_id
    assert manifest["dim"] == 384 and {"faiss-cpu", "bm25s", "jieba"} <= set(manifest["versions"])


def test_changed_corpus_or_model_triggers_rebuild(built, chunks, embedder):
    old = current(built)
    index = store.load_or_build(chunks, "another-corpus", embedder, built, background=BG)
    assert index.persisted_at != old and index.manifest.corpus_checksum == "another-corpus"
    assert store.check_folder(index.persisted_at, CHECKSUM, embedder, BG) == "corpus_checksum changed"


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flip":
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]) if data else b"x")
    else:
        path.unlink()


@pytest.mark.parametrize("how", ["truncate", "flip", "delete"])
def test_each_damaged_file_is_detected_and_rebuilt(built, chunks, embedder, how):
    before = _answers(store.load_folder(current(built)), embedder, chunks)
    names = sorted(str(p.relative_to(current(built))) for p in current(built).rglob("*") if p.is_file())
    assert len(names) >= 8
    for name in names:  # each persisted file in turn
        folder = current(built)
        _damage(folder / name, how)
        assert store.check_folder(folder, CHECKSUM, embedder, BG) is not None, f"{how} {name} not detected"
        index = store.load_or_build(chunks, CHECKSUM, embedder, built, background=BG)
        assert index.persisted_at != folder, f"{how} {name}: damaged index served"
        assert _answers(index, embedder, chunks) == before, f"{how} {name}: answers changed after rebuild"


def test_unwritable_data_folder_builds_in_memory(tmp_path, chunks, embedder, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    index = store.load_or_build(chunks, CHECKSUM, embedder, blocker / "data", background=BG)
    assert index.persisted_at is None and index.manifest.chunks == 27
    assert "not writable" in caplog.text


def test_killed_build_leaves_previous_index_in_use(built, settings):
    previous = current(built)
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from corpus.catalogue import corpus_checksum, load_chunks
        from index import store
        from index.embedder import load_embedder
        e = load_embedder("default", Path({str(settings.model_cache)!r}))
        real = e.embed_passages
        def slow(texts):
            print("EMBEDDING", flush=True)
            time.sleep(60)
            return real(texts)
        e.embed_passages = slow
        store.load_or_build(load_chunks(), corpus_checksum(), e, Path({str(built)!r}), background={BG!r}, force=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            line = proc.stdout.readline()
            if "EMBEDDING" in line:
                break
        else:
            pytest.fail("build never started")
        assert list(built.glob(".build-*")), "build should be under way in a temporary folder"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert current(built) == previous


def test_stale_build_folders_are_cleaned_on_next_publish(built, chunks, embedder):
    (built / ".build-stale").mkdir()
    store.load_or_build(chunks, CHECKSUM, embedder, built, background=BG, force=True)
    assert not (built / ".build-stale").exists()
