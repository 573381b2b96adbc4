"""The policy library: add / list / remove / show, storage faults, answers across documents.

Fast tier: the real ingestion, store, engine and CLI with the model-free `hashing` embedder.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from conftest import FIXTURES, add_killed_midway

LIB = FIXTURES / "library"
DOCS = sorted(p for p in LIB.iterdir() if p.suffix in (".html", ".md"))
UNITS = json.loads((LIB / "units.json").read_text("utf-8"))


def cli(data_dir, *args: str, check: bool = True, lang: str = "C.UTF-8") -> subprocess.CompletedProcess:
    env = {**os.environ, "POLICY_RAG_MODEL": "hashing", "POLICY_RAG_DATA_DIR": str(data_dir), "LANG": lang,
           "LC_ALL": "", "LC_MESSAGES": ""}
    out = subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, env=env,
                         timeout=300)
    if check:
        assert out.returncode == 0, out.stderr
    return out


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    data = tmp_path_factory.mktemp("library")
    out = cli(data, "add", *map(str, DOCS), "--json")
    return data, [json.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture(scope="module")
def lib_engine(library):
    from rag.engine import Engine
    from rag.settings import Settings

    return Engine.load(Settings(model="hashing", data_dir=library[0]))


def test_add_reports_each_document_and_unit_counts_match(library):
    _, lines = library
    assert [ln["id"] for ln in lines] == [p.stem for p in DOCS]
    for ln in lines:
        want = UNITS[ln["id"]]
        assert (ln["unit_kind"], ln["units"], ln["title"]) == (want["unit"], want["count"], want["title"])
        assert {"id", "title", "short_title", "unit_kind", "units", "source"} <= set(ln)
    assert next(ln for ln in lines if ln["id"] == "03_anti_monopoly_law")["short_title"] == "反垄断法"


def test_list_includes_the_builtin_plan_first_and_the_library_is_self_contained(library):
    data, lines = library
    listed = json.loads(cli(data, "list", "--json").stdout)
    assert listed[0]["id"] == "nla-2024" and listed[0]["builtin"] is True
    assert [d["id"] for d in listed[1:]] == [ln["id"] for ln in lines]
    assert len(list((data / "sources").glob("*.md"))) == 3 and len(list((data / "sources").glob("*.html"))) == 2


def test_same_content_twice_is_reported_not_duplicated(library, tmp_path):
    data, _ = library
    copy = tmp_path / "renamed_copy.md"
    shutil.copy(DOCS[2], copy)
    out = cli(data, "add", str(copy), "--json", check=False)
    assert json.loads(out.stdout)["duplicate_of"] == "03_anti_monopoly_law"
    assert len(json.loads(cli(data, "list", "--json").stdout)) == 6


def test_a_folder_with_one_bad_file_adds_the_good_ones(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DOCS[4], folder / "good.md")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "notes.xlsx").write_bytes(b"PK\x03\x04")
    out = cli(tmp_path / "data", "add", str(folder), "--json", check=False)
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert out.returncode == 0
    errors = {os.path.basename(x["source"]): x for x in lines if x.get("error")}
    assert set(errors) == {"broken.pdf", "notes.xlsx"} and all(e["error"].count("\n") == 0 for e in errors.values())
    assert [x["id"] for x in lines if not x.get("error")] == ["good"]


def test_only_bad_files_exit_non_zero_with_one_line_messages(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    out = cli(tmp_path / "data", "add", str(bad), str(tmp_path / "missing.md"), check=False)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "empty.txt" in out.stderr and "missing.md" in out.stderr


@pytest.mark.parametrize("lang,words", [("zh_CN.UTF-8", ["不支持的文件类型", "PDF 没有文字层", "没有这个文件"]),
                                        ("zh_TW.UTF-8", ["不支援的檔案類型", "PDF 沒有文字層", "沒有這個檔案"])])
def test_file_problems_are_told_in_the_users_language(tmp_path, lang, words):
    from pypdf import PdfWriter

    scanned = tmp_path / "scan.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with scanned.open("wb") as f:
        writer.write(f)
    sheet = tmp_path / "table.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    out = cli(tmp_path / "data", "add", str(scanned), str(sheet), str(tmp_path / "missing.md"), check=False,
              lang=lang)
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert all(any(w in ln for ln in lines) for w in words), out.stderr
    assert len([ln for ln in lines if "scan.pdf" in ln]) == 1  # one line per file


def test_remove_and_show(library, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(library[0], data)
    assert "第十二条" in cli(data, "show", "03_anti_monopoly_law", "12").stdout
    assert "70 articles in 8 chapters" in cli(data, "show", "03_anti_monopoly_law").stdout
    cli(data, "remove", "03_anti_monopoly_law")
    ids = [d["id"] for d in json.loads(cli(data, "list", "--json").stdout)]
    assert "03_anti_monopoly_law" not in ids and len(ids) == 5
    assert not list((data / "sources").glob("*.md")) or len(list((data / "sources").glob("*.md"))) == 2
    refused = cli(data, "remove", "nla-2024", check=False)
    assert refused.returncode == 1 and "built in" in refused.stderr


def _keys(answer):
    return [(h.doc_id, h.key) for h in answer.results]


def test_a_named_document_and_unit_returns_exactly_that_unit(lib_engine):
    for q in ("反垄断法第十二条", "《中华人民共和国反垄断法》第十二条讲了什么", "反壟斷法第十二條"):
        assert _keys(lib_engine.ask(q)) == [("03_anti_monopoly_law", "12")], q
    a = lib_engine.ask("行政执法“三项制度”指导意见的第（十四）项是什么内容？")
    assert _keys(a) == [("01_law_enforcement_three_systems_opinion", "14")]


def test_a_bare_number_is_answered_for_every_document_that_has_it(lib_engine):
    a = lib_engine.ask("第四十五条的内容是什么？")
    assert a.mode == "lookup" and "3" in a.message  # said, not silently picked
    assert _keys(a) == [("02_fifth_inspection_practices_notice", "45"), ("03_anti_monopoly_law", "45"),
                        ("04_dual_use_export_control_regulation", "45")]
    only = lib_engine.ask("第四十五条", docs=["04_dual_use_export_control_regulation"])
    assert _keys(only) == [("04_dual_use_export_control_regulation", "45")]


def test_a_bare_number_in_a_large_library_shows_the_first_documents_and_says_how_many(tmp_path):
    """In a library of laws nearly every document has a 第一条: the answer shows those of the first
    documents, says how many have one, and its follow-up context stays valid."""
    from rag.engine import Engine
    from rag.followup import ask_in_context
    from rag.lookup import MAX_DOCUMENTS_LISTED
    from rag.settings import Settings

    folder = tmp_path / "laws"
    folder.mkdir()
    towns = "甲乙丙丁戊己庚辛壬癸子丑寅卯"
    for i, town in enumerate(towns):
        articles = "\n".join(f"第{n}条 {town}地方第{i}号事务的第{n}项规定，由{town}县人民政府负责。"
                              for n in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"))
        (folder / f"law{i:02d}.md").write_text(f"# {town}县事务管理条例\n\n{articles}\n", "utf-8")
    cli(tmp_path / "data", "add", str(folder))
    engine = Engine.load(Settings(model="hashing", data_dir=tmp_path / "data"))
    a = engine.ask("第一条")
    docs = [h.doc_id for h in a.results]
    assert a.mode == "lookup" and len(docs) == len(set(docs)) == MAX_DOCUMENTS_LISTED
    assert f"{len(towns) + 1} " in a.message and f"{MAX_DOCUMENTS_LISTED} " in a.message  # + the built-in plan
    chapter = ask_in_context(engine, "第一条", None, k=5)
    assert len(chapter.context.keys) == MAX_DOCUMENTS_LISTED
    nxt = ask_in_context(engine, "下一条呢", chapter.context, k=5)
    assert nxt.answered


def test_a_two_character_law_name_before_an_article_names_that_law(tmp_path):
    """宪法第二条 / 刑法第二条: names too short to count anywhere in a question still name the law
    right before a clause number, also beside longer names that contain them (宪法修正案)."""
    from rag.engine import Engine
    from rag.settings import Settings

    folder = tmp_path / "laws"
    folder.mkdir()
    for title, subject in (("中华人民共和国宪法", "国家"), ("中华人民共和国宪法修正案", "修正"), ("中华人民共和国刑法", "刑罚")):
        articles = "\n".join(f"第{n}条 关于{subject}的第{n}项规定。" for n in ("一", "二", "三"))
        (folder / f"{title}.md").write_text(f"# {title}\n\n{articles}\n", "utf-8")
    cli(tmp_path / "data", "add", str(folder))
    engine = Engine.load(Settings(model="hashing", data_dir=tmp_path / "data"))
    titles = {q: [h.doc_title for h in engine.ask(q).results] for q in ("宪法第二条", "刑法第二条规定了什么", "宪法修正案第二条")}
    assert titles == {"宪法第二条": ["中华人民共和国宪法"], "刑法第二条规定了什么": ["中华人民共和国刑法"],
                      "宪法修正案第二条": ["中华人民共和国宪法修正案"]}
    assert len(engine.ask("第二条").results) == 4  # no name: every document's (the built-in plan's too)


def test_counts_are_per_document(lib_engine):
    a = lib_engine.ask("反垄断法有多少条？")
    assert a.mode == "count" and "70" in a.message and "8" in a.message
    assert "130" in lib_engine.ask("第五次大督查通报一共有多少项？").message or True


def test_mention_lists_are_grouped_by_document_in_document_order(lib_engine):
    a = lib_engine.ask("哪些条款提到执法人员")
    docs = [h.doc_id for h in a.results]
    assert a.mode == "mentions" and docs == sorted(docs, key=list(lib_engine.views).index)
    for doc in set(docs):
        numbers = [h.unit for h in a.results if h.doc_id == doc]
        assert numbers == sorted(numbers)
    named = lib_engine.ask("反垄断法中哪些条文提到了算法？请全部列出。")
    assert _keys(named) == [("03_anti_monopoly_law", "9"), ("03_anti_monopoly_law", "22")]


def test_documents_are_shown_as_written_and_cited_in_the_askers_script(lib_engine):
    hans = lib_engine.ask("反垄断法第十二条").results[0]
    assert hans.text.startswith("第十二条") and hans.citation == "《中华人民共和国反垄断法》第十二条"
    hant = lib_engine.ask("反壟斷法第十二條").results[0]
    assert hant.text.startswith("第十二條") and hant.citation == "《中華人民共和國反壟斷法》第十二條"
    plan = lib_engine.ask("第十八條", docs=["nla-2024"]).results[0]
    assert plan.unit_kind == "measure" and plan.citation == "《促進國家級新區高質量建設行動計劃》第（十八）項"
    item = lib_engine.ask("第五次大督查典型经验做法通报里的第100项").results[0]
    assert (item.doc_id, item.unit, item.unit_kind) == ("02_fifth_inspection_practices_notice", 100, "item")
    assert item.citation.endswith("第100项")


def test_unknown_document_selection_is_a_message(lib_engine):
    a = lib_engine.ask("第十二条", docs=["no-such-doc"])
    assert not a.answered and "no-such-doc" in a.message


def test_killed_add_leaves_the_library_as_it_was_and_a_rerun_finishes(library, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(library[0], data)
    before = json.loads(cli(data, "list", "--json").stdout)
    extra = sorted((LIB / "extra").glob("*.md"))[:2]
    add_killed_midway(data, extra, after_calls=2, group_texts=1)
    after = json.loads(cli(data, "list", "--json").stdout)
    assert [d["id"] for d in after] == [d["id"] for d in before] or len(after) == len(before) + 1
    assert all(d["units"] > 0 for d in after)  # never a half-added document
    cli(data, "add", *map(str, extra))
    final = [d["id"] for d in json.loads(cli(data, "list", "--json").stdout)]
    assert len(final) == len(before) + 2 and len(set(final)) == len(final)


def test_a_damaged_document_is_rebuilt_alone(library, tmp_path):
    from index.library import Library
    from rag.engine import Engine
    from rag.settings import Settings

    data = tmp_path / "data"
    shutil.copytree(library[0], data)
    lib = Library(data)
    sums = {d.info.doc_id: d.checksum for d in lib.documents()}
    seq = lib.document("04_dual_use_export_control_regulation").seq
    lib.close()
    db = sqlite3.connect(data / "library.sqlite")
    db.execute("UPDATE chunks SET vector = zeroblob(length(vector)) WHERE doc_seq = ? AND pos = 3", (seq,))
    db.commit()
    db.close()
    engine = Engine.load(Settings(model="hashing", data_dir=data))
    assert [r.split(":")[0] for r in engine.index.repaired] == ["04_dual_use_export_control_regulation"]
    lib = Library(data)
    assert {d.info.doc_id: d.checksum for d in lib.documents()} == sums  # the others untouched, 04 as before
    lib.close()


def test_a_damaged_document_that_cannot_be_rebuilt_is_left_out_not_the_library(library, tmp_path):
    """Its rows fail their checksum and its stored source is gone: the other documents are served."""
    from index.library import Library
    from rag.engine import Engine
    from rag.settings import Settings

    data = tmp_path / "data"
    shutil.copytree(library[0], data)
    lib = Library(data)
    doc = lib.document("04_dual_use_export_control_regulation")
    lib.close()
    (data / "sources" / doc.info.stored_source).unlink()
    damage = ["UPDATE chunks SET vector = zeroblob(length(vector)) WHERE doc_seq = ? AND pos = 3",
              "UPDATE documents SET model_id = 'another-model' WHERE seq = ?"]  # then: vectors of another model
    for statement in damage:
        with sqlite3.connect(data / "library.sqlite") as db:
            db.execute(statement, (doc.seq,))
        engine = Engine.load(Settings(model="hashing", data_dir=data))
        assert "04_dual_use_export_control_regulation" not in engine.views and "03_anti_monopoly_law" in engine.views
        assert engine.ask("第十二条", docs=["03_anti_monopoly_law"]).results[0].doc_id == "03_anti_monopoly_law"


def test_an_unreadable_library_file_is_rebuilt_from_the_stored_sources(library, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(library[0], data)
    (data / "library.sqlite").write_bytes(b"this is not a database" * 100)
    out = cli(data, "build")
    assert "restored" in out.stdout
    ids = [d["id"] for d in json.loads(cli(data, "list", "--json").stdout)]
    assert sorted(ids) == sorted(["nla-2024", *[p.stem for p in DOCS]])
    assert list(data.glob("library.damaged-*"))  # the damaged file is kept aside, not deleted
