"""`add` embeds consecutive documents together (faster) and still reports and stores each on its own."""

from __future__ import annotations

import shutil

import numpy as np

from conftest import FIXTURES
from index.hashing import HashingEmbedder
from index.ingest import add_paths
from index.library import Library

LIB = FIXTURES / "library"


def _files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(LIB / "03_anti_monopoly_law.md", folder / "a_law.md")
    (folder / "b_empty.md").write_text("", "utf-8")  # unreadable: reported, the group goes on
    shutil.copy(LIB / "03_anti_monopoly_law.md", folder / "c_same_law.md")  # a duplicate inside the group
    shutil.copy(LIB / "05_private_lending_provisions.md", folder / "d_lending.md")
    return folder


def _add(folder, data, group_texts: int):
    calls: list[int] = []

    class Counting(HashingEmbedder):
        def embed_passages(self, texts):
            calls.append(len(texts))
            return super().embed_passages(texts)

    data.mkdir()
    lib = Library(data)
    try:
        results = list(add_paths([folder], lib, Counting(), max_bytes=10**7, group_texts=group_texts))
        stored = {d.info.doc_id: lib.rows(d.seq) for d in lib.documents()}
    finally:
        lib.close()
    return results, stored, calls


def test_documents_embedded_together_are_reported_in_order_and_stored_as_if_added_one_by_one(tmp_path):
    folder = _files(tmp_path)
    alone, alone_rows, alone_calls = _add(folder, tmp_path / "alone", group_texts=1)
    together, together_rows, together_calls = _add(folder, tmp_path / "together", group_texts=10**6)

    assert len(alone_calls) == 2 and len(together_calls) == 1  # one pass for both documents
    for results in (alone, together):
        assert [r.source.rsplit("/", 1)[-1] for r in results] == ["a_law.md", "b_empty.md", "c_same_law.md",
                                                                  "d_lending.md"]
        assert [bool(r.added) for r in results] == [True, False, False, True]
        assert results[1].error and results[2].duplicate_of == "a_law"
    assert together_rows.keys() == alone_rows.keys() == {"a_law", "d_lending"}
    for doc_id, (data, vecs, sents) in alone_rows.items():
        assert together_rows[doc_id][0] == data
        assert np.allclose(np.frombuffer(b"".join(together_rows[doc_id][1]), np.float32),
                           np.frombuffer(b"".join(vecs), np.float32))
        assert together_rows[doc_id][2] == sents
