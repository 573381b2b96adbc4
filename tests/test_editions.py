"""Two versions of a law in one library are cited apart (rag.hits.editions): their articles are
numbered differently, so 《中华人民共和国民事诉讼法》第二百七十条 alone could be either."""

from __future__ import annotations

from corpus.models import Chunk, DocumentInfo
from rag.hits import editions, make_hit


def _info(doc_id: str, title: str, **dates: str) -> DocumentInfo:
    return DocumentInfo(doc_id=doc_id, title=title, script="hans", unit_kind="article", units=1, summary="",
                        source="", stored_source="", format="md", dates=dates)


CPL = "中华人民共和国民事诉讼法"
CODE = "中华人民共和国民法典"


def test_versions_of_one_law_are_marked_with_their_last_text_and_nothing_else_is():
    docs = [_info("cpl-2021", CPL, 通过="1991-04-09", 修正="2021-12-24", 施行="2022-01-01"),
            _info("cpl-2023", CPL, 通过="1991-04-09", **{"修正(2)": "2023-09-01"}, 施行="2024-01-01"),
            _info("contracts", CODE, 通过="2020-05-28", 施行="2021-01-01"),  # books of one code:
            _info("general", CODE, 通过="2020-05-28"),  # the same text, whatever took effect when
            _info("alone", "中华人民共和国反外国制裁法", 通过="2021-06-10")]
    assert editions(docs) == {"cpl-2021": "（2021年修正）", "cpl-2023": "（2023年修正）"}


def test_the_day_is_added_when_the_year_does_not_tell_them_apart():
    docs = [_info("a", "某解释", 通过="2022-02-15"), _info("b", "某解释", 通过="2022-03-22")]
    assert editions(docs) == {"a": "（2022年2月15日通过）", "b": "（2022年3月22日通过）"}


def test_the_citation_carries_the_edition_in_the_askers_script():
    c = Chunk(doc_id="cpl-2023", doc_title=CPL, kind="article", number=305, label="第三百零五条",
              text="第三百零五条 涉及外国国家的民事诉讼……", text_hans="第三百零五条 涉及外国国家的民事诉讼……",
              script="hans", source_file="x.md", line_start=1, line_end=1)
    assert make_hit(c, 1.0, "hans", [], edition="（2023年修正）").citation == "《中华人民共和国民事诉讼法》（2023年修正）第三百零五条"
    assert make_hit(c, 1.0, "hant", [], edition="（2023年修正）").citation == "《中華人民共和國民事訴訟法》（2023年修正）第三百零五條"
    assert make_hit(c, 1.0, None, []).citation == "《中华人民共和国民事诉讼法》第三百零五条"
