#!/usr/bin/env python3
"""Machine-check the gold questions in laws_gold.jsonl against the law corpus.

Usage:
    python3 tests/data/verify_laws_gold.py [CORPUS_DIR] [--gold FILE]

CORPUS_DIR defaults to ../shared/corpora/laws relative to the repository root
(the repository root is two levels above this file).  Standard library only.

Each corpus document is split into articles: an article starts at a paragraph
(line) beginning with 第X条 (optionally 第X条之Y) followed by whitespace, and
runs until the next such paragraph or the next Markdown heading (line starting
with '#').  Items （一）（二） inside an article belong to the article.

Checks, per question:
  * required fields are present, ids are unique, type is known;
  * the doc path exists under the corpus folder;
  * every gold article number exists exactly once in the document;
  * "key" occurs verbatim in every gold article;
  * zh-s: "key" occurs in no other article of the document;
  * multi: "all" is true and gold equals exactly the set of articles whose
    text contains "key";
  * ref: the article number named in the question (Chinese or Arabic
    numerals) equals the single gold number;
  * type counts meet the minimums (zh-s>=25, ref>=10, multi>=8, zh-t>=3,
    en>=4, total>=50).
Exits 1 and prints the failures if any check fails.
"""
import json
import os
import re
import sys

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
NUM_CHARS = "零〇一二两三四五六七八九十百千0-9"

ARTICLE_RE = re.compile(
    r"^第([" + NUM_CHARS + r"]+)条(之[一二三四五六七八九十]+)?[ \u3000\t]")

MIN_COUNTS = {"zh-s": 25, "ref": 10, "multi": 8, "zh-t": 3, "en": 4}
TOTAL_MIN = 50


def cn_to_int(s):
    """Convert a Chinese (or Arabic) numeral such as 一百零五 to an int."""
    if s.isdigit():
        return int(s)
    total = 0
    current = 0
    for ch in s:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if current == 0:
                current = 1  # 十五 -> 15
            total += current * unit
            current = 0
        else:
            raise ValueError("bad numeral %r" % s)
    return total + current


def split_articles(path):
    """Return a list of (number:int, suffix:str, text:str) in document order.

    suffix is '' for ordinary articles and e.g. '之一' for inserted ones.
    """
    articles = []
    cur = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            stripped = line.strip()
            if stripped.startswith("#"):
                if cur is not None:
                    articles.append(cur)
                    cur = None
                continue
            m = ARTICLE_RE.match(stripped)
            if m:
                if cur is not None:
                    articles.append(cur)
                cur = [cn_to_int(m.group(1)), m.group(2) or "", stripped]
                continue
            if cur is not None and stripped:
                cur[2] += "\n" + stripped
    if cur is not None:
        articles.append(cur)
    return [tuple(a) for a in articles]


REF_NUM_RE = re.compile(r"第([" + NUM_CHARS + r"]+)条")
EN_REF_RE = re.compile(r"\b[Aa]rticle\s+(\d+)")


def ref_numbers(q):
    nums = [cn_to_int(m) for m in REF_NUM_RE.findall(q)]
    nums += [int(m) for m in EN_REF_RE.findall(q)]
    return nums


def default_corpus():
    here = os.path.dirname(os.path.abspath(__file__))
    repo_root = os.path.dirname(os.path.dirname(here))
    return os.path.normpath(os.path.join(repo_root, "..", "shared",
                                         "corpora", "laws"))


def main(argv):
    args = list(argv[1:])
    gold_path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                             "laws_gold.jsonl")
    if "--gold" in args:
        i = args.index("--gold")
        gold_path = args[i + 1]
        del args[i:i + 2]
    corpus = args[0] if args else default_corpus()
    if not os.path.isdir(corpus):
        print("corpus folder not found: %s" % corpus)
        return 2

    failures = []
    counts = {}
    seen_ids = set()
    cache = {}
    n = 0
    with open(gold_path, encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip()]
    for lineno, line in enumerate(lines, 1):
        try:
            item = json.loads(line)
        except ValueError as e:
            failures.append("line %d: invalid JSON (%s)" % (lineno, e))
            continue
        n += 1
        qid = item.get("id", "line %d" % lineno)

        def fail(msg):
            failures.append("%s: %s" % (qid, msg))

        missing = [k for k in ("id", "q", "doc", "gold", "type", "key")
                   if k not in item]
        if missing:
            fail("missing fields %s" % missing)
            continue
        if qid in seen_ids:
            fail("duplicate id")
        seen_ids.add(qid)
        typ = item["type"]
        counts[typ] = counts.get(typ, 0) + 1
        if typ not in MIN_COUNTS:
            fail("unknown type %r" % typ)
        gold = item["gold"]
        key = item["key"]
        if (not isinstance(gold, list) or not gold
                or not all(isinstance(g, int) for g in gold)):
            fail("gold must be a non-empty list of ints")
            continue
        if len(set(gold)) != len(gold):
            fail("duplicate numbers in gold")
        if not key or len(key) > 12:
            fail("key must be 1..12 characters (got %d)" % len(key))
        if typ != "multi" and len(gold) != 1:
            fail("type %s must have exactly one gold article" % typ)
        if typ == "multi" and item.get("all") is not True:
            fail('multi question needs "all": true')

        path = os.path.join(corpus, item["doc"])
        if not os.path.isfile(path):
            fail("doc not found: %s" % item["doc"])
            continue
        if path not in cache:
            cache[path] = split_articles(path)
        arts = cache[path]
        by_num = {}
        for num, suffix, text in arts:
            if suffix == "":
                by_num.setdefault(num, []).append(text)

        for g in gold:
            texts = by_num.get(g, [])
            if len(texts) == 0:
                fail("article %d not found in %s" % (g, item["doc"]))
            elif len(texts) > 1:
                fail("article %d occurs %d times in %s (ambiguous)"
                     % (g, len(texts), item["doc"]))
            elif key not in texts[0]:
                fail("key %r not in article %d" % (key, g))

        containing = [(num, suffix) for num, suffix, text in arts
                      if key in text]
        if typ == "zh-s":
            others = [c for c in containing if not (c[1] == "" and c[0] in gold)]
            if others:
                fail("key %r also in other articles: %s"
                     % (key, ["%d%s" % c for c in others]))
        if typ == "multi":
            if any(c[1] for c in containing):
                fail("key %r occurs in an inserted article (之X): %s"
                     % (key, ["%d%s" % c for c in containing if c[1]]))
            got = sorted(set(c[0] for c in containing if not c[1]))
            if got != sorted(gold):
                fail("multi key %r: articles containing it %s != gold %s"
                     % (key, got, sorted(gold)))
            if key not in item["q"]:
                fail("multi key %r does not appear in the question" % key)
        if typ == "ref":
            nums = ref_numbers(item["q"])
            if nums != gold:
                fail("article number(s) in question %s != gold %s"
                     % (nums, gold))

    for typ, mn in MIN_COUNTS.items():
        if counts.get(typ, 0) < mn:
            failures.append("type %s: %d questions, need >= %d"
                            % (typ, counts.get(typ, 0), mn))
    if n < TOTAL_MIN:
        failures.append("total %d questions, need >= %d" % (n, TOTAL_MIN))

    summary = ", ".join("%s=%d" % (t, counts[t]) for t in sorted(counts))
    if failures:
        print("FAILED (%d problems; %d questions: %s)"
              % (len(failures), n, summary))
        for msg in failures:
            print("  " + msg)
        return 1
    print("OK: %d questions (%s), %d documents" % (n, summary, len(cache)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
