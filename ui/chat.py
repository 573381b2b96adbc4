"""Gradio chat: answers with cited clauses, collapsible sources, a plan browser.

Two layouts share one reply function: the full page ("/") and the compact
widget ("/widget", for iframes and the <gradio-app> web component).
"""

from __future__ import annotations

import gradio as gr

from corpus.numerals import int_to_cn
from rag.models import Answer, Hit, Lang
from rag.render import emphasise, escape, section_heading
from ui.security import RateLimiter, client_key
from ui.state import EngineHolder

SCRIPTS = {"自動 / Auto": "auto", "简体": "hans", "繁體": "hant"}
EXAMPLES = ["外籍人才怎麼引進？", "新区怎样强化科技创新策源功能？", "What does the plan say about land use?",
            "第十八條", "哪些措施提到哈爾濱"]

LABELS: dict[Lang, dict[str, str]] = {
    "zh-hant": {"title": "《促進國家級新區高質量建設行動計劃》條款問答", "box": "您的問題",
                "placeholder": "例如：外籍人才怎麼引進？／第十八條／哪些措施提到哈爾濱", "script": "答案字體",
                "browse": "瀏覽計劃全文", "pick": "選擇條款", "source": "出處", "section": "所屬部分",
                "cite": "引用", "relevance": "相關度", "loading": "正在準備模型與索引（首次啟動約需一分鐘）：",
                "busy": "請求過於頻繁，請稍後再試。", "failed": "服務無法啟動：", "send": "提問", "colon": "："},
    "zh-hans": {"title": "《促进国家级新区高质量建设行动计划》条款问答", "box": "您的问题",
                "placeholder": "例如：外籍人才怎么引进？／第十八条／哪些措施提到哈尔滨", "script": "答案字体",
                "browse": "浏览计划全文", "pick": "选择条款", "source": "出处", "section": "所属部分",
                "cite": "引用", "relevance": "相关度", "loading": "正在准备模型与索引（首次启动约需一分钟）：",
                "busy": "请求过于频繁，请稍后再试。", "failed": "服务无法启动：", "send": "提问", "colon": "："},
    "en": {"title": "Q&A on the Action Plan for High-Quality Development of National-Level New Areas",
           "box": "Your question", "placeholder": "e.g. How are foreign experts attracted? / measure 18",
           "script": "Answer script", "browse": "Browse the plan", "pick": "Choose a clause", "source": "Source",
           "section": "Section", "cite": "Citation", "relevance": "relevance",
           "loading": "Preparing the model and index (about a minute on first start): ",
           "busy": "Too many questions; please wait a minute.", "failed": "The service could not start: ",
           "send": "Ask", "colon": ": "},
}


def source_block(hit: Hit, lang: Lang) -> gr.ChatMessage:
    """Collapsed block: the full clause, its section and a copyable citation."""
    L = LABELS[lang]
    parts = []
    if hit.section:
        parts.append(f"**{L['section']}**{L['colon']}{section_heading(hit)}")
    parts.append(hit.text)
    parts.append(f"**{L['cite']}**{L['colon']}\n```text\n{hit.citation}\n```")
    return gr.ChatMessage(role="assistant", content="\n\n".join(parts),
                          metadata={"title": f"{L['source']}{L['colon']}{hit.label}{hit.title}", "status": "done"})


def reply_markdown(answer: Answer) -> str:
    """Header, then per clause: heading, the sentences that answer, relevance."""
    if not answer.answered:
        return answer.message
    L = LABELS[answer.lang]
    parts = [answer.message]
    for hit in answer.results:
        head = f"**{hit.label}{hit.title}**" if hit.title else f"**{hit.label}**"
        if answer.mode == "search":
            head += f" <sub>{L['relevance']} {hit.score:.2f}</sub>"
        quote = "".join(hit.highlights) if hit.highlights else hit.text
        if hit.highlights and answer.mode == "mentions":
            quote = emphasise("".join(hit.highlights), hit.highlights)
        parts.append(f"{head}\n\n> {quote}")
    return "\n\n".join(parts)


def reply_messages(answer: Answer) -> list[gr.ChatMessage]:
    msgs = [gr.ChatMessage(role="assistant", content=reply_markdown(answer))]
    msgs += [source_block(h, answer.lang) for h in answer.results]
    return msgs


def outline_label(hit: Hit) -> str:
    """Dropdown entry that keeps the plan's structure visible: 第二部分 · （一）…"""
    if hit.kind == "measure" and hit.section:
        return f"第{int_to_cn(hit.section)}部分 · {hit.label}{hit.title}"
    return f"{hit.label}{hit.title}"


def browse_markdown(hit: Hit) -> str:
    heading = section_heading(hit)
    title = f"## {hit.label}{hit.title}" if hit.title else f"## {hit.label}"
    return "\n\n".join(p for p in (title, f"*{heading}*" if heading else "", hit.text, f"`{hit.citation}`") if p)


