"""Names readers give a document's unnumbered parts (corpus/data/part_names.json).

The guiding-principles paragraph of a plan rarely says 总体要求 or 指导思想 and
the preamble never says "preamble"; search needs those words anyway. They are
added to what is embedded and indexed, never to the displayed text. A question
that asks for the part itself (坚持哪些原则, "why was it drawn up") is
recognised too: a measure sharing more of its words must not outrank the part.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from corpus.models import Chunk
from corpus.text import normalise

DATA = Path(__file__).resolve().parent / "data" / "part_names.json"
ROLES = DATA.with_name("clause_roles.json")


@lru_cache(maxsize=1)
def _parts() -> dict[str, dict[str, str]]:
    return {k: v for k, v in json.loads(DATA.read_text("utf-8")).items() if not k.startswith("_")}


PART_KINDS = frozenset(_parts())


def part_names(kind: str) -> str:
    """Search words for a unit of this kind ('' for numbered units, which have their own labels)."""
    return _parts().get(kind, {}).get("names", "")


@lru_cache(maxsize=1)
def _asked() -> list[tuple[str, str, re.Pattern, re.Pattern]]:
    return [(kind, what, re.compile(a["question"]), re.compile(a["title"]))
            for kind, v in _parts().items() for what, a in v.get("asked", {}).items()]


def asked_parts(question_norm: str) -> list[tuple[str, str]]:
    """(part kind, what of it) a question asks for by what readers call it (Simplified, lower case):
    ("principles", "goals") for 新区的总体目标是什么."""
    return [(kind, what) for kind, what, question, _ in _asked() if question.search(question_norm)]


ASKABLE = tuple((kind, what) for kind, what, _, _ in _asked())


def titled_as(title_norm: str) -> list[tuple[str, str]]:
    """(part kind, what of it) a numbered unit's title names: （三）工作目标 → ("principles", "goals")."""
    return [(kind, what) for kind, what, _, title in _asked() if title.search(title_norm)]


def part_units(chunks: list[Chunk]) -> dict[tuple[str, str], list[int]]:
    """What a question asking for a part by name (坚持哪些原则) gets first, per (kind, what): the
    unnumbered part of that kind, and a numbered unit titled so (an opinion's （二）基本原则)."""
    parts: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(chunks):
        asked = [p for p in ASKABLE if p[0] == c.kind] if c.kind in PART_KINDS else []
        for p in asked + (titled_as(normalise(c.title)) if c.title and c.number is not None else []):
            parts.setdefault(p, []).append(i)
    return parts


@lru_cache(maxsize=1)
def _roles() -> list[tuple[re.Pattern, str]]:
    data = json.loads(ROLES.read_text("utf-8"))
    return [(re.compile(v["pattern"]), v["names"]) for k, v in data.items() if not k.startswith("_")]


def role_names(text_hans: str) -> str:
    """Keyword-index words for the roles a clause plays (corpus/data/clause_roles.json):
    '本条例自2024年12月1日起施行' is the commencement clause an English question asks for
    with 'take effect'. Indexed, never embedded or displayed."""
    return " ".join(names for pattern, names in _roles() if pattern.search(text_hans))
