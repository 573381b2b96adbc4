"""Parts of the library benchmark that measure one thing each: an ingest stage, recall, scoped latency."""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.speed import peak_rss_mb
from index import dense
from index.library import DB_NAME
from rag.engine import Engine
from rag.evaluate import GoldItem, doc_id_of
from rag.settings import Settings




def library_counts(data_dir: Path) -> dict:
    """Documents, units and sentence rows published in the library, and its size on disk."""
    path = data_dir / DB_NAME
    if not path.exists():
        return {"documents": 0, "units": 0, "sentence_rows": 0, "library_mb": 0.0}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        docs = db.execute("SELECT count(*) FROM documents").fetchone()[0]
        units, vec_bytes, sent_bytes = db.execute(
            "SELECT count(*), sum(length(vector)), sum(length(sentence_vectors)) FROM chunks").fetchone()
    size = sum(p.stat().st_size for p in data_dir.rglob("*") if p.is_file())
    rows = (sent_bytes or 0) // max(1, (vec_bytes or 0) // max(1, units))
    return {"documents": docs, "units": units, "sentence_rows": rows, "library_mb": round(size / 1e6, 1)}


def stage_env(settings: Settings) -> dict[str, str]:
    """The benchmark's embedding settings, for the processes it starts."""
    return {"POLICY_RAG_MODEL": settings.model, "POLICY_RAG_EMBED_PRECISION": settings.embed_precision}


def ingest_stage(files: list[Path], settings: Settings, label: str) -> dict:
    """`policy-rag add FILES` in its own process, as a user runs it (its progress bar shows);
    documents already stored are skipped, so each stage adds only the new ones."""
    before = library_counts(settings.data_dir)
    env = {**os.environ, "POLICY_RAG_DATA_DIR": str(settings.data_dir), **stage_env(settings)}
    peak = 0.0
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "add", *map(str, files), "--json"],
                                env=env, stdout=out)
        while proc.poll() is None:
            peak = max(peak, peak_rss_mb(proc.pid))
            time.sleep(0.5)
        wall = time.perf_counter() - start
        out.seek(0)
        errors = sum('"error"' in line for line in out)
    after = library_counts(settings.data_dir)
    added = after["units"] - before["units"]
    return {"stage": label, "files": len(files), **after, "bad_files": errors, "units_added": added,
            "wall_s": round(wall, 1), "units_per_s": round(added / wall, 1), "peak_rss_mb": peak}


def recall_at(engine: Engine, questions: list[str], ks: tuple[int, ...] = (10, 100)) -> dict:
    """The FAISS index retrieval uses against exact inner-product search, on real questions."""
    index = engine.index
    exact = index.chunk_vectors
    found = {k: [] for k in ks}
    for q in questions:
        vec = engine.embedder.embed_queries([q])[0]
        truth = np.argsort(-(exact @ vec))
        for k in ks:
            _, got = dense.search(index.dense, vec, k)
            found[k].append(len(set(got.tolist()) & set(truth[:k].tolist())) / min(k, len(truth)))
    return {"faiss_index": type(index.dense).__name__, "vectors": int(index.dense.ntotal),
            **{f"recall@{k}": round(statistics.mean(v), 4) for k, v in found.items()}}


def restricted_latency(engine: Engine, gold: list[GoldItem]) -> dict:
    """engine.ask with doc= its own document against the whole library, interleaved question by
    question: this machine's speed drifts between rounds, so separate loops misled."""
    ids = list(engine.views)
    one, whole = [], []
    for g in gold:
        doc = doc_id_of(g.doc, ids) if g.doc else None
        if doc:
            t = time.perf_counter()
            engine.ask(g.q, docs=[doc])
            one.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            engine.ask(g.q)
            whole.append((time.perf_counter() - t) * 1000)
    if not one:
        return {"ask_one_doc_p50_ms": None, "ask_whole_same_loop_p50_ms": None}
    return {"ask_one_doc_p50_ms": round(statistics.median(one), 1),
            "ask_whole_same_loop_p50_ms": round(statistics.median(whole), 1)}


def growth_chart(results: dict, path: Path) -> None:
    """Ingest time and memory against units stored, and quality against the baselines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stages = results["ingest"]
    units = [s["units"] for s in stages]
    minutes = np.cumsum([s["wall_s"] for s in stages]) / 60
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    a.plot(units, minutes, "o-", label="ingest, minutes (cumulative)")
    a.axhline(45, color="grey", linestyle="--", linewidth=1, label="45-minute target")
    a.set_xlabel("units stored")
    a.set_ylabel("minutes")
    rss = a.twinx()
    rss.plot(units, [s["peak_rss_mb"] / 1024 for s in stages], "s-", color="tab:red", label="peak RSS of add, GB")
    rss.set_ylabel("GB")
    rss.set_ylim(0, 4.5)
    a.legend(loc="upper left")
    rss.legend(loc="lower right")
    for s, x, y in zip(stages, units, minutes):
        a.annotate(s["stage"], (x, y), textcoords="offset points", xytext=(4, -12))
    a.set_title("Growth: the whole law corpus on 2 cores")
    q = results["quality"]
    x = np.arange(len(q))
    for i, (key, label) in enumerate((("hit@1", "hit@1"), ("hit@3", "hit@3"), ("right document first", "right doc first"))):
        b.bar(x + (i - 1) * 0.27, [r[key] for r in q], 0.27, label=label)
    b.set_xticks(x, [r["system"] for r in q])
    b.set_ylim(0, 1.05)
    b.set_title(f"Quality at full size ({q[0]['questions']} questions)")
    b.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
