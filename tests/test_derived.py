"""A clause applying another document's clause by citing it is shown after the clause it cites."""

from __future__ import annotations

from corpus.models import Chunk, DocumentInfo
from rag.derived import basis_laws, cited_clauses, cited_first
from rag.documents import DocNames, NameForms


def _info(doc_id: str, title: str) -> DocumentInfo:
    return DocumentInfo(doc_id=doc_id, title=title, script="hans", unit_kind="article", units=1, summary="",
                        source="", stored_source="", format="md")


def _article(doc_id: str, n: int, text: str) -> Chunk:
    return Chunk(doc_id=doc_id, doc_title=doc_id, kind="article", number=n, label=f"第{n}条", text=text,
                 text_hans=text, script="hans", source_file="x.md", line_start=n, line_end=n)


FORMS = NameForms([DocNames.of(_info("law", "中华人民共和国劳动合同法")),
                   DocNames.of(_info("reg", "中华人民共和国劳动合同法实施条例"))])
RULE = _article("law", 82, "第八十二条 用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资。")
APPLIES = _article("reg", 6, "第六条 用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当依照劳动合同法第八十二条的规定向劳动者每月支付两倍的工资。")
OWN = _article("law", 87, "第八十七条 用人单位违反本法规定解除劳动合同的，应当依照本法第四十七条规定的经济补偿标准的二倍支付赔偿金。")
OTHER = _article("law", 10, "第十条 建立劳动关系，应当订立书面劳动合同。")
CHUNKS = [RULE, APPLIES, OWN, OTHER, _article("law", 47, "第四十七条 经济补偿按劳动者在本单位工作的年限支付。")]


def test_the_rule_a_best_clause_applies_comes_first_with_the_best_score():
    assert cited_clauses(APPLIES, FORMS) == [("law", "82")]
    ranked = [(1, 3.0), (3, 2.5), (0, 2.0), (4, 1.0)]
    assert cited_first(ranked, CHUNKS, FORMS, window=5) == [(0, 3.0), (1, 3.0), (3, 2.5), (4, 1.0)]


def test_citations_within_one_document_and_rules_outside_the_window_change_nothing():
    assert cited_clauses(OWN, FORMS) == []  # 依照本法第四十七条: structure, not a restatement
    assert cited_first([(2, 3.0), (4, 2.0)], CHUNKS, FORMS, window=5) == [(2, 3.0), (4, 2.0)]
    ranked = [(1, 3.0), (3, 2.5), (4, 2.2), (0, 2.0)]
    assert cited_first(ranked, CHUNKS, FORMS, window=3) == ranked  # the rule is not among the best three
    assert cited_first([(3, 1.0), (1, 0.5), (0, 0.2)], CHUNKS, FORMS, window=5) == [(3, 1.0), (1, 0.5), (0, 0.2)]


LAW_FORMS = NameForms([DocNames.of(_info("law", "中华人民共和国消费者权益保护法")),
                       DocNames.of(_info("rule", "侵害消费者权益行为处罚办法")),
                       DocNames.of(_info("other", "中华人民共和国电子商务法")),
                       DocNames.of(_info("code", "中华人民共和国民法典"))])
BASIS = _article("rule", 1, "第一条 为依法制止侵害消费者权益行为，根据《消费者权益保护法》等法律法规，制定本办法。")
DEFERS = _article("rule", 9, "第九条 经营者采用网络、电视、电话、邮购等方式销售商品，应当依照法律规定承担无理由退货义务，不得故意拖延或者无理拒绝。")
GRANTS = _article("law", 25, "第二十五条 经营者采用网络、电视、电话、邮购等方式销售商品，消费者有权自收到商品之日起七日内退货，且无需说明理由。")
LAW_DEFERS = _article("other", 5, "第五条 电子商务经营者应当依照法律规定履行义务。")
RULE_OTHER = _article("rule", 8, "第八条 经营者提供商品或者服务，应当依照当事人约定承担退货责任。")
EXCEPTION = _article("rule", 12, "第十二条 经营者不得拒绝退货，但是依照法律规定不适用无理由退货的除外。")
CODE = _article("code", 993, "第九百九十三条 民事主体可以将自己的姓名等许可他人使用，但是依照法律规定或者根据其性质不得许可的除外。")
CODE_DEFERS = _article("code", 1, "第一条 民事主体应当依照法律规定行使权利。")
OTHER_LAW = _article("other", 20, "第二十条 电子商务经营者应当按照承诺或者与消费者约定的方式交付商品。")
SHOP = [DEFERS, GRANTS, LAW_DEFERS, RULE_OTHER, EXCEPTION, CODE, OTHER_LAW, CODE_DEFERS, BASIS]


def _basis(doc_id: str) -> frozenset[str]:
    return basis_laws([c for c in SHOP if c.doc_id == doc_id and c.number == 1] +
                      [c for c in SHOP if c.doc_id == doc_id and c.number != 1], LAW_FORMS)


def test_a_rule_applying_the_law_without_naming_it_comes_after_its_laws_clause():
    assert _basis("rule") == {"law"}  # named in its first article
    assert cited_first([(0, 2.0), (1, 1.9), (3, 1.0)], SHOP, LAW_FORMS, 5, _basis) == [(1, 2.0), (0, 2.0), (3, 1.0)]
    # only a close second or third, and never past a smaller window the caller gives
    assert cited_first([(0, 2.0), (3, 1.9), (6, 1.8), (1, 1.0)], SHOP, LAW_FORMS, 5, _basis)[0] == (0, 2.0)
    assert cited_first([(0, 2.0), (3, 1.9), (1, 1.8)], SHOP, LAW_FORMS, 2, _basis)[0] == (0, 2.0)


def test_only_the_law_the_rule_names_as_its_basis_is_brought_forward():
    # 电子商务法 second is passed over for 消费者权益保护法 third
    assert cited_first([(0, 2.0), (6, 1.9), (1, 1.0)], SHOP, LAW_FORMS, 5, _basis) == [(1, 2.0), (0, 2.0), (6, 1.9)]
    assert cited_first([(0, 2.0), (6, 1.9), (3, 1.0)], SHOP, LAW_FORMS, 5, _basis) == [(0, 2.0), (6, 1.9), (3, 1.0)]


def test_laws_codes_exceptions_and_rules_saying_nothing_keep_their_place():
    assert _basis("other") == _basis("code") == frozenset()  # a law or the Civil Code defers to nothing near it
    for ranked in ([(2, 2.0), (1, 1.9)],  # 电子商务法 saying 依照法律规定: other laws
                   [(7, 2.0), (1, 1.9)],  # the Civil Code is a law too
                   [(5, 2.0), (1, 1.9)],  # an exception (…的除外) applies no rule
                   [(4, 2.0), (1, 1.9)],  # the rule's own exception clause
                   [(3, 2.0), (1, 1.9)]):  # no deferral at all
        assert cited_first(ranked, SHOP, LAW_FORMS, 5, _basis) == ranked
