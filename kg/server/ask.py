"""``/ask``: a question answered by the engine, as the JSON of ``kg ask --json``."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kg.server.protocol import int_param, query_params
from kg.server.service import Service

__all__ = ["ask"]


async def ask(request: Request, service: Service) -> Response:
    """Answer ``q`` (with optional ``top_k`` and ``hops``) from graph facts only."""
    params = query_params(request)
    questions = params.get("q", [])
    if len(questions) != 1 or not questions[0].strip():
        raise HTTPException(400, "pass one question as 'q', e.g. /ask?q=what+is+deep+learning")
    settings = service.workspace.settings
    top_k = int_param(params, "top_k", settings.top_k, 1, 50)
    hops = int_param(params, "hops", settings.hops, 1, 4)

    def answer() -> dict[str, Any]:
        with service.ask_lock:  # the engine is built once and is not known to be thread-safe
            engine = service.workspace.engine
            return engine.ask(questions[0], top_k=top_k, hops=hops).to_dict()

    return JSONResponse(await run_in_threadpool(answer))
