"""Gradio without its import-time type-stub writer.

Each Gradio component class, as it is defined, reads its module's source, parses it and rewrites
the .pyi stub beside it (gradio.component_meta.create_or_modify_pyi, unconditional in Gradio
6.31): 1.0 s of a server's start (importing gradio 2.4 → 1.4 s), all of it holding the
interpreter lock the library's loader needs at the same moment. The stubs serve type checkers
only and ship with Gradio, so the server skips writing them.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from types import ModuleType

MODULE = "gradio.component_meta"


class _SkipStubs(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path=None, target=None):
        if name != MODULE:
            return None
        sys.meta_path.remove(self)  # once: find the real module the usual way, then wrap its loading
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            if hasattr(module, "create_or_modify_pyi"):  # a Gradio without it: nothing to skip
                module.create_or_modify_pyi = lambda *args, **kwargs: None

        spec.loader.exec_module = exec_module
        return spec


def install() -> None:
    """Before Gradio's first import; later (already imported) it changes nothing."""
    if MODULE not in sys.modules and not any(isinstance(f, _SkipStubs) for f in sys.meta_path):
        sys.meta_path.insert(0, _SkipStubs())
