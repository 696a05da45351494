"""Per-client rate limits for the page: login attempts and checks.

An ASGI middleware over Gradio's FastAPI app. The counting is the ``limits`` library's
moving-window limiter (in memory, per client address); this module only says which
requests count against which limit and answers 429 with a one-sentence reason and a
``Retry-After`` header when one is used up.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

# Requests that start a check: the page's own events go through the queue, API clients
# through call/run/api routes (Gradio mounts them with or without the /gradio_api prefix).
CHECK_PATHS = re.compile(r"^(/gradio_api)?/(queue/join|call/|run/|api/)")
LOGIN_PATHS = re.compile(r"^/login/?$")


@dataclass(frozen=True)
class RateLimits:
    """Requests allowed per client address and minute (0: no limit)."""

    checks_per_minute: int = 20
    logins_per_minute: int = 10


class RateLimitMiddleware:
    """Answers 429 once a client has used up its logins or checks for the minute."""

    def __init__(self, app: Callable[..., Awaitable[None]],
                 limits: RateLimits = RateLimits()) -> None:
        from limits import parse, storage, strategies

        self.app = app
        self._limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self._rules = [(pattern, parse(f"{per_minute}/minute"), what)
                       for pattern, per_minute, what in (
                           (LOGIN_PATHS, limits.logins_per_minute, "login attempts"),
                           (CHECK_PATHS, limits.checks_per_minute, "checks"))
                       if per_minute > 0]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("method") == "POST":
            path = scope.get("path", "")
            client = (scope.get("client") or ("unknown",))[0]
            for pattern, item, what in self._rules:
                if pattern.search(path) and not self._limiter.hit(item, what, client):
                    stats = self._limiter.get_window_stats(item, what, client)
                    wait = max(1, math.ceil(stats.reset_time - time.time()))
                    await _too_many(send, f"Too many {what} from your address: at most "
                                          f"{item.amount} a minute; try again in {wait} s.",
                                    wait)
                    return
        await self.app(scope, receive, send)


async def _too_many(send: Any, message: str, retry_after: int) -> None:
    body = json.dumps({"error": message, "detail": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": 429,
                "headers": [(b"content-type", b"application/json"),
                            (b"retry-after", str(retry_after).encode()),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
