"""The documents built into every library: the plans in a corpus folder's catalogue.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from corpus.models import Chunk, DocumentInfo, Plan, PlanInfo
from corpus.parse import PARSER_VERSION, load_plan

CATALOGUE = "catalogue.json"
DEFAULT_DIR = Path(__file__).resolve().parent / "plans"


class BuiltinDocument(BaseModel):
    """A shipped plan, parsed, ready to be embedded into the library."""

    info: DocumentInfo
    chunks: list[Chunk]
    source_sha256: str  # changes with the file, its catalogue entry or the parser
    source_path: Path


def read_catalogue(corpus_dir: Path) -> list[PlanInfo]:
    raw = json.loads((corpus_dir / CATALOGUE).read_text("utf-8"))
    return TypeAdapter(list[PlanInfo]).validate_python(raw)


def load_plans(corpus_dir: Path = DEFAULT_DIR) -> list[Plan]:
    return [load_plan(corpus_dir / info.file, info) for info in read_catalogue(corpus_dir)]


def load_chunks(corpus_dir: Path = DEFAULT_DIR) -> list[Chunk]:
    return [c for plan in load_plans(corpus_dir) for c in plan.chunks]


def builtin_documents(corpus_dir: Path = DEFAULT_DIR) -> list[BuiltinDocument]:
    out = []
    for plan in load_plans(corpus_dir):
        path = corpus_dir / plan.info.file
        measures = [c for c in plan.chunks if c.kind == "measure"]
        sections = {c.section for c in measures if c.section}
        h = hashlib.sha256(path.read_bytes())
        h.update(plan.info.model_dump_json().encode() + PARSER_VERSION.encode())
        info = DocumentInfo(
            doc_id=plan.info.doc_id, title=plan.info.title, short_title=plan.info.short_title, script="hant",
            unit_kind="measure", units=len(measures), summary=f"{len(measures)} measures in {len(sections)} sections",
            source=str(path), stored_source=plan.info.file, format="txt", builtin=True,
            dates={"发布": plan.info.date},
        )
        out.append(BuiltinDocument(info=info, chunks=plan.chunks, source_sha256=h.hexdigest(), source_path=path))
    return out
