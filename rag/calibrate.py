"""Recompute the refusal thresholds (rag/data/refusal.json) from gold sets.

For every gold question that reaches ranked search (no clause number, no
mention list), take its margin = best-sentence cosine minus best cosine to the
everyday bank. Per language group the threshold is midway between the highest
out-of-scope margin and the lowest in-scope one, so no in-scope gold question
is refused when the two groups separate; when they overlap, the in-scope side
wins (a wrong refusal costs the user more than a weak answer).
"""

from __future__ import annotations

from pydantic import BaseModel

from rag import refusal
from rag.engine import Engine
from rag.evaluate import GoldItem
from rag.query import understand


class GroupMargins(BaseModel):
    in_scope_min: float | None
    out_of_scope_max: float | None
    threshold: float | None
    overlap: bool


class CalibrationReport(BaseModel):
    groups: dict[str, GroupMargins]
    calibration: refusal.Calibration


def calibrate(engine: Engine, items: list[GoldItem]) -> CalibrationReport:
    cal = engine.calibration
    margins: dict[str, dict[bool, list[float]]] = {}
    for item in items:
        if engine.ask(item.q).mode not in ("search", "refused"):  # lookups and lists never refuse
            continue
        q = understand(item.q)
        _, r = engine.rank(q)
        if item.gold and r.bm25_top >= cal.bm25_confident:
            continue  # accepted on vocabulary alone; its margin does not constrain the threshold
        group = refusal.language_group(q.lang)
        margins.setdefault(group, {True: [], False: []})[bool(item.gold)].append(
            refusal.margin(r.sentence_top, r.background_top))
    groups: dict[str, GroupMargins] = {}
    new = dict(cal.min_margin)
    for group, m in margins.items():
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
    updated = cal.model_copy(update={"min_margin": new, "model_id": engine.embedder.model_id})
    return CalibrationReport(groups=groups, calibration=updated)
