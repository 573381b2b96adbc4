"""Names readers give a document's unnumbered parts (corpus/data/part_names.json).

The guiding-principles paragraph of a plan rarely says 总体要求 or 指导思想 and
the preamble never says "preamble"; search needs those words anyway. They are
added to what is embedded and indexed, never to the displayed text.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "part_names.json"


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return {k: v for k, v in json.loads(DATA.read_text("utf-8")).items() if not k.startswith("_")}


def part_names(kind: str) -> str:
    """Search words for a unit of this kind ('' for numbered units, which have their own labels)."""
    return _names().get(kind, "")
