"""``/ask``: a question answered by the engine, as the JSON of ``kg ask --json``."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kg.server.browse import answer_drawing
from kg.server.protocol import int_param, query_params
from kg.server.service import Service

__all__ = ["ask"]


async def ask(request: Request, service: Service) -> Response:
    """Answer ``q`` (with optional ``top_k`` and ``hops``) from graph facts only.

    ``draw=1`` adds ``drawing``, the answer's facts laid out for the app's page (see
    :func:`kg.server.browse.answer_drawing`); without it the JSON is ``kg ask --json``'s.
    While the endpoint's new data is being read (:mod:`kg.switching`), ``notice`` says the
    answer comes from the data read before.
    """
    params = query_params(request)
    questions = params.get("q", [])
    if len(questions) != 1 or not questions[0].strip():
        raise HTTPException(400, "pass one question as 'q', e.g. /ask?q=what+is+deep+learning")
    settings = service.workspace.settings
    top_k = int_param(params, "top_k", settings.top_k, 1, 50)
    hops = int_param(params, "hops", settings.hops, 1, 4)

    draw = (params.get("draw") or ["0"])[0] in ("1", "true", "yes")

    def answer() -> dict[str, Any]:
        with service.ask_lock:  # the engine is built once and is not known to be thread-safe
            changing = service.workspace.changing
            engine = service.workspace.engine
            out = engine.ask(questions[0], top_k=top_k, hops=hops).to_dict()
        if changing:  # answered from the data read before the endpoint's data changed
            out["notice"] = changing
        if draw:  # the app's page: the drawing in the same round trip
            out["drawing"] = answer_drawing(service, out, service.lang(params))
        return out

    return JSONResponse(await run_in_threadpool(answer))
