"""The shipped plan and a second, differently shaped plan parse into clean, exact chunks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.catalogue import builtin_documents, load_chunks, read_catalogue
from corpus.models import PlanInfo
from corpus.parse import ParseError, parse_plan
from corpus.text import detect_script, to_hans

FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = ["全麵", "體係", "機製", "中遊", "製定", "方麵"]
NINETEEN = ["上海浦東", "河北雄安", "天津濱海", "重慶兩江", "浙江舟山群島", "蘭州", "廣州南沙", "陝西西咸",
            "貴州貴安", "青島西海岸", "大連金普", "四川天府", "湖南湘江", "南京江北", "福州", "雲南滇中",
            "哈爾濱", "長春", "江西贛江"]


def test_catalogue_entry():
    (info,) = read_catalogue(Path(__file__).parent.parent / "corpus" / "plans")
    assert info.title == "促進國家級新區高質量建設行動計劃"
    assert info.date == "2024-04-23" and info.language == "zh-Hant"


def test_exactly_27_chunks_in_plan_order(chunks):
    assert len(chunks) == 27
    assert [c.kind for c in chunks[:2]] == ["preamble", "principles"]
    measures = [c for c in chunks if c.kind == "measure"]
    assert [c.measure for c in measures] == list(range(1, 26))
    assert measures[17].label == "（十八）" and measures[24].label == "（二十五）"
    assert measures[17].title == "實施人才引進專項政策"
    assert measures[0].title == "強化科技創新策源功能"


def test_sections(chunks):
    by_section = {}
    for c in chunks:
        if c.kind == "measure":
            by_section.setdefault((c.section, c.section_title), []).append(c.measure)
    assert by_section == {
        (2, "增強新區科技和產業競爭力"): [1, 2, 3, 4, 5, 6, 7],
        (3, "多措並舉擴大有效需求"): [8, 9, 10, 11, 12, 13, 14, 15],
        (4, "支持新區深化重點領域改革"): [16, 17, 18, 19, 20, 21],
        (5, "加強統籌協調和組織實施"): [22, 23, 24, 25],
    }
    principles = chunks[1]
    assert principles.section == 1 and principles.section_inferred and principles.title == "總體要求"
    assert principles.text.startswith("以習近平新時代中國特色社會主義思想為指導")


def test_preamble_names_the_19_new_areas(chunks):
    pre = chunks[0]
    assert pre.text.startswith("國家級新區（以下簡稱新區）")
    assert "目前全國共19個" in pre.text
    assert all(to_hans(name) in pre.text_hans for name in NINETEEN)


def test_scrape_noise_is_gone(chunks):
    all_text = "".join(c.text for c in chunks)
    for noise in ["分類", "發布時間", "作者", "admin", "詳情", "END", "上一個", "監理責任"]:
        assert noise not in all_text
    assert not re.search(r"[,()]", all_text), "ASCII punctuation left in Chinese text"
    assert not re.search(r"[\u4e00-\u9fff，。、] | [\u4e00-\u9fff，。、]", all_text), "stray spaces"
    for c in chunks:  # the repeated body is kept once
        assert all_text.count(c.text) == 1


def test_naive_conversion_artifacts_are_repaired(chunks):
    for c in chunks:
        for bad in ARTIFACTS:
            assert bad not in c.text, f"{bad} in {c.label}"
    text = "".join(c.text for c in chunks)
    assert "浙江舟山群島" in text and "羣" not in text  # the plan's own forms are kept
    assert "裝備製造" in text and "全面貫徹" in text and "協同創新機制" in text and "長江中游" in text


def test_heading_never_separated_and_simplified_copy(chunks):
    for c in chunks:
        assert c.text_hans == to_hans(c.text)
        if c.kind == "measure":
            assert c.text.startswith(f"{c.label}{c.title}。")
            assert len(c.text) > len(c.label) + len(c.title) + 10


def test_provenance_points_at_source_lines(chunks):
    raw = (Path(__file__).parent.parent / "corpus" / "plans" / chunks[0].source_file).read_text("utf-8")
    lines = raw.splitlines()
    for c in chunks:
        span = "".join(lines[c.line_start - 1 : c.line_end]).replace(" ", "")
        span = span.replace("(", "（").replace(")", "）").replace(",", "，")
        assert to_hans(span[:8]) in c.text_hans and to_hans(span[-8:]) in c.text_hans
    assert chunks[0].line_end - chunks[0].line_start > 10  # the broken preamble spans many lines
    m18 = next(c for c in chunks if c.measure == 18)
    assert lines[m18.line_start - 1].startswith("(十八)實施人才引進專項政策")


def test_checksum_tracks_content(tmp_path):
    src = Path(__file__).parent.parent / "corpus" / "plans"
    for f in src.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    before = builtin_documents(tmp_path)[0].source_sha256  # what decides re-embedding the plan
    plan = tmp_path / "000_093f54daf34dba6e.txt"
    plan.write_text(plan.read_text("utf-8") + "\n", "utf-8")
    assert builtin_documents(tmp_path)[0].source_sha256 != before


def test_second_plan_with_its_own_shape_parses():
    chunks = load_chunks(FIXTURES)
    assert [c.kind for c in chunks] == ["preamble", "principles"] + ["measure"] * 5
    assert [c.section for c in chunks[2:]] == [2, 2, 2, 3, 3]
    principles = chunks[1]
    assert principles.title == "總體要求" and not principles.section_inferred
    assert "體系" in principles.text and "體係" not in principles.text
    assert chunks[0].text == "為加快推進數字鄉村建設，縮小城鄉數字鴻溝，制定本方案。"
    m5 = chunks[-1]
    assert m5.text.endswith("說明培訓對象。") and m5.line_end == m5.line_start + 1  # continuation kept
    assert "數據共享機制" in chunks[3].text and "中游" in chunks[4].text and "全面推行" in chunks[5].text
    assert all("農業補貼" not in c.text for c in chunks)


def test_not_a_plan_is_refused():
    info = PlanInfo(doc_id="x", file="x.txt", title="X", date="2024-01-01")
    with pytest.raises(ParseError, match="no numbered measures"):
        parse_plan("只是一段文字。\n沒有任何措施。", info)
    with pytest.raises(ParseError, match="not numbered"):
        parse_plan("二、部分\n(一)甲。內容。\n(三)丙。內容。", info)


@pytest.mark.parametrize("text,script", [("外籍人才怎麼引進", "hant"), ("外籍人才怎么引进", "hans"),
                                         ("國家級新區", "hant"), ("国家级新区", "hans"), ("hello", None)])
def test_detect_script(text, script):
    assert detect_script(text) == script
