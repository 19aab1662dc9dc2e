"""Explicit settings: built by :meth:`Settings.from_env` (the CLI calls it), never at import.

Precedence is: command-line flag, then ``KG_*`` environment variable, then default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from kg.errors import ConfigError

__all__ = ["STORES", "Settings", "default_cache_dir"]

APP_NAME = "kg-aitax"
#: Where the RDF of a graph can be held: rdflib's memory store or an on-disk Oxigraph store.
#: Here, not in kg.rdf, because settings are a base module every layer reads.
STORES = ("memory", "oxigraph")


def default_cache_dir() -> Path:
    """The per-user cache directory (platform convention), e.g. ``~/.cache/kg-aitax``."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME))


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} is too small; use at least {minimum}.")
    return value


def _float(env: Mapping[str, str], name: str, default: float, zero: bool = False) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number.") from None
    if value < 0 or (value == 0 and not zero):
        raise ConfigError(f"{name}={value} must be greater than zero"
                          f"{' or zero' if zero else ''}.")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw not in choices:
        raise ConfigError(f"{name}={raw!r} is not one of: {', '.join(choices)}.")
    return raw


def _lang(raw: str, name: str) -> str:
    """A BCP 47 language tag such as ``en`` or ``pt-BR``, lower-cased."""
    tag = raw.strip().lower()
    if not re.fullmatch(r"[a-z]{2,8}(-[a-z0-9]{1,8})*", tag):
        raise ConfigError(f"{name}={raw!r} is not a language tag; use one such as en, fr or pt-br.")
    return tag


@dataclass(frozen=True)
class Settings:
    """Everything that can be configured, with its default."""

    graph_paths: tuple[Path, ...] = ()
    cache_dir: Path | None = None
    max_graph_bytes: int = 1 << 30
    query_timeout: float = 30.0
    max_rows: int = 10_000
    top_k: int = 5
    hops: int = 2
    store: str = "memory"
    sparql_endpoint: str | None = None
    #: extra HTTP headers for the endpoint ("Name: value"), e.g. an Authorization token
    sparql_headers: tuple[str, ...] = ()
    #: seconds an endpoint's remembered triple count is trusted before it is counted again,
    #: after the command (kg.rdf.recount); 0 counts before every command
    sparql_recheck: float = 600.0
    snapshot: bool = True
    lang: str = "en"  # language of shown labels and definitions (then untagged, then any)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``KG_*`` variables, then apply non-None ``overrides``."""
        env = os.environ if env is None else env
        cache = env.get("KG_CACHE_DIR")
        graphs = tuple(Path(p) for p in env.get("KG_GRAPH", "").split(os.pathsep) if p)
        base = cls(
            graph_paths=graphs,
            cache_dir=Path(cache) if cache else None,
            max_graph_bytes=_int(env, "KG_MAX_GRAPH_BYTES", cls.max_graph_bytes),
            query_timeout=_float(env, "KG_QUERY_TIMEOUT", cls.query_timeout),
            max_rows=_int(env, "KG_MAX_ROWS", cls.max_rows),
            store=_choice(env, "KG_STORE", cls.store, STORES),
            sparql_endpoint=env.get("KG_SPARQL_ENDPOINT") or None,
            sparql_headers=tuple(h for h in env.get("KG_SPARQL_HEADERS", "").splitlines()
                                 if h.strip()),
            sparql_recheck=_float(env, "KG_SPARQL_RECHECK", cls.sparql_recheck, zero=True),
            snapshot=env.get("KG_SNAPSHOT", "1").strip().lower() not in ("0", "false", "no"),
            lang=_lang(env.get("KG_LANG") or cls.lang, "KG_LANG"),
        )
        clean = {k: v for k, v in overrides.items() if v is not None and v != ()}
        if "graph_paths" in clean:
            clean["graph_paths"] = tuple(Path(p) for p in clean["graph_paths"])  # type: ignore[union-attr]
        if "sparql_headers" in clean:  # the option's headers come after the environment's
            clean["sparql_headers"] = base.sparql_headers + tuple(clean["sparql_headers"])  # type: ignore[arg-type]
        if "cache_dir" in clean:
            clean["cache_dir"] = Path(clean["cache_dir"])  # type: ignore[arg-type]
        if "lang" in clean:
            clean["lang"] = _lang(str(clean["lang"]), "--lang")
        if "store" in clean and clean["store"] not in STORES:
            raise ConfigError(
                f"unknown store {clean['store']!r}; choose one of: {', '.join(STORES)}."
            )
        return replace(base, **clean)  # type: ignore[arg-type]

    def resolved_cache_dir(self) -> Path:
        """The cache directory to use: the configured one or the user default."""
        return self.cache_dir if self.cache_dir is not None else default_cache_dir()
