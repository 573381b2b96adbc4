"""Every supported format reads; every bad upload fails with the right IngestError code."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest

from corpus.errors import IngestError
from corpus.formats import read_source
from corpus.ingest import parse_file, parse_text

LIB = Path(__file__).parent / "fixtures" / "library"
FORMATS = LIB / "formats"
MAX = 20_000_000


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def same_articles(a, b) -> bool:
    return [(u.label.replace(" ", ""), squash(u.text)) for u in a.units] == \
        [(u.label.replace(" ", ""), squash(u.text)) for u in b.units]


def test_gbk_txt_reads_like_the_markdown_original():
    doc = parse_file(FORMATS / "private_lending_gbk.txt")
    assert doc.meta.format == "txt" and doc.meta.script == "hans"
    assert doc.meta.title == "最高人民法院关于审理民间借贷案件适用法律若干问题的规定"
    assert doc.meta.dates["通过"] == "2015-06-23"
    assert doc.units[0].kind == "preamble" and len(doc.units) == 32
    assert same_articles(doc, parse_file(LIB / "05_private_lending_provisions.md"))


def test_big5_txt_is_traditional_and_kept_traditional():
    doc = parse_file(FORMATS / "dual_use_big5.txt")
    assert doc.meta.script == "hant" and doc.meta.title == "中華人民共和國兩用物項出口管制條例"
    assert doc.meta.short_title == "兩用物項出口管制條例"
    arts = [u for u in doc.units if u.kind == "article"]
    assert len(arts) == 50 and arts[0].label == "第一條" and "國家安全" in arts[0].text
    assert {u.path[1] for u in arts if len(u.path) > 1} == {"第一節 兩用物項出口許可", "第二節 最終用戶和最終用途管理",
                                                          "第三節 管控名單"}


def test_utf8_bom_and_utf16_text(tmp_path):
    text = "某某办法\n第一条 为了规范管理，制定本办法。\n第二条 本办法自发布之日起施行。\n"
    for enc, name in (("utf-8-sig", "bom.txt"), ("utf-16", "u16.txt")):
        (tmp_path / name).write_bytes(text.encode(enc))
        doc = parse_file(tmp_path / name)
        assert [u.label for u in doc.units] == ["第一条", "第二条"] and doc.meta.title == "某某办法"


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_invisible_characters_make_no_unit_and_leave_no_trace(fmt):
    """gov.cn pages put lines of a lone zero-width space between parts: they had become an empty
    preamble and section intros, and English questions matched the empty preamble first."""
    text = ("# 中华人民共和国测试法\n\n\u200b\n\n## 第一章 总则\n\n\u200b\n\n"
            "第一条 为了测试，制定本法。\n\n第二条 本法\u200b自公布\u200e之日起施行。\n")
    doc = parse_text(text if fmt == "md" else text.replace("#", ""), "测试法." + fmt, fmt)
    assert [u.label for u in doc.units] == ["第一条", "第二条"]
    assert squash(doc.units[1].text) == "第二条本法自公布之日起施行。"


def test_pdf_with_text_layer_joins_wrapped_lines():
    doc = parse_file(FORMATS / "anti_monopoly_law.pdf")
    assert doc.meta.format == "pdf" and doc.summary() == "70 articles in 8 chapters"
    assert doc.meta.dates == {"通过": "2007-08-30", "修正": "2022-06-24", "施行": "2008-08-01"}
    assert same_articles(doc, parse_file(LIB / "03_anti_monopoly_law.md"))  # no line cut mid-sentence
    assert not any("目" in u.text.splitlines()[0][:2] for u in doc.units)  # the table of contents is not text


def test_docx_paragraphs_and_metadata_table():
    doc = parse_file(FORMATS / "law_enforcement_opinion.docx")
    assert doc.meta.format == "docx" and doc.summary() == "23 measures in 6 sections"
    assert doc.meta.doc_number == "国办发〔2018〕118号"
    assert doc.meta.dates == {"成文": "2018-12-05", "发布": "2019-01-03"}
    html = parse_file(LIB / "01_law_enforcement_three_systems_opinion.html")
    assert [u.text for u in doc.units] == [u.text for u in html.units]


def test_markdown_and_html_read():
    assert read_source(LIB / "03_anti_monopoly_law.md", MAX).hints["title"] == "中华人民共和国反垄断法"
    src = read_source(LIB / "01_law_enforcement_three_systems_opinion.html", MAX)
    assert src.hints["doc_number"] == "国办发〔2018〕118号" and src.hints["issuer"] == "国务院办公厅"


def test_parse_text_markdown():
    doc = parse_text("# 某某办法\n\n## 第一章 总 则\n\n第一条 为了规范管理。\n\n第二条 自发布之日起施行。\n",
                     "x.md", format="md")
    assert doc.meta.title == "某某办法" and [u.path for u in doc.units] == [["第一章 总则"]] * 2


# --- bad input ----------------------------------------------------------------------------------

def expect(path: Path, code: str, max_bytes: int = MAX) -> IngestError:
    with pytest.raises(IngestError) as info:
        parse_file(path, max_bytes=max_bytes)
    err = info.value
    assert err.code == code, str(err)
    assert str(err).startswith(path.name + ": ") and "\n" not in str(err)
    return err


@pytest.mark.parametrize("name", ["setup.exe", "table.xlsx", "notes", "old.doc"])
def test_unsupported_suffix(tmp_path, name):
    (tmp_path / name).write_bytes(b"MZ\x90\x00" * 10)
    expect(tmp_path / name, "unsupported_type")


@pytest.mark.parametrize("name", ["empty.txt", "empty.md", "empty.html", "empty.pdf", "empty.docx"])
def test_empty_files(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    expect(tmp_path / name, "empty")


def test_blank_text_and_blank_html(tmp_path):
    (tmp_path / "blank.txt").write_text(" \n\n\t \n", "utf-8")
    expect(tmp_path / "blank.txt", "empty")
    (tmp_path / "blank.html").write_text("<html><script>var x = 1;</script><p>&nbsp;</p></html>", "utf-8")
    expect(tmp_path / "blank.html", "empty")
    with pytest.raises(IngestError) as info:
        parse_text("   ", "pasted")
    assert info.value.code == "empty"


def test_binary_renamed_txt(tmp_path):
    (tmp_path / "photo.txt").write_bytes((FORMATS / "scanned_no_text.pdf").read_bytes())
    expect(tmp_path / "photo.txt", "binary")
    (tmp_path / "program.txt").write_bytes(bytes(range(1, 32)) * 300)  # control bytes, no NULs
    expect(tmp_path / "program.txt", "binary")


def test_undecodable_text(tmp_path):
    (tmp_path / "garbled.txt").write_bytes(bytes([0x80, 0xFF, 0x81, 0xFE, 0x9F, 0xA0]) * 400)
    expect(tmp_path / "garbled.txt", "undecodable")


def test_scanned_pdf_has_no_text_layer():
    err = expect(FORMATS / "scanned_no_text.pdf", "no_text_layer")
    assert "scanned" in str(err)


def test_encrypted_pdf():
    expect(FORMATS / "encrypted_password.pdf", "encrypted")
    doc = parse_file(FORMATS / "encrypted_owner_only.pdf")  # edit-protected only: opens with ""
    assert doc.summary() == "70 articles in 8 chapters"


def test_broken_pdf(tmp_path):
    data = (FORMATS / "anti_monopoly_law.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 3])
    with pytest.raises(IngestError) as info:
        parse_file(tmp_path / "cut.pdf")
    assert info.value.code in ("unreadable", "no_text_layer")
    (tmp_path / "notes.pdf").write_text("这不是PDF文件。", "utf-8")
    expect(tmp_path / "notes.pdf", "unreadable")


def test_broken_docx(tmp_path):
    data = (FORMATS / "law_enforcement_opinion.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    expect(tmp_path / "cut.docx", "unreadable")
    (tmp_path / "renamed.docx").write_text("第一条 这是文本文件。", "utf-8")
    expect(tmp_path / "renamed.docx", "unreadable")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a word document")
    (tmp_path / "zip.docx").write_bytes(buf.getvalue())
    expect(tmp_path / "zip.docx", "unreadable")


def test_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(30_000_000)  # sparse: no 30 MB written
    def no_read(*args, **kwargs):
        raise AssertionError("file was read")
    monkeypatch.setattr(Path, "read_bytes", no_read)
    monkeypatch.setattr(Path, "open", no_read)
    err = expect(big, "too_large", max_bytes=20_000_000)
    assert "30,000,000" in str(err)


def test_missing_file(tmp_path):
    expect(tmp_path / "gone.txt", "unreadable")


# --- hostile HTML ---------------------------------------------------------------------------------

def timed_parse(path: Path):
    start = time.perf_counter()
    try:
        result = parse_file(path)
    except IngestError as err:
        result = err
    return result, time.perf_counter() - start


def test_script_heavy_html(tmp_path):
    body = "<p>第一条 为了规范管理，制定本办法。</p><p>第二条 本办法自发布之日起施行。</p>"
    page = "<html><head><script>" + "var s='<p>第九条 假的</p>';" * 50_000 + "</script><style>p{}</style></head>" \
           "<body><script>document.write('<p>第三条 也是假的</p>')</script>" + body + "<!-- <p>第四条</p> --></body>"
    (tmp_path / "scripts.html").write_text(page, "utf-8")
    doc, seconds = timed_parse(tmp_path / "scripts.html")
    assert [u.label for u in doc.units] == ["第一条", "第二条"] and seconds < 10
    assert not any("假的" in u.text or "document" in u.text for u in doc.units)


def test_deeply_nested_html(tmp_path):
    page = "<div>" * 60_000 + "<p>第一条 深层正文。</p><p>第二条 第二段。</p>" + "</div>" * 60_000
    (tmp_path / "nested.html").write_text(page, "utf-8")
    doc, seconds = timed_parse(tmp_path / "nested.html")
    assert [u.label for u in doc.units] == ["第一条", "第二条"] and seconds < 20
    (tmp_path / "deeper.html").write_text("<div>" * 200_000 + "正文" + "</div>" * 200_000, "utf-8")
    err, seconds = timed_parse(tmp_path / "deeper.html")
    assert isinstance(err, IngestError) and err.code == "unreadable" and seconds < 5


def test_five_megabyte_one_line_html(tmp_path):
    sentence = "北京市大力推进外国人来华工作许可制度改革，推动经济高质量发展。" * 20
    items = "".join(f"<p>{i}.{sentence}</p>" for i in range(1, 3_001))
    (tmp_path / "list.html").write_text(items, "utf-8")
    assert (tmp_path / "list.html").stat().st_size > 5_000_000 and "\n" not in items
    doc, seconds = timed_parse(tmp_path / "list.html")
    assert doc.summary() == "3000 items" and seconds < 30
    (tmp_path / "tags.html").write_text("<p><b>测</b><i>试</i></p>" * 220_000, "utf-8")
    err, seconds = timed_parse(tmp_path / "tags.html")
    assert isinstance(err, IngestError) and err.code == "unreadable" and seconds < 5
    (tmp_path / "comments.html").write_text("<!--" * 1_000_000 + "<p>x</p>", "utf-8")
    err, seconds = timed_parse(tmp_path / "comments.html")
    assert isinstance(err, IngestError) and err.code == "empty" and seconds < 5


def test_pdf_glyph_spacing_and_wrapping_helpers():
    from corpus.formats.pdf import join_wrapped, unspace

    assert unspace(" 第 一 条   本 规 定 所 称 的 民 间 借 贷 ， 2 0 2 0 年") == "第一条 本规定所称的民间借贷，2020年"
    assert unspace("第一条 本规定所称的民间借贷") == "第一条 本规定所称的民间借贷"
    lines = ["最高人民法院关于审理民间借贷案件适用法律若干问题的规定", "第二条",
             "出借人向人民法院提起民间借贷诉讼时，应当提供借据、收据、欠条等债权凭证以及其他能够证明借",
             "贷法律关系存在的证据。", "第三条　借贷双方就合同履行地未约定或者约定不明确，事后未达成补充协议，按",
             "照合同相关条款或者交易习惯仍不能确定的，以接受货币一方所在地为合同履行地。"]
    assert join_wrapped(lines) == [
        lines[0], "第二条出借人向人民法院提起民间借贷诉讼时，应当提供借据、收据、欠条等债权凭证以及其他能够证明借贷法律关系存在的证据。",
        "第三条　借贷双方就合同履行地未约定或者约定不明确，事后未达成补充协议，按照合同相关条款或者交易习惯仍不能确定的，以接受货币一方所在地为合同履行地。"]
