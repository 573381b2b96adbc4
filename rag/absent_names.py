"""A question about a named zone that no document in scope mentions.

"深圳前海合作区有什么优惠政策" shares every other word with a plan about new areas, whose
clauses about other zones' policies would be shown as if they answered it. A name ending
in a zone word (新区, 合作区, 自贸区 …) whose distinctive part — the two characters before
the zone word, which every longer form contains — is in no unit in scope names something
the documents do not cover: the question is declined, naming it. Short forms are covered
by the same test (浦东新区 → 浦东 is in the text).
"""

from __future__ import annotations

import re

from rag.text_scan import TextScan

ZONE_WORDS = ("新区", "合作区", "自贸区", "自由贸易试验区", "自由贸易港", "自贸港", "开发区", "高新区", "示范区",
              "试验区", "经济特区", "保税区", "综合保税区")
_ZONE = re.compile("|".join(sorted(ZONE_WORDS, key=len, reverse=True)))
# A character right before the zone word that ends a pointing or linking word (这个新区, 各新区,
# 有关新区, 给新区, 对新区) rather than a name; names end in anything (前海, 上海, 两江).
_NOT_A_NAME = set("这那各该此本个些的和与及在对为了们哪其每某所关等给向从把被让将以于到由跟同或并即若如另几多诸全整我你他她它谁是啥吗呢吧啊")
NAME_UP_TO = 8  # characters of the name shown before the zone word
_LEAD = re.compile(r"^(?:请问|您好|你好|我想(?:知道|问问?|了解)|想问一下|问一下)[，,]?")  # not part of a name shown


def absent_zone(question_norm: str, scan: TextScan, rows: range | None) -> str | None:
    """The first zone name in the question whose distinctive part no unit in `rows` (None: all)
    contains, as written in the question (深圳前海合作区); None when every named zone is mentioned."""
    for m in _ZONE.finditer(question_norm):
        core = question_norm[max(0, m.start() - 2) : m.start()]
        if len(core) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in core) or core[-1] in _NOT_A_NAME:
            continue
        if scan.mentions(core, rows):
            continue
        lead = _LEAD.match(question_norm)
        start, first = m.start() - 2, lead.end() if lead else 0
        while start > first and m.start() - start < NAME_UP_TO and "\u4e00" <= question_norm[start - 1] <= "\u9fff" \
                and question_norm[start - 1] not in _NOT_A_NAME:
            start -= 1  # shown as far back as the name plausibly goes: 深圳前海合作区
        return question_norm[start : m.end()]
    return None
