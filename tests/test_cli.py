"""The policy-rag command line, run as a user would (subprocess, real model and index)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import DATA


@pytest.fixture(scope="module")
def run(data_dir, engine):  # `engine` ensures the index in data_dir is built once
    def _run(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "POLICY_RAG_DATA_DIR": str(data_dir)}
        return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True,
                              env=env, timeout=300, input=input)
    return _run


def test_ask_prints_cited_markdown(run):
    out = run("ask", "外籍人才怎麼引進")
    assert out.returncode == 0, out.stderr
    assert "（十八）實施人才引進專項政策" in out.stdout and "出處" in out.stdout


def test_ask_json_and_script(run):
    out = run("ask", "外籍人才怎麼引進", "--json", "--k", "2", "--script", "hans")
    answer = json.loads(out.stdout)
    assert answer["script"] == "hans" and len(answer["results"]) == 2
    assert answer["results"][0]["measure"] == 18 and answer["results"][0]["title"] == "实施人才引进专项政策"


def test_batch_loads_once_and_prints_one_json_per_line(run, tmp_path):
    plain = tmp_path / "q.txt"
    plain.write_text("第十八條\n\n哪些措施提到哈爾濱\n今天天氣如何\n", "utf-8")
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text('{"q": "measure 16"}\n{"q": ""}\n', "utf-8")
    for path, expect in ((plain, [True, True, False]), (jsonl, [True, False])):
        out = run("ask", "--batch", str(path), "--json")
        lines = [json.loads(x) for x in out.stdout.splitlines()]
        assert [a["answered"] for a in lines] == expect


def test_show(run):
    out = run("show", "18")
    assert out.returncode == 0 and "外籍“高精尖缺”人才" in out.stdout
    missing = run("show", "30")
    assert missing.returncode == 1 and "25" in missing.stdout and "Traceback" not in missing.stderr


def test_build_and_eval(run):
    out = run("build")
    assert out.returncode == 0 and "27 chunks" in out.stdout
    ev = run("eval", str(DATA / "dev.jsonl"))
    assert ev.returncode == 0 and "| overall | 30 |" in ev.stdout
    ev_json = json.loads(run("eval", str(DATA / "dev.jsonl"), "--json").stdout)
    assert ev_json["overall"]["hit3"] == 1.0


def test_ask_without_question_is_a_usage_error(run):
    out = run("ask")
    assert out.returncode == 64 and "give a question" in out.stderr


def test_broken_setup_is_a_message(run, tmp_path):
    out = run("eval", str(tmp_path / "missing.jsonl"))
    assert out.returncode == 2 and out.stderr.startswith("error:") and "Traceback" not in out.stderr
    env_run = subprocess.run([sys.executable, "-m", "ui.cli", "ask", "第十八條"], capture_output=True, text=True,
                             env={**os.environ, "POLICY_RAG_CORPUS_DIR": str(tmp_path / "nowhere")}, timeout=300)
    assert env_run.returncode == 2 and "catalogue.json" in env_run.stderr and "Traceback" not in env_run.stderr


@pytest.mark.slow  # the real model, in subprocesses (no fixture marks it)
def test_calibrate_pools_a_loaded_library_with_the_plan_alone(tmp_path):
    """Thresholds must serve both: a library's extra sentences raise every question's best match,
    the off-topic ones' too. Nothing is written without --write."""
    from conftest import FIXTURES
    from rag.refusal import CALIBRATION

    env = {**os.environ, "POLICY_RAG_DATA_DIR": str(tmp_path / "lib")}
    cli = [sys.executable, "-m", "ui.cli"]
    added = subprocess.run([*cli, "add", str(FIXTURES / "library" / "03_anti_monopoly_law.md")], env=env,
                           capture_output=True, text=True, timeout=600)
    assert added.returncode == 0, added.stderr
    before = CALIBRATION.read_bytes()
    out = subprocess.run([*cli, "calibrate", str(DATA / "dev.jsonl"), str(FIXTURES / "library" / "questions.jsonl")],
                         env=env, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["libraries"] == [2, 1] and {"zh", "en"} <= set(report["groups"])
    assert CALIBRATION.read_bytes() == before
