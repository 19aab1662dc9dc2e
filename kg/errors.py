"""The one exception hierarchy of the library.

Every error the library raises on purpose is a ``KgError``; its message says what
went wrong and what to do about it, so the CLI and the server can show it as is::

    KgError
    ├── ConfigError        a setting or option has a bad value
    ├── GraphLoadError     an RDF input could not be read (file, line, how to fix)
    │   └── UnsafeInputError   the input was refused for safety (entities, remote contexts, size)
    ├── NotFoundError      a concept, file or index the user named does not exist
    ├── QueryError         a SPARQL query is malformed, forbidden, too slow or too big
    │   ├── ForbiddenQueryError  updates, SERVICE, remote FROM/LOAD
    │   └── QueryTimeoutError    the query ran past its time limit
    ├── IndexError_        the embedding index cannot be built or read
    └── ModelError         the embedding model cannot be loaded
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ConfigError",
    "ForbiddenQueryError",
    "GraphLoadError",
    "IndexError_",
    "KgError",
    "ModelError",
    "NotFoundError",
    "QueryError",
    "QueryTimeoutError",
    "UnsafeInputError",
]


class KgError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code: int = 1


class ConfigError(KgError):
    """A setting, option or environment variable has a value we cannot use."""

    exit_code = 2


class GraphLoadError(KgError):
    """An RDF input could not be parsed; names the file and, when known, the line."""

    exit_code = 2

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.detail = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class UnsafeInputError(GraphLoadError):
    """The input was refused before parsing because reading it would be unsafe."""


class NotFoundError(KgError):
    """Something the user named (a concept, a file, an index) does not exist."""


class QueryError(KgError):
    """A SPARQL query could not be run; the message says why."""

    exit_code = 2


class ForbiddenQueryError(QueryError):
    """The query would change data or reach the network, which this tool never does."""


class QueryTimeoutError(QueryError):
    """The query ran longer than its wall-clock limit and was stopped."""


class IndexError_(KgError):  # noqa: N801 - trailing underscore avoids shadowing the builtin
    """The embedding index could not be built, written or read."""


class ModelError(KgError):
    """The embedding model could not be loaded from the installed package."""
