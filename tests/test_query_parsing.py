"""Core parsing of questions: numerals, references, mention intents (no model needed)."""

from __future__ import annotations

import pytest

from corpus.numerals import cn_to_int, int_to_cn
from corpus.text import normalise as normalise_query_text
from rag.mentions import extract_term, variants
from corpus.text import has_content
from rag.query import clean_text, language
from rag.references import parse_reference


@pytest.mark.parametrize("n", range(1, 100))
def test_numeral_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n


@pytest.mark.parametrize("s,n", [("十八", 18), ("二十五", 25), ("十", 10), ("一百", 100), ("两", 2), ("18", 18), ("甲", None)])
def test_cn_to_int(s, n):
    assert cn_to_int(s) == n


@pytest.mark.parametrize("q,measures,sections", [
    ("第十八條", [18], []), ("第18条", [18], []), ("第十八項", [18], []), ("（十八）", [18], []),
    ("(18)", [18], []), ("措施18", [18], []), ("第18項措施", [18], []), ("measure 18", [18], []),
    ("Item 18", [18], []), ("ARTICLE 18", [18], []), ("第三部分", [], [3]), ("第三節", [], [3]),
    ("section 3", [], [3]), ("第十八條和第五條", [18, 5], []), ("省（市）", [], []),
    ("1—2個主導產業", [], []), ("今後3年", [], []), ("二十大精神", [], []),
    ("十八条", [18], []), ("18項說了什麼？", [18], []), ("三条建议", [], []), ("the 18th measure", [18], []),
    ("measure No. 18", [18], []), ("What does the 3rd item say?", [3], []),
])
def test_references(q, measures, sections):
    ref = parse_reference(normalise_query_text(q))
    assert ref.measures == measures and ref.sections == sections


@pytest.mark.parametrize("q,term,explicit", [
    ("哪些条款提到上海浦东？", "上海浦东", True), ("哪些措施提到哈爾濱", "哈尔滨", True),
    ("涉及西咸新区的条款", "西咸新区", True), ("上海浦东有哪些任务", "上海浦东", True),
    ("哈爾濱在哪些措施中被提到", "哈尔滨", True), ("Which measures mention 哈尔滨?", "哈尔滨", True),
    ("四川天府新区", "四川天府新区", False), ("“一带一路”科技交流大会", "一带一路科技交流大会", False),
])
def test_mention_intent(q, term, explicit):
    assert extract_term(q) == (term, explicit)


def test_new_area_names_match_their_short_form():
    assert variants("陕西西咸新区") == ["陕西西咸新区", "陕西西咸"]
    assert variants("新区") == ["新区"]


def test_cleaning_and_language():
    assert clean_text("人才\x00引進\u200b ") == "人才 引進"
    assert clean_text("\ud800abc") == "?abc"
    assert not has_content("？！。😀") and has_content("a") and has_content("人")
    assert language("talent policy") == ("hant", "en")
    assert language("人才政策怎么样") == ("hans", "zh-hans")
    assert language("人才政策怎麼樣") == ("hant", "zh-hant")
    assert language("talent", "hans") == ("hans", "en")


@pytest.mark.parametrize("q,term", [
    ("雄安新区在这个计划中有哪些任务", "雄安新区"), ("湖南湘江新區要做什麼", "湖南湘江新区"),
    ("计划对中央企业有什么要求", "中央企业"), ("国家发展改革委在计划里负责什么", "国家发展改革委"),
    ("有關部門要做哪些工作", "有关部门"), ("长春新区怎么发展", "长春新区"),
    ("计划里涉及上海浦东新区的条款有哪些", "上海浦东新区"), ("哈爾濱新區涉及哪些措施", "哈尔滨新区"),
])
def test_task_and_requirement_phrasings_name_the_subject(q, term):
    from rag.mentions import task_term

    assert task_term(q) == term


def test_what_names_the_document_is_not_part_of_the_term():
    assert extract_term("雄安新区在这个计划中有哪些任务") == ("雄安新区", True)
    assert extract_term("中央企业有哪些任务") == ("中央企业", True)  # 中 of 中央 is not "in"


def test_list_markers_in_pasted_text_are_not_clause_references():
    """"(1)" and "#1" name a clause in a short question; in a pasted paragraph or code they are
    list markers, and the rest of the text is what the user asks about."""
    from rag.references import parse_reference

    pasted = "请帮我看看这段话：(1) 加强外籍人才引进；(2) 优化土地利用；#3 其余事项另行通知。哪条措施相关？"
    assert parse_reference(pasted).empty
    assert parse_reference("(十八)").measures == [18] and parse_reference("#18 说了什么").measures == [18]
    long_named = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》第(十二)项讲了什么?"
    assert parse_reference(long_named).measures == [12]  # our own citation form stays a reference


