"""Gradio chat: answers with cited clauses, collapsible sources, a document picker and browser.

Two layouts share one reply function: the full page ("/") and the compact
widget ("/widget", for iframes and the <gradio-app> web component).
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import gradio as gr

from rag.followup import ask_in_context, unit_answer
from rag.messages import msg
from rag.models import Answer, Context, Lang
from rag.query import clean_text, language
from rag.render import answer_markdown, browse_markdown, chat_markdown, escape, reply_markdown, source_plain
from ui.chat_library import browse_value, chat_title, doc_choices, link_target, outline_choices
from ui.security import RateLimiter, client_key
from ui.state import EngineHolder

SCRIPTS = {"自動 / Auto": "auto", "简体": "hans", "繁體": "hant"}
AUTO = "自動 / Auto"
EXAMPLES = ["外籍人才怎麼引進？", "新区怎样强化科技创新策源功能？", "What does the plan say about land use?",
            "第十八條", "哪些措施提到哈爾濱"]
UI_LANG: Lang = "zh-hant"  # the page's language before the first question
QUESTION_EVENTS = {"respond", "chat_api"}  # the events that answer a question: checked when they join the queue
KEEP_MESSAGES = 60  # the conversation kept per browser session (server-side), newest last


# After an answer arrives, show its start (the question just asked at the top), not the log's end.
SHOW_ANSWER_START = """() => setTimeout(() => {
  const asked = document.querySelectorAll('#chat [data-testid=user]');
  if (asked.length) asked[asked.length - 1].scrollIntoView({block: 'start'});
}, 60)"""
CSS = """
#send {background: #c2410c; border-color: #c2410c; color: #fff;}
#chat details summary {cursor: pointer; color: var(--body-text-color) !important;}
@media (max-width: 700px) {#header h1 {font-size: 1.15rem;} #chat {height: 62vh !important;}}
"""


EXPORTS = Path(tempfile.gettempdir()) / "policy-rag-exports"
KEEP_EXPORTS_SECONDS = 86_400  # Gradio's served copies are swept on the same schedule (delete_cache)


def transcript_file(lines: list[str], session: str) -> str:
    """The conversation as Markdown with its citations: one file per browser session, rewritten
    after each answer, so a busy server does not pile up a file per question."""
    EXPORTS.mkdir(exist_ok=True)
    path = EXPORTS / f"conversation-{re.sub(r'[^0-9A-Za-z]', '', session)[:40] or 'chat'}.md"
    if not path.exists():  # a new session: forget the conversations of sessions long gone
        old = time.time() - KEEP_EXPORTS_SECONDS
        for f in EXPORTS.glob("conversation-*.md"):
            if f.stat().st_mtime < old:
                f.unlink(missing_ok=True)
    path.write_text("\n\n---\n\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _asker_lang(message: str, script_label: str) -> Lang:
    """The language to answer problems in, like the engine does for answers."""
    return language(clean_text(message or "")[:200], SCRIPTS.get(script_label, "auto"))[1]


def build_blocks(holder: EngineHolder, limiter: RateLimiter, *, compact: bool) -> gr.Blocks:
    def L(key: str, lang: Lang = UI_LANG, **kw: object) -> str:
        return msg(key, lang, **kw)

    def ask(message: str, script_label: str, docs: list[str] | None, request: gr.Request | None = None,
            context: Context | None = None) -> tuple[Answer | None, str]:
        lang = _asker_lang(message, script_label)
        if not limiter.allow(client_key(request.request if request else None)):
            return None, L("busy", lang)
        engine = holder.engine
        if engine is None:
            return None, status_text(lang)
        return ask_in_context(engine, message or "", context, k=engine.settings.k,
                              script=SCRIPTS.get(script_label, "auto"), docs=docs or None), ""

    def status_text(lang: Lang = UI_LANG) -> str:
        if holder.status == "failed":
            return L("failed", lang, error=holder.error)
        return L("loading", lang, progress=holder.progress)

    def respond(message: str, script_label: str, docs: list[str] | None, pinned: str | None,
                history: list | None, context: Context | None, lines: list[str] | None, request: gr.Request):
        """The conversation lives in server-side session state: a client cannot send a history.
        One message per answer; the previous answer's context resolves follow-ups."""
        message = message if isinstance(message, str) else ""
        answer, problem = ask(message, script_label, docs or ([pinned] if pinned else None), request, context)
        history = list(history or []) + [gr.ChatMessage(role="user", content=escape(message))]
        reply = problem if answer is None else chat_markdown(answer)
        history = (history + [gr.ChatMessage(role="assistant", content=reply)])[-KEEP_MESSAGES:]
        lines = (list(lines or []) + [f"> {escape(message)}\n\n" + (answer_markdown(answer) if answer else problem)])
        lines = lines[-KEEP_MESSAGES:]
        lang = answer.lang if answer else _asker_lang(message, script_label)  # the interface follows the asker
        return (history, history, answer.context if answer and answer.context else context, lines,
                gr.update(value=transcript_file(lines, getattr(request, "session_hash", None) or ""),
                          label=L("export", lang), visible=True),
                gr.update(value="", label=L("question_label", lang), placeholder=L("question_placeholder", lang)),
                gr.update(label=L("script_label", lang)), gr.update(value=L("send", lang)))

    def chat_api(message: str, script: str = "auto", doc: str = "", request: gr.Request = None) -> str:
        """Stable API for gradio_client: the reply as Markdown, sources included; `doc` restricts
        the search to one document id (or several, comma-separated)."""
        label = next((k for k, v in SCRIPTS.items() if v == script), AUTO)
        docs = [d for d in (doc or "").split(",") if d.strip()] or None
        answer, problem = ask(message, label, docs, request)
        if answer is None:
            return problem
        return "\n\n".join([reply_markdown(answer), *(source_plain(h, answer.lang) for h in answer.results)])

    def poll_status():
        e = holder.engine
        if holder.status == "ready" and e is not None:
            return (gr.update(value="", visible=False), gr.Timer(active=False),
                    gr.update(choices=outline_choices(e, None)), gr.update(choices=doc_choices(e)))
        return (gr.update(value=f"⏳ {status_text()}", visible=True), gr.Timer(active=holder.status == "loading"),
                gr.update(), gr.update())

    def show(value: str | None):
        e = holder.engine
        hit = browse_value(e, value) if e is not None else None
        return browse_markdown(hit) if hit else ""

    def pick_document(docs: list[str] | None):
        e = holder.engine
        if e is None:
            return gr.update()
        return gr.update(choices=outline_choices(e, (docs or [None])[0]), value=None)

    def open_link(request: gr.Request):
        """?doc=ID pins the page (widget) to a document; &unit=N (or ?measure=N) opens a unit."""
        params = dict(request.query_params) if request else {}
        wanted = bool(params.get("doc") or params.get("measure") or params.get("unit"))
        e = holder.wait(120) if wanted else holder.engine  # a shared link waits for the index once
        if e is None:
            return None, gr.update(), gr.update(), "", gr.update(), gr.update(), gr.update(), gr.update(), gr.update()
        doc_id, value = link_target(e, params)
        title = chat_title(e, doc_id, UI_LANG)
        opened = unit_answer(e, *value.split("#", 1)) if value else None  # the clause first, in the chat
        # Without a linked clause the conversation is left alone: a question sent before this
        # load event finished (a fast typist, a busy server) must keep its answer.
        history = [gr.ChatMessage(role="assistant", content=chat_markdown(opened))] if opened else gr.update()
        return (doc_id, gr.update(choices=doc_choices(e), value=[doc_id]) if doc_id else gr.update(choices=doc_choices(e)),
                gr.update(choices=outline_choices(e, doc_id), value=value), show(value),
                gr.update(open=False), gr.update(value=f"# {title}"),
                gr.update(label=title, value=history) if opened else gr.update(label=title),
                history, opened.context if opened else gr.update())

    def relabel(script_label: str):
        lang: Lang | None = {"hans": "zh-hans", "hant": "zh-hant"}.get(SCRIPTS.get(script_label, "auto"))  # type: ignore[assignment]
        if lang is None:  # auto: labels follow the next question's language
            return gr.update(), gr.update(), gr.update()
        return (gr.update(label=L("question_label", lang), placeholder=L("question_placeholder", lang)),
                gr.update(label=L("script_label", lang)), gr.update(value=L("send", lang)))

    sweep = (3600, KEEP_EXPORTS_SECONDS)  # hourly, files older than a day
    with gr.Blocks(title=L("chat_title"), fill_height=compact, delete_cache=sweep) as demo:
        pinned = gr.State(None)
        conversation = gr.State([])
        context = gr.State(None)
        lines = gr.State([])
        header = gr.Markdown(f"# {L('chat_title')}", visible=not compact, elem_id="header")
        status = gr.Markdown("", visible=holder.status != "ready", elem_id="status")
        timer = gr.Timer(1.0, active=holder.status != "ready")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(height=390 if compact else 560, buttons=["copy"], elem_id="chat",
                                     label=L("chat_title") if compact else None, show_label=False,
                                     sanitize_html=True, layout="panel", latex_delimiters=[], autoscroll=False)
                with gr.Row():
                    box = gr.Textbox(label=L("question_label"), placeholder=L("question_placeholder"), scale=5,
                                     elem_id="question", max_lines=4, show_label=not compact, autofocus=not compact,
                                     max_length=holder.settings.max_question_chars)
                    send = gr.Button(L("send"), variant="primary", scale=1, min_width=60, elem_id="send")
                script = gr.Radio(list(SCRIPTS), value=AUTO, label=L("script_label"), elem_id="script",
                                  show_label=not compact, container=not compact)
                export = gr.DownloadButton(L("export"), visible=False, size="sm", elem_id="export")
                if not compact:
                    gr.Examples(EXAMPLES, inputs=box, label=L("examples"))
            with gr.Column(scale=2, visible=not compact):
                docs = gr.Dropdown(choices=[], value=[], multiselect=True, label=L("documents"), elem_id="docs")
                with gr.Accordion(L("browse"), open=False, elem_id="browse") as acc:
                    pick = gr.Dropdown(choices=[], label=L("pick_clause"), elem_id="pick")
                    clause = gr.Markdown(elem_id="clause")
        pick.change(show, pick, clause, api_visibility="private")
        docs.input(pick_document, docs, pick, api_visibility="private")  # user picks only, not the deep link
        demo.load(open_link, None, [pinned, docs, pick, clause, acc, header, chatbot, conversation, context],
                  api_visibility="private")
        timer.tick(poll_status, None, [status, timer, pick, docs], api_visibility="private")
        script.change(relabel, script, [box, script, send], api_visibility="private")
        for trigger in (box.submit, send.click):
            trigger(respond, [box, script, docs, pinned, conversation, context, lines],
                    [chatbot, conversation, context, lines, export, box, script, send],
                    api_visibility="private").then(None, js=SHOW_ANSWER_START)
        gr.api(chat_api, api_name="chat")
    return demo
