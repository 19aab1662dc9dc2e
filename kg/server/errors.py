"""Library errors and HTTP errors as plain-text responses: the one table of statuses."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from kg.errors import ForbiddenQueryError, KgError, NotFoundError, QueryError, QueryTimeoutError

__all__ = ["STATUS", "http_error", "kg_error", "note", "status_of"]

#: Library error -> HTTP status; the first matching class wins.
STATUS: tuple[tuple[type[KgError], int], ...] = (
    (ForbiddenQueryError, 403),
    (QueryTimeoutError, 503),
    (QueryError, 400),
    (NotFoundError, 404),
    (KgError, 500),
)


def status_of(exc: KgError) -> int:
    """The HTTP status of a library error."""
    return next(code for cls, code in STATUS if isinstance(exc, cls))


async def http_error(request: Request, exc: Exception) -> Response:
    """A Starlette HTTPException as one readable line."""
    assert isinstance(exc, HTTPException)
    note(request, str(exc.detail))
    return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code,
                             headers=exc.headers)


async def kg_error(request: Request, exc: Exception) -> Response:
    """A library error with its message (written for users) and its status."""
    assert isinstance(exc, KgError)
    note(request, type(exc).__name__)
    return PlainTextResponse(f"{exc}\n", status_code=status_of(exc))


def note(request: Request, text: str) -> None:
    """What the access log says about this request (never the query text)."""
    request.state.kg_note = text.splitlines()[0][:120] if text else ""