def test_english_function_words_never_match_the_parts_english_names():
    """A preamble's search names are English too; "did"/"it" in a question about another
    document's entry into force made that preamble the keyword index's best match."""
    from corpus.part_names import part_names
    from index.tokenize import Tokenizer

    tok = Tokenizer()
    preamble = set(tok.tokens(f"{part_names('preamble')} 为正确审理民间借贷纠纷案件，制定本规定。"))
    asked = tok.tokens("When did the export control regulation take effect, and which rules did it repeal?")
    assert not preamble & set(asked)
    assert {"preamble", "many"} <= preamble  # what readers call the part still matches


def test_pinyin_spellings_of_the_librarys_own_words():
    from rag.romanized import PinyinWords

    words = PinyinWords(["洱海", "天津滨海", "滨海", "浦东", "水污染", "法律"])
    assert words.find("Which practice protects Erhai Lake?") == ["洱海"]
    assert words.find("the Tianjin Binhai New Area and Pudong") == ["天津滨海", "浦东"]  # longest spelling wins
    assert words.find("what does the law say about erhai and water pollution") == []  # prose, not names


def test_how_a_document_refers_to_itself():
    from rag.documents import self_reference

    assert self_reference("中华人民共和国反垄断法") == "本法"
    assert self_reference("中华人民共和国宪法（2018修正）") == "本法"
    assert self_reference("最高人民法院关于审理民间借贷案件适用法律若干问题的规定") == "本规定"
    assert self_reference("促進國家級新區高質量建設行動計劃") == "本计划"
    assert self_reference("国家级新区名录") == ""


def test_long_sentences_get_rows_for_their_comma_separated_stretches():
    """A principles paragraph is one long sentence; its phrases need rows of their own, and the
    stretches rejoin to the sentence exactly (nothing dropped, nothing invented)."""
    from index.embed_chunks import LONG_SENTENCE, stretches

    long = "以习近平新时代中国特色社会主义思想为指导，" * 6 + "完整、准确、全面贯彻新发展理念，加快构建新发展格局，努力打造高质量发展引领区。"
    assert len(long) > LONG_SENTENCE
    parts = stretches(long)
    assert len(parts) > 1 and "".join(parts) == long
    assert stretches("支持新区建设。") == []


def test_a_scoped_mention_scan_reads_only_those_units():
    from rag.text_scan import TextScan

    scan = TextScan.of(["总则浦东", "浦东浦东", "其他", "附则浦东"])
    assert scan.containing("浦东") == {0, 1, 3}
    assert scan.containing("浦东", range(1, 3)) == {1}  # a match in unit 3 is outside the scope
    assert scan.containing("则浦", range(3, 4)) == {3} and scan.containing("东浦", range(0, 1)) == set()


def test_clause_roles_are_recognised_by_the_words_every_such_clause_uses():
    from corpus.part_names import role_names

    assert "effective" in role_names("第七十条 本法自2008年8月1日起施行。")
    assert "repealed" in role_names("第五十条 本条例自公布之日起施行。《某某条例》同时废止。")
    assert "definition" in role_names("第十五条 本法所称经营者，是指从事商品生产、经营或者提供服务的自然人。")
    assert "purpose" in role_names("第一条 为了预防和制止垄断行为，保护市场公平竞争，制定本法。")
    assert role_names("第十二条 国家实施施行许可制度，具体办法另行制定。") == ""


def test_the_fact_a_question_asks_for_and_the_clauses_that_state_it():
    from rag import answer_type as at

    assert at.asked("深圳经济特区是哪一年成立的") == "year" and at.asked("in what year was it founded?") == "year"
    assert at.asked("上海到杭州的高铁要多久") == "duration" and at.asked("要在多少个工作日内公开") == "duration"
    assert at.asked("how long must records be kept?") == "duration"
    assert at.asked("撤回申请有没有时间限制") == "duration" and at.asked("审查的时限") == "duration"
    assert at.asked("is there a time limit for appeals?") == "duration"
    assert at.asked("借款合同什么时候成立") is None and at.asked("新区有多少个") is None
    assert at.gives("duration", "应当自受理之日起45个工作日内作出决定") and at.gives("duration", "三十日内")
    assert at.gives("year", "本法自2008年8月1日起施行") and not at.gives("year", "支持新区建设")
    assert at.gives("year", "现提出如下行动计划", "preamble", dated=True)
    assert not at.gives("year", "现提出如下行动计划", "article", dated=True)
    assert at.about_issuance("这个计划是哪一年印发的") and not at.about_issuance("浦东开发开放是哪一年开始的")


