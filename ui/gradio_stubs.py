"""Gradio without two pieces of its import-time work that a server never uses.

Each Gradio component class, as it is defined, reads its module's source, parses it and rewrites
the .pyi stub beside it (gradio.component_meta.create_or_modify_pyi, unconditional in Gradio
6.31), and compiles a jinja template per event listener to put the component's name in the
listener's docstring (EventListener.set_doc). Together 1.1 s of a server's start (importing
gradio 2.4 → 1.3 s), all of it holding the interpreter lock the library's loader needs at the same
moment. The stubs serve type checkers only and ship with Gradio; the docstrings are filled by a
plain replacement, which gives the same text for templates that only name the component.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from collections.abc import Callable
from types import ModuleType

COMPONENT = "{{ component }}"


def _no_stubs(module: ModuleType) -> None:
    if hasattr(module, "create_or_modify_pyi"):  # a Gradio without it: nothing to skip
        module.create_or_modify_pyi = lambda *args, **kwargs: None


def _plain_docs(module: ModuleType) -> None:
    listener = getattr(module, "EventListener", None)
    templated = getattr(listener, "set_doc", None)
    if templated is None:
        return

    def set_doc(self, component: str) -> None:
        doc = self.listener.__doc__
        if doc and ("{%" in doc or doc.count("{{") != doc.count(COMPONENT)):
            templated(self, component)  # more than the component's name: jinja as before
        elif doc:
            self.listener.__doc__ = doc.replace(COMPONENT, component)

    listener.set_doc = set_doc


PATCHES: dict[str, Callable[[ModuleType], None]] = {"gradio.component_meta": _no_stubs, "gradio.events": _plain_docs}


class _Patcher(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        self.waiting = dict(PATCHES)

    def find_spec(self, name: str, path=None, target=None):
        patch = self.waiting.pop(name, None)
        if patch is None:
            return None
        if not self.waiting:
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)  # the real module, found the usual way (we are not asked again)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec


def install() -> None:
    """Before Gradio's first import; later (already imported) it changes nothing."""
    if "gradio" not in sys.modules and not any(isinstance(f, _Patcher) for f in sys.meta_path):
        sys.meta_path.insert(0, _Patcher())
