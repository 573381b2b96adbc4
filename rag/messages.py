"""User-facing strings in the asker's language: zh-hant, zh-hans, en."""

from __future__ import annotations

from rag.models import Lang

MESSAGES: dict[str, dict[Lang, str]] = {
    "empty": {
        "zh-hant": "請輸入一個關於本計劃的問題，例如：「外籍人才怎麼引進？」或「第十八條」。",
        "zh-hans": "请输入一个关于本计划的问题，例如：“外籍人才怎么引进？”或“第十八条”。",
        "en": "Please type a question about the plan, e.g. “How are foreign experts attracted?” or “measure 18”.",
    },
    "too_long": {
        "zh-hant": "問題太長（{n} 個字元，上限 {limit}）。請縮短後再問。",
        "zh-hans": "问题太长（{n} 个字符，上限 {limit}）。请缩短后再问。",
        "en": "The question is too long ({n} characters; the limit is {limit}). Please shorten it.",
    },
    "out_of_range": {
        "zh-hant": "本計劃共有 {count} 項措施（（一）至（{last}）），沒有第 {n} 項。",
        "zh-hans": "本计划共有 {count} 项措施（（一）至（{last}）），没有第 {n} 项。",
        "en": "The plan has {count} measures, numbered (1) to ({count}); there is no measure {n}.",
    },
    "section_out_of_range": {
        "zh-hant": "本計劃共有 {count} 個部分（一至{last}），沒有第 {n} 部分。",
        "zh-hans": "本计划共有 {count} 个部分（一至{last}），没有第 {n} 部分。",
        "en": "The plan has {count} sections; there is no section {n}.",
    },
    "refused": {
        "zh-hant": "抱歉，《{plan}》沒有涉及這個問題。請詢問計劃中的措施、地區或項目。",
        "zh-hans": "抱歉，《{plan}》没有涉及这个问题。请询问计划中的措施、地区或项目。",
        "en": "Sorry, the plan 《{plan}》 does not address this question. Ask about its measures, places or programmes.",
    },
    "lookup": {
        "zh-hant": "以下是您查詢的條款：", "zh-hans": "以下是您查询的条款：", "en": "The clause you asked for:",
    },
    "section": {
        "zh-hant": "第{n}部分「{title}」共 {count} 項：", "zh-hans": "第{n}部分“{title}”共 {count} 项：",
        "en": "Section {n} “{title}” has {count} item(s):",
    },
    "mentions": {
        "zh-hant": "提到「{term}」的條款共 {count} 項：", "zh-hans": "提到“{term}”的条款共 {count} 项：",
        "en": "{count} clause(s) mention “{term}”:",
    },
    "mentions_none": {
        "zh-hant": "沒有條款逐字提到「{term}」；以下是最相關的條款：",
        "zh-hans": "没有条款逐字提到“{term}”；以下是最相关的条款：",
        "en": "No clause contains “{term}” word for word; these are the most relevant clauses:",
    },
    "search": {
        "zh-hant": "最相關的條款：", "zh-hans": "最相关的条款：", "en": "The most relevant clauses:",
    },
    "citation": {
        "zh-hant": "出處：", "zh-hans": "出处：", "en": "Source: ",
    },
    "relevance": {"zh-hant": "相關度", "zh-hans": "相关度", "en": "relevance"},
}


def msg(key: str, lang: Lang, **kw: object) -> str:
    return MESSAGES[key][lang].format(**kw)