def test_a_genre_word_points_at_a_document_only_as_a_phrase():
    from rag.documents import pointed_genres

    assert pointed_genres("这个计划的指导思想是什么") == ("计划",) and pointed_genres("该规则第三条") == ("规则",)
    assert pointed_genres("what does the plan say about land use?") == ("计划", "规划")
    for q in ("基本法的规定", "应该通知谁", "因此规定了什么", "计划生育政策"):
        assert pointed_genres(q) == (), q


def test_only_a_period_makes_a_task_list_of_arrangements():
    from rag.mentions import task_term

    assert task_term("“十五五”期间计划有哪些安排") == "十五五"
    assert task_term("这个计划有哪些任务") is None and task_term("计划有哪些安排") is None


def test_a_question_asking_for_an_opening_part_by_name_is_recognised():
    from corpus.part_names import asked_parts, titled_as

    for q, what in (("推进新区建设要坚持哪些原则", "principles"), ("新区建设要贯彻什么发展理念", "philosophy"),
                    ("计划希望把国家级新区打造成什么样的地方", "goals"), ("这个计划的指导思想是什么", "guiding ideology"),
                    ("what kind of areas are the new areas supposed to become?", "goals")):
        assert ("principles", what) in asked_parts(q), q
    assert ("preamble", "coverage") in asked_parts("which national-level new areas does the action plan cover?")
    assert ("preamble", "why issued") in asked_parts("why was this action plan drawn up?")
    for q in ("配备比例原则上最低是多少", "新区要加强哪些合作", "does the law cover gig workers?"):
        assert asked_parts(q) == [], q
    assert titled_as("（二）基本原则") == [("principles", "principles")] and titled_as("（三）工作目标") == [("principles", "goals")]
    assert titled_as("（七）完善文字记录") == []


def test_amounts_head_counts_and_office_holders_are_facts_a_clause_must_state():
    from rag import answer_type as at

    for q, kind in (("浦东新区2023年的gdp是多少", "money"), ("利用外资多少亿美元", "money"), ("加班工资是多少", "money"),
                    ("what was the combined gdp of the new areas last year?", "money"),
                    ("天府新区的常住人口有多少", "people"), ("合议庭由多少人组成", "people"),
                    ("how many members does the committee have?", "people"),
                    ("雄安新区管委会主任是谁", "holder"), ("who is the mayor of shanghai?", "holder"),
                    ("中国人民银行现任行长是谁", "person"), ("who is the current governor of the central bank?", "person"),
                    ("how much did china spend on defence in 2024?", "money")):
        assert at.asked(q) == kind, q
    for q in ("新区有多少个", "税率是多少", "有多少人民币结算业务", "how much support does the plan give?",
              "what does the plan say about population mobility?", "谁负责新区统计工作",
              "行长是谁提名的"):
        assert at.asked(q) is None, q
    assert at.gives("money", "处五十万元以下的罚款") and at.gives("money", "处违法所得一倍以上五倍以下的罚款")
    assert at.gives("money", "上一年度销售额百分之一以上百分之十以下") and not at.gives("money", "目前全国共19个")
    assert at.gives("people", "合议庭由三名以上审判员组成") and at.gives("people", "董事会成员为三人以上")
    assert not at.gives("people", "统一人民币结算") and not at.gives("people", "企业名称")
    assert at.gives("holder", "主任由国务院总理兼任") and not at.gives("holder", "院长由全国人民代表大会选举")
    assert not at.gives("person", "主任由国务院总理兼任") and not at.gives("holder", "加强组织领导")


def test_counts_and_dates_are_not_taken_for_lengths_of_time():
    from rag import answer_type as at

    for q in ("今后几年的重点任务", "近几年新区发展得怎么样", "有多少年轻人在新区工作"):
        assert at.asked(q) is None, q
    assert not at.gives("duration", "本条例自2024年12月1日起施行") and not at.gives("year", "安排2000万元")
    assert at.gives("duration", "六个月内") and at.gives("duration", "有效期不超过3年")


def test_a_zone_is_absent_only_when_its_distinctive_part_is_in_no_unit_in_scope():
    from rag.absent_names import absent_zone
    from rag.text_scan import TextScan

    scan = TextScan.of(["支持上海浦东新区加快改革", "重庆两江、广州南沙等新区", "本法所称经济特区"])
    assert absent_zone("深圳前海合作区有什么优惠政策", scan, None) == "深圳前海合作区"
    assert absent_zone("请问海南自由贸易港有什么政策", scan, None) == "海南自由贸易港"
    for q in ("浦东新区有什么政策", "两江新区怎么发展", "给新区带来什么", "这个新区要做什么", "各开发区", "新区有哪些"):
        assert absent_zone(q, scan, None) is None, q
    assert absent_zone("两江新区怎么发展", scan, range(0, 1)) == "两江新区"  # only the first unit in scope


