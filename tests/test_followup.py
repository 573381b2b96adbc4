"""Follow-up questions answered from the previous answer (model-free engine)."""

from __future__ import annotations

import pytest

from rag.followup import ask_in_context, kind_of
from rag.query import understand


@pytest.mark.parametrize("question,kind", [
    ("下一條呢", "next"), ("下一条", "next"), ("next one", "next"), ("上一條呢？", "previous"),
    ("給我全文", "full"), ("full text", "full"), ("這條屬於哪一部分", "section"), ("which section?", "section"),
    ("更多", "more"), ("more results", "more"), ("用简体", "hans"), ("用繁體", "hant"), ("in simplified", "hans"),
    ("外籍人才怎麼引進", None), ("第十九條", None), ("下一步新区建设的重点是什么，哪些措施涉及土地？", None),
])
def test_follow_up_forms_in_three_languages(question, kind):
    assert kind_of(understand(question).norm) == kind


def _ask(engine, question, context=None):
    return ask_in_context(engine, question, context, k=5)


def test_next_previous_full_and_section_follow_the_last_clause(fast_engine):
    first = _ask(fast_engine, "第十八條")
    assert first.context.keys == ["nla-2024#18"]
    nxt = _ask(fast_engine, "下一條呢", first.context)
    assert [h.unit for h in nxt.results] == [19] and nxt.mode == "lookup"
    prev = _ask(fast_engine, "上一條", nxt.context)
    assert [h.unit for h in prev.results] == [18]
    full = _ask(fast_engine, "給我全文", prev.context)
    assert full.results[0].text.startswith("（十八）")
    section = _ask(fast_engine, "這條屬於哪一部分", prev.context)
    assert section.mode == "section" and 18 in [h.unit for h in section.results]
    assert all(h.section == prev.results[0].section for h in section.results)


def test_another_number_and_a_script_change(fast_engine):
    first = _ask(fast_engine, "第十八條")
    other = _ask(fast_engine, "那第十九條呢", first.context)
    assert [h.unit for h in other.results] == [19]
    hans = _ask(fast_engine, "用简体", first.context)
    assert hans.script == "hans" and "实施人才引进" in hans.results[0].title


def test_more_gives_the_next_results_of_the_same_search(fast_engine):
    first = _ask(fast_engine, "新区怎样强化科技创新策源功能？")
    more = _ask(fast_engine, "more", first.context)
    assert more.mode == "search" and len(more.results) == 5
    assert not {h.key for h in more.results} & {h.key for h in first.results}
    assert more.context.shown == 10


def test_a_follow_up_without_context_says_so_instead_of_searching(fast_engine):
    for question in ("下一條呢", "more", "給我全文"):
        a = _ask(fast_engine, question)
        assert not a.answered and a.mode == "invalid" and a.results == []
    assert "上一個回答" in _ask(fast_engine, "下一條呢").message
    assert "no answer" in _ask(fast_engine, "next one").message.lower() or "none yet" in _ask(fast_engine, "next one").message


def test_the_last_clause_has_no_next(fast_engine):
    last = _ask(fast_engine, "第二十五條")
    a = _ask(fast_engine, "下一條", last.context)
    assert not a.answered and "最後一條" in a.message
