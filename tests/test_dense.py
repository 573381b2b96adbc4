"""Vector products a search makes through FAISS (index/dense.py): the same numbers numpy gives."""

from __future__ import annotations

import numpy as np
import pytest

from index import dense


def _unit_rows(n: int, dim: int = 48, seed: int = 3) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_products_with_chosen_rows_equal_numpy_and_never_read_outside_the_matrix():
    matrix, query = _unit_rows(500), _unit_rows(1, seed=4)[0]
    rows = np.array([499, 0, 17, 17, 250])  # any order, repeats allowed
    assert np.allclose(dense.dot_rows(matrix, rows, query), matrix[rows] @ query, atol=1e-6)
    assert np.allclose(dense.dot_rows(matrix[:, ::2], rows, query[::2]), matrix[rows, ::2] @ query[::2], atol=1e-6)
    assert len(dense.dot_rows(matrix, np.array([], np.int64), query)) == 0
    for bad in ([500], [-1]):
        with pytest.raises(IndexError):
            dense.dot_rows(matrix, np.array(bad), query)


def test_exact_top_k_of_a_small_matrix_is_numpys_best_rows_in_order():
    matrix, query = _unit_rows(1500), _unit_rows(1, seed=5)[0]
    sims = matrix @ query
    scores, ids = dense.top(matrix, query, 2)
    assert ids.tolist() == np.argsort(-sims)[:2].tolist() and np.allclose(scores, np.sort(sims)[::-1][:2], atol=1e-6)
    assert len(dense.top(matrix[:1], query, 2)[1]) == 1


def test_a_large_librarys_lists_searched_on_both_cores_find_what_one_core_finds(tmp_path):
    """One question's probed lists are shared among threads: the same top k as FAISS's default."""
    vectors = _unit_rows(dense.APPROXIMATE_FROM, dim=32)
    dense.save(dense.build_index(vectors), tmp_path / "d.faiss")
    index = dense.load(tmp_path / "d.faiss")
    assert index.parallel_mode == 1
    for q in _unit_rows(10, dim=32, seed=9):
        shared = dense.search(index, q, 10)[1].tolist()
        index.parallel_mode = 0
        assert dense.search(index, q, 10)[1].tolist() == shared
        index.parallel_mode = 1
