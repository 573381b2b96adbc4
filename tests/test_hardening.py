"""The public widget under attack, against a live server on loopback (bounded requests).

A server with the model-free embedder is enough: these are about HTTP, not answers.
"""

from __future__ import annotations

import socket

import httpx
import pytest

from ui.launcher import start_server

FOREIGN = {"Host": "qa.example.gov", "Origin": "https://evil.example"}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    proc, base, _ = start_server(tmp_path_factory.mktemp("hardening"), POLICY_RAG_MODEL="hashing",
                                 POLICY_RAG_RATE_LIMIT_PER_MINUTE="5",
                                 POLICY_RAG_ALLOWED_ORIGINS='["https://portal.example.gov"]')
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except Exception:
        proc.kill()


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/config", "/gradio_api/info", "/widget/config", "/healthz"])
def test_a_foreign_origin_gets_no_cors_grant_with_a_real_host(live, path):
    r = httpx.get(live + path, headers=FOREIGN)
    assert "access-control-allow-origin" not in r.headers
    pre = httpx.options(live + "/gradio_api/queue/join", headers=FOREIGN | {"Access-Control-Request-Method": "POST"})
    assert pre.status_code == 403 and "access-control-allow-origin" not in pre.headers


@pytest.mark.slow
def test_an_allowed_origin_still_gets_its_grant(live):
    r = httpx.get(live + "/api/docs", headers={"Origin": "https://portal.example.gov"})
    assert r.headers.get("access-control-allow-origin") == "https://portal.example.gov"


@pytest.mark.slow
def test_spoofed_forwarded_for_does_not_reset_the_limit(live):
    codes = []
    for i in range(7):
        r = httpx.get(live + "/api/ask", params={"q": "第十八條"}, headers={"X-Forwarded-For": f"10.0.0.{i}"})
        codes.append(r.status_code)
    assert 429 in codes
    limited = next(r for r in [httpx.get(live + "/api/ask", params={"q": "x"})] if r.status_code == 429)
    assert 1 <= int(limited.headers["retry-after"]) <= 61


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/gradio_api/upload", "/widget/gradio_api/upload", "/gradio_api/dev/reload",
                                  "/monitoring"])
def test_uploads_dev_and_monitoring_routes_are_closed(live, path):
    r = httpx.post(live + path, files={"files": ("x.html", b"<script>alert(1)</script>", "text/html")})
    assert r.status_code == 404


@pytest.mark.slow
def test_a_huge_body_is_refused_before_it_is_read(live):
    host, port = live.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100000000\r\n\r\n{")
        reply = s.recv(4096).decode("latin-1")
    assert reply.startswith("HTTP/1.1 413")


def test_rate_limiter_forgets_idle_clients_and_stays_bounded(monkeypatch):
    from ui import security

    monkeypatch.setattr(security, "MAX_CLIENTS", 100)
    limiter = security.RateLimiter(per_minute=2)
    for i in range(1000):
        assert limiter.allow(f"client-{i}")
    assert len(limiter) <= 100
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    assert 1 <= limiter.retry_after("a") <= 61
