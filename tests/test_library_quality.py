"""Answer quality with the shipped plan and the five library documents loaded together (real model)."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, FIXTURES
from rag.evaluate import evaluate, format_table, read_gold

LIB = FIXTURES / "library"


@pytest.fixture(scope="module")
def library_engine(settings, embedder, tmp_path_factory):
    from corpus.catalogue import builtin_documents
    from index.ingest import add_paths
    from index.store import prepare_library
    from rag.engine import Engine

    s = settings.model_copy(update={"data_dir": tmp_path_factory.mktemp("quality-library")})
    lib = prepare_library(s.data_dir, embedder, builtin_documents())
    results = list(add_paths(sorted(p for p in LIB.iterdir() if p.suffix in (".md", ".html")), lib, embedder,
                             max_bytes=s.max_file_bytes))
    lib.close()
    assert all(r.added for r in results)
    return Engine.open(s, embedder)


def test_unit_counts_match_the_official_texts(library_engine):
    units = json.loads((LIB / "units.json").read_text("utf-8"))
    for doc_id, want in units.items():
        info = library_engine.views[doc_id].info
        assert (info.unit_kind, info.units) == (want["unit"], want["count"]), doc_id


def test_library_question_targets(library_engine, report):
    items = read_gold(LIB / "questions.jsonl")
    result = evaluate(items, library_engine.ask, doc_ids=list(library_engine.views))
    report.append("library questions (plan + 5 documents):\n" + format_table(result))
    single = [r for r in result.items if r.gold and r.recall is None]
    assert sum(r.rank == 1 for r in single) / len(single) >= 0.90
    assert sum(bool(r.rank and r.rank <= 3) for r in single) / len(single) >= 0.97  # the target
    assert result.by_type["ref"].hit1 == 1.0 and result.by_type["scope"].hit1 == 1.0
    assert result.by_type["multi"].mention_recall == 1.0 and result.by_type["multi"].mention_precision == 1.0
    assert result.by_type["oos"].refusal_accuracy == 1.0 and result.overall.in_scope_refused == 0


def test_ambiguous_numbers_are_answered_for_every_document_that_has_them(library_engine):
    for item in (i for i in read_gold(LIB / "questions.jsonl") if i.ambiguous):
        a = library_engine.ask(item.q)
        have = [d for d, v in library_engine.views.items() if v.units(item.gold[0])]
        assert sorted({h.doc_id for h in a.results}) == sorted(have), item.q


def test_the_plans_gold_with_the_library_loaded(library_engine, report):
    """Questions about the plan, asked with five other documents loaded and none selected."""
    result = evaluate(read_gold(DATA / "dev.jsonl"), library_engine.ask, default_doc="nla-2024")
    report.append("shared dev set, library loaded, no document selected:\n" + format_table(result))
    assert result.overall.hit1 >= 0.95 and result.overall.in_scope_refused == 0
    own = evaluate(read_gold(DATA / "gold.jsonl"), library_engine.ask, default_doc="nla-2024")
    report.append("tests/data/gold.jsonl, library loaded, no document selected:\n" + format_table(own))
    # every out-of-scope question declined, "上海到杭州的高铁要多久" too (a library item states a period)
    assert own.overall.hit1 >= 0.95 and own.overall.refusal_accuracy == 1.0 and own.overall.in_scope_refused == 0


def test_the_refusal_thresholds_are_todays_calibration(engine, library_engine):
    """rag/data/refusal.json is what `policy-rag calibrate` gives on its own gold with today's
    vectors, pooled over the plan alone and the plan with the library: the embedding path changed
    after the last calibration and left Chinese at 0.010 where today's margins give 0.024, so
    "上海到杭州的高铁要多久" was answered with the library loaded."""
    from rag.calibrate import calibrate
    from rag.refusal import load_calibration

    stored = load_calibration()
    items = [i for f in stored.gold for i in read_gold(DATA.parent.parent / f)]
    fresh = calibrate([(library_engine, items), (engine, items)]).calibration.min_margin
    assert all(abs(fresh[g] - stored.min_margin[g]) <= 0.002 for g in stored.min_margin), (fresh, stored.min_margin)


def test_english_questions_find_a_name_spelled_in_pinyin(library_engine):
    """"Erhai" is 洱海 in the text and the model does not know it: the unit that names it comes
    first. The spelling adds no keyword weight that would keep an off-topic question from being declined."""
    for q in ("Which practice concerns the Erhai clean-up?",
              "Which commended practice concerns protecting Erhai Lake and fighting water pollution there?"):
        a = library_engine.ask(q)
        assert (a.results[0].doc_id, a.results[0].key) == ("02_fifth_inspection_practices_notice", "108"), q
    assert library_engine.ask("What is the average rainfall around Erhai in July?").mode == "refused"


def test_a_named_document_is_searched_as_it_names_itself(library_engine):
    """反垄断法什么时候施行: the law's own clause says 本法自…起施行; searched with the full name,
    clauses repeating the title's words came first. Also when that document is selected."""
    for docs in (None, ["03_anti_monopoly_law"]):
        a = library_engine.ask("反垄断法什么时候施行", docs=docs)
        assert (a.results[0].doc_id, a.results[0].key) == ("03_anti_monopoly_law", "70")
    a = library_engine.ask("两用物项出口管制条例什么时候开始施行？废止了哪些规定？")
    assert (a.results[0].doc_id, a.results[0].key) == ("04_dual_use_export_control_regulation", "50")