def test_which_ones_is_not_a_count_question():
    from rag.counting import is_count_question

    assert is_count_question("一共有多少项措施") and is_count_question("计划有几条措施")
    assert not is_count_question("三项制度涵盖哪几项制度")


@pytest.mark.parametrize("scan_above", [2000, 0])
def test_the_pair_index_never_hides_a_form_the_text_contains(monkeypatch, scan_above):
    """A form is read only in the units holding each pair of its neighbouring characters (or, for
    a common form, in one pass over the text); the answers are those of a plain scan of every unit."""
    from rag import text_scan
    from rag.text_scan import TextScan, span

    monkeypatch.setattr(text_scan, "SCAN_ABOVE", scan_above)
    texts = ["支持上海浦东新区加快改革", "重庆两江、广州南沙等新区", "本法所称经济特区𠀋字", "浦东", "", "浦东新区浦东新区"]
    scan = TextScan.of(texts)
    for form in ("浦东", "东浦", "上海浦东新区", "海浦", "新区", "特区𠀋", "𠀋字", "两江、广州", "江广", "改革开放", "本",
                 "区重", "浦东新区浦东"):
        assert scan.containing(form) == {i for i, t in enumerate(texts) if form in t}, form
        assert scan.mentions(form) == any(form in t for t in texts), form
        for rows in (range(1, 4), range(3, 6), span([5], False)):
            assert scan.containing(form, rows) == {i for i in rows if form in texts[i]}, (form, rows)
            assert scan.mentions(form, rows) == any(form in texts[i] for i in rows), (form, rows)
    from index.char_pairs import candidates

    assert list(candidates(scan.pairs, "东浦")) == [] and set(candidates(scan.pairs, "浦东新区")) == {0, 5}
    assert list(candidates(scan.pairs, "区重")) == []  # two units' texts never join into a pair


def test_indexed_name_forms_find_the_same_documents_as_testing_every_name():
    from corpus.models import DocumentInfo
    from rag.documents import DocNames, NameForms, exact_names

    def info(doc_id: str, title: str, short: str = "", number: str = "") -> DocumentInfo:
        return DocumentInfo(doc_id=doc_id, title=title, short_title=short, doc_number=number, script="hans",
                            unit_kind="article", units=1, summary="", source="", stored_source="", format="md")

    names = [DocNames.of(info("a", "中华人民共和国反垄断法")), DocNames.of(info("b", "中华人民共和国劳动合同法")),
             DocNames.of(info("c", "中华人民共和国劳动合同法实施条例")),
             DocNames.of(info("d", "国务院办公厅关于全面推行行政执法公示制度的指导意见", "执法三项制度意见", "国办发〔2018〕118号"))]
    forms = NameForms(names)
    for q in ("反垄断法第十二条", "劳动合同法实施条例和劳动合同法有什么区别", "国办发〔2018〕118号第三条",
              "《中华人民共和国劳动合同法》规定了什么", "执法三项制度意见的基本原则", "婚姻法"):
        assert exact_names(q, names, forms) == exact_names(q, names), q

    # names before a clause number, found through the forms' indexes as by a pass over every name
    from rag.documents import GENRE_WORDS, PARAPHRASE_COVERAGE, PARAPHRASE_LEAD, _NAME_TAIL, _pairs, cited_name, paraphrased_name
    from corpus.text import compact

    def cited_by_scan(part: str) -> list[str]:
        name = _NAME_TAIL.sub("", compact(part).strip("《》“”\"' "))
        matches = [(len(f), n.doc_id) for n in names for f in n.cited if name.endswith(f) and f not in GENRE_WORDS]
        longest = max((length for length, _ in matches), default=0)
        return list(dict.fromkeys(doc for length, doc in matches if length == longest))

    def paraphrased_by_scan(part: str) -> str | None:
        name = _NAME_TAIL.sub("", compact(part).strip("《》“”\"' "))
        pairs = _pairs(name)
        if len(name) < 3 or not pairs:
            return None
        scored = sorted(((len(pairs & n.title_pairs) / len(pairs), n.doc_id) for n in names), reverse=True)
        lead = scored[0][0] - scored[1][0]
        return scored[0][1] if scored[0][0] >= PARAPHRASE_COVERAGE and lead >= PARAPHRASE_LEAD else None

    for part in ("反垄断法", "劳动合同法", "劳动合同法实施条例", "中华人民共和国劳动合同法的", "条例", "行政执法三项制度指导意见中，",
                 "全面推行公示制度的意见里的", "劳动法", "合同法实施", "垄断", "xyz", ""):
        assert cited_name(part, forms) == cited_by_scan(part), part
        assert paraphrased_name(part, forms) == paraphrased_by_scan(part), part
    assert cited_name("劳动合同法实施条例", forms) == ["c"] and paraphrased_name("行政执法三项制度指导意见中，", forms) == "d"
