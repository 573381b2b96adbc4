"""A clause that applies another document's clause by citing it comes after the clause it cites.

An implementing regulation or interpretation often restates a law's rule for its own setting
and says so ("应当依照劳动合同法第八十二条的规定向劳动者每月支付两倍的工资"): it then matches a
question as well as the rule itself, or better, since it repeats the rule's words and adds its
own. When the best clause cites a clause of another document that is among the best few, the
cited clause — the rule the question is about — is shown first. Citations within one document
(依照本法第四十六条) are structure, not restatement, and are left alone.

The same holds for a regulation, rule or interpretation that applies "the law" without naming it
(应当依照法律规定承担无理由退货义务): a clause among the best DEFERS_WITHIN of a law the document
names as its basis (根据《消费者权益保护法》…制定本办法) comes first. Only those lower documents
defer so; a law saying 依照法律规定 points at other laws, and an exception (…的除外) or the
document's own basis (…制定本条例) applies no rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus.models import Chunk
from corpus.numerals import NUMERAL_CHARS, cn_to_int
from rag.documents import NameForms, cited_name

DEFERS_WITHIN = 3  # no number says which clause is meant: only a close second or third
LOWER = frozenset("本条例 本规定 本办法 本细则 本规则 本解释".split())  # how the deferring documents call themselves
_DEFERS = re.compile(r"(?:依照|按照|依据|根据)(?:有关)?法律(?:、(?:行政)?法规)?的?规定(?![^。；]*(?:除外|制定本))")
_LAW_TITLE = re.compile(r"(?<!办)法典?$")  # 消费者权益保护法, 民法典; not 处罚办法
_BASIS = re.compile(r"《([^《》]{2,60})》")

_CITES = re.compile(rf"(?:依照|按照|依据|根据|适用)《?([^，。；：《》\s]{{2,40}}?)》?第([\d{NUMERAL_CHARS}]+)条")


def cited_clauses(c: Chunk, forms: NameForms) -> list[tuple[str, str]]:
    """(document id, unit key) of the other documents' clauses `c` applies by name and number."""
    out = []
    for m in _CITES.finditer(c.text_hans):
        n = cn_to_int(m.group(2))
        docs = cited_name(m.group(1), forms) if n is not None else []
        out += [(doc, str(n)) for doc in docs if doc != c.doc_id]
    return out


def basis_laws(doc_chunks: list[Chunk], forms: NameForms) -> frozenset[str]:
    """The laws a regulation, rule or interpretation names in its opening, up to its first
    article (根据《中华人民共和国民法典》《中华人民共和国民事诉讼法》…制定本解释); none for others."""
    if not doc_chunks or _genre(doc_chunks[0].doc_id, forms) not in LOWER:
        return frozenset()
    opening = []
    for c in doc_chunks:
        opening.append(c.text_hans)
        if c.number is not None:
            break
    names = (n for text in opening for n in _BASIS.findall(text))
    return frozenset(d for n in names for d in cited_name(n, forms) if _is_law(d, forms))


def cited_first(ranked: list[tuple[int, float]], chunks: list[Chunk], forms: NameForms, window: int,
                basis: Callable[[str], frozenset[str]] = lambda doc_id: frozenset()) -> list[tuple[int, float]]:
    """`ranked` (unit index, score), with the clause the best one applies moved to the front when
    it is among the best `window` (cited by name and number), or among the best DEFERS_WITHIN
    (a clause of a law in `basis(doc_id)`, the best clause saying it applies "the law"). It takes
    the best score (shown as fully relevant, as the rule the best clause applies)."""
    if len(ranked) < 2:
        return ranked
    best = chunks[ranked[0][0]]
    wanted = set(cited_clauses(best, forms))
    if wanted:
        source = (lambda c: (c.doc_id, c.key) in wanted)
    elif _DEFERS.search(best.text_hans) and (laws := basis(best.doc_id)):
        source, window = (lambda c: c.doc_id in laws), min(window, DEFERS_WITHIN)
    else:
        return ranked
    for pos, (i, _) in enumerate(ranked[1:window], start=1):
        if source(chunks[i]):
            return [(i, ranked[0][1])] + ranked[:pos] + ranked[pos + 1 :]
    return ranked


def _genre(doc_id: str, forms: NameForms) -> str:
    pos = forms.position.get(doc_id)
    return forms.names[pos].itself if pos is not None else ""


def _is_law(doc_id: str, forms: NameForms) -> bool:
    """A law or code (消费者权益保护法, 民法典), not a regulation, rule or interpretation."""
    pos = forms.position.get(doc_id)
    return pos is not None and bool(_LAW_TITLE.search(forms.names[pos].exact[0] if forms.names[pos].exact else ""))
