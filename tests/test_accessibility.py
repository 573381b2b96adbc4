"""Accessibility: axe-core, injected by Playwright into the real chat and widget pages.

Why: the pages are Gradio components plus our own markup (answers, sources); only a
rendered page in a real browser shows what screen-reader and keyboard users get, in
both colour themes and at the sizes the widget is embedded at. The failure message
lists every serious/critical violation, so it doubles as the to-do list.
axe-core comes from npm into tests/.node (a test cache, like the venv).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import ARTIFACTS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / ".node" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {"chat": "/", "widget": "/widget/"}
SIZES = [(1280, 900), (400, 600), (390, 844)]
BLOCKING = {"serious", "critical"}
QUESTION, ANSWER = "外籍人才怎麼引進", "實施人才引進專項政策"
# Slim the result in the page: only what the to-do list needs crosses the wire.
RUN_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  const why = n => { const d = (n.any[0] || {}).data || {};  // colour-contrast detail, if any
    return d.contrastRatio ? ` (${d.fgColor} on ${d.bgColor}, ${d.contrastRatio}:1)` : ''; };
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                  targets: v.nodes.map(n => n.target.join(' >> ') + why(n))}));
}"""


@pytest.fixture(scope="module", autouse=True)
def axe_installed() -> None:
    if not AXE.exists():
        pytest.fail("axe-core missing: run `npm install --prefix tests/.node axe-core@4`", pytrace=False)


def _settle(page: Any) -> None:
    """Let the answer's last render and transitions finish. (Not "network idle": Gradio keeps a
    heartbeat stream open, so the network never goes quiet.)"""
    page.wait_for_timeout(500)


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """One to-do line per serious/critical violation: id, impact, help, first 3 targets."""
    lines = []
    for v in violations:
        if v["impact"] in BLOCKING:
            targets = ", ".join(v["targets"][:3])
            more = f" (+{len(v['targets']) - 3} more)" if len(v["targets"]) > 3 else ""
            lines.append(f"{v['id']} [{v['impact']}] {v['help']} -- {targets}{more}")
    return lines


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_axe_violations(browser, server, name: str, theme: str, size: tuple[int, int]) -> None:
    """The page after one answered question: answer markup is ours, so it must be checked too."""
    w, h = size
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=theme)
    page = context.new_page()
    try:
        page.goto(f"{server}{PAGES[name]}?__theme={theme}")
        box = page.locator("#question textarea")
        box.wait_for(state="visible", timeout=60_000)
        box.fill(QUESTION)
        box.press("Enter")
        page.get_by_text(ANSWER).first.wait_for(timeout=60_000)
        _settle(page)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        page.screenshot(path=str(ARTIFACTS / f"a11y-{name}-{theme}-{w}x{h}.png"), full_page=True)
    finally:
        context.close()
    todo = blocking(violations)
    if todo:  # pytest.fail, not assert: the list alone, not repeated by assertion rewriting
        pytest.fail(f"{len(todo)} serious/critical axe violations on {name} {theme} {w}x{h}:\n" + "\n".join(todo),
                    pytrace=False)
