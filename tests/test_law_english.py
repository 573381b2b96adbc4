"""English questions that name a law by its English name, on real tax laws (real model)."""

from __future__ import annotations

import pytest

from conftest import FIXTURES

LAWS = FIXTURES / "library" / "laws_en"


@pytest.fixture(scope="module")
def tax_engine(settings, embedder, tmp_path_factory):
    from corpus.catalogue import builtin_documents
    from index.ingest import add_paths
    from index.store import prepare_library
    from rag.engine import Engine

    s = settings.model_copy(update={"data_dir": tmp_path_factory.mktemp("tax-laws")})
    lib = prepare_library(s.data_dir, embedder, builtin_documents())
    results = list(add_paths(sorted(LAWS.glob("*.md")), lib, embedder, max_bytes=s.max_file_bytes))
    lib.close()
    assert all(r.added for r in results)
    return Engine.open(s, embedder)


@pytest.mark.parametrize("question,title,article", [
    ("Under the Enterprise Income Tax Law, at what reduced rate are high-tech enterprises that the state "
     "supports taxed?", "企业所得税法", "28"),
    ("According to the Individual Income Tax Law, how much may a resident deduct each year as basic "
     "expenses from comprehensive income?", "个人所得税法", "6"),
])
def test_a_question_naming_a_tax_law_in_english_is_answered_from_it(tax_engine, question, title, article):
    """Tax questions read like the everyday texts refusal compares with; the words they ask beyond
    the law's name (high-tech enterprises, basic expenses) occurring in it keep them answered."""
    a = tax_engine.ask(question)
    assert a.mode == "search", a.message
    assert title in a.results[0].doc_title and article in [h.key for h in a.results[:3]]


@pytest.mark.parametrize("question,said", [("今天上海的天气怎么样？", "没有涉及"),
                                           ("Will it rain in Shanghai tomorrow?", "does not address")])
def test_a_law_declines_in_words_that_fit_a_law(tax_engine, question, said):
    """One document in scope: the refusal names it, and does not call a law a plan."""
    doc = next(d for d in tax_engine.views if d.startswith("企业所得税法"))
    a = tax_engine.ask(question, docs=[doc])
    assert a.mode == "refused" and said in a.message and "企业所得税法" in a.message
    assert "plan" not in a.message and "计划" not in a.message
