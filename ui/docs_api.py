"""JSON API for the library: list documents, read one, read a unit; add one with the admin token.

Adding is the only write and needs `Authorization: Bearer $POLICY_RAG_ADMIN_TOKEN`;
with no token configured the route is closed. The public chat and widget never
accept uploads.
"""

from __future__ import annotations

import hmac
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request, UploadFile
from pydantic import BaseModel

from corpus.models import DocumentInfo
from rag.messages import ingest_error, lang_from_header, msg
from rag.models import Hit, Lang
from ui.api import ApiError, Script
from ui.state import EngineHolder


class DocumentOutline(BaseModel):
    document: DocumentInfo
    units: list[Hit]


def build_docs_router(holder: EngineHolder) -> APIRouter:
    router = APIRouter()

    def engine(request: Request):
        lang = lang_from_header(request.headers.get("accept-language"))
        if holder.engine is None:
            code = "failed" if holder.status == "failed" else "loading"
            raise ApiError(503, code, msg(code, lang, error=holder.error, progress=holder.progress))
        return holder.engine

    def view(request: Request, doc_id: str):
        e = engine(request)
        if doc_id not in e.views:
            lang = lang_from_header(request.headers.get("accept-language"))
            raise ApiError(404, "no_document", msg("no_document", lang, doc=doc_id))
        return e, e.views[doc_id]

    @router.get("/api/docs", response_model=list[DocumentInfo], tags=["library"])
    def docs(request: Request) -> list[DocumentInfo]:
        """Every document in the library, in library order (the built-in plan first)."""
        return [v.info for v in engine(request).views.values()]

    @router.get("/api/docs/{doc_id}", response_model=DocumentOutline, tags=["library"])
    def doc(request: Request, doc_id: str, script: Script | None = None) -> DocumentOutline:
        """One document: its catalogue entry and every unit in document order."""
        e, v = view(request, doc_id)
        show = script if script in ("hans", "hant") else None
        return DocumentOutline(document=v.info, units=e.outline(show, doc_id))

    @router.get("/api/docs/{doc_id}/units/{unit}", response_model=Hit, tags=["library"])
    def unit(request: Request, doc_id: str, unit: str, script: Script | None = None) -> Hit:
        """One unit in full: its number (12), or pre / gen / end / sig."""
        e, v = view(request, doc_id)
        hit = e.unit(doc_id, unit, script if script in ("hans", "hant") else None)
        if hit is None:
            lang = lang_from_header(request.headers.get("accept-language"))
            raise ApiError(404, "no_unit", msg("unit_out_of_range", lang, title=v.info.title, count=v.info.units,
                                               n=unit, noun=msg(f"noun_{v.info.unit_kind}", lang)))
        return hit

    @router.post("/api/docs", tags=["library"], status_code=201)
    async def add(request: Request, file: UploadFile) -> dict:
        """Add one document (admin token required). Answers what `policy-rag add --json` prints."""
        token = holder.settings.admin_token
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            lang = lang_from_header(request.headers.get("accept-language"))
            raise ApiError(403, "forbidden", msg("forbidden", lang))
        e = engine(request)
        name = Path(file.filename or "upload.txt").name
        data = await file.read(holder.settings.max_file_bytes + 1)
        return await _add(holder, e, name, data, lang_from_header(request.headers.get("accept-language")))

    return router


async def _add(holder: EngineHolder, e, name: str, data: bytes, lang: Lang) -> dict:
    from starlette.concurrency import run_in_threadpool

    from corpus.catalogue import builtin_documents
    from index.ingest import add_paths
    from index.store import prepare_library

    def work() -> dict:
        with tempfile.TemporaryDirectory(prefix="policy-rag-upload-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            lib = prepare_library(holder.settings.data_dir, e.embedder, builtin_documents(holder.settings.corpus_dir))
            try:
                result = next(add_paths([path], lib, e.embedder, max_bytes=holder.settings.max_file_bytes))
            finally:
                lib.close()
        if result.error:
            raise ApiError(422, result.code or "invalid_file", ingest_error(result.code, result.source, result.error, lang))
        holder.reload()
        return result.model_dump(exclude_none=True) | {"source": name}

    return await run_in_threadpool(work)
