"""Fast wiring tests (no model): API validation and errors, settings, messages, rendering.

They run the real engine and FastAPI app with the registered `hashing` embedder.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from rag.messages import LANGS, lang_from_header, table


@pytest.fixture(scope="module")
def client(fast_settings, fast_engine):
    from ui.app import create_app
    from ui.state import EngineHolder

    return TestClient(create_app(fast_settings, EngineHolder(fast_settings, fast_engine)))


def test_every_language_has_every_message_and_no_unknown_placeholder():
    keys = {lang: set(table(lang)) for lang in LANGS}
    assert keys["zh-hant"] == keys["zh-hans"] == keys["en"]
    for key in keys["en"]:
        fields = {lang: set(re.findall(r"{(\w+)}", table(lang)[key])) for lang in LANGS}
        # English may leave out the Chinese numeral forms ({last}); it never needs a field Chinese lacks
        assert fields["zh-hant"] == fields["zh-hans"] and fields["en"] <= fields["zh-hant"], key


@pytest.mark.parametrize("header,lang", [(None, "en"), ("zh-TW,zh;q=0.9", "zh-hant"), ("zh-CN", "zh-hans"),
                                         ("en-US,en;q=0.8", "en"), ("fr-FR", "en"), ("zh-Hant-HK", "zh-hant")])
def test_api_language_follows_accept_language(header, lang):
    assert lang_from_header(header) == lang


def test_api_errors_have_a_code_and_a_message_in_the_clients_language(client):
    r = client.get("/api/ask", params={"q": "人" * 1001})
    assert r.status_code == 422 and r.json()["code"] == "too_long" and "too long" in r.json()["detail"]
    r = client.get("/api/ask", params={"q": "人" * 1001}, headers={"Accept-Language": "zh-CN"})
    assert r.json()["code"] == "too_long" and "问题太长" in r.json()["detail"]
    r = client.get("/api/measures/30", headers={"Accept-Language": "zh-TW"})
    assert r.status_code == 404 and r.json()["code"] == "no_unit" and "25 項措施" in r.json()["detail"]
    r = client.get("/api/ask", params={"q": "人才", "k": 0})
    assert r.status_code == 422 and r.json()["code"] == "invalid_request" and "Traceback" not in r.text


def test_api_answers_lookups_without_the_real_model(client):
    got = client.get("/api/ask", params={"q": "第十八條"}).json()
    assert got["mode"] == "lookup" and got["results"][0]["measure"] == 18
    assert got["results"][0]["citation"].endswith("第（十八）項")


def test_k_and_script_settings_are_used(fast_settings, fast_engine):
    from rag.engine import Engine

    tuned = Engine(fast_settings.model_copy(update={"k": 2, "script": "hans"}), fast_engine.embedder,
                   fast_engine.index)
    a = tuned.ask("新区建设")
    assert len(a.results) == 2 and a.script == "hans"
    assert tuned.ask("新区建设", k=4, script="hant").script == "hant"


def test_one_length_rule_for_engine_api_and_chat(fast_engine, client):
    """Raw code points as sent: tags do not make a long question short."""
    q = "<b>" * 400 + "外籍人才"
    assert not fast_engine.ask(q).answered
    assert client.get("/api/ask", params={"q": q}).status_code == 422


def test_renderer_views_quote_only_corpus_text(fast_engine):
    from rag.render import browse_markdown, chat_markdown, reply_markdown, unit_link

    a = fast_engine.ask("哪些措施提到哈爾濱")
    hit = a.results[0]
    assert hit.highlights and all(s in hit.text for s in hit.highlights)
    reply = reply_markdown(a)
    assert a.message in reply and f"**{hit.label}{hit.title}**" in reply
    chat = chat_markdown(a)  # one message: every clause's full text, citation and link inside it
    assert chat.count("<details>") == len(a.results) and chat.index(a.message) == 0
    assert all(h.text in chat and h.citation in chat and unit_link(h) in chat for h in a.results)
    assert browse_markdown(hit).startswith(f"## {hit.label}{hit.title}")


def test_cli_without_a_question_says_what_to_do(capsys):
    from ui.cli import main

    assert main(["ask"]) == 64
    assert "give a question" in capsys.readouterr().err


def test_api_follow_ups_use_the_previous_answers_context(client):
    """A widget on another site sends back the answer's context and gets the same follow-ups."""
    first = client.post("/api/ask", json={"q": "第十八條"}).json()
    nxt = client.post("/api/ask", json={"q": "下一條呢", "context": first["context"]}).json()
    assert [r["unit"] for r in nxt["results"]] == [19]
    full = client.post("/api/ask", json={"q": "give me the full text", "context": nxt["context"]}).json()
    assert full["results"][0]["unit"] == 19 and full["results"][0]["text"].startswith("（十九）")
    alone = client.post("/api/ask", json={"q": "下一條呢"}).json()
    assert alone["answered"] is False and alone["mode"] == "invalid" and "上一個回答" in alone["message"]
