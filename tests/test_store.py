"""Opening the library for search: reuse, rebuild on change, damage, kill, unwritable folder.

Storage is independent of meaning, so these run on the `hashing` embedder (fast tier).
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from corpus.catalogue import builtin_documents
from index import store
from index.embed_chunks import passage_text, sentence_texts
from index.hashing import HashingEmbedder
from index.library import Library
from rag.refusal import background_texts

BG = background_texts()
QUESTIONS = ("外籍人才怎麼引進", "哪些措施提到哈爾濱", "第十八條", "What about land use?")


@pytest.fixture()
def built(tmp_path):
    data = tmp_path / "data"
    store.open_index(data, HashingEmbedder(), builtin_documents(), background=BG)
    return data


def _answers(data):
    from rag.engine import Engine
    from rag.settings import Settings

    engine = Engine.load(Settings(model="hashing", data_dir=data))
    return [engine.ask(q).model_dump() for q in QUESTIONS]


def test_valid_library_is_reused_not_re_embedded(built, monkeypatch):
    monkeypatch.setattr(HashingEmbedder, "embed_passages", lambda *a: pytest.fail("re-embedded a valid library"))
    index = store.open_index(built, HashingEmbedder(), builtin_documents(), background=BG)
    assert len(index.chunks) == 27 and index.persisted_at == built and index.repaired == []
    assert index.docs[0].builtin and index.docs[0].units == 25


def test_changed_builtin_plan_or_model_is_re_embedded(built, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(builtin_documents()[0].source_path.parent, corpus)
    cat = json.loads((corpus / "catalogue.json").read_text("utf-8"))
    cat[0]["date"] = "2024-05-01"
    (corpus / "catalogue.json").write_text(json.dumps(cat, ensure_ascii=False), "utf-8")
    index = store.open_index(built, HashingEmbedder(), builtin_documents(corpus), background=BG)
    assert index.repaired == ["nla-2024: changed"]

    class Other(HashingEmbedder):
        model_id = "another-model"

    index = store.open_index(built, Other(), builtin_documents(corpus), background=BG)
    assert index.repaired == ["nla-2024: model changed"] and index.model_id == "another-model"


@pytest.mark.parametrize("how", ["truncate", "flip", "delete"])
def test_a_damaged_library_file_is_detected_and_rebuilt(built, how):
    before = _answers(built)
    path = built / "library.sqlite"
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 3])
    elif how == "flip":
        path.write_bytes(data[:100] + bytes(b ^ 0xFF for b in data[100:4096]) + data[4096:])
    else:
        path.unlink()
    assert _answers(built) == before


def test_unwritable_data_folder_serves_from_memory(tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    index = store.open_index(blocker / "data", HashingEmbedder(), builtin_documents(), background=BG)
    assert index.persisted_at is None and len(index.chunks) == 27
    assert "not writable" in caplog.text


def test_background_vectors_are_cached_in_the_library(built):
    lib = Library(built)
    try:
        cached = lib.aux_vectors("background", HashingEmbedder.model_id, BG, HashingEmbedder.dim)
    finally:
        lib.close()
    assert cached is not None and cached.shape == (len(BG), HashingEmbedder.dim)


def test_built_search_indexes_are_reused_and_damage_rebuilds_them(built, monkeypatch):
    """A restart loads FAISS and BM25 instead of building them (the cold start of a large library);
    a damaged cached file is noticed and built again, with the same answers."""
    from index import dense, search_cache

    before = _answers(built)
    states = [p for p in (built / search_cache.FOLDER).iterdir() if not p.name.startswith(".")]
    assert len(states) == 1
    with monkeypatch.context() as m:
        m.setattr(dense, "build_index", lambda *a: pytest.fail("rebuilt FAISS although a valid copy was kept"))
        assert _answers(built) == before
    blob = states[0] / "dense.faiss"
    blob.write_bytes(blob.read_bytes()[:-64] + b"\0" * 64)
    assert _answers(built) == before
    assert search_cache.load(built, states[0].name) is not None  # rebuilt and kept again


def test_a_new_library_state_gets_its_own_search_indexes_and_old_ones_are_swept(built, tmp_path):
    from index import search_cache

    lib = Library(built)
    for n in range(3):
        doc = lib.documents()[0]
        lib.remove(doc.info.doc_id)  # each state differs: the built-in plan is re-written on open
        lib.close()
        store.open_index(built, HashingEmbedder(), builtin_documents(), background=BG)
        lib = Library(built)
    lib.close()
    kept = [p for p in (built / search_cache.FOLDER).iterdir() if not p.name.startswith(".")]
    assert 1 <= len(kept) <= search_cache.KEEP


def test_a_large_library_gets_an_approximate_index_that_finds_what_exact_search_finds(tmp_path):
    """Above APPROXIMATE_FROM vectors the dense index is inverted lists; a saved and reloaded one
    searches as many lists (the file's setting is not trusted) and finds the exact top 10."""
    import faiss
    import numpy as np

    from index import dense

    rng = np.random.default_rng(7)
    centres = rng.normal(size=(50, 64)).astype(np.float32)
    vectors = centres[rng.integers(0, 50, dense.APPROXIMATE_FROM)] + 0.3 * rng.normal(size=(dense.APPROXIMATE_FROM, 64))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    index = dense.build_index(vectors)
    assert isinstance(index, faiss.IndexIVF) and index.nprobe == int(index.nlist * dense.PROBED)
    dense.save(index, tmp_path / "d.faiss")
    loaded = dense.load(tmp_path / "d.faiss")
    assert loaded.nprobe == index.nprobe
    queries = vectors[:20] + 0.05 * rng.normal(size=(20, 64)).astype(np.float32)
    found = 0
    for q in queries:
        exact = np.argsort(-(vectors @ q))[:10]
        found += len(set(dense.search(loaded, q, 10)[1].tolist()) & set(exact.tolist()))
    assert found / 200 >= 0.99


def test_documents_are_embedded_together_in_order_of_length_and_each_text_comes_back_in_place():
    """`add` sends the encoder texts of like lengths together, across documents (padding is its
    cost); each document's clauses, sentences and title must still get their own vectors back."""
    from index.embed_chunks import BATCH, Pending, embed_documents

    calls: list[list[str]] = []

    class Recording(HashingEmbedder):
        def embed_passages(self, texts: list[str]):
            calls.append(texts)
            return super().embed_passages(texts)

    plan = builtin_documents()[0]
    other = plan.info.model_copy(update={"doc_id": "other", "title": "另一份文件", "short_title": "", "doc_number": ""})
    docs = [Pending(info=plan.info, chunks=plan.chunks, source_sha256="a"),
            Pending(info=other, chunks=plan.chunks[5:9], source_sha256="b")]
    rows = embed_documents(docs, Recording())
    plain = HashingEmbedder()
    for doc, row in zip(docs, rows):
        assert len(row.vectors) == len(row.sentence_vectors) == len(doc.chunks)
        assert np.allclose(row.vectors, plain.embed_passages([passage_text(c) for c in doc.chunks]))
        for c, sentences in zip(doc.chunks, row.sentence_vectors):
            assert np.allclose(sentences, plain.embed_passages(sentence_texts(c)))
    assert np.allclose(rows[1].title_vector, plain.embed_passages(["另一份文件"])[0])
    assert np.allclose(rows[0].title_vector, plain.embed_passages([docs[0].texts[-1]])[0])
    assert plan.info.title in docs[0].texts[-1]
    lengths = [len(t) for call in calls for t in call]
    assert lengths == sorted(lengths) and max(map(len, calls)) <= BATCH
    assert len(calls) == 1 and len(calls[0]) == len(docs[0].texts) + len(docs[1].texts)  # one pass for both
