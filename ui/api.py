"""JSON API: the engine's Answer and the plan's measures, for widgets and scripts.

Errors are JSON {"code", "detail"}: a stable machine code, and the message in
the client's language (Accept-Language; English when none is sent).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from rag.engine import Engine
from rag.messages import lang_from_header, msg
from rag.followup import ask_in_context
from rag.models import Answer, Context, Hit
from rag.query import too_long
from ui.security import RateLimiter, client_key
from ui.state import EngineHolder

Script = Literal["auto", "hans", "hant"]


class ApiError(Exception):
    """Raised by a route, rendered by the app as {"code", "detail"} with `status`."""

    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.headers = status, code, detail, headers or {}


class AskRequest(BaseModel):
    q: str = Field(description="the question, in Simplified or Traditional Chinese or English")
    k: int | None = Field(None, ge=1, le=25, description="clauses to return for a search (default POLICY_RAG_K)")
    doc: list[str] | None = Field(None, description="search only these documents (ids from /api/docs)")
    script: Script | None = Field(None, description="answer script (default POLICY_RAG_SCRIPT)")
    context: Context | None = Field(None, description="the previous answer's `context`: follow-ups such as "
                                    "'下一條呢', '那第十九條呢', '給我全文', '用简体' or 'more' are answered from it")


class Health(BaseModel):
    status: str
    index_loaded: bool
    progress: str = ""
    model_id: str | None = None
    corpus_checksum: str | None = None
    chunks: int | None = None
    documents: int | None = None
    generation: int | None = None  # grows with every change to the library


def build_router(holder: EngineHolder, limiter: RateLimiter) -> APIRouter:
    router = APIRouter()
    limit = holder.settings.max_question_chars

    def engine(request: Request) -> Engine:
        lang = lang_from_header(request.headers.get("accept-language"))
        if holder.status == "failed":
            raise ApiError(503, "failed", msg("failed", lang, error=holder.error))
        if holder.engine is None:
            raise ApiError(503, "loading", msg("loading", lang, progress=holder.progress))
        return holder.engine

    def answer(request: Request, q: str, k: int | None, script: Script | None, doc: list[str] | None,
               context: Context | None = None) -> Answer:
        lang = lang_from_header(request.headers.get("accept-language"))
        key = client_key(request)
        if not limiter.allow(key):
            raise ApiError(429, "busy", msg("busy", lang), headers={"Retry-After": str(limiter.retry_after(key))})
        if too_long(q, limit):
            raise ApiError(422, "too_long", msg("too_long", lang, n=len(q), limit=limit))
        e = engine(request)
        return ask_in_context(e, q, context, k=k or e.settings.k, script=script or e.settings.script, docs=doc or None)

    @router.get("/api/ask", response_model=Answer, tags=["ask"])
    def ask_get(request: Request, q: str = Query(..., description="the question"),
                k: int | None = Query(None, ge=1, le=25), script: Script | None = None,
                doc: list[str] | None = Query(None, description="restrict to these document ids")) -> Answer:
        """Answer a question with the library's exact units, cited by document and number."""
        return answer(request, q, k, script, doc)

    @router.post("/api/ask", response_model=Answer, tags=["ask"])
    def ask_post(request: Request, body: AskRequest) -> Answer:
        """Same as GET, with a JSON body; send the previous answer's `context` for follow-ups."""
        return answer(request, body.q, body.k, body.script, body.doc, body.context)

    @router.get("/api/measures", response_model=list[Hit], tags=["plan"])
    def measures(request: Request, script: Script = "hant") -> list[Hit]:
        """Every chunk of the plan (preamble, principles, measures) in plan order."""
        return engine(request).outline("hans" if script == "hans" else "hant")

    @router.get("/api/measures/{n}", response_model=Hit, tags=["plan"])
    def measure(request: Request, n: int, script: Script = "hant") -> Hit:
        """One measure in full."""
        e = engine(request)
        hit = e.measure(n, "hans" if script == "hans" else "hant")
        if hit is None:
            plan = e.builtin()
            count = len(plan.citable()) if plan else 0
            lang = lang_from_header(request.headers.get("accept-language"))
            raise ApiError(404, "no_unit", msg("no_unit", lang, count=count, n=n))
        return hit

    @router.get("/healthz", response_model=Health, tags=["ops"])
    def healthz() -> Health:
        e = holder.engine
        if e is None:
            return Health(status=holder.status, index_loaded=False, progress=holder.progress or holder.error)
        x = e.index
        return Health(status="ready", index_loaded=True, model_id=x.model_id, corpus_checksum=x.checksum,
                      chunks=len(x.chunks), documents=len(x.docs), generation=x.generation)

    return router
