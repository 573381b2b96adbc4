"""Which documents a question is about: the ones it names, else the selected ones, else all.

A document named exactly (title, short name, 文号, 《…》) always narrows the
scope; so does one an English question spells (rag.english_names). Words before a clause reference or before a list question ("行政执法
三项制度指导意见中，哪些条目提到…") narrow it when they describe one document's
title clearly (rag.documents.paraphrased_name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from corpus.text import has_han
from rag.documents import DocNames, NameForms, cited_name, exact_names, paraphrased_name, pointed_genres
from rag.english_names import named_in_english
from rag.english_terms import english_terms
from rag.lookup import DocView
from rag.references import Reference

_LIST_START = re.compile(r"(?:哪些|哪几|哪个|有什么|有没有)")


@dataclass
class Scope:
    views: list[DocView]  # in library order
    named: bool  # the question itself named the document(s)
    rest: str  # the question (normalised) without the document's name, for term extraction
    spelled: bool = False  # an English question spelled the document's name (rag.english_names)


def resolve(question_norm: str, ref: Reference, views: list[DocView], names: list[DocNames],
            forms: NameForms | None = None) -> Scope:
    """`views`/`names`: the selectable documents (all, or those the user selected); `forms`: their
    names indexed, when they are the whole library."""
    forms = NameForms.of(names, forms)

    def pick(ids: Iterable[str]) -> list[DocView]:  # in library order, without a pass over all documents
        return [views[i] for i in sorted({forms.position[d] for d in ids})]

    found, rest = exact_names(question_norm, names, forms)
    if len(views) == 1:
        return Scope(views, bool(found), rest.strip(" ，,、的中里") if found else question_norm)
    if found:
        return Scope(pick(found), True, rest.strip(" ，,、的中里"))
    if not has_han(question_norm):
        spelled = named_in_english(question_norm, forms, english_terms)
        if spelled:  # not `named`: the question keeps its own English words (no 本法 in place of a name)
            return Scope(pick(spelled), False, question_norm, spelled=True)
    cut = ref.start if ref.start is not None else (m.start() if (m := _LIST_START.search(question_norm)) else None)
    if cut:
        cited = cited_name(question_norm[:cut], forms)
        if cited:
            return Scope(pick(cited), True, question_norm[cut:])
        doc = paraphrased_name(question_norm[:cut], forms)
        if doc:
            return Scope(pick([doc]), True, question_norm[cut:])
    genres = pointed_genres(question_norm)
    pointed = [v for v, n in zip(views, names) if n.itself and n.itself[1:] in genres] if genres else []
    if len(pointed) == 1:  # 这个计划… with one plan loaded: that plan (several: all are searched)
        return Scope(pointed, False, question_norm)
    return Scope(views, False, question_norm)
