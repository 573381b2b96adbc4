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

from pydantic import BaseModel

from rag.models import Lang

DATA = Path(__file__).resolve().parent / "data"
BANK = DATA / "background.txt"
CALIBRATION = DATA / "refusal.json"


class Calibration(BaseModel):
    min_margin: dict[str, float]  # per language group ("en", "zh"): sentence_top - background_top
    bm25_confident: float  # a question sharing this much vocabulary with a clause is in scope
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


def out_of_scope(cal: Calibration, lang: Lang, sentence_top: float, background_top: float, bm25_top: float) -> bool:
    below = margin(sentence_top, background_top) < cal.min_margin[language_group(lang)]
    return below and bm25_top < cal.bm25_confident
