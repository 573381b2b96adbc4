"""Score a question-answering function on a gold file (shared/eval format).

Each line: {"id", "type", "q", "gold": [measure numbers | "pre" | "gen"],
"all": true?}. Empty gold = the system must decline.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from corpus.models import slug
from rag.models import Answer


class GoldItem(BaseModel):
    id: str
    type: str
    q: str
    gold: list[int | str]
    all: bool = False
    doc: str | None = None  # the gold units' document (file stem or path); None: the default document
    ambiguous: bool = False  # a bare unit number: every document that has it may be answered

    @property
    def keys(self) -> list[str]:
        return [str(g) for g in self.gold]


def doc_id_of(name: str, doc_ids: list[str]) -> str:
    """A gold file's `doc` (an id, a file stem or a path) → the library id `add` gave that file."""
    if name in doc_ids:
        return name
    base = slug(Path(name).stem)
    return base if base in doc_ids else name


class ItemResult(BaseModel):
    id: str
    type: str
    q: str
    gold: list[str]
    got: list[str]
    answered: bool
    rank: int | None  # 1-based rank of the first gold key
    recall: float | None = None  # for "all" items
    precision: float | None = None


class Metrics(BaseModel):
    n: int
    hit1: float | None
    hit3: float | None
    mrr: float | None
    mention_recall: float | None
    mention_precision: float | None
    refusal_accuracy: float | None
    in_scope_refused: int


class Report(BaseModel):
    overall: Metrics
    by_type: dict[str, Metrics]
    items: list[ItemResult]


def read_gold(path: Path) -> list[GoldItem]:
    return [GoldItem.model_validate_json(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def score_item(item: GoldItem, answer: Answer, doc: str | None = None) -> ItemResult:
    """Keys count only from the gold document; for an ambiguous bare number, the other
    documents' units do not count against it (the answer must still include the gold one)."""
    results = answer.results if answer.answered else []
    if item.ambiguous and doc is not None:
        results = [h for h in results if h.doc_id == doc]
    got = [h.key if doc is None or h.doc_id == doc else f"{h.doc_id}#{h.key}" for h in results]
    rank = next((i + 1 for i, key in enumerate(got) if key in item.keys), None)
    res = ItemResult(id=item.id, type=item.type, q=item.q, gold=item.keys, got=got,
                     answered=answer.answered, rank=rank)
    if item.all:
        hit = len(set(got) & set(item.keys))
        res.recall = hit / len(item.keys)
        res.precision = hit / len(got) if got else 0.0
    return res


def _mean(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 4) if xs else None


def metrics(results: list[ItemResult]) -> Metrics:
    scoped = [r for r in results if r.gold]
    oos = [r for r in results if not r.gold]
    lists = [r for r in results if r.recall is not None]
    return Metrics(
        n=len(results),
        hit1=_mean([1.0 if r.rank == 1 else 0.0 for r in scoped]),
        hit3=_mean([1.0 if r.rank and r.rank <= 3 else 0.0 for r in scoped]),
        mrr=_mean([1.0 / r.rank if r.rank else 0.0 for r in scoped]),
        mention_recall=_mean([r.recall for r in lists if r.recall is not None]),
        mention_precision=_mean([r.precision for r in lists if r.precision is not None]),
        refusal_accuracy=_mean([0.0 if r.answered else 1.0 for r in oos]),
        in_scope_refused=sum(1 for r in scoped if not r.answered),
    )


def evaluate(items: list[GoldItem], ask: Callable[[str], Answer], default_doc: str | None = None,
             doc_ids: list[str] | None = None) -> Report:
    ids = doc_ids or []
    results = [score_item(item, ask(item.q), doc_id_of(item.doc, ids) if item.doc else default_doc)
               for item in items]
    groups: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        groups[r.type].append(r)
    return Report(overall=metrics(results), by_type={t: metrics(rs) for t, rs in sorted(groups.items())},
                  items=results)


def format_table(report: Report) -> str:
    cols = ["n", "hit1", "hit3", "mrr", "mention_recall", "mention_precision", "refusal_accuracy", "in_scope_refused"]
    heads = ["type", "n", "hit@1", "hit@3", "MRR", "list recall", "list precision", "refusal acc", "in-scope refused"]
    rows = [("overall", report.overall)] + list(report.by_type.items())

    def cell(v: object) -> str:
        return "–" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))

    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for name, m in rows:
        lines.append("| " + " | ".join([name] + [cell(getattr(m, c)) for c in cols]) + " |")
    return "\n".join(lines)


def misses(report: Report) -> list[str]:
    out = []
    for r in report.items:
        bad = (r.gold and r.rank != 1) or (not r.gold and r.answered) or (r.recall is not None and r.recall < 1)
        if bad:
            out.append(json.dumps({"id": r.id, "q": r.q, "gold": r.gold, "got": r.got[:5]}, ensure_ascii=False))
    return out
