"""A clause that applies another document's clause by citing it comes after the clause it cites.

An implementing regulation or interpretation often restates a law's rule for its own setting
and says so ("应当依照劳动合同法第八十二条的规定向劳动者每月支付两倍的工资"): it then matches a
question as well as the rule itself, or better, since it repeats the rule's words and adds its
own. When the best clause cites a clause of another document that is among the best few, the
cited clause — the rule the question is about — is shown first. Citations within one document
(依照本法第四十六条) are structure, not restatement, and are left alone.

The same holds for a regulation, rule or interpretation that applies "the law" without naming it
(应当依照法律规定承担无理由退货义务): the law's clause among the best DEFERS_WITHIN that states the
rule comes first. Only a clause of a lower document defers so; a law saying 依照法律规定 points
at other laws, not at one near it in the ranking.
"""

from __future__ import annotations

import re

from corpus.models import Chunk
from corpus.numerals import NUMERAL_CHARS, cn_to_int
from rag.documents import NameForms, cited_name

DEFERS_WITHIN = 3  # no name or number says which clause is meant: only a close second or third
_DEFERS = re.compile(r"(?:依照|按照|依据|根据)(?:有关)?法律(?:、行政法规)?的?规定")

_CITES = re.compile(rf"(?:依照|按照|依据|根据|适用)《?([^，。；：《》\s]{{2,40}}?)》?第([\d{NUMERAL_CHARS}]+)条")


def cited_clauses(c: Chunk, forms: NameForms) -> list[tuple[str, str]]:
    """(document id, unit key) of the other documents' clauses `c` applies by name and number."""
    out = []
    for m in _CITES.finditer(c.text_hans):
        n = cn_to_int(m.group(2))
        docs = cited_name(m.group(1), forms) if n is not None else []
        out += [(doc, str(n)) for doc in docs if doc != c.doc_id]
    return out


def cited_first(ranked: list[tuple[int, float]], chunks: list[Chunk], forms: NameForms,
                window: int) -> list[tuple[int, float]]:
    """`ranked` (unit index, score), with a clause the best one cites moved to the front when it
    is among the best `window`; it takes the best score (shown as fully relevant, as the rule
    the best clause applies), the others keep theirs."""
    if len(ranked) < 2:
        return ranked
    best = chunks[ranked[0][0]]
    wanted = set(cited_clauses(best, forms))
    if wanted:
        source = (lambda c: (c.doc_id, c.key) in wanted)
    elif _DEFERS.search(best.text_hans) and not _is_law(best.doc_id, forms):
        source, window = (lambda c: _is_law(c.doc_id, forms)), DEFERS_WITHIN
    else:
        return ranked
    for pos, (i, _) in enumerate(ranked[1:window], start=1):
        if source(chunks[i]):
            return [(i, ranked[0][1])] + ranked[:pos] + ranked[pos + 1 :]
    return ranked


def _is_law(doc_id: str, forms: NameForms) -> bool:
    """A law (its clauses say 本法), not a regulation, rule or interpretation."""
    pos = forms.position.get(doc_id)
    return pos is not None and forms.names[pos].itself == "本法"
