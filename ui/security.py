"""Public-widget safety: who may embed us, how often a client may ask, no leaks."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response


class RateLimiter:
    """Sliding one-minute window per client key (IP address)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            q = self._hits[key]
            while q and now - q[0] > 60:
                q.popleft()
            if len(q) >= self.per_minute:
                return False
            q.append(now)
            return True


def client_key(request: Request | None) -> str:
    if request is None or request.client is None:
        return "unknown"
    return request.client.host


class SecurityHeaders(BaseHTTPMiddleware):
    """Only our own origin and configured ones may frame the chat; no sniffing."""

    def __init__(self, app, allowed_origins: list[str]) -> None:
        super().__init__(app)
        ancestors = " ".join(["'self'", *allowed_origins])
        self.csp = f"frame-ancestors {ancestors}"

    async def dispatch(self, request: Request, call_next) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
