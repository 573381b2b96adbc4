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


def test_a_question_naming_a_law_but_asking_nothing_it_contains_is_declined(tax_engine):
    """The name alone made any question look close to the law (margin above the English
    threshold): what it asks (冰雪, 哈尔滨: the plan's words) occurs nowhere in the tax law."""
    assert tax_engine.ask("What does the Enterprise Income Tax Law say about the ice and snow festival "
                          "in Harbin?").mode == "refused"
    assert tax_engine.ask("哈尔滨冰雪节").mode != "refused"  # the library itself does speak of it


def test_a_named_question_is_judged_by_what_it_asks_beyond_the_name():
    from rag.refusal import NAMED_CONFIDENT, NAMED_NOTHING_ASKED, load_calibration, named_out_of_scope

    cal = load_calibration()
    low = cal.min_margin["en"] - 0.01  # declined on meaning alone
    assert not named_out_of_scope(cal, 0.80, 0.80 - low, NAMED_CONFIDENT)  # its words are in the law
    assert named_out_of_scope(cal, 0.80, 0.80 - low, (NAMED_NOTHING_ASKED + NAMED_CONFIDENT) / 2)
    assert named_out_of_scope(cal, 0.80, 0.81, 0.0)  # nothing asked is there, and no closer than everyday text
    assert not named_out_of_scope(cal, 0.81, 0.80, 0.0)  # closer: a gloss may miss the law's own word
