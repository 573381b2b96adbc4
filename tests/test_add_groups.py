"""`add` embeds consecutive documents together (faster) and still reports and stores each on its own."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from conftest import FIXTURES
from index.hashing import HashingEmbedder
from index.ingest import add_paths
from index.library import Library

LIB = FIXTURES / "library"


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(LIB / "03_anti_monopoly_law.md", folder / "a_law.md")
    (folder / "b_empty.md").write_text("", "utf-8")  # unreadable: reported, the group goes on
    shutil.copy(LIB / "03_anti_monopoly_law.md", folder / "c_same_law.md")  # a duplicate inside the group
    shutil.copy(LIB / "05_private_lending_provisions.md", folder / "d_lending.md")
    return folder


class Counting(HashingEmbedder):
    """Records each call's size; fails on a text containing `fail_on`."""

    def __init__(self, fail_on: str | None = None) -> None:
        super().__init__()
        self.calls: list[int] = []
        self.fail_on = fail_on

    def embed_passages(self, texts):
        self.calls.append(len(texts))
        if self.fail_on and any(self.fail_on in t for t in texts):
            raise RuntimeError("the encoder failed")
        return super().embed_passages(texts)


def _add(folder, data, group_texts: int):
    embedder = Counting()
    data.mkdir()
    lib = Library(data)
    try:
        results = list(add_paths([folder], lib, embedder, max_bytes=10**7, group_texts=group_texts))
        docs = lib.documents()
        stored = {d.info.doc_id: lib.rows(d.seq) for d in docs}
        titles = dict(zip([d.info.doc_id for d in docs], lib.title_vectors(docs, embedder.dim)))
    finally:
        lib.close()
    return results, stored, titles, embedder.calls


def test_documents_embedded_together_are_reported_in_order_and_stored_as_if_added_one_by_one(folder, tmp_path):
    alone, alone_rows, alone_titles, alone_calls = _add(folder, tmp_path / "alone", group_texts=1)
    together, together_rows, together_titles, together_calls = _add(folder, tmp_path / "together", group_texts=10**6)

    assert len(alone_calls) == 2 and len(together_calls) == 1  # one pass for both documents
    for results in (alone, together):
        assert [r.source.rsplit("/", 1)[-1] for r in results] == ["a_law.md", "b_empty.md", "c_same_law.md",
                                                                  "d_lending.md"]
        assert [bool(r.added) for r in results] == [True, False, False, True]
        assert results[1].error and results[2].duplicate_of == "a_law"
    assert together_rows.keys() == alone_rows.keys() == {"a_law", "d_lending"}
    for doc_id, (data, vecs, sents) in alone_rows.items():
        assert together_rows[doc_id][0] == data
        assert together_rows[doc_id][1] == vecs and together_rows[doc_id][2] == sents
        assert np.array_equal(together_titles[doc_id], alone_titles[doc_id])
    assert not np.array_equal(together_titles["a_law"], together_titles["d_lending"])


def test_an_encoder_failure_in_a_group_still_adds_the_documents_before_it(folder, tmp_path):
    """The failure repeats on every run: the documents before it must not be lost with it,
    and no source copy is left for a document that was not added."""
    lib = Library(tmp_path / "data")
    embedder = Counting(fail_on="民间借贷")
    results = []
    with pytest.raises(RuntimeError):
        for r in add_paths([folder], lib, embedder, max_bytes=10**7, group_texts=10**6):
            results.append(r)
    assert [d.info.doc_id for d in lib.documents()] == ["a_law"]
    assert [bool(r.added) for r in results] == [True, False, False]
    assert len(list((lib.folder / "sources").glob("*.md"))) == 1
    lib.close()


def test_files_already_added_are_reported_at_once_not_held_for_the_next_group(folder, tmp_path):
    """A resumed run: what is already in the library is reported before anything is embedded."""
    lib = Library(tmp_path / "data")
    list(add_paths([folder / "a_law.md"], lib, HashingEmbedder(), max_bytes=10**7))
    embedder = Counting()
    run = add_paths([folder], lib, embedder, max_bytes=10**7, group_texts=10**6)
    first = next(run)
    assert first.duplicate_of == "a_law" and embedder.calls == []
    assert next(run).error and embedder.calls == []  # the empty file, reported as it comes
    rest = list(run)
    assert [r.duplicate_of for r in rest] == ["a_law", None] and rest[1].added and len(embedder.calls) == 1
    lib.close()
