"""Latency, throughput, start-up and memory, measured against real processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from rag.engine import Engine
from ui import launcher

QUESTIONS = ["外籍人才怎麼引進", "新区怎样强化科技创新策源功能？", "What does the plan say about land use?",
             "低效建设用地减量化", "金融机构如何支持新区", "哈爾濱國際冰雪節", "special bonds for infrastructure",
             "国家级新区名单", "粤港澳大湾区建设给新区带来什么机遇", "省级议事协调机制"]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(p * len(xs)))], 2)


def in_process(engine: Engine, rounds: int = 5, questions: list[str] = QUESTIONS) -> dict[str, float]:
    """engine.ask vs a bare query embedding of the same text, interleaved."""
    ask_ms, emb_ms = [], []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            engine.embedder.embed_queries([q])
            emb_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            engine.ask(q)
            ask_ms.append((time.perf_counter() - t) * 1000)
    return {"ask_p50_ms": pct(ask_ms, 0.5), "ask_p95_ms": pct(ask_ms, 0.95),
            "embed_p50_ms": pct(emb_ms, 0.5), "embed_p95_ms": pct(emb_ms, 0.95),
            "ask_over_embed_p50": round(statistics.median(ask_ms) / statistics.median(emb_ms), 2)}


def start_server(data_dir: Path) -> tuple[subprocess.Popen, str, float]:
    """Cold start = until the first real answer, not just a live socket."""
    return launcher.start_server(data_dir, ready_path="/api/ask?q=%E7%AC%AC%E5%8D%81%E5%85%AB%E6%A2%9D",
                                 POLICY_RAG_RATE_LIMIT_PER_MINUTE="1000000")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def http(base: str, rounds: int = 5, questions: list[str] = QUESTIONS) -> dict[str, float]:
    lat = []
    with httpx.Client(timeout=60) as client:
        for _ in range(rounds):
            for q in questions:
                t = time.perf_counter()
                client.get(f"{base}/api/ask", params={"q": q}).raise_for_status()
                lat.append((time.perf_counter() - t) * 1000)
    return {"http_p50_ms": pct(lat, 0.5), "http_p95_ms": pct(lat, 0.95)}


def throughput(base: str, clients: int, seconds: float = 10.0, max_requests: int = 5000) -> dict[str, float]:
    deadline = time.perf_counter() + seconds
    counts, errors = [0] * clients, [0] * clients

    def worker(i: int) -> None:
        with httpx.Client(timeout=30) as client:
            n = 0
            while time.perf_counter() < deadline and sum(counts) < max_requests:
                try:
                    client.get(f"{base}/api/ask", params={"q": QUESTIONS[(i + n) % len(QUESTIONS)]}).raise_for_status()
                    counts[i] += 1
                except httpx.HTTPError:
                    errors[i] += 1
                n += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    elapsed = time.perf_counter() - start
    return {"clients": clients, "requests": sum(counts), "errors": sum(errors),
            "req_per_s": round(sum(counts) / elapsed, 1)}


def cold_start_cli(data_dir: Path) -> float:
    """A fresh process: load model + index, answer one question (model cached, index built)."""
    env = {**os.environ, "POLICY_RAG_DATA_DIR": str(data_dir)}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ui.cli", "ask", "第十八條", "--json"], env=env, check=True,
                   capture_output=True)
    return round(time.perf_counter() - t, 2)


def index_build_seconds(engine: Engine) -> float:
    """From scratch, model already loaded: parse the plan, embed it, store it, build FAISS and BM25."""
    from corpus.catalogue import builtin_documents
    from index.store import open_index
    from rag.refusal import background_texts

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        open_index(Path(tmp), engine.embedder, builtin_documents(engine.settings.corpus_dir),
                   background=background_texts())
        return round(time.perf_counter() - t, 2)
