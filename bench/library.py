"""Library benchmark on real documents: ingest, query speed, and quality against baselines.

    .venv/bin/python -m bench.library --corpus ../shared/corpora/laws --limit 40

Ingests the documents the law gold set names (plus evenly spaced others up to --limit, as
distractors) into a fresh library with the real `add` code path, then measures ask latency
against a bare query embedding, and answers tests/data/laws_gold.jsonl with ours, BM25-only and
dense-only over the same units. Writes bench/results/library.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from bench import baselines, speed
from bench.run import table
from corpus.catalogue import builtin_documents
from index.embedder import load_embedder
from index.ingest import add_paths, expand
from index.store import prepare_library
from rag.engine import Engine
from rag.evaluate import GoldItem, doc_id_of, read_gold
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent
GOLD = ROOT.parent / "tests" / "data" / "laws_gold.jsonl"


def pick(corpus: Path, gold: list[GoldItem], limit: int) -> list[Path]:
    named = sorted({corpus / g.doc for g in gold if g.doc})
    others = [p for p in expand([corpus]) if p.suffix == ".md" and p not in named and not p.name.startswith("_")]
    step = max(1, len(others) // max(1, limit - len(named)))
    return named + others[::step][: max(0, limit - len(named))]


def ingest(files: list[Path], settings: Settings, embedder) -> dict:
    start = time.perf_counter()
    lib = prepare_library(settings.data_dir, embedder, builtin_documents(settings.corpus_dir))
    results = list(add_paths(files, lib, embedder, max_bytes=settings.max_file_bytes))
    lib.close()
    wall = time.perf_counter() - start
    units = sum(r.units or 0 for r in results if r.added)
    size = sum(p.stat().st_size for p in settings.data_dir.rglob("*") if p.is_file())
    return {"documents": sum(r.added for r in results), "errors": sum(bool(r.error) for r in results),
            "units": units, "wall_s": round(wall, 1), "units_per_s": round(units / wall, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "library_mb": round(size / 1e6, 1)}


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


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--limit", type=int, default=60, help="documents to ingest (the gold set's first)")
    p.add_argument("--model", default="default")
    args = p.parse_args()
    gold = read_gold(GOLD)
    files = pick(args.corpus, gold, args.limit)
    with tempfile.TemporaryDirectory(prefix="policy-rag-bench-") as tmp:
        settings = Settings(model=args.model, data_dir=Path(tmp))
        embedder = load_embedder(settings.model, settings.model_cache)
        results: dict = {"ingest": ingest(files, settings, embedder)}
        print("## Ingestion\n" + table([results["ingest"]], list(results["ingest"])))
        t = time.perf_counter()
        engine = Engine.open(settings, embedder)
        results["engine_open_s"] = round(time.perf_counter() - t, 2)
        results["latency"] = speed.in_process(engine, rounds=1, questions=[g.q for g in gold])
        print("\n## Queries\n" + table([results["latency"] | {"engine_open_s": results["engine_open_s"]}],
                                        list(results["latency"]) + ["engine_open_s"]))
        ids = list(engine.views)
        systems = [("ours", engine.ask), ("BM25 only", baselines.BM25Only(engine.index).ask),
                   ("dense only", baselines.DenseOnly(engine.index, engine.embedder).ask)]
        results["quality"] = [quality(name, ask, gold, ids) for name, ask in systems]
        print("\n## Quality (tests/data/laws_gold.jsonl)\n" + table(results["quality"], list(results["quality"][0])))
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "library.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
