"""Title, issuer, 文号, dates and the short title users type.

What the format states (the gov.cn metadata table, a Markdown `# title`)
wins over what we guess from the text; the text wins over the file name.
`read_header` also reports which leading lines it consumed (title, 文号,
header date lines) so that they do not turn into a preamble.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from corpus.clean import Line
from corpus.numerals import DIGITS, cn_to_int

CN_DIGIT = "〇零一二三四五六七八九"
DATE = re.compile(rf"(\d{{4}}|[{CN_DIGIT}]{{4}})\s*年\s*(\d{{1,2}}|[{CN_DIGIT}十]{{1,3}})\s*月\s*"
                  rf"(\d{{1,2}}|[{CN_DIGIT}十]{{1,3}})\s*日")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*第?\s*\d+\s*号"
                        r"|[\u4e00-\u9fff]{0,12}令\s*[（(]?\s*第\s*[\d零〇一二三四五六七八九十百千]+\s*号[）)]?")
DATE_WORDS = ("通过", "修正", "修订", "公布", "发布", "施行", "印发", "批准")
DOC_TYPES = re.compile(r"(法|条例|规定|办法|意见|通知|决定|方案|计划|规划|细则|解释|批复|通报|公告|纲要|函|令|规则|"
                       r"指引|标准|章程|答复|报告|准则|目录|清单|措施|若干问题的规定)$")
PRC = re.compile(r"^(中华人民共和国|中華人民共和國)")
ABOUT = re.compile(r"关于|關於")
EDITION = re.compile(r"\s*[（(]\s*\d{4}\s*年?[^）)]{0,12}?(修正|修订|修改|版|第.次修正)?\s*[）)]\s*$")
ORGAN = re.compile(r"(院|部|委|厅|廳|局|署|会|會|办|辦|室|行|府|中心)$")
LABEL_START = re.compile(r"^(第[零〇一二两三四五六七八九十百千\d]+[条章节编]|[（(][一二三四五六七八九十]+[）)]|"
                         r"[一二三四五六七八九十]+、|\d{1,3}[.．、])")
SENTENCE = re.compile(r"[。；，：;,:]")
MAX_TITLE = 80
ORDER = re.compile(r"[\u4e00-\u9fff]{1,16}令")
ORDER_NUMBER = re.compile(r"[（(]?第[\d零〇一二三四五六七八九十百千]+号[）)]?")


@dataclass
class Header:
    title: str = ""
    issuer: str = ""
    doc_number: str = ""
    dates: dict[str, str] = field(default_factory=dict)
    consumed: set[int] = field(default_factory=set)  # indexes into the line list given


def iso_date(text: str) -> str | None:
    """'2018年12月05日' / '二〇一八年十二月五日' → '2018-12-05'."""
    m = DATE.search(text)
    if not m:
        return None
    year = m.group(1)
    y = int(year) if year.isdigit() else int("".join(str(DIGITS[c]) for c in year))
    mo, d = cn_to_int(m.group(2)), cn_to_int(m.group(3))
    if not mo or not d or not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def add_date(dates: dict[str, str], key: str, value: str | None) -> None:
    """Keep every date: a second 通过 becomes 通过(2) rather than overwriting the first."""
    if not value or value in (dates.get(k) for k in dates if k.split("(")[0] == key):
        return
    n, name = 1, key
    while name in dates:
        n += 1
        name = f"{key}({n})"
    dates[name] = value


def dates_in(line: str) -> list[tuple[str, str]]:
    """(key, iso) for each date in a header line; the key is the last 通过/修正/… of its clause."""
    plain = re.sub(r"《[^》]*》", "", line)
    found = list(DATE.finditer(plain))
    out = []
    for i, m in enumerate(found):
        clause = plain[m.end(): found[i + 1].start() if i + 1 < len(found) else len(plain)]
        hits = [(clause.rfind(w), w) for w in DATE_WORDS if w in clause]
        iso = iso_date(m.group(0))
        if iso:
            out.append((max(hits)[1] if hits else "日期", iso))
    return out


def is_header_date_line(text: str) -> bool:
    """'（2007年8月30日…通过 根据…修正）' or '2015年6月23日 最高人民法院审判委员会第1655次会议通过'."""
    t = text.strip()
    if not DATE.search(t[:16]) or len(t) > 400 or LABEL_START.match(t):
        return False
    return bool(t[0] in "（(" and t[-1] in "）)" or any(w in t[-12:] for w in DATE_WORDS))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _title_like(text: str) -> bool:
    t = text.strip()
    return 0 < len(t) <= MAX_TITLE and not SENTENCE.search(t.rstrip("。")) and not LABEL_START.match(t) \
        and not DOC_NUMBER.fullmatch(t) and not DATE.match(t)


def read_header(lines: list[Line], hints: dict[str, str], source_name: str) -> Header:
    """Find title, 文号 and dates at the top of the text, hints first."""
    h = Header(title=hints.get("title", "").strip(), issuer=hints.get("issuer", "").strip(),
               doc_number=_squash(hints.get("doc_number", "")))
    for key, value in hints.items():
        if key.startswith("date:"):
            add_date(h.dates, key[5:], iso_date(value))
    for line in hints.get("header", "").splitlines():
        for key, iso in dates_in(line):
            add_date(h.dates, key, iso)
    top = [i for i, ln in enumerate(lines) if ln.text.strip()][:40]
    pos = _order_header(lines, top, h)
    if pos == 0 and top and DOC_NUMBER.fullmatch(_squash(lines[top[0]].text)):  # 红头: 文号 above the title
        h.doc_number = h.doc_number or _squash(lines[top[0]].text)
        h.consumed.add(top[0])
        pos = 1
    start = pos
    pos = _take_title(lines, top, pos, h)
    if pos == start and h.title:  # a known title further down (after a 主席令, a banner …)
        pos = next((k + 1 for k in range(start, len(top)) if _squash(lines[top[k]].text) == _squash(h.title)), pos)
        if pos > start:
            h.consumed.add(top[pos - 1])
    header: list[str] = hints.get("header", "").splitlines()
    for i in top[pos:pos + 8]:
        t = _squash(lines[i].text)
        if DOC_NUMBER.fullmatch(t):
            h.doc_number = h.doc_number or t
        elif is_header_date_line(lines[i].text):
            header.append(lines[i].text)
            for key, iso in dates_in(lines[i].text):
                add_date(h.dates, key, iso)
        else:
            break
        h.consumed.add(i)
    if not h.doc_number:
        for i in top[:12]:
            m = DOC_NUMBER.search(_squash(lines[i].text))
            if m and len(_squash(lines[i].text)) <= 40:
                h.doc_number = m.group(0)
                break
    if not h.title:
        h.title = PurePath(source_name).stem
    h.issuer = h.issuer or issuer_from_title(h.title) or _issuer_from_header("\n".join(header))
    return h


def _order_header(lines: list[Line], top: list[int], h: Header) -> int:
    """'中华人民共和国主席令 / 第六十八号 / 《X》已由…通过，现予公布' : 文号 and the title X it promulgates."""
    if len(top) < 2 or not ORDER.fullmatch(_squash(lines[top[0]].text)) \
            or not ORDER_NUMBER.fullmatch(_squash(lines[top[1]].text)):
        return 0
    h.doc_number = h.doc_number or _squash(lines[top[0]].text) + _squash(lines[top[1]].text)
    h.consumed.update(top[:2])
    named = re.match(r"^《([^》]{2,60})》", lines[top[2]].text.strip()) if len(top) > 2 else None
    if named and not h.title:
        h.title = named.group(1)
    return 2


def _take_title(lines: list[Line], top: list[int], pos: int, h: Header) -> int:
    """Consume the title lines (a title may be split over several lines); return the next position."""
    if h.title:
        want, acc = _squash(h.title), ""
        for k in range(pos, min(pos + 5, len(top))):
            acc += _squash(lines[top[k]].text)
            if acc == want:
                h.consumed.update(top[pos:k + 1])
                return k + 1
            if not want.startswith(acc):
                break
        return pos
    if pos >= len(top) or not _title_like(lines[top[pos]].text):
        return pos
    # Lines before a 文号 line are the title (gov.cn splits long titles over 2–3 centred lines).
    for k in range(pos + 1, min(pos + 5, len(top))):
        if DOC_NUMBER.fullmatch(_squash(lines[top[k]].text)):
            if all(_title_like(lines[top[j]].text) for j in range(pos, k)):
                h.title = "".join(lines[top[j]].text.strip() for j in range(pos, k))
                h.consumed.update(top[pos:k])
                return k
            break
    title, end = lines[top[pos]].text.strip(), pos + 1
    while end < len(top) and not DOC_TYPES.search(title) and _title_like(lines[top[end]].text) \
            and DOC_TYPES.search(lines[top[end]].text.strip()) and len(title) < MAX_TITLE:
        title += lines[top[end]].text.strip()  # a title wrapped onto a second line (PDF)
        end += 1
    h.title = title
    h.consumed.update(top[pos:end])
    return end


def issuer_from_title(title: str) -> str:
    """'国务院办公厅关于…' → '国务院办公厅' (only when the prefix looks like an organ)."""
    head = ABOUT.split(title, 1)[0] if ABOUT.search(title) else ""
    return head if 2 <= len(head) <= 30 and ORGAN.search(head) else ""


def _issuer_from_header(header: str) -> str:
    m = re.search(r"第[一二三四五六七八九十]+届(全国人民代表大会(?:常务委员会)?)", header)
    if m:
        return m.group(1)
    m = re.search(r"(最高人民法院|最高人民检察院)(?:审判|检察)委员会", header)
    return m.group(1) if m else ""


def short_title(title: str) -> str:
    """The name users type: 中华人民共和国反垄断法(2022修正) → 反垄断法; 国务院关于印发《X》的通知 → X."""
    t = EDITION.sub("", title.strip())
    inner = re.fullmatch(r".{0,30}?(?:关于|關於)(?:印发|印發|转发|轉發|发布|發布)[《〈](.+?)[》〉]的?(?:通知|决定|決定|公告)", t)
    if inner:
        t = inner.group(1)
    elif ABOUT.search(t):
        head, rest = ABOUT.split(t, 1)
        if head and ORGAN.search(head) and len(rest) >= 6:
            t = rest
    if PRC.match(t) and len(t) > 8:
        t = PRC.sub("", t)
    return EDITION.sub("", t) or title.strip()
