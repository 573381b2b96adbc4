"""Public-widget safety: who may embed us, how often a client may ask, no leaks."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response


WINDOW = 60.0  # seconds
MAX_CLIENTS = 10_000  # distinct keys remembered; idle ones are dropped first, so memory stays bounded


class RateLimiter:
    """Sliding one-minute window per client key (IP address)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if key not in self._hits and len(self._hits) >= MAX_CLIENTS:
                self._evict(now)
            q = self._hits[key]
            while q and now - q[0] > WINDOW:
                q.popleft()
            if len(q) >= self.per_minute:
                return False
            q.append(now)
            return True

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` may ask again (for the Retry-After header)."""
        with self._lock:
            q = self._hits.get(key)
            return max(1, int(WINDOW - (time.monotonic() - q[0])) + 1) if q else 1

    def _evict(self, now: float) -> None:
        idle = [k for k, q in self._hits.items() if not q or now - q[-1] > WINDOW]
        for k in idle:
            del self._hits[k]
        while len(self._hits) >= MAX_CLIENTS:  # all busy: forget the least recently seen
            del self._hits[min(self._hits, key=lambda k: self._hits[k][-1] if self._hits[k] else 0.0)]

    def __len__(self) -> int:
        return len(self._hits)


def client_key(request: Request | None) -> str:
    """The peer address uvicorn reports. X-Forwarded-For counts only when the server is told
    to trust a proxy (POLICY_RAG_TRUST_PROXY), never by default: clients cannot pick a key."""
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
