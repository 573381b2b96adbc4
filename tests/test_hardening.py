"""The public widget under attack, against a live server on loopback (bounded requests).

A server with the model-free embedder is enough: these are about HTTP, not answers.
"""

from __future__ import annotations

import socket

import httpx
import pytest

from ui.launcher import start_server, stop_server

FOREIGN = {"Host": "qa.example.gov", "Origin": "https://evil.example"}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    proc, base, _ = start_server(tmp_path_factory.mktemp("hardening"), POLICY_RAG_MODEL="hashing",
                                 POLICY_RAG_RATE_LIMIT_PER_MINUTE="5",
                                 POLICY_RAG_ALLOWED_ORIGINS='["https://portal.example.gov"]',
                                 POLICY_RAG_ALLOWED_HOSTS='["127.0.0.1", "localhost", "qa.example.gov"]')
    yield base
    stop_server(proc)


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


@pytest.mark.slow
def test_an_unknown_host_is_refused(live):
    assert httpx.get(live + "/config", headers={"Host": "evil.example"}).status_code == 400
    assert httpx.get(live + "/config", headers={"Host": "qa.example.gov"}).status_code == 200


@pytest.mark.slow
def test_forwarded_host_does_not_move_the_page_and_pages_are_not_cached(live):
    page = httpx.get(live + "/", headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"})
    config = httpx.get(live + "/config", headers={"X-Forwarded-Host": "evil.example"})
    assert "evil.example" not in page.text and "evil.example" not in config.text
    assert page.headers["cache-control"] == "no-store" and config.headers["cache-control"] == "no-store"


@pytest.mark.slow
def test_question_joins_are_counted_and_length_checked_before_queueing(live):
    """Limit 5/min, joins allowed twice that: the 11th question join in a minute is refused."""
    body = {"data": ["第十八條", "auto", ""]}
    codes = [httpx.post(live + "/widget/gradio_api/call/chat", json=body).status_code for _ in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
    long = httpx.post(live + "/gradio_api/call/chat", json={"data": ["问" * 1001, "auto", ""]})
    assert long.status_code == 422 and long.json()["code"] == "too_long"
    assert "问题太长" in long.json()["detail"][0]["message"]  # in the asker's script


@pytest.mark.slow
@pytest.mark.parametrize("path,body", [("/gradio_api/run/predict", {"data": [1, 2, 3, 4, 5, 6, 7]}),
                                       ("/gradio_api/run/chat", {"data": [1, 2, 3, 4, 5, 6, 7]}),
                                       ("/gradio_api/call/chat", {"data": ["q"]})])
def test_wrong_calls_get_a_clear_error_not_500(live, path, body):
    r = httpx.post(live + path, json=body)
    assert r.status_code in (404, 422) and r.json()["detail"]


@pytest.mark.slow
def test_api_docs_load_nothing_from_a_cdn(live):
    page = httpx.get(live + "/docs").text
    assert "cdn." not in page and "swagger-ui-bundle.js" in page
    js = next(u for u in page.split('"') if u.endswith("swagger-ui-bundle.js"))
    assert httpx.get(live + js).status_code == 200


@pytest.mark.slow
def test_a_thousand_bad_queue_requests_add_little_log(tmp_path):
    log = tmp_path / "server.log"
    proc, base, _ = start_server(tmp_path / "data", log_file=log, POLICY_RAG_MODEL="hashing")
    try:
        before = log.stat().st_size
        for i in range(1000):  # each on its own connection: the server drops a bad stream's connection
            try:
                httpx.get(f"{base}/gradio_api/queue/data", params={"session_hash": f"anything{i}"})
            except httpx.HTTPError:
                pass
        grown = log.stat().st_size - before
    finally:
        stop_server(proc)
    assert grown < 100_000, log.read_text("utf-8")[-2000:]
    assert "Traceback" not in log.read_text("utf-8")


@pytest.mark.slow
def test_one_client_flooding_the_queue_does_not_stall_another(tmp_path, embedder):
    """Eight of the costliest questions (1,000 characters that expand under NFKC) from one client,
    then a normal question from another: with the real model, answered in under a second."""
    import time

    from gradio_client import Client

    proc, base, _ = start_server(tmp_path / "data", POLICY_RAG_RATE_LIMIT_PER_MINUTE="1000")
    try:
        flood, victim = Client(base, verbose=False), Client(base, verbose=False)
        victim.predict("第十八條", "auto", "", api_name="/chat")  # warm up
        start = time.perf_counter()
        victim.predict("外籍人才怎麼引進", "auto", "", api_name="/chat")
        alone = time.perf_counter() - start
        heavy = "a" + "\u331a" * 999
        jobs = [flood.submit(heavy, "auto", "", api_name="/chat") for _ in range(8)]
        time.sleep(0.3)  # the flood is queued first
        start = time.perf_counter()
        answer = victim.predict("外籍人才怎麼引進", "auto", "", api_name="/chat")
        waited = time.perf_counter() - start
        for job in jobs:
            job.result(timeout=120)
    finally:
        stop_server(proc)
    print(f"victim waited {waited:.3f} s (alone: {alone:.3f} s)")
    assert "（十八）" in answer
    # Alone or after the other slow tests: 0.6–0.8 s here; at the end of the whole suite it
    # measured 1.00 s twice (the heavy questions themselves did not get slower: 80 ms in-process).
    # A stall behind all eight heavy questions and their client's retries is what this rules out.
    assert waited < 1.5, f"the victim waited {waited:.2f} s"
