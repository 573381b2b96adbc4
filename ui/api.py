"""JSON API: the engine's Answer and the plan's measures, for widgets and scripts."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from rag.engine import Engine
from rag.models import Answer, Hit
from ui.security import RateLimiter, client_key
from ui.state import EngineHolder

Script = Literal["auto", "hans", "hant"]


class AskRequest(BaseModel):
    q: str = Field(description="the question, in Simplified or Traditional Chinese or English")
    k: int = Field(5, ge=1, le=25)
    script: Script = "auto"


class Health(BaseModel):
    status: str
    index_loaded: bool
    progress: str = ""
    model_id: str | None = None
    corpus_checksum: str | None = None
    chunks: int | None = None


def build_router(holder: EngineHolder, limiter: RateLimiter) -> APIRouter:
    router = APIRouter()
    limit = holder.settings.max_question_chars

    def engine() -> Engine:
        if holder.status == "failed":
            raise HTTPException(503, detail=f"The service could not start: {holder.error}")
        if holder.engine is None:
            raise HTTPException(503, detail=f"The index is still loading ({holder.progress}); try again shortly.")
        return holder.engine

    def answer(request: Request, q: str, k: int, script: Script) -> Answer:
        if not limiter.allow(client_key(request)):
            raise HTTPException(429, detail="Too many questions from this client; please wait a minute and try again.")
        if len(q) > limit:
            raise HTTPException(422, detail=f"The question is too long ({len(q)} characters; the limit is {limit}).")
        return engine().ask(q, k=k, script=script)

    @router.get("/api/ask", response_model=Answer, tags=["ask"])
    def ask_get(request: Request, q: str = Query(..., description="the question"),
                k: int = Query(5, ge=1, le=25), script: Script = "auto") -> Answer:
        """Answer a question with the plan's exact clauses (measure numbers cited)."""
        return answer(request, q, k, script)

    @router.post("/api/ask", response_model=Answer, tags=["ask"])
    def ask_post(request: Request, body: AskRequest) -> Answer:
        """Same as GET, with a JSON body."""
        return answer(request, body.q, body.k, body.script)

    @router.get("/api/measures", response_model=list[Hit], tags=["plan"])
    def measures(script: Script = "hant") -> list[Hit]:
        """Every chunk of the plan (preamble, principles, measures) in plan order."""
        return engine().outline("hans" if script == "hans" else "hant")

    @router.get("/api/measures/{n}", response_model=Hit, tags=["plan"])
    def measure(n: int, script: Script = "hant") -> Hit:
        """One measure in full."""
        e = engine()
        hit = e.measure(n, "hans" if script == "hans" else "hant")
        if hit is None:
            count = sum(1 for c in e.chunks if c.kind == "measure")
            raise HTTPException(404, detail=f"The plan has {count} measures; there is no measure {n}.")
        return hit

    @router.get("/healthz", response_model=Health, tags=["ops"])
    def healthz() -> Health:
        e = holder.engine
        if e is None:
            return Health(status=holder.status, index_loaded=False, progress=holder.progress or holder.error)
        m = e.index.manifest
        return Health(status="ready", index_loaded=True, model_id=m.model_id,
                      corpus_checksum=m.corpus_checksum, chunks=m.chunks)

    return router
