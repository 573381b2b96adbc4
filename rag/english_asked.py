"""What an English question asks of the documents it names in English.

Inside the named law its name's words are no evidence ("Criminal Procedure Law" glossed as 刑事诉讼,
法律, 法学 only favoured the clauses repeating them), and for refusal what it asks beyond the name
is the vocabulary evidence a Chinese question's own words give (rag.refusal.named_out_of_scope).
"""

from __future__ import annotations

import bm25s

from index import keyword
from rag.documents import DocNames
from rag.english_names import beyond_names, without_names
from rag.english_terms import english_terms
from rag.pinyin_tables import PinyinTables
from rag.query import Query
from rag.scope import Scope


def glossed_words(pinyin: PinyinTables, q: Query, scope: Scope) -> list[str] | None:
    """An English question's library words (rag.pinyin_tables); without the name's own words when
    it names its documents in English. None for other questions."""
    if q.lang != "en":
        return None
    return pinyin.glossed(without_names(q.text) if scope.spelled else q.text)


def asked_of_named(bm25: bm25s.BM25, names: list[DocNames], rows: list[int],
                   glossed: list[str] | None) -> float | None:
    """The keyword score, in the documents the question names in English (`names`, their units
    `rows`), of the glossed words it asks beyond their names and genre words. None when it names
    none or asks nothing glossed as the library's words: then it is judged as any question."""
    if not names or not rows:
        return None
    asked = beyond_names(glossed or [], [n.exact[0] for n in names], english_terms())
    return float(keyword.scores(bm25, asked)[rows].max()) if asked else None
