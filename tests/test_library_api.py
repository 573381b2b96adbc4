"""The library over HTTP: /api/docs, doc= on /api/ask, the admin-only upload, and a live
server that sees a document added while it runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import FIXTURES

LIB = FIXTURES / "library"
LAW = LIB / "03_anti_monopoly_law.md"


@pytest.fixture(scope="module")
def app_settings(tmp_path_factory):
    from index.ingest import add_paths
    from index.store import prepare_library
    from corpus.catalogue import builtin_documents
    from index.hashing import HashingEmbedder
    from rag.settings import Settings

    s = Settings(model="hashing", data_dir=tmp_path_factory.mktemp("api-lib"), admin_token="s3cret")
    lib = prepare_library(s.data_dir, HashingEmbedder(), builtin_documents())
    list(add_paths([LAW, LIB / "05_private_lending_provisions.md"], lib, HashingEmbedder(), max_bytes=10**7))
    lib.close()
    return s


@pytest.fixture(scope="module")
def client(app_settings):
    from rag.engine import Engine
    from ui.app import create_app
    from ui.state import EngineHolder

    holder = EngineHolder(app_settings, Engine.load(app_settings))
    return TestClient(create_app(app_settings, holder))


def test_docs_list_one_document_and_one_unit(client):
    docs = client.get("/api/docs").json()
    assert [d["doc_id"] for d in docs] == ["nla-2024", "03_anti_monopoly_law", "05_private_lending_provisions"]
    one = client.get("/api/docs/03_anti_monopoly_law").json()
    assert one["document"]["units"] == 70 and one["units"][0]["key"] == "1"
    unit = client.get("/api/docs/03_anti_monopoly_law/units/12").json()
    assert unit["unit"] == 12 and unit["unit_kind"] == "article" and unit["citation"].endswith("第十二条")
    hant = client.get("/api/docs/03_anti_monopoly_law/units/12", params={"script": "hant"}).json()
    assert hant["citation"] == "《中華人民共和國反壟斷法》第十二條"
    assert client.get("/api/docs/nope").json()["code"] == "no_document"
    assert client.get("/api/docs/03_anti_monopoly_law/units/99").status_code == 404


def test_ask_with_doc_restricts_and_old_endpoints_keep_working(client):
    got = client.get("/api/ask", params={"q": "第十二条", "doc": ["05_private_lending_provisions"]}).json()
    assert [(h["doc_id"], h["unit"]) for h in got["results"]] == [("05_private_lending_provisions", 12)]
    both = client.post("/api/ask", json={"q": "第十二条"}).json()
    assert {h["doc_id"] for h in both["results"]} == {"nla-2024", "03_anti_monopoly_law",
                                                       "05_private_lending_provisions"}
    assert client.get("/api/measures/18").json()["measure"] == 18
    assert len(client.get("/api/measures").json()) == 27


def test_upload_needs_the_admin_token(client, app_settings):
    files = {"file": ("05_copy.md", (LIB / "04_dual_use_export_control_regulation.md").read_bytes())}
    assert client.post("/api/docs", files=files).status_code == 403
    assert client.post("/api/docs", files=files, headers={"Authorization": "Bearer wrong"}).status_code == 403
    bad = client.post("/api/docs", files={"file": ("x.exe", b"MZ")}, headers={"Authorization": "Bearer s3cret"})
    assert bad.status_code == 422 and bad.json()["code"] == "unsupported_type"
    ok = client.post("/api/docs", files=files, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 201 and ok.json()["units"] == 50
    assert "05_copy" in [d["doc_id"] for d in client.get("/api/docs").json()]  # answered at once


@pytest.mark.slow
def test_a_live_server_sees_a_document_added_while_it_runs(tmp_path):
    from ui.launcher import start_server, stop_server

    data = tmp_path / "data"
    proc, base, _ = start_server(data, POLICY_RAG_MODEL="hashing", POLICY_RAG_RELOAD_SECONDS="0.5")
    try:
        assert [d["doc_id"] for d in httpx.get(f"{base}/api/docs").json()] == ["nla-2024"]
        env = {**os.environ, "POLICY_RAG_MODEL": "hashing", "POLICY_RAG_DATA_DIR": str(data)}
        subprocess.run([sys.executable, "-m", "ui.cli", "add", str(LAW)], env=env, check=True, timeout=120)
        deadline = time.time() + 60
        while time.time() < deadline:
            if len(httpx.get(f"{base}/api/docs").json()) == 2:
                break
            time.sleep(0.3)
        answer = httpx.get(f"{base}/api/ask", params={"q": "反垄断法第十二条"}).json()
        assert [(h["doc_id"], h["unit"]) for h in answer["results"]] == [("03_anti_monopoly_law", 12)]
    finally:
        stop_server(proc)
    shutil.rmtree(data, ignore_errors=True)
