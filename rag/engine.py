"""The engine: one loaded library and model, answering questions clause-exactly.

`ask` only routes. First the documents in scope (rag.scope: named in the
question, else selected, else all). Then, in order of precedence: an explicit
unit/section number (rag.lookup), a unit count, a mention list (rag.mentions),
and hybrid search (rag.retrieve) with refusal (rag.refusal). Every Hit is made
from a library chunk (rag.hits), so a cited number always belongs to a
returned unit of the document it names.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import numpy as np

from corpus.catalogue import builtin_documents
from corpus.part_names import asked_parts, part_units
from corpus.text import has_content, to_hant
from index.embedder import Embedder, load_embedder
from index.store import SearchIndex, open_index
from rag import answer_type, derived, highlight, mentions, references, refusal
from rag.absent_names import absent_zone
from rag.answers import answered, declined
from rag.counting import count_answer, is_count_question
from rag.documents import DocNames, NameForms
from rag.english_asked import asked_of_named, glossed_words
from rag.hits import editions, make_hit
from rag.lookup import DocView, lookup
from rag.messages import msg
from rag.models import Answer, Hit
from rag.query import Query, too_long, understand
from rag.render import escape
from rag.retrieve import Ranked, rank
from rag.pinyin_tables import PinyinTables
from rag.romanized import asks_for_a_list
from rag.scope import Scope, resolve
from rag.settings import Settings
from rag.text_scan import TextScan, span

log = logging.getLogger(__name__)


class Engine:
    def __init__(self, settings: Settings, embedder: Embedder, index: SearchIndex) -> None:
        self.settings = settings
        self.embedder = embedder
        self.index = index
        self.chunks = index.chunks
        self.calibration = refusal.load_calibration()
        self._scan = TextScan(index.scan_text, index.scan_pairs)
        self._terms = set(index.tokenizer.terms)
        # Signatures and section intros (unnumbered paragraphs of a numbered document) are
        # kept for lists and browsing but are not answers a search should cite; nor is a unit with
        # nothing to read (a library added before invisible characters were dropped).
        self._searchable = [not (c.kind == "signature" or (c.kind == "paragraph" and c.number is None))
                            and has_content(c.text_hans) for c in self.chunks]
        self._rows: dict[str, list[int]] = {}
        for i, c in enumerate(self.chunks):
            self._rows.setdefault(c.doc_id, []).append(i)
        self._all_rows = list(range(len(self.chunks)))
        self._all_searchable = [i for i in self._all_rows if self._searchable[i]]
        self._all_searchable_ids = np.array(self._all_searchable, np.int64)  # made once, not per question
        self.views = {d.doc_id: DocView(d, [self.chunks[i] for i in self._rows.get(d.doc_id, [])])
                      for d in index.docs}
        self._names = {d.doc_id: DocNames.of(d) for d in index.docs}
        self._all_views, self._all_names = list(self.views.values()), list(self._names.values())  # not per question
        self._name_forms = NameForms(self._all_names)
        self._basis: dict[str, frozenset[str]] = {}  # rag.derived.basis_laws, per document asked about
        self._editions = editions(index.docs)  # cited with its version where the library holds several
        self._parts = {p: np.array(ids, np.int64) for p, ids in part_units(self.chunks).items()}
        self.pinyin = PinyinTables(index.bm25.vocab_dict,  # last: its thread then has nothing to contend with
                                   lambda: (f for t in self._terms for f in mentions.variants(t, self._terms)),
                                   index.tokenizer.tokens)

    @classmethod
    def load(cls, settings: Settings | None = None, *, force_rebuild: bool = False,
             progress: Callable[[str], None] | None = None) -> Engine:
        settings = settings or Settings()
        say = progress or (lambda m: log.info(m))
        say("loading embedding model")
        embedder = load_embedder(settings.model, settings.model_cache, **settings.embedder_options())
        embedder.embed_queries([])  # the question model starts loading (bundled: in a thread) beside the library's opening
        return cls.open(settings, embedder, force_rebuild=force_rebuild, progress=say)

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder, *, force_rebuild: bool = False,
             progress: Callable[[str], None] | None = None) -> Engine:
        """An engine over the library as it is now, with a model already loaded."""
        say = progress or (lambda m: log.info(m))
        say("opening the library")
        index = open_index(settings.data_dir, embedder, builtin_documents(settings.corpus_dir),
                           background=refusal.background_texts(), force=force_rebuild, progress=say)
        return cls(settings, embedder, index)

    # ------------------------------------------------------------------ public
    def ask(self, question: str, k: int | None = None, script: str | None = None,
            docs: list[str] | None = None) -> Answer:
        limit = self.settings.max_question_chars
        question = question if isinstance(question, str) else ""
        q = understand(question[: limit + 1], script or self.settings.script)
        if too_long(question, limit):
            return declined(q, "invalid", msg("too_long", q.lang, n=len(question), limit=limit), limit)
        if not has_content(q.text):
            return declined(q, "invalid", msg("empty", q.lang), limit)
        unknown = [d for d in docs or [] if d not in self.views]
        if unknown:
            shown = re.sub(r"[^\w.\-]", "", unknown[0])[:80]  # ids are slugs; anything else is dropped, not echoed
            return declined(q, "invalid", msg("no_document", q.lang, doc=shown), limit)
        selected = [self.views[d] for d in self.views if d in docs] if docs else self._all_views
        ref = references.parse_reference(q.norm)
        names = [self._names[v.info.doc_id] for v in selected] if docs else self._all_names
        scope = resolve(q.norm, ref, selected, names, self._name_forms)
        if not ref.empty:
            found = lookup(scope.views, ref, q.lang, q.script)
            if found.mode == "invalid":
                return declined(q, "invalid", found.message, limit)
            return answered(q, found.mode, [self._hit(c, 1.0, q, []) for c in found.chunks], found.message)
        if is_count_question(scope.rest):
            return count_answer(q, scope.views)
        whole = len(scope.views) == len(self.views)  # the usual case: no per-question list building
        rows = self._all_rows if whole else [i for v in scope.views for i in self._rows.get(v.info.doc_id, [])]
        asked = scope.rest if scope.named else q.text
        term, explicit = mentions.extract_term(asked)
        if term:
            hits = mentions.find_mentions(term, self.chunks, self._scan, rows, self._terms)
            if hits and (explicit or mentions.bare_mention(term, hits, len(rows), self._terms)):
                return self._mentions(q, term, hits)
        task = None if explicit else mentions.task_term(asked)
        if q.lang == "en" and asks_for_a_list(q.text):
            names = self.pinyin.names()
            task = names.find(q.text) if names else None  # "the Tianjin Binhai New Area" → 天津滨海
        if task:
            hits = mentions.find_mentions(task, self.chunks, self._scan, rows, self._terms)
            if hits and len(hits) <= len(rows) // 2:
                return self._mentions(q, task, hits)
        zone = absent_zone(q.norm, self._scan, span(rows, whole)) if rows else None
        if zone:
            return declined(q, "refused", msg("absent_name", q.lang, term=escape(self._display_term(zone, q))), limit)
        rows = self._all_searchable if whole else [i for i in rows if self._searchable[i]]
        k = max(1, min(int(self.settings.k if k is None else k), len(rows)))
        return self._search(q, k, scope, rows, note_term=term if explicit else None, searched=self._searched_as(q, scope))

    def unit(self, doc_id: str, key: str, script: str | None = "hant") -> Hit | None:
        view = self.views.get(doc_id)
        return next((self._hit_in(c, script) for c in view.chunks if c.key == key), None) if view else None

    def outline(self, script: str | None = "hant", doc_id: str | None = None) -> list[Hit]:
        view = self.views.get(doc_id) if doc_id else self.builtin()
        return [self._hit_in(c, script) for c in view.chunks] if view else []

    def measure(self, n: int, script: str = "hant") -> Hit | None:
        """The shipped plan's measure n (the /api/measures endpoints)."""
        plan = self.builtin()
        return self.unit(plan.info.doc_id, str(n), script) if plan else None

    def builtin(self) -> DocView | None:
        return next((v for v in self.views.values() if v.info.builtin), None)

    def rank(self, q: Query, rows: list[int] | None = None,
             glossed: list[str] | None = None) -> tuple[np.ndarray, Ranked]:
        """Hybrid ranking for a question over `rows` (default: the whole library). `glossed`: an
        English question's library words, when the caller has them (rag.english_asked)."""
        # No lock: inference is read-only, and serialising it cost a third of the
        # throughput under concurrent clients (bench/run.py).
        vec = self.embedder.embed_queries([q.dense_text])[0]
        words = self.pinyin.words  # never waits (rag/pinyin_tables.py)
        names = words.find(q.text) if q.lang == "en" and words else None
        if glossed is None and q.lang == "en":
            glossed = self.pinyin.glossed(q.text)
        if rows is None or len(rows) == len(self.chunks):
            allowed = None
        else:
            allowed = self._all_searchable_ids if rows is self._all_searchable else np.array(rows, np.int64)
        asked = [self._parts[p] for p in asked_parts(q.norm) if p in self._parts]
        return vec, rank(self.index, vec, self.index.tokenizer.tokens(q.text), allowed, names,
                         np.concatenate(asked) if asked else None, glossed)

    # ----------------------------------------------------------------- answers
    def _hit_in(self, c, script: str | None, score: float = 1.0, marks: list[int] | None = None) -> Hit:
        return make_hit(c, score, script, marks or [], self.views[c.doc_id].info.unit_kind,
                        self._editions.get(c.doc_id, ""))

    def _hit(self, c, score: float, q: Query, marks: list[int]) -> Hit:
        return self._hit_in(c, q.show, score, marks)

    def _mentions(self, q: Query, term: str, found: list[int]) -> Answer:
        forms = mentions.variants(term, self._terms)
        hits = [self._hit(self.chunks[i], 1.0, q, highlight.mention_sentences(self.chunks[i].text_hans, forms))
                for i in found]
        docs = len({h.doc_id for h in hits})
        term_shown = escape(self._display_term(term, q))
        header = (msg("mentions", q.lang, term=term_shown, count=len(hits)) if docs == 1 else
                  msg("mentions_docs", q.lang, term=term_shown, count=len(hits), docs=docs))
        return answered(q, "mentions", hits, header, term=term)

    def _searched_as(self, q: Query, scope: Scope) -> Query:
        """A question naming one document is searched with the document's own word for itself
        (本法, 本条例) in place of its name: rag.documents.self_reference."""
        rest = scope.rest.strip()
        if not scope.named or len(scope.views) != 1 or not has_content(rest):
            return q
        text = self._names[scope.views[0].info.doc_id].itself + rest
        return q.model_copy(update={"text": text, "norm": text, "dense_text": text})

    def _search(self, q: Query, k: int, scope: Scope, rows: list[int], note_term: str | None = None,
                searched: Query | None = None) -> Answer:
        glossed = glossed_words(self.pinyin, searched or q, scope)
        vec, ranked = self.rank(searched or q, rows, glossed)
        named = [self._names[v.info.doc_id] for v in scope.views] if scope.spelled else []
        if refusal.out_of_scope(self.calibration, q.lang, ranked.sentence_top, ranked.background_top,
                                ranked.bm25_top, asked_of_named(self.index.bm25, named, rows, glossed)):
            return self._refused(q, scope)
        window = k + answer_type.WINDOW  # a typed question may bring a clause up from the best few
        shown = answer_type.typed_first(q.norm, list(zip(ranked.order[:window], ranked.fused[:window].tolist())),
                                        self.chunks, lambda doc_id: bool(self.views[doc_id].info.dates))
        if not shown:
            return self._refused(q, scope)
        shown = derived.cited_first(shown, self.chunks, self._name_forms, window, self._basis_laws)
        top = max(float(ranked.fused[0]), 1e-6)
        hits = []
        for i, fused in shown[:k]:
            relevance = max(fused, 0.0) / top  # 1.0 = as relevant as the best unit
            rows_i = self.index.sentence_vectors[self.index.sentence_starts[i]:]
            hits.append(self._hit(self.chunks[i], relevance, q, highlight.in_unit(self.chunks[i], rows_i, vec, q.norm)))
        header = (msg("mentions_none", q.lang, term=escape(self._display_term(note_term, q)))
                  if note_term else msg("search", q.lang))
        return answered(q, "search", hits, header)

    def _basis_laws(self, doc_id: str) -> frozenset[str]:
        if doc_id not in self._basis:  # read once per document, when one of its clauses defers to "the law"
            self._basis[doc_id] = derived.basis_laws(self.views[doc_id].chunks, self._name_forms)
        return self._basis[doc_id]

    def _refused(self, q: Query, scope: Scope) -> Answer:
        limit = self.settings.max_question_chars
        if len(scope.views) == 1:
            return declined(q, "refused", msg("refused", q.lang, plan=scope.views[0].info.title), limit)
        return declined(q, "refused", msg("refused_library", q.lang), limit)

    @staticmethod
    def _display_term(term: str | None, q: Query) -> str:
        term = term or ""
        return to_hant(term) if q.script == "hant" and q.lang != "en" else term
