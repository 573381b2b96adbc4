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
# An English question naming a document in English is judged also by what it asks beyond the name:
# those words' glosses scored inside that document (rag.english_asked.asked_of_named), since the name
# alone makes any question look close to the law. Measured on the law library (2026-11-30 UTC, 29
# in-scope questions of the gold sets and 12 off-topic ones naming a law): in scope 2.0–21.8,
# off-topic 0–2.3. From NAMED_CONFIDENT on it is in scope. Below NAMED_NOTHING_ASKED nothing it
# asks is in the document ("What does the Passport Law say about the weather?"): declined unless
# it is closer to the document than to everyday texts — a gloss may miss the law's own word ("overtime" is 加班, the
# Labour Law says 延长工作时间), and declining a question the law answers is the worse mistake.
NAMED_NOTHING_ASKED, NAMED_CONFIDENT = 1.0, 3.0


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


def out_of_scope(cal: Calibration, lang: Lang, sentence_top: float, background_top: float, bm25_top: float,
                 asked: float | None = None) -> bool:
    """`asked`: for an English question naming its document, what it asks there (named_out_of_scope)."""
    if asked is not None:
        return named_out_of_scope(cal, sentence_top, background_top, asked)
    below = margin(sentence_top, background_top) < cal.min_margin[language_group(lang)]
    return below and bm25_top < cal.bm25_confident


def named_out_of_scope(cal: Calibration, sentence_top: float, background_top: float, asked: float) -> bool:
    """For an English question that names its document: `asked` = its asked words' evidence there."""
    if asked < NAMED_NOTHING_ASKED and margin(sentence_top, background_top) < 0:
        return True
    return asked < NAMED_CONFIDENT and out_of_scope(cal, "en", sentence_top, background_top, asked)
