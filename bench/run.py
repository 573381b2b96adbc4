"""One benchmark run: quality vs baselines, speed, start-up, memory, scale.

    .venv/bin/python -m bench.run            # ~10 minutes on 2 cores

Prints Markdown tables, writes bench/results/bench.json and bench/chart.png.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from pathlib import Path

from bench import baselines, scale, speed
from rag.engine import Engine
from rag.evaluate import evaluate, read_gold
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent
GOLD = [ROOT.parent / "tests" / "data" / "dev.jsonl", ROOT.parent / "tests" / "data" / "gold.jsonl"]


def table(rows: list[dict], cols: list[str]) -> str:
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(str(r.get(c, "–")) for c in cols) + " |" for r in rows]
    return "\n".join(out)


def quality(engine: Engine) -> list[dict]:
    items = [i for path in GOLD if path.exists() for i in read_gold(path)]
    systems = [("ours", lambda q: engine.ask(q)),
               (baselines.BM25Only.name, baselines.BM25Only(engine.index).ask),
               (baselines.DenseOnly.name, baselines.DenseOnly(engine.index, engine.embedder).ask),
               (baselines.GenericRAG.name, baselines.GenericRAG(engine.chunks, engine.embedder).ask)]
    rows = []
    for name, ask in systems:
        m = evaluate(items, ask).overall
        rows.append({"system": name, "questions": m.n, "hit@1": m.hit1, "hit@3": m.hit3, "MRR": m.mrr,
                     "list recall": m.mention_recall, "refusal acc": m.refusal_accuracy})
    return rows


def chart(q_rows: list[dict], lat: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    names = [r["system"].replace(" (500-char windows)", "") for r in q_rows]
    x = range(len(names))
    a.bar([i - 0.2 for i in x], [r["hit@1"] for r in q_rows], 0.4, label="hit@1")
    a.bar([i + 0.2 for i in x], [r["list recall"] or 0 for r in q_rows], 0.4, label="mention-list recall")
    a.set_xticks(list(x), names, rotation=10)
    a.set_ylim(0, 1.05)
    a.set_title(f"Quality on {q_rows[0]['questions']} gold questions")
    a.legend(loc="lower left")
    labels = ["query embed", "engine.ask", "HTTP /api/ask"]
    p50 = [lat["embed_p50_ms"], lat["ask_p50_ms"], lat["http_p50_ms"]]
    p95 = [lat["embed_p95_ms"], lat["ask_p95_ms"], lat["http_p95_ms"]]
    b.bar([i - 0.2 for i in range(3)], p50, 0.4, label="p50")
    b.bar([i + 0.2 for i in range(3)], p95, 0.4, label="p95")
    b.axhline(60, color="grey", linestyle="--", linewidth=1, label="HTTP p50 target")
    b.set_xticks(range(3), labels)
    b.set_ylabel("ms")
    b.set_title("Latency (2 CPU cores)")
    b.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    settings = Settings()
    results: dict[str, object] = {}

    from index.models.cache import ensure_default_model

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        ensure_default_model(Path(tmp))
        results["model_conversion_s"] = round(time.perf_counter() - t, 2)

    engine = Engine.load(settings)
    q_rows = quality(engine)
    print("## Quality\n" + table(q_rows, ["system", "questions", "hit@1", "hit@3", "MRR", "list recall",
                                         "refusal acc"]))
    results["quality"] = q_rows

    lat = speed.in_process(engine)
    results["index_build_s"] = speed.index_build_seconds(engine)
    results["cold_start_cli_s"] = speed.cold_start_cli(settings.data_dir)
    proc, base, server_cold = speed.start_server(settings.data_dir)
    try:
        lat |= speed.http(base)
        results["throughput"] = [speed.throughput(base, c) for c in (1, 4, 20)]
        results["server_peak_rss_mb"] = speed.peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    results["latency"] = lat
    results["server_cold_start_s"] = round(server_cold, 2)
    print("\n## Speed\n" + table([lat | {k: results[k] for k in (
        "index_build_s", "cold_start_cli_s", "server_cold_start_s", "server_peak_rss_mb", "model_conversion_s")}],
        list(lat) + ["index_build_s", "cold_start_cli_s", "server_cold_start_s", "server_peak_rss_mb",
                     "model_conversion_s"]))
    print("\n## Throughput (10 s per level)\n" + table(results["throughput"], ["clients", "requests", "errors",
                                                                              "req_per_s"]))

    per_passage_s = results["index_build_s"] / max(1, len(engine.chunks))
    scale_rows = []
    for plans, flat in ((1, False), (100, False), (1000, True), (1000, False)):
        _, row = scale.replicate(engine, plans, flat=flat)
        row["embed_estimate_s"] = round(per_passage_s * row["chunks"], 0)
        scale_rows.append(row)
    results["scale"] = scale_rows
    print("\n## Scale (synthetic replicas)\n" + table(scale_rows, list(scale_rows[0])))

    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    chart(q_rows, lat, ROOT / "chart.png")
    print(f"\nwrote {out / 'bench.json'} and {ROOT / 'chart.png'}")


if __name__ == "__main__":
    main()
