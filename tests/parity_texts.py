"""Varied texts for the embedding-parity test: the scripts, punctuation and
edge cases our users actually send, plus long passages around the 512-token
window."""

from __future__ import annotations

import re
from pathlib import Path

import opencc

RAW = Path(__file__).resolve().parent.parent / "corpus" / "plans" / "000_093f54daf34dba6e.txt"

ENGLISH = [
    "What does the plan say about land use?", "talent introduction policy", "Which ports are mentioned?",
    "special bonds for infrastructure", "How will new areas attract foreign experts?",
    "What is the role of Shanghai Pudong in consumption centres?", "list of national-level new areas",
    "digital transformation of small and medium enterprises", "How are major projects supervised?",
    "What reforms are planned for administrative approval?", "green factories and supply chains",
    "Harbin ice and snow festival", "Qingdao beer festival", "cooperation with Singapore in Chongqing",
    "How are the measures monitored and evaluated?", "What about local government debt risk?",
    "urban village renovation", "park city standards in Tianfu", "Xi'an-Xianyang integration",
    "Summer Davos forum", "Belt and Road science exchange conference", "first-store economy",
    "How do I bake sourdough bread?", "Will the stock market rise tomorrow?", "What's the weather today?",
    "mixed-use industrial land supply", "regulations and rules for new areas",
    "central state-owned enterprises cooperation", "cross-region innovation in the Yangtze River Delta",
    "provincial economic management authority delegated to new areas",
]
MIXED = [
    "新区 talent policy 2024年", "Pudong 浦東新區 reform", "第18条 measure 18", "AI 人工智能 先导区",
    "5G 算力樞紐 nodes", "青島 beer 啤酒節!", "什么是 first-store economy?", "Harbin 哈尔滨 冰雪节",
    "2024年4月23日 action plan", "1—2個主導產業 (leading industries)", "GDP 千億元 100 billion yuan",
    "“十五五” 14th/15th five-year", "(二十三) what does it say", "measure（十八）人才", "Chongqing–Singapore 中新",
    "Zhangjiang 張江 science city", "RCEP 东盟 ASEAN", "B2B 直播電商 e-commerce", "OK 好的 謝謝", "Q&A 问答",
]
PUNCT_DIGITS = [
    "（一）強化科技創新策源功能。", "(一)強化科技創新策源功能.", "第十二条", "第12條", "(23)", "（23）",
    "3—5年", "3-5年", "1,000億", "1，000億", "100%", "１２３４５", "ＡＢＣ，ｄｅｆ！", "？？？", "...",
    "「高精尖缺」人才", "\"高精尖缺\"人才", "『首店經濟』", "【重点】任务", "a/b/c; d: e",
]
EMOJI = [
    "🎉 新区建设", "👍", "🇨🇳 國家級新區", "❤️ policy", "👨‍👩‍👧 family", "😀😀😀", "🚀 科技创新 🚀",
    "emoji 😀🎉 test", "🍺 啤酒節", "❄️ 冰雪节",
]
EDGE = [
    "", " ", "a", "。", "?", "\n", "\t", "   spaced   out   ", "line one\nline two", "tab\tseparated",
    "zero\u200bwidth", "\u200b零宽", "a<s>b", "<mask> x", "</s>", "𠀀𠀁 rare", "ctrl\x01char\x7f",
    "e\u0301 combining", "ﬁ ligature", "①②③", "ｶﾀｶﾅ half-width", "한국어 텍스트", "العربية نص",
    "עברית", "русский текст", "ελληνικά", "हिन्दी", "ไทย",
]


def corpus_sentences() -> list[str]:
    text = RAW.read_text("utf-8").split("-END-")[0]
    text = re.sub(r"\s*\n\s*", "", text)
    return [s.strip() + "。" for s in text.split("。") if len(s.strip()) > 4]


def parity_texts() -> list[str]:
    """At least 200 texts: Traditional, Simplified, English, mixed, edge cases, long."""
    trad = corpus_sentences()
    t2s = opencc.OpenCC("t2s")
    simp = [t2s.convert(s) for s in trad[::2]]
    long = []
    for n in (6, 10, 14, 18):  # roughly 200–500 tokens
        long.append("".join(trad[:n]))
        long.append("".join(simp[:n]))
    very_long = ["".join(trad), "".join(simp), " ".join(ENGLISH) * 3]  # > 512 tokens: windowed
    return trad + simp + ENGLISH + MIXED + PUNCT_DIGITS + EMOJI + EDGE + long + very_long
