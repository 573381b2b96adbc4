"""Hybrid retrieval: dense (clause and best sentence) fused with BM25.

Each signal is standardised over the candidate set before adding, and a
signal with nothing to say — BM25 when no query word occurs in the library,
as for most English questions — contributes zero instead of noise. A search
restricted to a few documents scores exactly those documents' units instead
of searching the whole library and filtering.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index import dense, keyword
from index.store import SearchIndex

CANDIDATES = 50  # per signal, from the whole library
BM25_CANDIDATES = 10 * CANDIDATES  # keyword scores are cheap, and rare words find what vectors miss
# A restricted search over at most this many units scores them all: 2,000 units and their
# sentences cost about a millisecond, and a code's book of 1,260 articles is then searched
# exactly instead of through whatever of it the library-wide top candidates happen to hold.
EXACT_UP_TO = 2000
RESTRICTED_DENSE = 10 * CANDIDATES  # a restricted search asks FAISS for this many, then keeps the allowed
W_CHUNK, W_SENTENCE, W_BM25 = 1.0, 2.0, 1.0  # best-sentence match carries cross-lingual questions
# A question whose embedding is clearly closest to one document's title (by this margin over
# the next title) is taken to name that document — also in English, where no exact name
# matches: that document's units gain W_DOC (in standard deviations of the fused score).
DOC_TITLE_GAP, W_DOC = 0.04, 1.0
# A unit that contains a name an English question spells in pinyin (Erhai → 洱海) gains W_NAME:
# large enough that units naming it come first, ranked among themselves by meaning — the
# model does not know that Erhai is 洱海, and a user who names a place means that place. A
# fixed bonus, not BM25: between two units naming it, term counts and length are no evidence.
W_NAME = 10.0
# A question asking for an unnumbered part by what readers call it (坚持哪些原则, "why was the
# plan drawn up": corpus/data/part_names.json) gets that part first: the measures that share more
# of its words are not what was asked for. Same size as W_NAME, for the same reason. Only parts of
# the documents among the best PART_DOCS_FROM units count: "what are the guiding principles for
# the law-enforcement systems?" asks for that opinion's principles, not for another plan's.
W_PART, PART_DOCS_FROM = 10.0, 5
# An English question's phrases as the library's Chinese words (rag/english_terms.py) give a
# keyword signal of their own, weighted below the question's own words: a dictionary gloss is
# a guess among senses. GLOSS_CANDIDATES of its best units join the candidates; its scores are
# not the question's own keyword score that refusal reads (bm25_top).
W_GLOSS, GLOSS_CANDIDATES = 0.5, 50


@dataclass
class Ranked:
    order: list[int]  # chunk indices, best first
    fused: np.ndarray  # fused score per entry of `order`
    sentence_top: float  # best cosine of a sentence of the document itself (not a part name): for refusal
    bm25_top: float  # best raw BM25 score
    background_top: float  # best cosine to everyday, off-topic texts


def best_sentence(index: SearchIndex, query_vec: np.ndarray, chunk_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per chunk: best cosine over all its rows (ranking), and over its own sentences only
    (refusal: part names make every English question look a little closer). Vectorised: a
    large library's search has a thousand candidates."""
    rows = np.full(len(chunk_ids), -1.0, np.float32)
    text = np.full(len(chunk_ids), -1.0, np.float32)
    starts, ends = index.sentence_starts[chunk_ids], index.sentence_ends[chunk_ids]
    lengths = ends - starts
    has = lengths > 0
    if not has.any():
        return rows, text
    s, n = starts[has], lengths[has]
    offsets = np.cumsum(n) - n  # where each chunk's rows begin in the gathered block
    gathered = np.repeat(s - offsets, n) + np.arange(int(n.sum()))
    sims = dense.dot_rows(index.sentence_vectors, gathered, query_vec)
    rows[has] = np.maximum.reduceat(sims, offsets)
    own = (index.text_ends[chunk_ids] - starts)[has]  # own sentences come first in each chunk's rows
    masked = np.where(np.arange(len(sims)) < np.repeat(offsets + own, n), sims, -np.inf)
    text[has] = np.where(own > 0, np.maximum.reduceat(masked, offsets), rows[has])
    return rows, text


