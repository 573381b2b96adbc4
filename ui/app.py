"""One FastAPI app: JSON API, OpenAPI docs, the chat at "/" and the widget at "/widget"."""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr
from fastapi import FastAPI, Request
from fastapi_offline import FastAPIOffline
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse

from rag.messages import lang_from_header, msg
from rag.settings import Settings
from ui import logs
from ui.api import ApiError, build_router
from ui.docs_api import build_docs_router
from ui.chat import CSS, QUESTION_EVENTS, build_blocks
from ui.gate import Gate
from ui.queue_guard import JOIN_BURST, QueueGuard
from ui.security import RateLimiter, SecurityHeaders
from ui.state import EngineHolder

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
WIDGET_CSS = "footer {display: none !important;} .gradio-container {padding: 4px !important;}"


def create_app(settings: Settings, holder: EngineHolder | None = None) -> FastAPI:
    holder = holder or EngineHolder(settings)
    limiter = RateLimiter(settings.rate_limit_per_minute)
    # The API docs page loads Swagger UI from this server, never a CDN: many users are air-gapped.
    app = FastAPIOffline(title="policy-rag", description="Clause-exact answers from Chinese national policy plans.",
                         version="0.1.0", redoc_url=None, favicon_url="")
    app.state.holder = holder
    app.add_middleware(SecurityHeaders, allowed_origins=settings.allowed_origins)
    if settings.allowed_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.allowed_origins,
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type"])

    def error(request: Request, status: int, code: str, **kw: object) -> JSONResponse:
        lang = lang_from_header(request.headers.get("accept-language"))
        return JSONResponse({"code": code, "detail": msg(code, lang, **kw)}, status_code=status)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"code": exc.code, "detail": exc.detail}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return error(request, 422, "invalid_request", problems=problems)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return error(request, 500, "internal")

    app.include_router(build_router(holder, limiter))
    app.include_router(build_docs_router(holder))

    @app.get("/example", include_in_schema=False)
    def example_host_page() -> FileResponse:
        return FileResponse(STATIC / "host.html")

    @app.get("/widget", include_in_schema=False)
    def widget_slash(request: Request) -> RedirectResponse:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/widget/{query}")

    pages = {"/widget": build_blocks(holder, limiter, compact=True), "": build_blocks(holder, limiter, compact=False)}
    for blocks in pages.values():  # as many questions at once as cores; a full queue answers "busy"
        blocks.queue(default_concurrency_limit=settings.workers, max_size=settings.queue_size)
    costly = {mount: {i for i, fn in blocks.fns.items() if fn.name in QUESTION_EVENTS} for mount, blocks in pages.items()}
    app.add_middleware(QueueGuard, costly=lambda mount: costly.get(mount, set()), api_arity={"chat": (3, 3)},
                       max_chars=settings.max_question_chars,
                       limiter=RateLimiter(JOIN_BURST * settings.rate_limit_per_minute))
    # Outermost: hosts, size limits, closed routes and the cross-origin policy apply to every
    # route, Gradio's included.
    app.add_middleware(Gate, allowed_origins=settings.allowed_origins, max_body_bytes=settings.max_body_bytes,
                       upload_path="/api/docs", max_upload_bytes=settings.max_file_bytes,
                       allowed_hosts=settings.allowed_hosts, trust_proxy=settings.trust_proxy)
    common = dict(footer_links=[], show_error=False, ssr_mode=False)  # the API docs are at /docs
    public = settings.public_url.rstrip("/")
    for mount, blocks in pages.items():
        app = gr.mount_gradio_app(app, blocks, path=mount, css=CSS + (WIDGET_CSS if mount else ""),
                                  root_path=f"{public}{mount}" if public else None, **common)
    return app


def serve(settings: Settings, holder: EngineHolder | None = None) -> None:
    import uvicorn

    if holder is None:
        holder = EngineHolder(settings)
        holder.start()
    app = create_app(settings, holder)
    logs.install()
    # X-Forwarded-* are believed only when a proxy is configured: otherwise any client could
    # choose its own rate-limit key.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", log_config=logs.uvicorn_log_config(),
                proxy_headers=settings.trust_proxy, forwarded_allow_ips=settings.forwarded_allow_ips,
                timeout_keep_alive=settings.keep_alive_seconds)
