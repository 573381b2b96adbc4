"""Gradio chat: answers with cited clauses, collapsible sources, a plan browser.

Two layouts share one reply function: the full page ("/") and the compact
widget ("/widget", for iframes and the <gradio-app> web component).
"""

from __future__ import annotations

import gradio as gr

from rag.messages import msg
from rag.models import Answer, Lang
from rag.query import clean_text, language
from rag.render import (browse_markdown, escape, outline_label, reply_markdown, source_markdown, source_plain,
                        source_title)
from ui.security import RateLimiter, client_key
from ui.state import EngineHolder

SCRIPTS = {"自動 / Auto": "auto", "简体": "hans", "繁體": "hant"}
AUTO = "自動 / Auto"
EXAMPLES = ["外籍人才怎麼引進？", "新区怎样强化科技创新策源功能？", "What does the plan say about land use?",
            "第十八條", "哪些措施提到哈爾濱"]
UI_LANG: Lang = "zh-hant"  # the page's language before the first question


def reply_messages(answer: Answer) -> list[gr.ChatMessage]:
    """The reply, then one collapsed source block per clause (full text + citation)."""
    msgs = [gr.ChatMessage(role="assistant", content=reply_markdown(answer))]
    msgs += [gr.ChatMessage(role="assistant", content=source_markdown(h, answer.lang),
                            metadata={"title": source_title(h, answer.lang), "status": "done"})
             for h in answer.results]
    return msgs


def _asker_lang(message: str, script_label: str) -> Lang:
    """The language to answer problems in, like the engine does for answers."""
    return language(clean_text(message or "")[:200], SCRIPTS.get(script_label, "auto"))[1]


def build_blocks(holder: EngineHolder, limiter: RateLimiter, *, compact: bool) -> gr.Blocks:
    def L(key: str, lang: Lang = UI_LANG, **kw: object) -> str:
        return msg(key, lang, **kw)

    def ask(message: str, script_label: str, request: gr.Request | None = None) -> tuple[Answer | None, str]:
        lang = _asker_lang(message, script_label)
        if not limiter.allow(client_key(request.request if request else None)):
            return None, L("busy", lang)
        engine = holder.engine
        if engine is None:
            return None, status_text(lang)
        return engine.ask(message or "", script=SCRIPTS.get(script_label, "auto")), ""

    def status_text(lang: Lang = UI_LANG) -> str:
        if holder.status == "failed":
            return L("failed", lang, error=holder.error)
        return L("loading", lang, progress=holder.progress)

    def respond(message: str, history: list, script_label: str, request: gr.Request):
        answer, problem = ask(message, script_label, request)
        history = list(history or []) + [gr.ChatMessage(role="user", content=escape(message or ""))]
        if answer is None:
            history.append(gr.ChatMessage(role="assistant", content=problem))
            return history, gr.update(value=""), gr.update(), gr.update()
        history += reply_messages(answer)
        lang = answer.lang  # the interface follows the asker's language
        return (history, gr.update(value="", label=L("question_label", lang), placeholder=L("question_placeholder", lang)),
                gr.update(label=L("script_label", lang)), gr.update(value=L("send", lang)))

    def chat_api(message: str, script: str = "auto", request: gr.Request = None) -> str:
        """Stable API for gradio_client: the reply as Markdown, sources included."""
        label = next((k for k, v in SCRIPTS.items() if v == script), AUTO)
        answer, problem = ask(message, label, request)
        if answer is None:
            return problem
        return "\n\n".join([reply_markdown(answer), *(source_plain(h, answer.lang) for h in answer.results)])

    def poll_status():
        if holder.status == "ready":
            return gr.update(value="", visible=False), gr.Timer(active=False), _choices_update()
        return (gr.update(value=f"⏳ {status_text()}", visible=True), gr.Timer(active=holder.status == "loading"),
                gr.update())

    def _choices_update():
        e = holder.engine
        if e is None:
            return gr.update()
        return gr.update(choices=[(outline_label(h), h.key) for h in e.outline()])

    def show(key: str | None):
        e = holder.engine
        if e is None or not key:
            return ""
        hit = next((h for h in e.outline() if h.key == key), None)
        return browse_markdown(hit) if hit else ""

    def open_deep_link(request: gr.Request):
        key = request.query_params.get("measure") if request else None
        if key and holder.wait(120) is not None:  # a shared link waits for the index once
            return _choices_update() | {"value": key}, show(key), gr.update(open=True)
        return _choices_update(), "", gr.update()

    def relabel(script_label: str):
        lang: Lang | None = {"hans": "zh-hans", "hant": "zh-hant"}.get(SCRIPTS.get(script_label, "auto"))  # type: ignore[assignment]
        if lang is None:  # auto: labels follow the next question's language
            return gr.update(), gr.update(), gr.update()
        return (gr.update(label=L("question_label", lang), placeholder=L("question_placeholder", lang)),
                gr.update(label=L("script_label", lang)), gr.update(value=L("send", lang)))

    with gr.Blocks(title=L("chat_title"), fill_height=compact) as demo:
        if not compact:
            gr.Markdown(f"# {L('chat_title')}")
        status = gr.Markdown("", visible=holder.status != "ready", elem_id="status")
        timer = gr.Timer(1.0, active=holder.status != "ready")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(height=390 if compact else 560, buttons=["copy"], elem_id="chat",
                                     label=L("chat_title") if compact else None, show_label=False,
                                     sanitize_html=True, layout="panel")
                with gr.Row():
                    box = gr.Textbox(label=L("question_label"), placeholder=L("question_placeholder"), scale=5,
                                     elem_id="question", max_lines=4, show_label=not compact, autofocus=not compact)
                    send = gr.Button(L("send"), variant="primary", scale=1, min_width=60, elem_id="send")
                script = gr.Radio(list(SCRIPTS), value=AUTO, label=L("script_label"), elem_id="script",
                                  show_label=not compact, container=not compact)
                if not compact:
                    gr.Examples(EXAMPLES, inputs=box, label=L("examples"))
            if not compact:
                with gr.Column(scale=2):
                    with gr.Accordion(L("browse"), open=False, elem_id="browse") as acc:
                        pick = gr.Dropdown(choices=[], label=L("pick_clause"), elem_id="pick")
                        clause = gr.Markdown(elem_id="clause")
                    pick.change(show, pick, clause, api_visibility="private")
                    demo.load(open_deep_link, None, [pick, clause, acc], api_visibility="private")
                    timer.tick(poll_status, None, [status, timer, pick], api_visibility="private")
        if compact:
            timer.tick(lambda: poll_status()[:2], None, [status, timer], api_visibility="private")
        script.change(relabel, script, [box, script, send], api_visibility="private")
        for trigger in (box.submit, send.click):
            trigger(respond, [box, chatbot, script], [chatbot, box, script, send], api_visibility="private")
        gr.api(chat_api, api_name="chat")
    return demo
