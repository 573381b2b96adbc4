"""`add` with documents embedded one at a time against several together, in one run.

    .venv/bin/python -m bench.add_groups --corpus ../shared/corpora/laws --docs 40

The same documents (spread evenly over the corpus, as the full ingest meets them) go through
the real `add_paths` into a fresh library per variant, with the bundled model at the configured
precision; the variants run in turn, twice, and the table shows each one's faster round.
Parity: the cosine of each stored clause vector with the one-at-a-time run's. Writes
bench/results/add_groups.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.library import pick
from bench.run import table
from index.embedder import load_embedder
from index.ingest import add_paths
from index.library import Library
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent


def add_all(files: list[Path], embedder, group_texts: int) -> tuple[float, np.ndarray, int]:
    """Seconds to add `files`, the stored clause vectors in document order, units added."""
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(Path(tmp))
        start = time.perf_counter()
        results = list(add_paths(files, lib, embedder, max_bytes=50_000_000, group_texts=group_texts))
        secs = time.perf_counter() - start
        vectors = [np.frombuffer(v, np.float32) for d in lib.documents() for v in lib.rows(d.seq)[1]]
        lib.close()
    return secs, np.vstack(vectors), sum(r.units or 0 for r in results if r.added)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--docs", type=int, default=40)
    p.add_argument("--groups", default="1,512,2048", help="group sizes in texts (1 = one document at a time)")
    args = p.parse_args()
    s = Settings()
    files = pick(args.corpus, [], args.docs)
    embedder = load_embedder(s.model, s.model_cache, **s.embedder_options())
    embedder.embed_passages(["预热"] * 32)
    sizes = [int(g) for g in args.groups.split(",")]
    best: dict[int, float] = {}
    ref = None
    rows = []
    for _ in range(2):
        for g in sizes:
            secs, vectors, units = add_all(files, embedder, g)
            best[g] = min(best.get(g, secs), secs)
            ref = vectors if ref is None else ref
            if len(rows) < len(sizes):
                rows.append({"group_texts": g, "parity_min": round(float(np.sum(vectors * ref, axis=1).min()), 5)})
    for row in rows:
        secs = best[row["group_texts"]]
        row.update({"seconds": round(secs, 1), "units_per_s": round(units / secs, 1),
                    "speed-up": round(best[sizes[0]] / secs, 2)})
    print(f"{len(files)} documents, {units} units, precision {s.embed_precision}\n")
    print(table(rows, ["group_texts", "seconds", "units_per_s", "speed-up", "parity_min"]))
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "add_groups.json").write_text(json.dumps({"documents": len(files), "units": units, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
