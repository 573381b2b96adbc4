"""Gradio without two pieces of its import-time work that a server never uses.

Each Gradio component class, as it is defined, reads its module's source, parses it and rewrites
the .pyi stub beside it (gradio.component_meta.create_or_modify_pyi, unconditional in Gradio
6.31), and compiles a jinja template per event listener to put the component's name in the
listener's docstring (EventListener.set_doc). Together 1.1 s of a server's start (importing
gradio 2.4 → 1.0 s), all of it holding the interpreter lock the library's loader needs at the same
moment. The stubs serve type checkers only and ship with Gradio; the docstrings are filled by a
plain replacement, which gives the same text for templates that only name the component. Anything
unexpected (another Gradio layout or signature) leaves Gradio's own code in place.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import logging
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)
COMPONENT = "{{ component }}"


def _no_stubs(module: ModuleType) -> None:
    """Component classes defined from now on write no .pyi stub."""
    if hasattr(module, "create_or_modify_pyi"):
        module.create_or_modify_pyi = lambda *args, **kwargs: None


def _plain_docs(module: ModuleType) -> None:
    """Listener docstrings that only name the component are filled without jinja."""
    listener = getattr(module, "EventListener", None)
    templated = getattr(listener, "set_doc", None)
    if templated is None:
        return

    def set_doc(self: Any, *args: Any, **kwargs: Any) -> None:
        doc = self.listener.__doc__
        plain = len(args) == 1 and not kwargs and isinstance(args[0], str)
        if plain and doc and "{%" not in doc and doc.count("{{") == doc.count(COMPONENT):
            self.listener.__doc__ = doc.replace(COMPONENT, args[0])
        else:  # more than the component's name, or another signature: Gradio's own code
            templated(self, *args, **kwargs)

    listener.set_doc = set_doc


PATCHES: dict[str, Callable[[ModuleType], None]] = {"gradio.component_meta": _no_stubs, "gradio.events": _plain_docs}


class _Patcher(importlib.abc.MetaPathFinder):
    """Finds the patched modules the usual way, and patches each right after it runs."""

    def __init__(self) -> None:
        self.waiting = dict(PATCHES)

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        patch = self.waiting.pop(name, None)
        if patch is None:
            return None
        if not self.waiting:  # rebound, not changed in place: another thread may be reading the list
            sys.meta_path = [f for f in sys.meta_path if f is not self]
        spec = importlib.util.find_spec(name)  # the real module (this finder is not asked again for it)
        if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader:
            return spec  # a zip, frozen or bundled loader serves other modules too: left alone
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            try:
                patch(module)
            except Exception:  # Gradio works as it is, only slower to import
                log.warning("could not skip Gradio's import-time work in %s", name, exc_info=True)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]  # this module's own loader
        return spec


def install() -> None:
    """Before Gradio's first import; later (already imported) it changes nothing."""
    if "gradio" not in sys.modules and not any(isinstance(f, _Patcher) for f in sys.meta_path):
        sys.meta_path.insert(0, _Patcher())
