"""Refusal: decline a question no clause answers, instead of citing a random one.

A question is compared with the corpus's best sentence and with a bank of
everyday texts (rag/data/background.txt). It is declined when it is not
clearly closer to the corpus than to everyday topics and shares little
vocabulary with any clause. The thresholds are data (rag/data/refusal.json),
recomputed from gold sets by `policy-rag calibrate` (rag/calibrate.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from rag.models import Lang

DATA = Path(__file__).resolve().parent / "data"
BANK = DATA / "background.txt"
CALIBRATION = DATA / "refusal.json"


class Calibration(BaseModel):
    min_margin: dict[str, float]  # per language group ("en", "zh"): sentence_top - background_top
    bm25_confident: float  # a question sharing this much vocabulary with a clause is in scope
    # per language group: the off-topic floor (see `floors`) of the library min_margin was set on;
    # a library whose floor is higher raises the threshold by the difference
    floor_reference: dict[str, float] = {}
    model_id: str = ""
    method: str = ""
    gold: list[str] = []


def background_texts() -> list[str]:
    lines = BANK.read_text("utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def load_calibration(path: Path = CALIBRATION) -> Calibration:
    return Calibration.model_validate(json.loads(path.read_text("utf-8")))


def language_group(lang: Lang) -> str:
    """English questions score lower against Chinese text across the board."""
    return "en" if lang == "en" else "zh"


def margin(sentence_top: float, background_top: float) -> float:
    return sentence_top - background_top


def floors(sentence_rows: np.ndarray, bank_queries: np.ndarray, bank_passages: np.ndarray,
           groups: list[str]) -> dict[str, float]:
    """Per language group, the median margin of the bank's everyday texts asked as questions of this
    library (their best sentence here minus their best *other* bank text). The more text a library
    holds, the closer its best sentence gets to any question; this measures by how much."""
    top = (bank_queries @ sentence_rows.T).max(axis=1) if len(sentence_rows) else np.full(len(bank_queries), -1.0)
    others = bank_queries @ bank_passages.T
    np.fill_diagonal(others, -1.0)
    margins = top - others.max(axis=1)
    return {g: float(np.median([m for m, gg in zip(margins, groups) if gg == g])) for g in set(groups)}


def threshold(cal: Calibration, group: str, floor: dict[str, float]) -> float:
    ref = cal.floor_reference.get(group)
    shift = floor[group] - ref if ref is not None and group in floor else 0.0
    return cal.min_margin[group] + max(0.0, shift)


def out_of_scope(cal: Calibration, lang: Lang, sentence_top: float, background_top: float, bm25_top: float,
                 floor: dict[str, float] | None = None) -> bool:
    group = language_group(lang)
    below = margin(sentence_top, background_top) < threshold(cal, group, floor or {})
    return below and bm25_top < cal.bm25_confident
