"""A sample of the real law corpus through `policy-rag add`: killed midway, resumed, same library.

Reads ../shared/corpora/laws (too large to carry in the project); skipped when it is absent.
Model-free embedder: this is about ingestion and storage, not meaning.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import SHARED, add_killed_midway

LAWS = SHARED / "corpora" / "laws"
pytestmark = pytest.mark.skipif(not LAWS.is_dir(), reason=f"the law corpus is not at {LAWS}")
SAMPLE = 20


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    files = sorted(p for p in LAWS.rglob("*.md") if not p.name.startswith("_"))
    folder = tmp_path_factory.mktemp("laws-sample")
    for p in files[:: len(files) // SAMPLE][:SAMPLE]:
        shutil.copy(p, folder / p.name)
    return folder


def _env(data) -> dict:
    return {**os.environ, "POLICY_RAG_MODEL": "hashing", "POLICY_RAG_DATA_DIR": str(data)}


def _library(data) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "ui.cli", "list", "--json"], env=_env(data), capture_output=True,
                         text=True, timeout=300, check=True)
    return sorted(json.loads(out.stdout), key=lambda d: d["id"])


def _answers(data) -> list:
    from rag.engine import Engine
    from rag.settings import Settings

    engine = Engine.load(Settings(model="hashing", data_dir=data))
    return [[(h.doc_id, h.key) for h in engine.ask(q).results] for q in ("第一条", "哪些条款提到人民法院", "法律责任")]


def test_a_killed_ingest_resumes_to_the_same_library(sample, tmp_path):
    whole = tmp_path / "whole"
    subprocess.run([sys.executable, "-m", "ui.cli", "add", str(sample)], env=_env(whole), check=True, timeout=600,
                   capture_output=True)
    reference = _library(whole)
    assert len(reference) == SAMPLE + 1 and all(d["units"] > 0 for d in reference)

    killed = tmp_path / "killed"
    add_killed_midway(killed, [sample], after_calls=5, group_texts=200)  # several documents a group
    partial = _library(killed)
    assert 1 < len(partial) < len(reference)  # some documents in, none half-added
    assert all(d in reference for d in partial)
    subprocess.run([sys.executable, "-m", "ui.cli", "add", str(sample)], env=_env(killed), check=True, timeout=600,
                   capture_output=True)
    assert _library(killed) == reference
    assert _answers(killed) == _answers(whole)
