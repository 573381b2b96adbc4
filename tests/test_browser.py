"""Real browser: headless Debian chromium driven by Playwright against the live server."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ARTIFACTS

pytestmark = pytest.mark.browser

XSS = '<img src=x onerror="window.__xss=1">'


def _ask(scope, question: str) -> None:
    box = scope.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def test_full_chat_shows_the_clause_in_place_and_screenshot(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    _ask(page, "外籍人才怎麼引進")
    page.get_by_text("（十八）實施人才引進專項政策").first.wait_for(timeout=60_000)
    page.locator("#chat summary").first.click()  # open the full clause inside the answer
    page.locator("#chat details[open]").get_by_text("第（十八）項").first.wait_for(timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    page.close()


def test_user_text_is_never_html(browser, server):
    page = browser.new_page()
    page.goto(server + "/")
    _ask(page, XSS)
    page.locator("#chat").get_by_text("onerror").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__xss") is None
    page.close()


MARKUP = ["外籍人才\n===", "1. 外籍人才怎麼引進", "$$x^2$$ 外籍人才", "外籍人才 http://evil.example/a 怎麼引進",
          "哪些措施提到www.evil.example"]


def test_markup_in_questions_is_shown_literally(browser, server):
    """Headings, lists, maths and links typed by a user (or echoed back in a reply) stay text."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    chat = page.locator("#chat")
    bots = "document.querySelectorAll('#chat [data-testid=bot]').length"
    for question in MARKUP:
        before = page.evaluate(bots)
        _ask(page, question)
        page.wait_for_function(f"{bots} > {before}", timeout=60_000)
    users = chat.locator("[data-testid=user]")
    shown = [users.nth(i).inner_text() for i in range(users.count())]
    for literal in ["===", "1. 外籍人才", "$$x^2$$", "http://evil.example/a", "www.evil.example"]:
        assert any(literal in t for t in shown), (literal, shown)
    assert chat.locator("h1, h2, ol, ul, .katex, a[href*='evil']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "markup-literal.png"), full_page=True)
    page.close()


def test_widget_in_host_page(browser, server):
    page = browser.new_page(viewport={"width": 1100, "height": 750})
    page.goto(server + "/example")
    frame = page.frame_locator("#policy-widget")
    _ask(frame, "哪些措施提到哈爾濱")
    frame.get_by_text("（十四）").first.wait_for(timeout=60_000)
    _ask(frame, XSS)
    frame.get_by_text("onerror").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    widget = page.frames[1]
    assert widget.evaluate("window.__xss") is None
    size = page.locator("#policy-widget").bounding_box()
    assert size["width"] == pytest.approx(400, abs=4) and size["height"] == pytest.approx(600, abs=4)
    page.screenshot(path=str(ARTIFACTS / "widget.png"))
    page.close()


def test_widget_dark_mode(browser, server):
    page = browser.new_page(viewport={"width": 400, "height": 600}, color_scheme="dark")
    page.goto(server + "/widget/?__theme=dark")
    _ask(page, "第十八條")
    page.get_by_text("（十八）實施人才引進專項政策").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "widget-dark.png"))
    page.close()


def test_measure_link_opens_the_clause(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/?measure=18")
    page.locator("#chat").get_by_text("外籍“高精尖缺”人才認定標準試點").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "browse.png"), full_page=True)
    page.close()


def test_interface_language_follows_script_and_question(browser, server):
    page = browser.new_page()
    page.goto(server + "/")
    page.get_by_text("简体").first.click()
    page.get_by_text("您的问题").first.wait_for(timeout=30_000)  # Simplified labels
    page.get_by_text("繁體").first.click()
    page.get_by_text("您的問題").first.wait_for(timeout=30_000)
    page.get_by_text("自動 / Auto").first.click()
    _ask(page, "talent introduction policy")
    page.get_by_text("Your question").first.wait_for(timeout=60_000)  # English question → English labels
    page.close()


@pytest.fixture(scope="module")
def library_server(tmp_path_factory):
    """A server over a library of three documents (model-free embedder: these tests are about the page)."""
    import os
    import subprocess
    import sys

    from ui.launcher import start_server, stop_server

    data = tmp_path_factory.mktemp("browser-library")
    lib = Path(__file__).parent / "fixtures" / "library"
    env = {**os.environ, "POLICY_RAG_MODEL": "hashing", "POLICY_RAG_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "ui.cli", "add", str(lib / "03_anti_monopoly_law.md"),
                    str(lib / "05_private_lending_provisions.md")], env=env, check=True, timeout=300)
    proc, base, _ = start_server(data, POLICY_RAG_MODEL="hashing", POLICY_RAG_RATE_LIMIT_PER_MINUTE="100000")
    yield base
    stop_server(proc)


