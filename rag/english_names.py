"""Documents an English question names: "the Anti-Foreign Sanctions Law" is 反外国制裁法.

Official English names are word-for-word renderings of the Chinese ones, so a run of words
ending in a genre word (Law, Regulations, Code …) names a document when the dictionary
senses of its words (rag/english_terms.py) spell one of that document's names, leaving at most
UNSPELLED of its characters unaccounted for (legal English a general dictionary lacks, such as
"civil procedure" for 民事诉讼, comes from rag/data/legal_glosses.tsv). A name no word spells is
not guessed at: that question keeps searching the whole library rather than a wrong law.
"""

from __future__ import annotations

from collections.abc import Callable

from rag.documents import DocNames, NameForms
from rag.english_terms import LONGEST, STOP, WORD, EnglishTerms, keys, word_forms

# Genre words and prefixes a dictionary gives no one-character sense for (law → 法).
GENRES = {"law": ("法",), "code": ("法典", "法"), "regulations": ("条例", "规定"), "regulation": ("条例", "规定"),
          "rules": ("规则", "规定", "办法"), "measures": ("办法", "措施"), "provisions": ("规定",),
          "interpretation": ("解释",), "interpretations": ("解释",)}
PREFIXES = {"anti": ("反",), "non": ("非",)}
COUNTRY = frozenset("prc people peoples republic china chinese s of the".split())
CONTINUES = frozenset({"and", "or"})  # "… Mediation and Arbitration Law": the name goes on before this
BEFORE = 6  # words before the genre word that may belong to the name
UNSPELLED = 1  # characters of the name no word of the question accounts for
MAX_TIED = 3  # different names spelled equally well that still narrow the search
MAX_NAMES = 3  # genre words of one question looked at ("law law law …" costs no more)
Sense = tuple[str, bool]  # Chinese, and whether a gloss says exactly this (not a compound using the word)


def _senses(terms: EnglishTerms, words: list[str], longest: int = LONGEST) -> list[list[Sense]]:
    """Per stretch of the name's words (longest dictionary phrase first): its possible Chinese."""
    out, i = [], 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            span = words[i : i + n]
            found = [(w, True) for k in keys(span) for w in terms.table.get(k, ())]
            if n == 1:
                found += [(w, True) for w in GENRES.get(span[0], ()) + PREFIXES.get(span[0], ())]
                found += [(w, False) for f in word_forms(span[0]) for w in terms.within.get(f, ())]
            if found:
                out.append(found)
                i += n
                break
        else:
            if words[i] not in CONTINUES:  # an "and" no phrase holds ("exit and entry" does) spells nothing
                return []  # a word with no Chinese at all: not a name we can read
            i += 1
    return out


def _unspelled(name: str, senses: list[list[Sense]], genre: tuple[str, ...] = ()) -> tuple[int, int] | None:
    """(characters of `name` no word accounts for, compounds used), once each stretch takes its
    longest sense found in it; None if some stretch has none. A compound that only uses the word
    (劳动合同, "labor contract", for "labour") accounts for two of its characters, not all of
    them, and an exact gloss beats it (教育 over 体育, "physical education", for "education").
    `genre`: the Chinese of the name's last word, which a gloss of the words before it may already
    hold ("criminal procedure" is 刑事诉讼法 in CC-CEDICT, "law" then has nothing left to spell)."""
    left, extra, loose, short = name, 0, 0, False
    for options in senses:
        hit = max((s for s in options if s[0] in left), key=lambda s: (s[1], len(s[0])), default=None)
        if hit is None:
            if not left and options is senses[-1] and name.endswith(genre):
                continue
            # A name abbreviates a word by its first character (车船税法: 车 for 车辆, 船 for 船只);
            # never its genre word, which must be spelled ("Criminal Procedure Rules" is no 刑事诉讼法)
            hit = next(((w[0], False) for w, exact in options
                        if exact and len(w) > 1 and w[0] in left and options is not senses[-1]), None)
            if hit is None:
                return None
            short = True
        left = left.replace(hit[0], "", 1)
        if not hit[1]:
            extra, loose = extra + max(0, len(hit[0]) - 2), loose + 1
    if short and left:  # an abbreviated name is spelled whole ("Contract Law" is not 契(约)税法)
        return None
    return len(left) + extra, loose


def beyond_names(words: list[str], titles: list[str], terms: EnglishTerms) -> list[str]:
    """An English question's glossed words (rag.pinyin_tables) that are not the named documents'
    titles or genre words: what the question asks of those documents."""
    genre = {w for g in GENRES for w in terms.table.get(g, ())}
    return [w for w in words if w not in genre and not any(w in t for t in titles)]


