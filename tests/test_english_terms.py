"""English questions reach Chinese clauses through CC-CEDICT read backwards (rag/english_terms.py)."""

from __future__ import annotations

import pytest

from rag.english_terms import EnglishTerms, english_terms, phrases, word_forms

ENTRIES = [("东盟", ["ASEAN (Association of Southeast Asian Nations)"]),
           ("工作时间", ["working hours"]), ("工作", ["to work", "job"]), ("时间", ["time", "period"]),
           ("反制", ["to take countermeasures against", "to hit back"]),
           ("监测", ["to monitor"]), ("法", ["law"]), ("法律", ["law"]), ("法则", ["law", "rule"]),
           ("定律", ["law (of science)"]), ("律条", ["law"]), ("法学", ["law", "legal studies"]),
           ("猫", ["cat", "CL:隻|只[zhi1]"])]


def test_glosses_become_phrases():
    assert phrases("to take countermeasures against") == ["take countermeasures against"]
    assert phrases("CL:隻|只[zhi1]") == [] and phrases("variant of 猫[mao1]") == []
    assert phrases("ASEAN (Association of Southeast Asian Nations)") == ["asean"]


def test_word_forms_reach_the_dictionary_form():
    assert "monitor" in word_forms("monitors") and "country" in word_forms("countries")
    assert "protect" in word_forms("protecting") and "amend" in word_forms("amended")


def test_longest_phrase_first_and_only_the_librarys_words():
    terms = EnglishTerms(ENTRIES)
    everything = lambda w: True  # noqa: E731
    assert terms.find("What are the maximum working hours?", everything) == ["工作时间"]  # not 工作 + 时间
    assert terms.find("Who monitors ASEAN projects?", everything) == ["监测", "东盟"]
    assert terms.find("Who monitors ASEAN projects?", lambda w: w != "东盟") == ["监测"]


def test_a_phrase_with_many_senses_is_noise():
    terms = EnglishTerms(ENTRIES)
    assert terms.find("the law", lambda w: True) == []  # 法, 法律, 法则, 律条, 法学: too many to guess
    assert terms.find("the law", lambda w: w in ("法律", "法则")) == ["法则", "法律"]


def test_a_legal_gloss_outranks_the_dictionarys_other_senses_of_the_same_phrase():
    """In a statute "the law" is 法律, and "property" 财产: the dictionary's other senses of those
    phrases would make them too many to guess, and the question would lose the word."""
    terms = EnglishTerms(ENTRIES, legal=[("法律", ["law"])])
    assert terms.find("What does the law say?", lambda w: True) == ["法律"]
    assert terms.find("What is the rule?", lambda w: True) == ["法则"]  # other phrases keep their senses
    assert "法学" in terms.within["law"]  # names are still spelled from every sense