def test_english_questions_find_the_clause_by_its_role(library_engine):
    """The commencement clause (本法自…起施行) says neither "effect" nor "repeal": its role's
    names are in the keyword index, so English questions about when a law applies find it,
    while "take part" / "take into account" questions are not pulled towards it."""
    a = library_engine.ask("When does the Anti-Monopoly Law come into effect?")
    assert ("03_anti_monopoly_law", "70") in [(h.doc_id, h.key) for h in a.results[:3]]
    a = library_engine.ask("Which regulations did the dual-use items export control regulation repeal?")
    assert ("04_dual_use_export_control_regulation", "50") in [(h.doc_id, h.key) for h in a.results[:3]]
    a = library_engine.ask("How do new areas take part in cross-regional collaborative innovation?")
    assert a.results[0].kind != "article"


def test_a_question_asking_a_length_of_time_gets_the_clause_that_gives_one(library_engine):
    """Among the best clauses, the one stating a period comes first (rag/answer_type.py)."""
    a = library_engine.ask("商务部门审查两用物项出口许可申请，要在多长时间内作出决定？")
    assert (a.results[0].doc_id, a.results[0].key) == ("04_dual_use_export_control_regulation", "17")
    a = library_engine.ask("反垄断法是哪一年开始施行的？")
    assert (a.results[0].doc_id, a.results[0].key) == ("03_anti_monopoly_law", "70")


def test_amounts_head_counts_and_office_holders_are_answered_only_by_clauses_that_state_them(library_engine):
    """A fine is answered by the article that states it; a head count or a person's name that no
    article states is declined instead of answered with articles about the same body."""
    a = library_engine.ask("经营者达成垄断协议，最多罚多少钱？")
    assert (a.results[0].doc_id, a.results[0].key) == ("03_anti_monopoly_law", "56")
    for q in ("国务院反垄断委员会有多少人？", "反垄断执法机构现任负责人叫什么名字？"):
        assert library_engine.ask(q).mode == "refused", q


def test_opening_part_questions_written_on_three_documents(library_engine, report):
    """tests/data/gold_opening_library.jsonl: 16 questions asking for an opinion's, a notice's and the
    plan's opening parts and 14 using the same words about one measure, written by a helper who saw
    no code, after the part questions were built (a check that they generalise). Floors are the
    figures measured: part questions 0.375 → 0.75 hit@1 with them, the others unchanged."""
    result = evaluate(read_gold(DATA / "gold_opening_library.jsonl"), library_engine.ask, default_doc="nla-2024",
                      doc_ids=list(library_engine.views))
    report.append("tests/data/gold_opening_library.jsonl (library loaded):\n" + format_table(result))
    assert result.by_type["opening"].hit1 >= 0.75 and result.by_type["opening"].hit3 >= 0.93
    assert result.by_type["zh-s"].hit1 == 1.0 and result.by_type["zh-t"].hit1 == 1.0
    assert result.overall.hit3 >= 0.96 and result.overall.in_scope_refused == 0


def test_a_question_asking_for_a_documents_principles_gets_the_unit_titled_so(library_engine):
    """An opinion's numbered （二）基本原则 / （三）工作目标 answer questions asking for its principles or
    goals by name, before measures that share more of the question's words (corpus/data/part_names.json)."""
    for q, key in (("推行执法三项制度要坚持哪些基本原则？", "2"), ("行政执法三项制度的工作目标是什么", "3")):
        a = library_engine.ask(q)
        assert (a.results[0].doc_id, a.results[0].key) == ("01_law_enforcement_three_systems_opinion", key), q
