"""Query understanding, retrieval and answers. `from rag import Engine`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rag.engine import Engine
    from rag.models import Answer, Hit

__all__ = ["Answer", "Engine", "Hit"]


def __getattr__(name: str) -> Any:  # lazy: `policy-rag --help` should not load torch
    if name == "Engine":
        from rag.engine import Engine

        return Engine
    if name in ("Answer", "Hit"):
        from rag import models

        return getattr(models, name)
    raise AttributeError(name)
