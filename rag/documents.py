"""Which documents a question names: full title, short name, 文号, or a recognisable paraphrase.

Users write 《中华人民共和国反垄断法》, 反垄断法, 国办发〔2018〕118号, but also
"行政执法三项制度指导意见" or "民间借贷司法解释". An exact name always counts; a
paraphrase counts for clause references when most of its character pairs occur
in one document's title (plus the genre word its issuer implies) and clearly
fewer in any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from corpus.models import DocumentInfo
from corpus.text import compact, normalise, normalise_hans
from rag.text_scan import TextScan

# Genre words a title does not spell out but users say, implied by the issuing body.
GENRE_BY_ISSUER = {"最高人民法院": "司法解释", "最高人民检察院": "司法解释", "国务院": "行政法规"}
# How a document refers to itself (本法, 本条例 …), by the genre word its title ends with.
# Genre words a title ends with (法 aside: it ends many longer words, so each use adds it itself).
_GENRES = "计划|规划|方案|意见|通知|通报|条例|规定|办法|细则|规则|解释|决定|纲要"
_SELF_GENRE = re.compile(rf"({_GENRES}|法)(?:[(（][^()（）]*[)）])?$")
MIN_NAME_CHARS = 3  # shorter runs ("本法", "条例") name no particular document
GENRE_WORDS = frozenset("本法 法律 条例 规定 办法 意见 通知 决定 解释 方案 计划 规则".split())  # name no document
PARAPHRASE_COVERAGE = 0.6  # share of the name's character pairs found in the title
PARAPHRASE_LEAD = 0.2  # ... and this much more than in any other document's title
_QUOTED = re.compile(r"《([^《》]{2,80})》")
_NAME_TAIL = re.compile(r"(?:[,，、:：\s]|的|里|中|附件|第)+$")  # "…意见中，" / "…通报里的第" → the name


def _norm(text: str) -> str:
    return compact(normalise(text))


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


@dataclass
class DocNames:
    doc_id: str
    exact: list[str]  # normalised title, short title, 文号, title without 中华人民共和国
    title_pairs: set[str]
    cited: list[str]  # every form, two-character short names too (宪法, 刑法): right before a clause number
    itself: str  # how its clauses refer to it (本法, 本条例 …): self_reference

    @classmethod
    def of(cls, info: DocumentInfo) -> DocNames:
        # A Simplified document's names need no script conversion, the slow part of opening a
        # library of 1,500 laws.
        norm = (lambda t: compact(normalise_hans(t))) if info.script == "hans" else _norm
        title, short, issuer = norm(info.title), norm(info.short_title), norm(info.issuer)
        forms = {title, short, norm(info.doc_number), title.removeprefix("中华人民共和国")}
        genre = "".join(g for name, g in GENRE_BY_ISSUER.items() if issuer == name)
        pairs = _pairs(title + short) | _pairs(genre)
        by_length = sorted((f for f in forms if len(f) >= 2), key=len, reverse=True)
        return cls(info.doc_id, [f for f in by_length if len(f) >= MIN_NAME_CHARS], pairs, by_length,
                   _itself(title))


class NameForms:
    """Every exact name form of a list of documents, by its first two characters: a question is
    checked at each of its positions against the few forms starting there, instead of testing
    every form of 1,500 documents (0.3 ms a question) for containment."""

    def __init__(self, names: list[DocNames]) -> None:
        self.names = names
        self.position = {n.doc_id: pos for pos, n in enumerate(names)}
        self._by_start: dict[str, list[tuple[str, int]]] = {}
        self._cited_by_last: dict[str, list[tuple[str, str]]] = {}  # cited_name: forms by last character
        self._by_pair: dict[str, list[int]] = {}  # paraphrased_name: titles by character pair
        for pos, n in enumerate(names):
            for form in n.exact:
                self._by_start.setdefault(form[:2], []).append((form, pos))
            for form in n.cited:
                self._cited_by_last.setdefault(form[-1], []).append((form, n.doc_id))
            for pair in n.title_pairs:
                self._by_pair.setdefault(pair, []).append(pos)

    @classmethod
    def of(cls, names: list[DocNames], forms: NameForms | None) -> NameForms:
        """`forms` when it indexes exactly `names` (the whole library), else a new index."""
        return forms if forms is not None and forms.names is names else cls(names)

    @cached_property
    def scan(self) -> TextScan:
        """Every document's names as one unit each, to find those containing a word
        (rag.english_names): built on first use, kept with the forms."""
        return TextScan("\0".join("\t".join(n.exact) for n in self.names))

    def present(self, q: str) -> dict[int, set[str]]:
        """Per document position: the forms of its names that `q` contains."""
        found: dict[int, set[str]] = {}
        for i in range(len(q) - 1):
            for form, pos in self._by_start.get(q[i : i + 2], ()):
                if q.startswith(form, i):
                    found.setdefault(pos, set()).add(form)
        return found


def exact_names(question_norm: str, names: list[DocNames], forms: NameForms | None = None) -> tuple[list[str], str]:
    """Documents named exactly, and the question with those names removed. `forms`: the same
    names indexed, kept for the whole library (a selection of a few documents is indexed here)."""
    q = compact(question_norm)
    found: list[str] = []
    for quoted in _QUOTED.findall(q):  # a quoted title that matches a document
        for n in names:
            if quoted in n.exact and n.doc_id not in found:
                found.append(n.doc_id)
    present = NameForms.of(names, forms).present(q)
    spans: list[str] = []
    for pos in sorted(present):
        n = names[pos]
        for form in n.exact:
            if form in present[pos]:
                if n.doc_id not in found:
                    found.append(n.doc_id)
                spans.append(form)
                break
    for form in sorted(spans, key=len, reverse=True):
        q = q.replace(form, " ")
    return found, q


def cited_name(name_part: str, forms: NameForms) -> list[str]:
    """Documents whose name ends the words before a clause number: "宪法第三十五条" names the
    constitution although a two-character name is too short to count anywhere else."""
    name = _NAME_TAIL.sub("", compact(name_part).strip("《》“”\"' "))
    matches = [(len(f), doc) for f, doc in forms._cited_by_last.get(name[-1:], ())
               if name.endswith(f) and f not in GENRE_WORDS]
    longest = max((length for length, _ in matches), default=0)
    return list(dict.fromkeys(doc for length, doc in matches if length == longest))


def paraphrased_name(name_part: str, forms: NameForms) -> str | None:
    """The one document whose title the words before a clause reference describe, if any.
    Only titles sharing a character pair with it are scored (the others score 0)."""
    name = _NAME_TAIL.sub("", compact(name_part).strip("《》“”\"' "))
    pairs = _pairs(name)
    if len(name) < MIN_NAME_CHARS or not pairs:
        return None
    shared: dict[int, int] = {}
    for pair in pairs:
        for pos in forms._by_pair.get(pair, ()):
            shared[pos] = shared.get(pos, 0) + 1
    if not shared:
        return None
    scored = sorted(((count / len(pairs), forms.names[pos].doc_id) for pos, count in shared.items()), reverse=True)
    best = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    if best[0] >= PARAPHRASE_COVERAGE and best[0] - second >= PARAPHRASE_LEAD:
        return best[1]
    return None


# The document a question points at by its genre: 这个计划 / 该条例 / 计划里… / "the plan". 本/该/此
# only where they start a phrase: 基本法, 应该通知, 因此规定 point at nothing.
_POINTED = re.compile(rf"(?:这个|这份|这部|这项|(?<![基根应因如原资日版成])(?:本|该|此))({_GENRES}|法)"
                      rf"|^(?:在)?({_GENRES})(?:中|里|对|提出|要求|规定|说)|({_GENRES})(?:中|里|里面|当中)")
_POINTED_EN = re.compile(r"\b(?:this|the)\s+(?:action\s+)?(plan|regulations?|opinions?|notice|provisions|interpretation)\b")
_EN_GENRE = {"plan": ("计划", "规划"), "regulation": ("条例",), "regulations": ("条例",), "opinion": ("意见",),
             "opinions": ("意见",), "notice": ("通知", "通报"), "provisions": ("规定",), "interpretation": ("解释",)}


def pointed_genres(question_norm: str) -> tuple[str, ...]:
    """Genre words of the document a question points at without naming it ("这个计划的指导思想",
    "What does the plan say about …"): with one document of that genre loaded, it is that one."""
    if m := _POINTED.search(question_norm):
        return (next(g for g in m.groups() if g),)
    if m := _POINTED_EN.search(question_norm):
        return _EN_GENRE[m.group(1)]
    return ()


def self_reference(title: str) -> str:
    """"本法" for a law, "本条例" for a regulation …: a question that names the document is
    searched with these words in place of the name, as the document's own clauses say them
    (反垄断法什么时候施行 → 本法什么时候施行 finds 本法自…起施行; the full name pulled every
    clause that repeats the title's words instead). '' when the title ends in no genre word."""
    return _itself(compact(normalise(title)))


def _itself(title_norm: str) -> str:
    m = _SELF_GENRE.search(title_norm)
    return f"本{m.group(1)}" if m else ""
