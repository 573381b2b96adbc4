"""The engine: one loaded index and model, answering questions clause-exactly.

`ask` only routes. Order of precedence: an explicit clause/section number
(rag.lookup), then a mention list (rag.mentions), then hybrid search
(rag.retrieve) with refusal (rag.refusal). Every Hit is made from a corpus
chunk (rag.hits), so a cited number always belongs to a returned clause.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from corpus.catalogue import corpus_checksum, load_chunks
from corpus.models import Chunk
from corpus.text import has_content, split_sentences, to_hant
from index.embedder import Embedder, load_embedder
from index.store import SearchIndex, load_or_build
from rag import highlight, mentions, references, refusal
from rag.answers import answered, declined
from rag.hits import make_hit
from rag.lookup import lookup
from rag.messages import msg
from rag.models import Answer, Hit
from rag.query import Query, too_long, understand
from rag.render import escape
from rag.retrieve import Ranked, SentenceTable, rank
from rag.settings import Settings

log = logging.getLogger(__name__)


class Engine:
    def __init__(self, settings: Settings, embedder: Embedder, index: SearchIndex) -> None:
        self.settings = settings
        self.embedder = embedder
        self.index = index
        self.chunks: list[Chunk] = index.chunks
        self.calibration = refusal.load_calibration()
        self._sentences = SentenceTable(index)
        self._comparable = [mentions.comparable(c.text_hans) for c in self.chunks]
        self._terms = set(index.tokenizer.terms)

    @classmethod
    def load(cls, settings: Settings | None = None, *, force_rebuild: bool = False,
             progress: Callable[[str], None] | None = None) -> Engine:
        settings = settings or Settings()
        say = progress or (lambda m: log.info(m))
        say("loading embedding model")
        embedder = load_embedder(settings.model, settings.model_cache, allow_download=settings.allow_download)
        say("loading search index")
        chunks = load_chunks(settings.corpus_dir)
        index = load_or_build(chunks, corpus_checksum(settings.corpus_dir), embedder, settings.data_dir,
                              background=refusal.background_texts(), force=force_rebuild)
        return cls(settings, embedder, index)

    # ------------------------------------------------------------------ public
    def ask(self, question: str, k: int | None = None, script: str | None = None) -> Answer:
        k = max(1, min(int(self.settings.k if k is None else k), len(self.chunks)))
        limit = self.settings.max_question_chars
        question = question if isinstance(question, str) else ""
        q = understand(question[: limit + 1], script or self.settings.script)
        if too_long(question, limit):
            return declined(q, "invalid", msg("too_long", q.lang, n=len(question), limit=limit), limit)
        if not has_content(q.text):
            return declined(q, "invalid", msg("empty", q.lang), limit)
        ref = references.parse_reference(q.norm)
        if not ref.empty:
            found = lookup(self.chunks, ref, q.lang, q.script)
            if found.mode == "invalid":
                return declined(q, "invalid", found.message, limit)
            return answered(q, found.mode, [make_hit(c, 1.0, q.script, []) for c in found.chunks], found.message)
        term, explicit = mentions.extract_term(q.text)
        if term:
            hits = mentions.find_mentions(term, self.chunks, self._comparable)
            if hits and (explicit or self._bare_mention(term, hits)):
                return self._mentions(q, term, hits)
        return self._search(q, k, note_term=term if explicit else None)

    def measure(self, n: int, script: str = "hant") -> Hit | None:
        return next((make_hit(c, 1.0, script, []) for c in self.chunks if c.kind == "measure" and c.measure == n),
                    None)

    def outline(self, script: str = "hant") -> list[Hit]:
        return [make_hit(c, 1.0, script, []) for c in self.chunks]

    def rank(self, q: Query) -> tuple[np.ndarray, Ranked]:
        """Hybrid ranking of every chunk for a question (also used by calibration)."""
        # No lock: inference is read-only, and serialising it cost a third of the
        # throughput under concurrent clients (bench/run.py).
        vec = self.embedder.embed_queries([q.dense_text])[0]
        return vec, rank(self.index, self._sentences, vec, self.index.tokenizer.tokens(q.text))

    # ----------------------------------------------------------------- answers
    def _bare_mention(self, term: str, found: list[int]) -> bool:
        """A bare phrase is answered as a mention list when it names one clause, or is
        (part of) a name the plan lists — an enumeration item or quoted term — and is
        specific enough to appear in at most half of the clauses. Other bare phrases
        are better served ranked by relevance."""
        if len(found) == 1:
            return True
        listed = any(v in t for v in mentions.variants(term) for t in self._terms)
        return listed and len(found) <= len(self.chunks) // 2

    def _mentions(self, q: Query, term: str, found: list[int]) -> Answer:
        forms = mentions.variants(term)
        hits = [make_hit(self.chunks[i], 1.0, q.script, highlight.mention_sentences(self.chunks[i].text_hans, forms))
                for i in found]
        header = msg("mentions", q.lang, term=escape(self._display_term(term, q)), count=len(hits))
        return answered(q, "mentions", hits, header, term=term)

    def _search(self, q: Query, k: int, note_term: str | None = None) -> Answer:
        vec, ranked = self.rank(q)
        if refusal.out_of_scope(self.calibration, q.lang, ranked.sentence_top, ranked.background_top,
                                ranked.bm25_top):
            limit = self.settings.max_question_chars
            return declined(q, "refused", msg("refused", q.lang, plan=self.chunks[0].plan_title), limit)
        top = max(float(ranked.fused[0]), 1e-6)
        hits = []
        for pos, i in enumerate(ranked.order[:k]):
            relevance = max(float(ranked.fused[pos]), 0.0) / top  # 1.0 = as relevant as the best clause
            hits.append(make_hit(self.chunks[i], relevance, q.script, self._highlights(i, vec, q.norm)))
        header = (msg("mentions_none", q.lang, term=escape(self._display_term(note_term, q)))
                  if note_term else msg("search", q.lang))
        return answered(q, "search", hits, header)

    def _highlights(self, i: int, vec: np.ndarray, query_norm: str) -> list[int]:
        t = self._sentences
        c = self.chunks[i]
        return highlight.best_sentences(split_sentences(c.text_hans), t.vectors[t.starts[i] : t.ends[i]], vec,
                                        query_norm, skip_heading=c.kind == "measure")

    @staticmethod
    def _display_term(term: str | None, q: Query) -> str:
        term = term or ""
        return to_hant(term) if q.script == "hant" and q.lang != "en" else term
