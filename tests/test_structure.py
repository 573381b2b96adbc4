"""Generic structure detection on real documents of every shape (no model, a few seconds)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus.document import ParsedDocument
from corpus.ingest import parse_file, parse_text

from corpus.text import repair_traditional

LIB = Path(__file__).parent / "fixtures" / "library"
UNITS = json.loads((LIB / "units.json").read_text("utf-8"))
QUESTIONS = [json.loads(line) for line in (LIB / "questions.jsonl").read_text("utf-8").splitlines() if line.strip()]
PATHS = {p.stem: p for p in LIB.iterdir() if p.suffix in (".html", ".md")}
JUNK = ["<", ">", "&nbsp;", "\xa0", "扫一扫", "function(", "window.", "javascript", "document.", "索 引 号",
        "主题分类", "var "]
# "which units mention X" gold from questions.jsonl (multi) — checks unit boundaries, not just counts
MULTI_KEYS = {"01_law_enforcement_three_systems_opinion": "音像记录", "02_fifth_inspection_practices_notice": "棚户区改造",
              "03_anti_monopoly_law": "算法", "04_dual_use_export_control_regulation": "第三方电子商务交易平台",
              "05_private_lending_provisions": "四倍"}


@pytest.fixture(scope="module")
def docs() -> dict[str, ParsedDocument]:
    return {name: parse_file(path) for name, path in PATHS.items()}


def citable(doc: ParsedDocument):
    return [u for u in doc.units if u.kind == doc.unit_kind]


@pytest.mark.parametrize("name", sorted(UNITS))
def test_library_units_match_gold(docs, name):
    doc, want = docs[name], UNITS[name]
    units = citable(doc)
    assert doc.unit_kind == want["unit"]
    assert len(units) == want["count"]
    assert [u.number for u in units] == list(range(1, want["count"] + 1))
    assert doc.meta.title == want["title"]
    assert doc.warnings == []
    for u in units:
        assert u.text.startswith(u.label), u.label
    for u in doc.units:
        for junk in JUNK:
            assert junk not in u.text, f"{junk!r} in {u.kind} {u.label}"


@pytest.mark.parametrize("name", sorted(MULTI_KEYS))
def test_mention_gold_is_the_exact_set_of_units(docs, name):
    (q,) = [q for q in QUESTIONS if q["doc"] == name and q["type"] == "multi"]
    got = [u.number for u in citable(docs[name]) if MULTI_KEYS[name] in u.text]
    assert got == sorted(q["gold"])


def test_opinion_01(docs):
    doc = docs["01_law_enforcement_three_systems_opinion"]
    m = doc.meta
    assert (m.issuer, m.doc_number, m.format, m.script) == ("国务院办公厅", "国办发〔2018〕118号", "html", "hans")
    assert m.dates == {"成文": "2018-12-05", "发布": "2019-01-03"}
    assert doc.summary() == "23 measures in 6 sections"
    measures = citable(doc)
    assert [u.section for u in measures] == [1] * 3 + [2] * 3 + [3] * 4 + [4] * 4 + [5] * 3 + [6] * 6
    assert measures[0].title == "指导思想" and measures[0].text.startswith("（一）指导思想。\n以习近平")
    assert measures[11].label == "（十二）" and measures[11].title == "明确审核范围"
    assert measures[3].path == ["二、全面推行行政执法公示制度"] and measures[3].section_title == "全面推行行政执法公示制度"
    kinds = [u.kind for u in doc.units]
    assert kinds[0] == "preamble" and kinds[-2:] == ["closing", "signature"]
    intros = [u for u in doc.units if u.kind == "paragraph"]  # sections 二–五 open with an intro paragraph
    assert [(u.label, u.section, u.number) for u in intros] == [("二、", 2, None), ("三、", 3, None),
                                                                ("四、", 4, None), ("五、", 5, None)]
    assert intros[0].text.startswith("行政执法公示是保障")
    assert not any("行政执法公示是保障" in u.text for u in measures)
    assert doc.units[-2].text.startswith("各地区、各部门要于2019年3月底前")
    assert doc.units[-1].text == "国务院办公厅\n2018年12月5日\n（此件公开发布）"
    assert "国务院办公厅关于全面推行" not in doc.units[0].text and "国办发" not in doc.units[0].text


def test_notice_02_signature_and_items(docs):
    doc = docs["02_fifth_inspection_practices_notice"]
    assert doc.meta.doc_number == "国办发〔2018〕108号" and doc.meta.issuer == "国务院办公厅"
    assert doc.meta.dates["成文"] == "2018-11-19"
    kinds = [u.kind for u in doc.units]
    assert kinds == ["preamble", "signature"] + ["item"] * 130
    preamble, signature = doc.units[0], doc.units[1]
    assert preamble.text.endswith("附件：国务院第五次大督查发现的典型经验做法（共130项）")
    assert "2018年11月19日" not in preamble.text
    assert signature.text == "国务院办公厅\n2018年11月19日\n（此件公开发布）"
    last = doc.units[-1]
    assert last.text == "130.新疆生产建设兵团狠抓土地利用监管，高质量支持边疆建设。"
    assert last.path == ["附件 国务院第五次大督查发现的典型经验做法（共130项）"]
    assert doc.summary() == "130 items"


def test_law_03(docs):
    doc = docs["03_anti_monopoly_law"]
    assert doc.meta.short_title == "反垄断法" and doc.meta.issuer == "全国人民代表大会常务委员会"
    assert doc.meta.dates["通过"] == "2007-08-30" and doc.meta.dates["修正"] == "2022-06-24"
    arts = citable(doc)
    assert len({u.path[0] for u in arts}) == 8 and doc.summary() == "70 articles in 8 chapters"
    assert arts[11].label == "第十二条" and arts[11].text.startswith("第十二条")
    assert arts[0].path == ["第一章 总则"] and arts[-1].path == ["第八章 附则"] and arts[-1].section == 8
    assert all(u.kind == "article" for u in doc.units)  # no preamble: only title and dates precede 第一章
    sub_items = [ln for u in arts for ln in u.text.splitlines() if re.match(r"^（[一二三四五六七八九十]+）", ln)]
    assert len(sub_items) == 75  # every （一） item stays inside its article
    assert arts[2].text.splitlines()[1] == "（一）经营者达成垄断协议；"


def test_regulation_04_sections(docs):
    doc = docs["04_dual_use_export_control_regulation"]
    ch3 = [u for u in citable(doc) if u.section == 3]
    assert {u.path[0] for u in ch3} == {"第三章 管制措施"} and ch3[0].section_title == "管制措施"
    assert [p for p in dict.fromkeys(u.path[1] for u in ch3)] == [
        "第一节 两用物项出口许可", "第二节 最终用户和最终用途管理", "第三节 管控名单"]
    assert doc.meta.dates == {"施行": "2024-12-01"}


def test_provisions_05_preamble(docs):
    doc = docs["05_private_lending_provisions"]
    pre = doc.units[0]
    assert pre.kind == "preamble" and pre.number is None
    assert pre.text.startswith("为正确审理民间借贷纠纷案件") and pre.text.endswith("制定本规定。")
    assert doc.meta.issuer == "最高人民法院" and doc.meta.short_title == "审理民间借贷案件适用法律若干问题的规定"
    assert doc.meta.dates["通过"] == "2015-06-23" and doc.meta.dates["通过(3)"] == "2020-12-23"


def test_shipped_plan_matches_current_parser():
    from corpus.catalogue import DEFAULT_DIR, load_plans

    (plan,) = load_plans()
    doc = parse_file(DEFAULT_DIR / plan.info.file)
    assert doc.meta.title == plan.info.title and doc.meta.script == "hant"
    assert len(doc.units) == len(plan.chunks) == 27
    for unit, chunk in zip(doc.units, plan.chunks):
        assert unit.kind == chunk.kind
        assert unit.number == chunk.measure and unit.label == chunk.label and unit.section == chunk.section
        assert repair_traditional(unit.text.replace("\n", "")) == chunk.text
        assert (unit.line_start, unit.line_end) == (chunk.line_start, chunk.line_end)
    assert doc.units[1].title == "總體要求"  # inferred: the scrape lost the 一、 heading
    assert any("section 一 has no heading" in w for w in doc.warnings)


# --- other shapes: real laws of different structure -------------------------------------------

EXTRA = {  # file → (articles, chapters) counted by hand from the official structure
    "刑法.md": (505, 15),  # 编 > 章 > 节, 第十七条之一 …
    "最高人民法院关于审理技术合同纠纷案件适用法律若干问题的解释(2020-12-29).md": (47, 0),  # 一、 sections, no chapters
    "企业职工带薪年休假实施办法(2008-07-17).md": (19, 0),  # 部门规章, flat
    "侵害消费者权益行为处罚办法(2015-01-05).md": (22, 0),  # 部门规章
    "侵权责任编.md": (95, 10),  # one book of the Civil Code: numbering starts at 第一千一百六十四条
    "国歌法(2017-09-01).md": (16, 0),  # short law
}
ARTICLE_START = re.compile(r"(?m)^第[零〇一二三四五六七八九十百千]+\s*条(?:之[一二三四五六七八九十]+)?[\s　]")


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_extra_laws_article_counts(name):
    raw = (LIB / "extra" / name).read_text("utf-8")
    doc = parse_file(LIB / "extra" / name)
    arts = citable(doc)
    assert doc.unit_kind == "article"
    assert len(arts) == len(ARTICLE_START.findall(raw)) == EXTRA[name][0]
    keys = [(u.number, u.sub_number or 0) for u in arts]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    chapters = {tuple(u.path[: i + 1]) for u in arts for i, p in enumerate(u.path) if p.split(" ")[0].endswith("章")}
    assert len(chapters) == EXTRA[name][1]
    for u in arts:
        assert u.text.startswith(u.label)


def test_criminal_law_parts_and_inserted_articles():
    doc = parse_file(LIB / "extra" / "刑法.md")
    by_label = {u.label: u for u in citable(doc)}
    art = by_label["第一百二十条之一"]
    assert (art.number, art.sub_number) == (120, 1)
    assert art.path == ["第二编 分则", "第二章 危害公共安全罪"] and art.section == 2
    assert by_label["第一百七十五条之一"].path[2] == "第四节 破坏金融管理秩序罪"
    assert [u.label for u in citable(doc)][-1] == "第四百五十二条"


def test_civil_code_book_numbering_starts_late():
    doc = parse_file(LIB / "extra" / "侵权责任编.md")
    arts = citable(doc)
    assert arts[0].number == 1164 and arts[-1].number == 1258
    assert any("starts at 第一千一百六十四条" in w for w in doc.warnings)


def test_judicial_interpretation_with_sections():
    doc = parse_file(LIB / "extra" / "最高人民法院关于审理技术合同纠纷案件适用法律若干问题的解释(2020-12-29).md")
    assert doc.units[0].kind == "preamble"
    first = citable(doc)[0]
    assert first.path == ["一、一般规定"] and first.section == 1


# --- plans and notices in other numbering shapes ---------------------------------------------

def test_opinion_with_items_under_subheadings():
    doc = parse_file(LIB / "shapes" / "opinion_items_under_subheadings.txt")
    items = citable(doc)
    assert doc.unit_kind == "item" and len(items) == 21
    assert [u.number for u in items] == list(range(1, 22))
    assert len({u.path[1] for u in items}) == 7 and items[0].path == ["一、全面推行行政执法公示制度", "（一）强化事前公开"]
    assert [u.section for u in items][::3] == [1, 1, 1, 2, 2, 3, 3]
    assert doc.units[0].kind == "preamble" and doc.units[-1].kind == "closing"
    assert not any("（一）强化事前公开" in u.text for u in doc.units)  # sub-headings live in paths


def test_notice_numbered_again_in_each_section():
    doc = parse_file(LIB / "shapes" / "notice_measures_per_section.html")
    measures = citable(doc)
    assert len(measures) == 7
    assert [u.number for u in measures] == list(range(1, 8))  # unique: document order
    assert [u.number_in_section for u in measures] == [1, 2, 3, 1, 2, 1, 2]  # as written
    assert [u.section for u in measures] == [1, 1, 1, 2, 2, 3, 3]
    assert [u.label for u in measures][3] == "（一）" and measures[3].path == ["二、全面推行执法全过程记录制度"]
    assert any("numbered again in each section" in w for w in doc.warnings)
    assert doc.units[-1].kind == "closing"


def test_no_numbering_gives_paragraphs_with_a_warning():
    text = "关于做好有关工作的说明\n为进一步推动党中央、国务院重大决策部署贯彻落实，国务院部署开展了第五次大督查。\n" \
           "各地区、各部门要坚决贯彻落实党中央、国务院决策部署。\n希望受到表扬的地方珍惜荣誉，再接再厉。"
    doc = parse_text(text, "note.txt")
    assert doc.unit_kind == "paragraph" and doc.summary() == "3 paragraphs"
    assert [u.number for u in doc.units] == [1, 2, 3] and doc.units[0].label == "第1段"
    assert doc.warnings == ["no numbering found; ingested as paragraphs"]
    assert doc.meta.title == "关于做好有关工作的说明"


def test_cross_references_and_stray_labels_are_not_units():
    text = "某某管理办法\n第一条 为了规范管理，制定本办法。\n第二条 本办法适用于全国。\n" \
           "第十二条规定的情形，依照本办法第二条处理。\n第三条 本办法自发布之日起施行。"
    doc = parse_text(text, "rules.txt")
    arts = citable(doc)
    assert [u.number for u in arts] == [1, 2, 3]
    assert arts[1].text.endswith("第十二条规定的情形，依照本办法第二条处理。")
    assert any("out of sequence" in w for w in doc.warnings)


def test_a_stray_label_before_article_one_does_not_anchor_the_numbering():
    text = "某某规定\n第五条规定的事项，另行规定。\n第一条 为了规范管理，制定本规定。\n第二条 本规定适用于全国。\n" \
           "第三条 本规定自发布之日起施行。\n第十二条规定的期限，不适用本规定。"
    doc = parse_text(text, "stray.txt")
    arts = citable(doc)
    assert [u.number for u in arts] == [1, 2, 3]
    assert doc.units[0].kind == "preamble" and doc.units[0].text == "第五条规定的事项，另行规定。"
    assert arts[-1].text.endswith("第十二条规定的期限，不适用本规定。")


def test_law_page_with_promulgation_order_and_contents():
    text = "中华人民共和国主席令\n第六十八号\n《中华人民共和国反垄断法》已由中华人民共和国第十届全国人民代表大会常务委员会" \
           "第二十九次会议于2007年8月30日通过，现予公布，自2008年8月1日起施行。\n中华人民共和国主席　胡锦涛\n" \
           "2007年8月30日\n中华人民共和国反垄断法\n（2007年8月30日第十届全国人民代表大会常务委员会第二十九次会议通过）\n" \
           "目　　录\n第一章　总　　则\n第二章　垄断协议\n第一章　总　　则\n第一条　为了预防和制止垄断行为，制定本法。\n" \
           "第二条　本法规定的垄断行为包括：\n（一）经营者达成垄断协议；\n（二）经营者滥用市场支配地位。\n" \
           "第二章　垄断协议\n第三条　禁止具有竞争关系的经营者达成垄断协议。"
    doc = parse_text(text, "law.html", format="html")
    m = doc.meta
    assert (m.title, m.short_title, m.doc_number) == ("中华人民共和国反垄断法", "反垄断法", "中华人民共和国主席令第六十八号")
    assert m.issuer == "全国人民代表大会常务委员会" and m.dates["通过"] == "2007-08-30" and m.dates["施行"] == "2008-08-01"
    assert [u.kind for u in doc.units] == ["preamble", "signature", "article", "article", "article"]
    assert [u.path for u in citable(doc)] == [["第一章 总则"], ["第一章 总则"], ["第二章 垄断协议"]]
    assert citable(doc)[1].text.count("\n") == 2 and doc.summary() == "3 articles in 2 chapters"