def test_document_unit_link_opens_the_unit(browser, library_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(library_server + "/?doc=03_anti_monopoly_law&unit=12")
    page.locator("#chat").get_by_text("国务院设立反垄断委员会").first.wait_for(timeout=60_000)
    page.locator("#header").get_by_text("反壟斷法").first.wait_for(timeout=10_000)  # the page names the document
    page.screenshot(path=str(ARTIFACTS / "library-link.png"), full_page=True)
    page.close()


def test_widget_pinned_to_a_document_answers_from_it_only(browser, library_server):
    page = browser.new_page(viewport={"width": 400, "height": 600})
    page.goto(library_server + "/widget/?doc=05_private_lending_provisions")
    page.wait_for_timeout(1500)
    _ask(page, "第十二条")
    page.locator("#chat [data-testid=bot]").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    answer = page.locator("#chat [data-testid=bot]").last
    assert answer.locator("details").count() == 1  # one document's unit, not one per document
    answer.locator("summary").first.click()
    answer.get_by_text("《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第十二条").first.wait_for(timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "widget-pinned.png"))
    page.close()


@pytest.mark.parametrize("path,size", [("/", (1280, 900)), ("/widget/", (400, 600)), ("/", (390, 844))],
                         ids=["desktop", "widget", "phone"])
def test_one_message_per_answer_in_view_with_follow_ups(browser, server, path, size):
    """Keyboard only: Tab to the question, Enter to send. The answer is one message whose start is in
    view; its clause opens in place; "下一條呢" follows up on it; the conversation can be exported."""
    w, h = size
    page = browser.new_page(viewport={"width": w, "height": h})
    page.goto(server + path)
    page.locator("#question textarea").wait_for()
    page.locator("body").focus()
    for _ in range(40):  # Tab until the question box has focus
        if page.evaluate("document.activeElement?.closest('#question') !== null"):
            break
        page.keyboard.press("Tab")
    look = "(e => { const c = getComputedStyle(e); return c.outlineStyle + c.boxShadow + c.borderColor; })"
    focused = page.evaluate(f"{look}(document.activeElement)")
    unfocused = page.evaluate(f"(() => {{ const e = document.activeElement; e.blur(); const s = {look}(e); e.focus(); return s; }})()")
    assert focused != unfocused  # focus is visible
    page.keyboard.type("外籍人才怎麼引進")
    page.keyboard.press("Enter")
    bots = page.locator("#chat [data-testid=bot]")
    bots.first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    assert bots.count() == 1  # one answer, one message (not a reply plus five source bubbles)
    top = page.locator("#chat [data-testid=user]").last.bounding_box()
    assert top is not None and -2 <= top["y"] < h / 2, top  # the answer's start is in view, not the log's end
    bots.first.locator("summary").first.focus()
    page.keyboard.press("Enter")  # a source opens from the keyboard
    opened = bots.first.locator("details[open]").first
    assert opened.locator("code").first.inner_text().startswith("《")  # the citation ...
    assert opened.locator("button[title=copy]").first.is_visible()  # ... with its copy button
    _ask(page, "下一條呢")
    page.get_by_text("下一條：").first.wait_for(timeout=60_000)
    assert bots.count() == 2 and "（" in bots.last.inner_text()
    page.wait_for_timeout(300)
    top = page.locator("#chat [data-testid=user]").last.bounding_box()
    assert top is not None and -2 <= top["y"] < h / 2, top  # the follow-up's answer is in view too
    assert page.locator("#export").is_visible()
    page.screenshot(path=str(ARTIFACTS / f"answer-in-view-{w}x{h}.png"))
    page.close()


def test_a_question_sent_while_the_page_is_still_loading_keeps_its_answer(browser, server):
    """A fast typist on a busy server: the page's own load event is answered after the first
    question. The answer stays, and a follow-up still knows what it followed."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    held = []  # the page's first queued event is its load event: hold it back

    def hold_first(route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/queue/join*", hold_first)
    page.goto(server + "/")
    _ask(page, "外籍人才怎麼引進")
    bots = page.locator("#chat [data-testid=bot]")
    bots.first.wait_for(timeout=60_000)
    assert held, "the load event was not seen"
    held[0].continue_()
    page.wait_for_timeout(3000)  # the load event's reply: it reset the chat within a second before the fix
    assert bots.count() == 1 and "（十八）" in bots.first.inner_text()
    _ask(page, "下一條呢")
    page.get_by_text("下一條：").first.wait_for(timeout=60_000)
    assert bots.count() == 2
    page.close()


def test_deep_link_on_a_phone_opens_the_clause_at_the_top(browser, server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/?measure=18")
    clause = page.locator("#chat [data-testid=bot]").get_by_text("實施人才引進專項政策").first
    clause.wait_for(timeout=60_000)
    box = clause.bounding_box()
    assert box is not None and box["y"] < 844 / 2
    page.screenshot(path=str(ARTIFACTS / "deep-link-phone.png"))
    page.close()
