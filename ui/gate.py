"""The first thing every request meets: size limits, closed routes, cross-origin policy.

Pure ASGI, so an oversize body is refused from its Content-Length before a byte
of it is read, and Gradio's own CORS answers (which echo any Origin when the
Host is not localhost) are removed unless the origin is ours or allowed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]

# Routes a public chat must not offer: anonymous file hosting, Gradio's dev reload, its monitoring.
CLOSED = re.compile(r"^(?:/widget)?/(?:gradio_api/(?:upload|dev/)|monitoring)")


class Gate:
    def __init__(self, app, *, allowed_origins: list[str], max_body_bytes: int, upload_path: str,
                 max_upload_bytes: int) -> None:
        self.app = app
        self.allowed = {o.rstrip("/") for o in allowed_origins}
        self.max_body = max_body_bytes
        self.upload_path = upload_path
        self.max_upload = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        path = scope.get("path", "")
        if CLOSED.match(path):
            return await _reply(send, 404, {"code": "not_found", "detail": "Not found."})
        limit = self.max_upload if path == self.upload_path else self.max_body
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return await _reply(send, 413, {"code": "too_large", "detail": f"Request body over {limit} bytes."})
        origin = headers.get("origin")
        foreign = origin is not None and not self._ours(origin, headers.get("host", ""), scope)
        if foreign and scope.get("method") == "OPTIONS":
            return await _reply(send, 403, {"code": "forbidden_origin", "detail": "Origin not allowed."})
        received = 0

        async def capped_receive() -> dict:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:  # a chunked body with no Content-Length
                raise ValueError("request body over the limit")
            return message

        async def filtered_send(message: dict) -> None:
            if foreign and message["type"] == "http.response.start":
                message["headers"] = [(k, v) for k, v in message.get("headers", [])
                                      if not k.lower().startswith(b"access-control-")]
            await send(message)

        await self.app(scope, capped_receive, filtered_send)

    def _ours(self, origin: str, host: str, scope: Scope) -> bool:
        if origin.rstrip("/") in self.allowed:
            return True
        parts = urlsplit(origin)
        return bool(host) and parts.netloc == host and parts.scheme == scope.get("scheme", "http")


async def _reply(send: Send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": data})
