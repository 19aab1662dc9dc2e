"""One log line per HTTP request (method, path, status, size, time), never the query text."""

from __future__ import annotations

import logging
import time
from typing import Any

__all__ = ["AccessLog"]

log = logging.getLogger("kg.server")


class AccessLog:
    """Pure ASGI middleware, so streamed bodies are measured without being buffered."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        size = 0

        async def capture(message: dict[str, Any]) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            client = scope.get("client") or ("-", 0)
            note = scope.get("state", {}).get("kg_note", "")
            log.info(
                '%s "%s %s" %d %dB %.1fms %s',
                client[0], scope["method"], scope["path"], status, size,
                (time.perf_counter() - start) * 1000, note,
            )
