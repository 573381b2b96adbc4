"""The server imports Gradio without rewriting its type stubs (ui/gradio_stubs.py): a second of
every start, spent holding the lock the library's loader needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip()


def test_gradio_imported_through_ui_skips_the_stub_writer_and_still_builds_components():
    code = """
import ui, gradio, gradio.component_meta as meta
with gradio.Blocks() as demo:
    box = gradio.Textbox(label="q")
print(meta.create_or_modify_pyi.__name__, box.label, box in demo.blocks.values())
"""
    assert _run(code) == "<lambda> q True"


def test_gradio_imported_on_its_own_is_untouched():
    assert _run("import gradio.component_meta as m; print(m.create_or_modify_pyi.__name__)") == "create_or_modify_pyi"


DOCS = """
import json, sys, inspect
if sys.argv[-1] == "ui":
    import ui
import gradio
docs = {f"{n}.{e}": getattr(getattr(c, e, None), "__doc__", None) for n, c in vars(gradio.components).items()
        if inspect.isclass(c) and hasattr(c, "EVENTS") for e in (x if isinstance(x, str) else x.event_name for x in c.EVENTS)}
print(json.dumps(docs, sort_keys=True))
"""


def test_event_listener_docs_read_as_gradio_writes_them():
    """Filled by a plain replacement instead of a jinja template per listener: the same text."""
    ours = subprocess.run([sys.executable, "-c", DOCS, "ui"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    plain = subprocess.run([sys.executable, "-c", DOCS, "plain"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert ours.returncode == plain.returncode == 0
    assert ours.stdout == plain.stdout and "Textbox" in ours.stdout and "{{" not in ours.stdout
