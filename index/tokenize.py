"""Chinese word segmentation for the keyword index, taught the plan's own terms.

Terms come from the corpus itself — items of 、-enumerations, quoted phrases
and headings — so place names such as 陕西西咸 or 哈尔滨 stay whole without a
hand-kept list. Everything is matched in Simplified script.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import jieba
from bm25s.stopwords import STOPWORDS_EN_PLUS

from corpus.text import normalise

jieba.setLogLevel(logging.WARNING)

STOPWORDS = frozenset(
    "的 了 和 与 及 等 在 对 是 为 把 将 由 从 向 以 或 并 其 之 而 也 都 就 被 给 让 吗 呢 吧 啊 么 "
    "什么 怎么 怎样 如何 哪些 哪个 有 有关 关于 这 那 这些 那些 我 你 他 我们 说 请问 请 一下 "
    "the a an of to in on for and or is are what which how does do about with by".split()
) | frozenset(STOPWORDS_EN_PLUS)  # English function words ("it", "did") otherwise match the parts' English names
_SPLIT = re.compile(r"[，。；：、（）()“”\"'《》「」『』\s,.;:?？!！]+")
_WORD = re.compile(r"\w", re.UNICODE)


def corpus_terms(texts: Iterable[str]) -> set[str]:
    """Multi-character terms the plan itself delimits: list items and quoted phrases."""
    terms: set[str] = set()
    for text in texts:
        for quoted in re.findall(r"“([^”]{2,12})”", text):
            terms.add(quoted)
        for run in re.findall(r"[^，。；：（）]+(?:、[^，。；：（）、]+)+", text):
            for item in run.split("、"):
                item = re.sub(r"^(支持|对|包括|把握|聚焦|利用|推动|深化|加快)", "", item.strip())
                item = re.sub(r"等.*$", "", item)
                if 2 <= len(item) <= 6:
                    terms.add(item)
    return terms


class Tokenizer:
    """A private jieba instance, so our added terms never leak into others'."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self.terms = sorted(set(terms))
        for term in self.terms:
            self._jieba.add_word(term, freq=20000)

    def tokens(self, text: str) -> list[str]:
        text = normalise(text)
        out: list[str] = []
        for piece in _SPLIT.split(text):
            if not piece:
                continue
            for tok in self._jieba.cut_for_search(piece):
                tok = tok.strip()
                if tok and tok not in STOPWORDS and _WORD.search(tok):
                    out.append(tok)
        return out
