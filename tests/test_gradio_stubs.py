"""The server imports Gradio without rewriting its type stubs (ui/gradio_stubs.py): a second of
every start, spent holding the lock the library's loader needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test imports Gradio in a fresh interpreter

ROOT = Path(__file__).resolve().parent.parent


STUBS = """
import sys
stubs = []
sys.addaudithook(lambda event, args: stubs.append(args[0]) if event == "open" and str(args[0]).endswith(".pyi") else None)
if sys.argv[-1] == "ui":
    import ui
import gradio
with gradio.Blocks() as demo:
    box = gradio.Textbox(label="q")
print(len(stubs), box.label, box in demo.blocks.values())
"""


def test_gradio_imported_through_ui_opens_no_type_stub_and_still_builds_components():
    out = subprocess.run([sys.executable, "-c", STUBS, "ui"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "0 q True", out.stderr[-2000:]


def test_gradio_imported_on_its_own_reads_its_stubs_as_before():
    """What the server skips: without ui, each component class opens its .pyi stub."""
    out = subprocess.run([sys.executable, "-c", STUBS, "plain"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    opened, label, built = out.stdout.split()
    assert int(opened) > 20 and (label, built) == ("q", "True")


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