def build_blocks(holder: EngineHolder, limiter: RateLimiter, *, compact: bool) -> gr.Blocks:
    L0 = LABELS["zh-hant"]

    def ask(message: str, script_label: str, request: gr.Request | None = None) -> tuple[Answer | None, str]:
        if not limiter.allow(client_key(request.request if request else None)):
            return None, LABELS["zh-hant"]["busy"] + " / " + LABELS["en"]["busy"]
        engine = holder.engine
        if engine is None:
            state = LABELS["zh-hant"]["failed"] + holder.error if holder.status == "failed" else \
                LABELS["zh-hant"]["loading"] + holder.progress
            return None, state
        return engine.ask(message or "", k=5, script=SCRIPTS.get(script_label, "auto")), ""

    def respond(message: str, history: list, script_label: str, request: gr.Request):
        answer, problem = ask(message, script_label, request)
        history = list(history or []) + [gr.ChatMessage(role="user", content=escape(message or ""))]
        if answer is None:
            history.append(gr.ChatMessage(role="assistant", content=problem))
            return history, gr.update(value=""), gr.update(), gr.update()
        history += reply_messages(answer)
        L = LABELS[answer.lang]  # the interface follows the asker's language
        return (history, gr.update(value="", label=L["box"], placeholder=L["placeholder"]),
                gr.update(label=L["script"]), gr.update(value=L["send"]))

    def chat_api(message: str, script: str = "auto", request: gr.Request = None) -> str:
        """Stable API for gradio_client: the reply as Markdown, sources included."""
        label = next((k for k, v in SCRIPTS.items() if v == script), "自動 / Auto")
        answer, problem = ask(message, label, request)
        if answer is None:
            return problem
        L = LABELS[answer.lang]
        sources = [f"{L['source']}{L['colon']}{h.citation}\n\n{h.text}" for h in answer.results]
        return "\n\n".join([reply_markdown(answer), *sources])

    def poll_status():
        if holder.status == "ready":
            return gr.update(value="", visible=False), gr.Timer(active=False), _choices_update()
        text = (L0["failed"] + holder.error) if holder.status == "failed" else (L0["loading"] + holder.progress)
        return gr.update(value=f"⏳ {text}", visible=True), gr.Timer(active=holder.status == "loading"), gr.update()

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

    with gr.Blocks(title=L0["title"], fill_height=compact) as demo:
        if not compact:
            gr.Markdown(f"# {L0['title']}")
        status = gr.Markdown("", visible=holder.status != "ready", elem_id="status")
        timer = gr.Timer(1.0, active=holder.status != "ready")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(height=390 if compact else 560, buttons=["copy"], elem_id="chat",
                                     label=L0["title"] if compact else None, show_label=False,
                                     sanitize_html=True, layout="panel")
                with gr.Row():
                    box = gr.Textbox(label=L0["box"], placeholder=L0["placeholder"], scale=5, elem_id="question",
                                     max_lines=4, show_label=not compact, autofocus=not compact)
                    send = gr.Button(L0["send"], variant="primary", scale=1, min_width=60, elem_id="send")
                script = gr.Radio(list(SCRIPTS), value="自動 / Auto", label=L0["script"], elem_id="script",
                                  show_label=not compact, container=not compact)
                if not compact:
                    gr.Examples(EXAMPLES, inputs=box, label="示例 / Examples")
            if not compact:
                with gr.Column(scale=2):
                    with gr.Accordion(L0["browse"], open=False, elem_id="browse") as acc:
                        pick = gr.Dropdown(choices=[], label=L0["pick"], elem_id="pick")
                        clause = gr.Markdown(elem_id="clause")
                    pick.change(show, pick, clause, api_visibility="private")
                    demo.load(open_deep_link, None, [pick, clause, acc], api_visibility="private")
                    timer.tick(poll_status, None, [status, timer, pick], api_visibility="private")
        if compact:
            timer.tick(lambda: poll_status()[:2], None, [status, timer], api_visibility="private")
        def relabel(script_label: str):
            lang = {"hans": "zh-hans", "hant": "zh-hant"}.get(SCRIPTS.get(script_label, "auto"))
            if lang is None:  # auto: labels follow the next question's language
                return gr.update(), gr.update(), gr.update()
            L = LABELS[lang]
            return (gr.update(label=L["box"], placeholder=L["placeholder"]), gr.update(label=L["script"]),
                    gr.update(value=L["send"]))

        script.change(relabel, script, [box, script, send], api_visibility="private")
        for trigger in (box.submit, send.click):
            trigger(respond, [box, chatbot, script], [chatbot, box, script, send], api_visibility="private")
        gr.api(chat_api, api_name="chat")
    return demo
