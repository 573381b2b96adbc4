"""Library benchmark on real documents: ingestion growth, full-size queries, quality against baselines.

    .venv/bin/python -m bench.library --corpus ../shared/corpora/laws            # the whole corpus
    .venv/bin/python -m bench.library --corpus ../shared/corpora/laws --limit 40 # a quick sample
    .venv/bin/python -m bench.library --corpus ../shared/corpora/laws --data-dir DIR --queries-only \
        [--gold tests/data/laws_gold_fresh.jsonl]   # measure a library built earlier, no ingest

The documents tests/data/laws_gold.jsonl names come first, then the rest of the corpus in an even
spread. They are added in stages (10 %, 30 %, 100 % by default) with the real `policy-rag add`
command, each stage continuing the same library as a resumed ingest would, so the growth curve is
one run. Then, with everything loaded: server cold start and RSS, HTTP and in-process latency
against one bare query embedding, FAISS recall against exact search, and the gold questions for
ours vs BM25-only vs dense-only. Writes bench/results/library.json; --data-dir keeps the library
(a killed run continues where it stopped).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import baselines, speed
from bench.library_stages import growth_chart, ingest_stage, recall_at, restricted_latency, stage_env
from bench.run import table
from index.ingest import expand
from rag.engine import Engine
from rag.evaluate import GoldItem, doc_id_of, read_gold
from rag.settings import Settings
from ui import launcher

ROOT = Path(__file__).resolve().parent
GOLD = ROOT.parent / "tests" / "data" / "laws_gold.jsonl"


def pick(corpus: Path, gold: list[GoldItem], limit: int) -> list[Path]:
    """The gold set's documents first, then the others evenly spread (limit 0 = all of them)."""
    named = sorted({corpus / g.doc for g in gold if g.doc})
    others = [p for p in expand([corpus]) if p.suffix == ".md" and p not in named and not p.name.startswith("_")
              and p.parent != corpus]  # the corpus's own notes (SOURCE.md) are not documents
    limit = limit or len(named) + len(others)
    step = max(1, len(others) // max(1, limit - len(named)))
    return named + others[::step][: max(0, limit - len(named))]


def quality(name: str, ask, gold: list[GoldItem], ids: list[str]) -> dict:
    hit1 = hit3 = doc1 = 0
    scoped = [g for g in gold if g.gold]
    for g in scoped:
        doc = doc_id_of(g.doc, ids)
        got = [(h.doc_id, h.key) for h in ask(g.q).results]
        want = {(doc, str(n)) for n in g.gold}
        hit1 += bool(got[:1]) and got[0] in want
        hit3 += any(x in want for x in got[:3])
        doc1 += bool(got[:1]) and got[0][0] == doc
    n = len(scoped)
    return {"system": name, "questions": n, "hit@1": round(hit1 / n, 3), "hit@3": round(hit3 / n, 3),
            "right document first": round(doc1 / n, 3)}


def serve(settings: Settings, questions: list[str]) -> dict:
    """A fresh server on the built library (search indexes already kept by an earlier open):
    seconds until its first real answer, HTTP latency, RSS."""
    proc, base, cold = launcher.start_server(
        settings.data_dir, ready_path="/api/ask?q=%E7%AC%AC%E5%8D%81%E5%85%AB%E6%A2%9D",
        POLICY_RAG_RATE_LIMIT_PER_MINUTE="1000000", **stage_env(settings))
    try:
        # The first round overlaps the server's start-up work (the pinyin name table is built
        # beside the first answers): reported on its own, then the settled figures.
        first = speed.http(base, rounds=1, questions=questions)
        lat = speed.http(base, rounds=2, questions=questions)
        busy = speed.throughput(base, clients=2, seconds=20)  # one per core
        return {"cold_start_s": round(cold, 1), "http_first_round_p50_ms": first["http_p50_ms"], **lat,
                "req_per_s_2_clients": busy["req_per_s"],
                "server_rss_mb": speed.peak_rss_mb(proc.pid)}
    finally:
        launcher.stop_server(proc)


def at_full_size(settings: Settings, gold: list[GoldItem]) -> dict:
    """Everything measured on the built library: opening it, a server, latency, recall, quality."""
    results: dict = {}
    t = time.perf_counter()
    # The first open after an ingest builds and keeps the search indexes; in its own process, so the
    # server then starts on a machine with nothing else loaded (a resident engine cost 1 s of it).
    env = {**os.environ, "POLICY_RAG_DATA_DIR": str(settings.data_dir), **stage_env(settings)}
    built = subprocess.run([sys.executable, "-m", "ui.cli", "build"], env=env, capture_output=True, text=True)
    if built.returncode:
        raise RuntimeError(f"policy-rag build failed: {built.stderr[-2000:]}")
    results["first_open_s"] = round(time.perf_counter() - t, 1)
    results["server"] = serve(settings, [g.q for g in gold])
    engine = Engine.load(settings)
    engine.pinyin.wait()
    print("\n## Server\n" + table([results["server"]], list(results["server"])), flush=True)
    results["latency"] = speed.in_process(engine, rounds=3, questions=[g.q for g in gold])
    results["latency"] |= restricted_latency(engine, gold)
    results["recall"] = recall_at(engine, [g.q for g in gold])
    print("\n## Queries\n" + table([results["latency"] | results["recall"]],
                                    list(results["latency"]) + list(results["recall"])))
    ids = list(engine.views)
    systems = [("ours", engine.ask), ("BM25 only", baselines.BM25Only(engine.index).ask),
               ("dense only", baselines.DenseOnly(engine.index, engine.embedder).ask)]
    results["quality"] = [quality(name, ask, gold, ids) for name, ask in systems]
    print("\n## Quality (the gold questions)\n" + table(results["quality"], list(results["quality"][0])))
    return results


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--limit", type=int, default=0, help="documents to ingest (0 = the whole corpus)")
    p.add_argument("--stages", default="0.1,0.3,1", help="fractions of the documents, added in turn")
    p.add_argument("--data-dir", type=Path, help="keep the library here (default: a temporary folder)")
    p.add_argument("--model", default="default")
    p.add_argument("--gold", type=Path, default=GOLD, help="questions for the quality table (default: %(default)s)")
    p.add_argument("--queries-only", action="store_true",
                   help="measure queries, server and quality on the library already in --data-dir (no ingest)")
    args = p.parse_args()
    if args.queries_only and not (args.data_dir and (args.data_dir / "library.sqlite").exists()):
        p.error("--queries-only needs --data-dir holding a library built by an earlier run")
    gold = read_gold(args.gold)
    files = pick(args.corpus, gold, args.limit)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="policy-rag-bench-"))
    settings = Settings(model=args.model, data_dir=data_dir)
    results: dict = {"embed_precision": settings.embed_precision, "ingest": []}
    try:
        for fraction in () if args.queries_only else (float(f) for f in args.stages.split(",")):
            part = files[: max(1, round(fraction * len(files)))]
            results["ingest"].append(ingest_stage(part, settings, f"{fraction:.0%}"))
            print(table(results["ingest"][-1:], list(results["ingest"][-1])), flush=True)
        results |= at_full_size(settings, gold)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    name = "library_queries.json" if args.queries_only else "library.json"
    (out / name).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    if len(results["ingest"]) > 1:
        growth_chart(results, ROOT / "library_chart.png")


if __name__ == "__main__":
    main()