def test_legal_english_the_dictionary_lacks_is_added():
    from importlib import resources

    from rag.english_terms import legal_glosses

    text = resources.files("rag.data").joinpath("legal_glosses.tsv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(legal_glosses()) == len(lines)  # every line read: none without its tab
    table = english_terms().table
    assert "民事诉讼" in table["civil procedure"] and "诉讼时效" in table["limitation period"]
    assert "调解" in table["mediation"]
    # the words of law titles sit beside the dictionary's senses ("contract" keeps 承包)
    assert "道路交通安全" in table["road traffic safety"] and "交安" in table["road traffic safety"]


def test_laws_named_by_their_official_english_names():
    from rag.documents import NameForms
    from rag.english_names import named_in_english

    forms = NameForms(_names("中华人民共和国反垄断法", "中华人民共和国道路交通安全法", "中华人民共和国出境入境管理法",
                             "中华人民共和国反不正当竞争法", "中华人民共和国道路交通安全法实施条例"))
    assert named_in_english("Under the Anti-Monopoly Law, what is a cartel?", forms, english_terms) == ["d0"]
    assert named_in_english("What does the Road Traffic Safety Law say?", forms, english_terms) == ["d1"]
    assert named_in_english("Under the Exit and Entry Administration Law, who?", forms, english_terms) == ["d2"]


def test_a_missing_or_damaged_glossary_loses_only_itself(monkeypatch, caplog):
    from importlib import resources

    import rag.english_terms as et

    class Broken:
        def joinpath(self, name):
            return self

        def read_text(self, encoding):
            raise FileNotFoundError("legal_glosses.tsv")

    monkeypatch.setattr(resources, "files", lambda package: Broken())
    assert et.legal_glosses() == [] and "could not be read" in caplog.text


def test_the_real_dictionary_on_the_shipped_plan(fast_engine):
    """CC-CEDICT itself, filtered by the plan's own keyword vocabulary."""
    fast_engine.pinyin.wait()
    words = fast_engine.pinyin.glossed("cooperation with ASEAN countries")
    assert "东盟" in words and "合作" in words
    assert fast_engine.pinyin.glossed("football and tennis") == []  # 足球, 网球: not the plan's words


@pytest.mark.parametrize("question", ["What's the weather like in Paris tomorrow?", "Explain relativity"])
def test_glossed_words_never_make_an_off_topic_question_answerable(fast_engine, question):
    assert fast_engine.ask(question).mode == "refused"


def _infos(*titles: str):
    from corpus.models import DocumentInfo

    return [DocumentInfo(doc_id=f"d{i}", title=t, short_title=t.removeprefix("中华人民共和国"), script="hans",
                         unit_kind="article", units=1, summary="", source="", stored_source="", format="md")
            for i, t in enumerate(titles)]


def _names(*titles: str):
    from rag.documents import DocNames

    return [DocNames.of(info) for info in _infos(*titles)]


LAWS = ("中华人民共和国反外国制裁法", "中华人民共和国劳动法", "中华人民共和国个人信息保护法", "中华人民共和国民事诉讼法",
        "中华人民共和国刑事诉讼法", "中华人民共和国外商投资法", "中华人民共和国民法典", "中华人民共和国劳动合同法",
        "中华人民共和国仲裁法", "中华人民共和国教育法", "中华人民共和国体育法")


@pytest.mark.parametrize("question,named", [
    ("Which countermeasures may be taken under China's Anti-Foreign Sanctions Law?", ["d0"]),
    ("What are the maximum working hours under the PRC Labour Law?", ["d1"]),
    ("Under the Personal Information Protection Law, can I refuse automated decisions?", ["d2"]),
    ("What is the limitation period under the Civil Code?", ["d6"]),
    ("Which rules apply under the Civil Procedure Law?", ["d3"]),  # rag/data/legal_glosses.tsv: 民事诉讼
    ("Which rules apply under the Criminal Procedure Law?", ["d4"]),
    ("Which rules apply under the Procedure Law?", []),  # 民事 / 刑事 unspelled: no guess
    ("What does the law say about fines?", []),  # a genre word alone names nothing
    ("What does the Labour Contract Law say about probation?", ["d7"]),  # British spelling inside a name
    ("What does the Contract Law say?", []),  # 劳动合同法 leaves 劳动 unspelled: not the Contract Law
    ("Article 5 of the Labour Dispute Mediation and Arbitration Law", []),  # not the Arbitration Law
    ("What does the Education Law say?", ["d9"]),  # 教育 is "education"; 体育 only "physical education"
])
def test_english_names_of_documents(question, named):
    from rag.documents import NameForms
    from rag.english_names import named_in_english

    assert named_in_english(question, NameForms(_names(*LAWS)), english_terms) == named


def test_a_name_with_and_in_it_is_spelled_whole():
    from rag.documents import NameForms
    from rag.english_names import named_in_english

    forms = NameForms(_names(*LAWS, "中华人民共和国劳动争议调解仲裁法"))
    q = "What is the limitation period under the Labour Dispute Mediation and Arbitration Law?"
    assert named_in_english(q, forms, english_terms) == ["d11"]  # not 仲裁法, d8
    both = "What do the Labour Law and Arbitration Law say?"  # two names, each counts
    assert named_in_english(both, forms, english_terms) == ["d1", "d8"]


def test_a_gloss_holding_the_genre_word_names_only_that_genre():
    """"criminal procedure" is 刑事诉讼法 in CC-CEDICT: "Criminal Procedure Law" names the law, but
    "Criminal Procedure Rules" is not the law (its 规则 is not spelled)."""
    from rag.documents import NameForms
    from rag.english_names import named_in_english

    forms = NameForms(_names(*LAWS, "人民检察院刑事诉讼规则"))
    assert named_in_english("Under the Criminal Procedure Law, who decides?", forms, english_terms) == ["d4"]
    assert named_in_english("Under the Criminal Procedure Rules, who decides?", forms, english_terms) == []


def test_an_english_name_narrows_the_scope_and_chinese_questions_are_untouched():
    from rag.lookup import DocView
    from rag.references import parse_reference
    from rag.scope import resolve

    names = _names(*LAWS)
    views = [DocView(n_info, []) for n_info in _infos(*LAWS)]
    q = "which countermeasures may be taken under china's anti-foreign sanctions law?"
    scope = resolve(q, parse_reference(q), views, names)
    assert [v.info.doc_id for v in scope.views] == ["d0"] and scope.rest == q
    q = "反制措施有哪些"  # Chinese: exact names only, as before
    assert len(resolve(q, parse_reference(q), views, names).views) == len(LAWS)



def test_what_an_english_question_asks_is_read_without_the_name():
    from rag.english_names import without_names

    assert without_names("What does the Labour Law say about overtime?") == "what does the say about overtime"
    assert without_names("Under the Labour Dispute Mediation and Arbitration Law, how long?") == "under the how long"
    # only the name goes: the same word asked elsewhere stays ("bankruptcy expenses")
    assert (without_names("Under the Enterprise Bankruptcy Law, who pays bankruptcy expenses?")
            == "under the who pays bankruptcy expenses")


def test_a_name_abbreviating_its_words_by_their_first_character_is_spelled():
    """车船税法 is 车(辆) 船(只) 税法, 契税法 契(据) 税法: a name's word may be one character of its
    sense, never its genre word's."""
    from rag.documents import NameForms
    from rag.english_names import named_in_english

    forms = NameForms(_names(*LAWS, "中华人民共和国车船税法", "中华人民共和国车辆购置税法", "中华人民共和国契税法"))
    assert named_in_english("Under the Vehicle and Vessel Tax Law, who collects it?", forms, english_terms) == ["d11"]
    assert named_in_english("Under the Vehicle Purchase Tax Law, who pays?", forms, english_terms) == ["d12"]
    assert named_in_english("Does an heir pay under the Deed Tax Law?", forms, english_terms) == ["d13"]
    assert named_in_english("What does the Contract Law say?", forms, english_terms) == []  # not 契(约)税法: 税 left


def test_a_glossed_phrase_that_leaves_out_a_word_of_the_name_does_not_hide_it():
    """"enterprise bankruptcy" is glossed 破产 alone: word by word, 企业 破产 法 spells 企业破产法."""
    from rag.documents import NameForms
    from rag.english_names import named_in_english

    forms = NameForms(_names("中华人民共和国企业破产法", "中华人民共和国就业促进法"))
    assert named_in_english("Under the Enterprise Bankruptcy Law, who is paid first?", forms, english_terms) == ["d0"]


def test_peoples_in_a_name_is_part_of_it_but_the_peoples_republic_is_not():
    from rag.documents import NameForms
    from rag.english_names import named_in_english

    forms = NameForms(_names(*LAWS, "中华人民共和国人民调解法"))
    assert named_in_english("Under the People's Mediation Law, who may mediate?", forms, english_terms) == ["d11"]
    assert named_in_english("the Labour Law of the People's Republic of China", forms, english_terms) == ["d1"]
