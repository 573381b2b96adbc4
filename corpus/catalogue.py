"""The plans shipped in a corpus folder, listed by its catalogue.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import TypeAdapter

from corpus.models import Chunk, Plan, PlanInfo
from corpus.parse import load_plan

CATALOGUE = "catalogue.json"
DEFAULT_DIR = Path(__file__).resolve().parent / "plans"


def read_catalogue(corpus_dir: Path) -> list[PlanInfo]:
    raw = json.loads((corpus_dir / CATALOGUE).read_text("utf-8"))
    return TypeAdapter(list[PlanInfo]).validate_python(raw)


def load_plans(corpus_dir: Path = DEFAULT_DIR) -> list[Plan]:
    return [load_plan(corpus_dir / info.file, info) for info in read_catalogue(corpus_dir)]


def load_chunks(corpus_dir: Path = DEFAULT_DIR) -> list[Chunk]:
    return [c for plan in load_plans(corpus_dir) for c in plan.chunks]


def corpus_checksum(corpus_dir: Path = DEFAULT_DIR) -> str:
    """Changes whenever the catalogue or any listed plan file changes."""
    h = hashlib.sha256((corpus_dir / CATALOGUE).read_bytes())
    for info in read_catalogue(corpus_dir):
        h.update(info.file.encode())
        h.update((corpus_dir / info.file).read_bytes())
    return h.hexdigest()
