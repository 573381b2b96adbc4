"""Questions are checked when they join Gradio's queue, not when they finally run.

A job that waits in the queue already costs every other user time, so the cheap
checks — the length rule and a per-client budget of queued questions — are
applied to `queue/join`, `call/*` and `run/*` requests that carry a question,
before Gradio sees them. Everything else passes through untouched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from rag.messages import lang_from_header, msg
from rag.query import clean_text, language, too_long
from ui.gate import Receive, Scope, Send, headers_of, reply
from ui.security import RateLimiter

JOIN = re.compile(r"^(?P<mount>/widget)?/gradio_api/(?:queue/join|(?:call|run|api)/(?:v2/)?(?P<api>[\w-]+))/?$")
# Each question joins once from the chat (and again when it runs): a client may queue this many
# times its per-minute answer budget before joins are refused outright.
JOIN_BURST = 2


class QueueGuard:
    def __init__(self, app, *, costly: Callable[[str], set[int]], api_arity: dict[str, tuple[int, int]],
                 max_chars: int, limiter: RateLimiter) -> None:
        self.app = app
        self.costly = costly  # mount path -> fn indices of events that answer a question
        self.api_arity = api_arity  # named endpoints -> (fewest, most) arguments
        self.max_chars = max_chars
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        m = JOIN.match(scope.get("path", "")) if scope["type"] == "http" and scope.get("method") == "POST" else None
        if m is None:
            return await self.app(scope, receive, send)
        body, more = b"", True
        while more:  # already capped by the Gate in front of us
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        lang = lang_from_header(headers_of(scope).get("accept-language"))
        api = m.group("api")
        if api is not None and api not in self.api_arity:
            return await reply(send, 404, {"code": "not_found", "detail": msg("not_found", lang)})
        question = self._question(body, m.group("mount") or "", api)
        if api is not None and question is None:
            return await reply(send, 422, {"code": "invalid_request", "detail": msg(
                "invalid_request", lang, problems=f"data: {self.api_arity[api][0]}–{self.api_arity[api][1]} strings")})
        if question is not None:
            if too_long(question, self.max_chars):  # Gradio's own validation format: its clients show it
                lang = language(clean_text(question[:200]))[1]
                text = msg("too_long", lang, n=len(question), limit=self.max_chars)
                return await reply(send, 422, {"code": "too_long", "detail": [
                    {"__type__": "validate", "is_valid": False, "message": text, "parameter_name": "message"}]})
            key = (scope.get("client") or ("unknown", 0))[0]
            if not self.limiter.allow(key):
                return await reply(send, 429, {"code": "busy", "detail": msg("busy", lang)},
                                   [(b"retry-after", str(self.limiter.retry_after(key)).encode())])
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _question(self, body: bytes, mount: str, api: str | None) -> str | None:
        """The question a join carries, or None when it is not a question-answering event."""
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            return None  # Gradio answers malformed bodies itself
        if not isinstance(payload, dict):
            return None
        data = payload.get("data")
        if api is not None:  # a named endpoint: its arguments must fit, or Gradio answers 500
            fewest, most = self.api_arity[api]
            if not (isinstance(data, list) and fewest <= len(data) <= most and all(isinstance(x, str) for x in data)):
                return None
            return data[0]
        if payload.get("fn_index") not in self.costly(mount):
            return None
        first = data[0] if isinstance(data, list) and data else ""
        return first if isinstance(first, str) else ""
