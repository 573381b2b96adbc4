"""Recompute the refusal thresholds (rag/data/refusal.json) from gold sets.

For every gold question that reaches ranked search (no clause number, no
mention list), take its margin = best-sentence cosine minus best cosine to the
everyday bank. Per language group the threshold is midway between the highest
out-of-scope margin and the lowest in-scope one, so no in-scope gold question
is refused when the two groups separate; when they overlap, the in-scope side
wins (a wrong refusal costs the user more than a weak answer).

Margins are pooled over the libraries the thresholds must serve: the shipped
plan alone and a loaded library (more sentences raise every question's best
match, the off-topic ones' too). An out-of-scope question that the engine
declines whatever the threshold (no clause gives the year it asks) does not
constrain it.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from pydantic import BaseModel

from corpus.catalogue import builtin_documents
from rag import refusal
from rag.engine import Engine
from rag.evaluate import GoldItem, doc_id_of
from rag.query import understand

Margins = dict[str, dict[bool, list[float]]]  # language group → in scope? → margins


class GroupMargins(BaseModel):
    in_scope_min: float | None
    out_of_scope_max: float | None
    threshold: float | None
    overlap: bool


class CalibrationReport(BaseModel):
    libraries: list[int]  # documents in each library whose margins were pooled
    groups: dict[str, GroupMargins]
    calibration: refusal.Calibration


def _declined_anyway(engine: Engine, question: str) -> bool:
    """Asked with no margin threshold at all (the engine reads its thresholds per question)."""
    stored = engine.calibration
    engine.calibration = stored.model_copy(update={"min_margin": {g: -math.inf for g in stored.min_margin}})
    try:
        return engine.ask(question).mode == "refused"
    finally:
        engine.calibration = stored


def margins(engine: Engine, items: list[GoldItem], into: Margins | None = None) -> Margins:
    """The margins of `items` on this engine's library; items about a document it lacks are skipped."""
    cal, out = engine.calibration, into if into is not None else {}
    for item in items:
        if item.doc and doc_id_of(item.doc, list(engine.views)) not in engine.views:
            continue
        if engine.ask(item.q).mode not in ("search", "refused"):  # lookups and lists never refuse
            continue
        q = understand(item.q)
        _, r = engine.rank(q)
        if item.gold and r.bm25_top >= cal.bm25_confident:
            continue  # accepted on vocabulary alone; its margin does not constrain the threshold
        if not item.gold and _declined_anyway(engine, item.q):
            continue
        out.setdefault(refusal.language_group(q.lang), {True: [], False: []})[bool(item.gold)].append(
            refusal.margin(r.sentence_top, r.background_top))
    return out


def calibrate(runs: list[tuple[Engine, list[GoldItem]]]) -> CalibrationReport:
    """`runs`: (engine, gold items) per library the thresholds must serve; margins pooled."""
    pooled: Margins = {}
    for engine, items in runs:
        margins(engine, items, pooled)
    cal = runs[0][0].calibration
    groups: dict[str, GroupMargins] = {}
    new = dict(cal.min_margin)
    for group, m in pooled.items():
        lo = min(m[True]) if m[True] else None
        hi = max(m[False]) if m[False] else None
        if lo is not None and hi is not None:
            threshold = round((lo + hi) / 2, 3) if hi < lo else round(lo - 1e-3, 3)
        else:
            threshold = None
        groups[group] = GroupMargins(in_scope_min=lo, out_of_scope_max=hi, threshold=threshold,
                                     overlap=lo is not None and hi is not None and hi >= lo)
        if threshold is not None:
            new[group] = threshold
    updated = cal.model_copy(update={"min_margin": new, "model_id": runs[0][0].embedder.model_id})
    return CalibrationReport(libraries=[len(e.views) for e, _ in runs], groups=groups, calibration=updated)


def recalibrate(engine: Engine, items: list[GoldItem]) -> CalibrationReport:
    """On `engine`'s library and, when it holds more than the shipped plan, on the plan alone too
    (built in a temporary folder with the same model): the thresholds must serve both."""
    s = engine.settings
    with tempfile.TemporaryDirectory() as alone:
        runs = [(engine, items)]
        if len(engine.views) > len(builtin_documents(s.corpus_dir)):
            runs.append((Engine.open(s.model_copy(update={"data_dir": Path(alone)}), engine.embedder), items))
        return calibrate(runs)
