"""The first thing every request meets: hosts, size limits, closed routes, cross-origin policy.

Pure ASGI, so an oversize body is refused from its Content-Length before a byte
of it is read, and Gradio's own CORS answers (which echo any Origin when the
Host is not localhost) are removed unless the origin is ours or allowed. The
page's root URL must not follow a header a client chose: X-Forwarded-Host and
-Proto are dropped unless a proxy is trusted, and pages and their config are
never stored by shared caches.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from rag.messages import lang_from_header, msg

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]

# Routes a public chat must not offer: anonymous file hosting, Gradio's dev reload, its monitoring.
CLOSED = re.compile(r"^(?:/widget)?/(?:gradio_api/(?:upload|dev/)|monitoring)")


NO_STORE = re.compile(r"(?:^|/)(?:config|gradio_api/info)/?$")
PROXY_ONLY = (b"x-forwarded-host", b"x-forwarded-proto", b"x-forwarded-port")


class Gate:
    def __init__(self, app, *, allowed_origins: list[str], max_body_bytes: int, upload_path: str,
                 max_upload_bytes: int, allowed_hosts: list[str], trust_proxy: bool) -> None:
        self.app = app
        self.hosts = {h.lower() for h in allowed_hosts}
        self.trust_proxy = trust_proxy
        self.allowed = {o.rstrip("/") for o in allowed_origins}
        self.max_body = max_body_bytes
        self.upload_path = upload_path
        self.max_upload = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if not self.trust_proxy:
            scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() not in PROXY_ONLY]}
        headers = headers_of(scope)
        lang = lang_from_header(headers.get("accept-language"))
        path = scope.get("path", "")
        if self.hosts and headers.get("host", "").rsplit(":", 1)[0].lower() not in self.hosts:
            return await reply(send, 400, {"code": "bad_host", "detail": msg("bad_host", lang)})
        if CLOSED.match(path):
            return await reply(send, 404, {"code": "not_found", "detail": msg("not_found", lang)})
        limit = self.max_upload if path == self.upload_path else self.max_body
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return await reply(send, 413, {"code": "too_large", "detail": msg("too_large", lang, limit=limit)})
        origin = headers.get("origin")
        foreign = origin is not None and not self._ours(origin, headers.get("host", ""), scope)
        if foreign and scope.get("method") == "OPTIONS":
            return await reply(send, 403, {"code": "forbidden_origin", "detail": msg("forbidden_origin", lang)})
        received = 0

        async def capped_receive() -> dict:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:  # a chunked body with no Content-Length
                raise ValueError("request body over the limit")
            return message

        no_store = bool(NO_STORE.search(path))

        async def filtered_send(message: dict) -> None:
            if message["type"] == "http.response.start":
                out = [(k, v) for k, v in message.get("headers", [])
                       if not (foreign and k.lower().startswith(b"access-control-"))]
                html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in out)
                if html or no_store:
                    out = [(k, v) for k, v in out if k.lower() != b"cache-control"] + [(b"cache-control", b"no-store")]
                message["headers"] = out
            await send(message)

        await self.app(scope, capped_receive, filtered_send)

    def _ours(self, origin: str, host: str, scope: Scope) -> bool:
        if origin.rstrip("/") in self.allowed:
            return True
        parts = urlsplit(origin)
        return bool(host) and parts.netloc == host and parts.scheme == scope.get("scheme", "http")


def headers_of(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


async def reply(send: Send, status: int, body: dict, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            (b"connection", b"close"), *(extra or [])]})
    await send({"type": "http.response.body", "body": data})