def _standardise(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return (x - x.mean()) / sd if sd > 1e-9 else np.zeros_like(x)


def members(n_units: int, allowed: np.ndarray | None) -> np.ndarray | None:
    """`allowed` as a mask over all units (masks, not unique/intersect1d: those sort per question)."""
    if allowed is None:
        return None
    member = np.zeros(n_units, bool)
    member[allowed] = True
    return member


def best_of(scores: np.ndarray, n: int, member: np.ndarray | None = None) -> np.ndarray:
    """The (at most) n units with the highest nonzero scores, among `member` units if given.
    Nonzero scores are usually a small share of a large library: only those are partitioned.
    (`scores != 0` first: numpy finds the nonzero entries of a bool mask 7x faster than of floats.)"""
    scored = np.flatnonzero(scores != 0)
    if member is not None:
        scored = scored[member[scored]]
    top = min(n, len(scored))
    return scored if len(scored) <= top else scored[np.argpartition(-scores[scored], top - 1)[:top]]


def candidates(index: SearchIndex, query_vec: np.ndarray, bm: np.ndarray, allowed: np.ndarray | None,
               also: np.ndarray | None = None, member: np.ndarray | None = None) -> np.ndarray:
    """`member`: `allowed` as a mask (members()), when the caller has made it already."""
    if allowed is not None and len(allowed) <= EXACT_UP_TO:
        return allowed  # a few documents: score all their units exactly
    _, d_ids = dense.search(index.dense, query_vec, CANDIDATES if allowed is None else RESTRICTED_DENSE)
    member = member if member is not None else members(len(index.chunks), allowed)
    bm_ids = best_of(bm, BM25_CANDIDATES, member)
    extra = [also.astype(np.int64)] if also is not None else []
    found = np.concatenate([d_ids.astype(np.int64), bm_ids.astype(np.int64), *extra])
    picked = np.zeros(len(index.chunks), bool)
    picked[found[found >= 0]] = True  # FAISS pads a short result with -1
    if member is not None:
        picked &= member
    cand = np.flatnonzero(picked)
    return cand if len(cand) else (allowed if allowed is not None else np.arange(len(index.chunks)))


def named_document(index: SearchIndex, query_vec: np.ndarray) -> int | None:
    if len(index.title_vectors) < 2:
        return None
    sims, (first, _) = dense.top(index.title_vectors, query_vec, 2)
    return int(first) if sims[0] - sims[1] >= DOC_TITLE_GAP else None


def rank(index: SearchIndex, query_vec: np.ndarray, query_tokens: list[str],
         allowed: np.ndarray | None = None, name_tokens: list[str] | None = None,
         part_units: np.ndarray | None = None, glossed: list[str] | None = None) -> Ranked:
    """Rank the library's units (or only `allowed` chunk indices) for one question.
    `name_tokens`: library words an English question spells in pinyin; units containing one
    gain W_NAME. They never count as the question's own words (BM25, refusal).
    `part_units`: the parts the question asks for by name (corpus.part_names.part_units); they
    gain W_PART."""
    bm = keyword.scores(index.bm25, query_tokens)
    named_in = keyword.scores(index.bm25, name_tokens) > 0 if name_tokens else None
    named_units = np.flatnonzero(named_in) if named_in is not None else None
    big = allowed is not None and len(allowed) > EXACT_UP_TO  # only then are candidates chosen
    member = members(len(index.chunks), allowed) if big else None
    gb = keyword.scores(index.bm25, glossed) if glossed else None
    glossed_units = best_of(gb, GLOSS_CANDIDATES, member) if gb is not None and gb.max() > 0 else None
    also = [u for u in (named_units if named_units is not None and len(named_units) <= CANDIDATES else None,
                        part_units, glossed_units) if u is not None]
    cand = candidates(index, query_vec, bm, allowed, np.concatenate(also) if also else None, member)
    d = dense.dot_rows(index.chunk_vectors, cand, query_vec)
    s, s_text = best_sentence(index, query_vec, cand)
    named = named_document(index, query_vec)
    if named is not None:
        # A question about one document: another document's part names ("preamble: why it was
        # issued…") are no evidence, only its own sentences are.
        s = np.where(index.chunk_doc[cand] == named, s, s_text)
    b = bm[cand]
    fused = W_CHUNK * _standardise(d) + W_SENTENCE * _standardise(s)
    if len(b) and b.max() > 0:
        fused = fused + W_BM25 * _standardise(b)
    if glossed_units is not None:
        fused = fused + W_GLOSS * _standardise(gb[cand])
    if named is not None:
        fused = fused + W_DOC * (index.chunk_doc[cand] == named)
    if named_in is not None:
        fused = fused + W_NAME * named_in[cand]
    if part_units is not None and len(part_units):
        about = index.chunk_doc[cand[np.argsort(-fused, kind="stable")[:PART_DOCS_FROM]]]
        fused = fused + W_PART * (np.isin(cand, part_units) & np.isin(index.chunk_doc[cand], about))
    order = np.argsort(-fused, kind="stable")
    return Ranked(
        order=cand[order].tolist(), fused=fused[order],
        sentence_top=float(s_text.max()) if len(s_text) else -1.0,
        bm25_top=float(b.max()) if len(b) else 0.0,
        background_top=float((index.background_vectors @ query_vec).max()),
    )