def _stretches(words: list[str]) -> list[list[str]]:
    """Runs of words ending in a genre word that may be a document's name, at most MAX_NAMES."""
    out: list[list[str]] = []
    for start, end in _spans(words):
        # "X and Y Law" is one name (劳动争议调解仲裁法), never "Y Law"
        name = [w for w in words[start:end] if w != "s"]  # people's → people
        if name not in out:
            out.append(name)
    return out[:MAX_NAMES]


def _spans(words: list[str]) -> list[tuple[int, int]]:
    """Where those runs are: (first word, one past the genre word)."""
    out: list[tuple[int, int]] = []
    for j, w in enumerate(words):
        if w not in GENRES:
            continue
        start = j
        while start > max(0, j - BEFORE) and (words[start - 1] not in COUNTRY | STOP or _joins(words, start - 1)
                                               or _peoples(words, start - 1)):
            start -= 1
        if j - start >= 1:  # "the law" alone names nothing
            out.append((start, j + 1))
    return out


def _peoples(words: list[str], i: int) -> bool:
    """`words[i]` is "people's" in a name (人民陪审员法, "the People's Assessors Law"; 人民调解法),
    not in "the People's Republic of China", which names the country, not the document."""
    at = i - 1 if words[i] == "s" else i  # "people's" is read as "people", "s"
    return (0 <= at and words[at] in ("people", "peoples") and words[at + 1 : at + 2] != ["republic"]
            and words[at + 2 : at + 3] != ["republic"])


def _joins(words: list[str], i: int) -> bool:
    """`words[i]` is an "and" inside a name: a name word on each side of it ("Labour Law and
    Arbitration Law" are two names)."""
    return (words[i] in CONTINUES and 0 < i < len(words) - 1
            and words[i - 1] not in COUNTRY | STOP | GENRES.keys() and words[i + 1] not in COUNTRY | STOP)


def _spelled_best(stretch: list[str], forms: NameForms, terms: EnglishTerms) -> list[DocNames]:
    """The documents one run of words spells best, with at most UNSPELLED characters left over:
    read by its longest glossed phrases first, then word by word (a phrase may be glossed short:
    "enterprise bankruptcy" is 破产, and 企业破产法 needs 企业 too)."""
    for longest in (LONGEST, 1):
        senses = _senses(terms, stretch, longest)
        found = _best_names(senses, stretch, forms, terms) if senses else []
        if found:
            return found
    return []


def _best_names(senses: list[list[Sense]], stretch: list[str], forms: NameForms,
                terms: EnglishTerms) -> list[DocNames]:
    # Names holding a sense of the first word (of the second after "People's": 人民 is in every
    # 中华人民共和国…), or one of two characters or more of the last phrase unless that is the genre
    # word alone (every name with 法律 in it): a name may abbreviate its first word (契税法 holds 契
    # of 契据, and 税法 of "tax law")
    lead = 1 if stretch[0] in ("people", "peoples") and len(senses) > 2 else 0
    alone = {o for r in _senses(terms, stretch[-1:]) for o, _ in r}
    held = {o for o, _ in senses[lead]} | {o for o, _ in senses[-1] if len(o) > 1} - alone
    genre = GENRES.get(stretch[-1], ())
    best, found = (UNSPELLED, LONGEST * BEFORE), []
    for n in (forms.names[i] for i in sorted({i for o in held for i in forms.scan.containing(o)})):
        score = min((u for f in n.exact if (u := _unspelled(f, senses, genre)) is not None), default=None)
        if score is None or score > best:
            continue
        if score < best:
            best, found = score, []
        if n not in found:
            found.append(n)
    return found


def without_names(question: str) -> str:
    """The question's words outside every run that may be a document's name: what it asks of
    the document ("What does the Labour Law say about overtime?" → "what does the say about
    overtime"), so that the name's own words are no evidence of it. Only the runs go: the same
    word elsewhere is asked ("… the bankrupt's property paid out after bankruptcy expenses")."""
    words = WORD.findall(question.lower())
    named = {i for start, end in _spans(words) for i in range(start, end)}
    return " ".join(w for i, w in enumerate(words) if i not in named)


def named_in_english(question: str, forms: NameForms, terms: Callable[[], EnglishTerms]) -> list[str]:
    """The documents (ids) whose name the question spells in English best. A few may tie
    ("labour" glosses both 劳动 and 工会): up to MAX_TIED names are kept, for the search to
    choose among; more say nothing. Each name the question gives counts ("the Labour Law and
    Arbitration Law": both). `terms` is called only when a genre word is there."""
    stretches = _stretches(WORD.findall(question.lower()))
    if not stretches:
        return []
    found: list[DocNames] = []
    for stretch in stretches:
        found += [n for n in _spelled_best(stretch, forms, terms()) if n not in found]
    spelled = {n.exact[0] for n in found}
    return [n.doc_id for n in found] if len(spelled) <= MAX_TIED else []
