"""The engine: one loaded index and model, answering questions clause-exactly.

Order of precedence: an explicit clause/section number, then a mention list,
then hybrid search with refusal. Every Hit is built from a corpus chunk, so a
cited number always belongs to a returned clause.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from corpus.catalogue import corpus_checksum, load_chunks
from corpus.models import Chunk
from corpus.numerals import int_to_cn
from corpus.script import to_hans, to_hant
from index.embedder import Embedder, load_embedder
from index.sentences import split_sentences
from index.store import SearchIndex, load_or_build
from rag import mentions, references
from rag.messages import msg
from rag.models import Answer, Hit, Mode
from rag.query import Query, has_content, understand
from rag.render import citation, escape, render
from rag.retrieve import Ranked, SentenceTable, rank
from rag.settings import Settings

log = logging.getLogger(__name__)

# Refusal: how much closer the question is to the plan's best sentence than to
# everyday background texts (index/background.txt). Calibrated with the bundled
# model on tests/data/gold.jsonl and the shared dev set: midway between the
# highest out-of-scope and the lowest in-scope margin, per language (English
# questions score lower against Chinese text across the board). See README.
MIN_MARGIN = {"en": -0.022, "zh": 0.010}
BM25_CONFIDENT = 6.0  # a question sharing this much vocabulary with a clause is in scope


class Engine:
    def __init__(self, settings: Settings, embedder: Embedder, index: SearchIndex) -> None:
        self.settings = settings
        self.embedder = embedder
        self.index = index
        self.chunks: list[Chunk] = index.chunks
        self._sentences = SentenceTable(index)
        self._norms = [mentions.norm_hans(c.text_hans) for c in self.chunks]
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
                              force=force_rebuild)
        return cls(settings, embedder, index)

    # ------------------------------------------------------------------ public
    def ask(self, question: str, k: int = 5, script: str = "auto") -> Answer:
        k = max(1, min(int(k), len(self.chunks)))
        limit = self.settings.max_question_chars
        q = understand(question if isinstance(question, str) else "", script, limit)
        if len(q.text) > limit:
            return self._decline(q, "invalid", msg("too_long", q.lang, n=len(q.text), limit=limit))
        if not has_content(q.text):
            return self._decline(q, "invalid", msg("empty", q.lang))
        ref = references.parse_reference(q.norm)
        if not ref.empty:
            return self._lookup(q, ref)
        term, explicit = mentions.extract_term(q.text)
        if term:
            found = mentions.find_mentions(term, self.chunks, self._norms)
            if found and (explicit or self._bare_mention(term, found)):
                return self._mentions(q, term, found)
        return self._search(q, k, note_term=term if explicit else None)

    def _bare_mention(self, term: str, found: list[int]) -> bool:
        """A bare phrase is answered as a mention list when it names one clause, or is
        (part of) a name the plan lists — an enumeration item or quoted term — and is
        specific enough to appear in at most half of the clauses. Other bare phrases
        are better served ranked by relevance."""
        if len(found) == 1:
            return True
        listed = any(v in t for v in mentions.variants(term) for t in self._terms)
        return listed and len(found) <= len(self.chunks) // 2

    def measure(self, n: int, script: str = "hant") -> Hit | None:
        for c in self.chunks:
            if c.kind == "measure" and c.measure == n:
                return self._hit(c, 1.0, script, [])
        return None

    def outline(self, script: str = "hant") -> list[Hit]:
        return [self._hit(c, 1.0, script, []) for c in self.chunks]

    # ----------------------------------------------------------------- answers
    def _lookup(self, q: Query, ref: references.Reference) -> Answer:
        measures = [c for c in self.chunks if c.kind == "measure"]
        count = len(measures)
        picked: list[Chunk] = []
        for n in ref.measures:
            found = [c for c in measures if c.measure == n]
            if not found:
                return self._decline(q, "invalid", msg("out_of_range", q.lang, count=count, n=n,
                                                       last=int_to_cn(count)))
            picked += found
        if ref.sections:
            sections = sorted({c.section for c in self.chunks if c.section})
            for n in ref.sections:
                if n not in sections:
                    return self._decline(q, "invalid", msg("section_out_of_range", q.lang, count=len(sections),
                                                           n=n, last=int_to_cn(max(sections))))
                picked += [c for c in self.chunks if c.section == n and c not in picked]
            mode: Mode = "section" if not ref.measures else "lookup"
        else:
            mode = "lookup"
        hits = [self._hit(c, 1.0, q.script, []) for c in picked]
        if mode == "section":
            first = hits[0]
            header = msg("section", q.lang, n=first.section, title=first.section_title, count=len(hits))
        else:
            header = msg("lookup", q.lang)
        return self._answer(q, mode, hits, header)

    def _mentions(self, q: Query, term: str, found: list[int]) -> Answer:
        forms = mentions.variants(term)
        hits = []
        for i in found:
            sentences = split_sentences(self.chunks[i].text_hans)
            marks = [j for j, s in enumerate(sentences) if any(f in mentions.norm_hans(s) for f in forms)]
            hits.append(self._hit(self.chunks[i], 1.0, q.script, marks))
        header = msg("mentions", q.lang, term=escape(self._display_term(term, q)), count=len(hits))
        return self._answer(q, "mentions", hits, header, term=term)

    def _search(self, q: Query, k: int, note_term: str | None = None) -> Answer:
        # No lock: inference is read-only, and serialising it cost a third of the
        # throughput under concurrent clients (bench/run.py).
        vec = self.embedder.embed_queries([q.dense_text])[0]
        tokens = self.index.tokenizer.tokens(q.text)
        ranked = rank(self.index, self._sentences, vec, tokens)
        if self._out_of_scope(ranked, q.lang):
            return self._decline(q, "refused", msg("refused", q.lang, plan=self.chunks[0].plan_title))
        top = max(float(ranked.fused[0]), 1e-6)
        hits = []
        for pos, i in enumerate(ranked.order[:k]):
            relevance = max(float(ranked.fused[pos]), 0.0) / top  # 1.0 = as relevant as the best clause
            hits.append(self._hit(self.chunks[i], relevance, q.script, self._best_sentences(i, vec, q.norm)))
        header = (msg("mentions_none", q.lang, term=escape(self._display_term(note_term, q)))
                  if note_term else msg("search", q.lang))
        return self._answer(q, "search", hits, header)

    @staticmethod
    def _out_of_scope(r: Ranked, lang: str) -> bool:
        margin = r.sentence_top - r.background_top
        return margin < MIN_MARGIN["en" if lang == "en" else "zh"] and r.bm25_top < BM25_CONFIDENT

    # ----------------------------------------------------------------- helpers
    def _best_sentences(self, chunk_idx: int, vec: np.ndarray, query_norm: str) -> list[int]:
        """The one or two sentences that answer the question (never just the heading)."""
        t = self._sentences
        a, b = t.starts[chunk_idx], t.ends[chunk_idx]
        sentences = split_sentences(self.chunks[chunk_idx].text_hans)
        if b <= a or len(sentences) != b - a:
            return []
        grams = {query_norm[i : i + 2] for i in range(len(query_norm) - 1)}
        overlap = np.array([sum(g in s for g in grams) / max(len(grams), 1) for s in sentences])
        score = t.vectors[a:b] @ vec + 0.1 * overlap
        if self.chunks[chunk_idx].kind == "measure" and len(sentences) > 1:
            score[0] = -np.inf  # sentence 0 is "（n）title。", already shown as the heading
        order = np.argsort(-score)
        return [int(j) for j in order[:2] if score[j] >= score[order[0]] - 0.01]

    def _hit(self, c: Chunk, score: float, script: str, sentence_ids: list[int]) -> Hit:
        text = c.text_hans if script == "hans" else c.text
        sentences = split_sentences(text)
        highlights = [sentences[j] for j in sorted(sentence_ids) if j < len(sentences)]
        hans = script == "hans"
        return Hit(
            kind=c.kind, measure=c.measure, label=c.label, section=c.section,
            section_title=to_hans(c.section_title) if hans else c.section_title,
            title=to_hans(c.title) if hans else c.title, text=text, highlights=highlights,
            score=round(score, 4), doc_id=c.doc_id, plan_title=c.plan_title,
            citation=citation(c.plan_title, c.label, c.kind),
        )

    @staticmethod
    def _display_term(term: str | None, q: Query) -> str:
        term = term or ""
        return to_hant(term) if q.script == "hant" and q.lang != "en" else term

    def _answer(self, q: Query, mode: Mode, hits: list[Hit], header: str, term: str | None = None) -> Answer:
        a = Answer(question=q.text, answered=True, mode=mode, script=q.script, lang=q.lang,
                   message=header, term=term, results=hits)
        a.markdown = render(a, header)
        return a

    def _decline(self, q: Query, mode: Mode, message: str) -> Answer:
        limit = self.settings.max_question_chars
        question = q.text if len(q.text) <= limit else q.text[:limit] + "…"  # never echo a megabyte back
        return Answer(question=question, answered=False, mode=mode, script=q.script, lang=q.lang,
                      message=message, results=[], markdown=message)
