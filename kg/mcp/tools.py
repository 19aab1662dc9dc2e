"""What the MCP tools do, independent of the protocol: plain methods over one workspace.

Every method is read-only by construction: the question engine, the concept resolver and
the graph view only read, and SPARQL goes through :class:`kg.sparql.runner.QueryRunner`,
which refuses updates, SERVICE and remote FROM, stops queries at a deadline and caps rows.
Failures are raised as :class:`kg.errors.KgError` with a message an agent can act on;
:mod:`kg.mcp.server` turns them into tool errors. Outputs are capped in size here, with a
``truncated`` flag whenever something was left out.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rdflib import BNode

from kg.errors import ConfigError, KgError, QueryError
from kg.qa.screen import MAX_QUESTION_CHARS
from kg.workspace import Workspace

__all__ = ["GraphTools", "ToolLimits"]

MAX_QUERY_CHARS = 64 * 1024
MAX_FACTS = 40
MAX_LIST = 200
MAX_TEXT = 4000


@dataclass(frozen=True)
class ToolLimits:
    """Bounds the server applies whatever the arguments ask for."""

    timeout: float = 10.0  # seconds a SPARQL query may run
    max_rows: int = 1000  # rows or triples per SPARQL result
    workers: int = 2  # SPARQL worker processes (a runaway query holds only one)
    max_output_chars: int = 200_000  # JSON size of one SPARQL result, roughly
    engine_wait: float = 30.0  # seconds a question waits for the engine being prepared


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _need(text: str, what: str, example: str) -> str:
    """The stripped text, or a ConfigError telling the agent what to pass."""
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(f"{what} is empty; pass one, e.g. {example}.")
    return text.strip()


def _term(node: Any) -> str | None:
    """An RDF term as a plain string: IRI, literal text, or _:blank."""
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)  # an IRI, or a literal's text


def _sources(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Distinct sources in first-cited order: the numbering of the answer text."""
    found: dict[str, dict[str, Any]] = {}
    for fact in facts:
        iris = list(fact.get("source_iris") or [])
        titles = str(fact.get("source") or "").split("; ") if fact.get("source") else []
        if len(titles) != len(iris):
            titles = [fact.get("source") or iri for iri in iris]
        for iri, title in zip(iris, titles, strict=True):
            found.setdefault(iri, {"title": title, "iri": iri})
        if not iris and titles:
            for title in titles:
                found.setdefault(title, {"title": title, "iri": None})
    return list(found.values())


class GraphTools:
    """The tools' behaviour over one workspace; thread-safe (tools run in worker threads)."""

    def __init__(self, workspace: Workspace, limits: ToolLimits | None = None) -> None:
        self.workspace = workspace
        self.limits = limits or ToolLimits()
        self._engine_lock = threading.Lock()  # the engine is not known to be thread-safe
        self._summary_lock = threading.Lock()
        self._summary: dict[str, Any] | None = None
        self._schema: dict[str, Any] | None = None
        self._runner = None
        self._building: tuple[int, int] | None = None  # index build progress while warming
        workspace.switched.append(self._forget)  # an endpoint's new data (kg.switching)

    def _forget(self) -> None:
        """Drop the summaries of the data read before (the workspace switched)."""
        with self._summary_lock:
            self._summary = self._schema = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Load the graph and fork the SPARQL workers (before any thread holds a lock)."""
        self._runner = self.workspace.query_runner(workers=self.limits.workers,
                                                   timeout=self.limits.timeout,
                                                   max_rows=self.limits.max_rows)

    def warm(self, progress: Callable[[int, int], None] | None = None,
             notify: Callable[[str], None] | None = None) -> None:
        """Build the question engine now, so the first question is answered warm.

        ``progress(done, total)`` and ``notify(message)`` report an index build.
        """
        def track(done: int, total: int) -> None:
            self._building = (done, total)
            if progress is not None:
                progress(done, total)

        with self._engine_lock:
            try:
                self.workspace.get_engine(track, notify)
            finally:
                self._building = None

    @contextmanager
    def _engine(self) -> Iterator[Any]:
        """The engine, held for one call; an actionable error while it is being prepared."""
        if not self._engine_lock.acquire(timeout=self.limits.engine_wait):
            building = self._building
            doing = (f"embedding the graph: {building[0]:,} of {building[1]:,} documents"
                     if building else "loading the embedding model and index")
            raise KgError(
                f"the question engine is still being prepared ({doing}); try again in a "
                "minute. get_concept, get_hierarchy, sparql_query and graph_summary work "
                "meanwhile."
            )
        try:
            yield self.workspace.engine
        finally:
            self._engine_lock.release()

    def close(self) -> None:
        """Stop the SPARQL workers."""
        if self._runner is not None:
            self._runner.close()
            self._runner = None

    @property
    def runner(self):
        if self._runner is None:
            self.start()
        return self._runner

    @property
    def prefixes(self) -> dict[str, str]:
        """Prefixes every query may use without declaring them."""
        return dict(self.runner.namespaces)

    # ---------------------------------------------------------------- questions
    def ask(self, question: str) -> dict[str, Any]:
        """A cited answer composed from graph facts, or an abstention."""
        text = _need(question, "the question", '"what is X?" or "how does X relate to Y?"')
        if len(text) > MAX_QUESTION_CHARS:
            raise ConfigError(f"the question has {len(text)} characters; ask it in at most "
                              f"{MAX_QUESTION_CHARS}.")
        s = self.workspace.settings
        changing = self.workspace.changing
        with self._engine() as engine:
            answer = engine.ask(text, top_k=s.top_k, hops=s.hops)
        data = answer.to_dict()
        notice = {"notice": changing} if changing else {}
        spoken = [f for f in data.get("facts", []) if f.get("spoken", True)]
        facts = _spoken_triples(data)
        sources = data.get("sources")
        if not isinstance(sources, list) or not all(isinstance(x, dict) for x in sources):
            sources = _sources(spoken)
        return {
            "question": data.get("question", text),
            "answer": _clip(str(data.get("answer", "")), 20_000),
            "abstained": bool(data.get("abstained")),
            "confidence": float(data.get("confidence", 0.0)),
            "reason": str(data.get("reason", "")),
            "facts": [_fact(f) for f in facts[:MAX_FACTS]],
            "sources": [{"title": x.get("title") or x.get("label") or "", "iri": x.get("iri")}
                        for x in sources[:MAX_FACTS]],
            "entities": [_ref(e) for e in data.get("entities", [])[:20]],
            "suggestions": [_ref(e) for e in data.get("suggestions", [])[:10]],
            "sparql": _clip(str(data.get("sparql", "")), 20_000),
            "truncated": len(facts) > MAX_FACTS,
            **notice,  # the endpoint's data changed: this answer is from the data read before
        }

    def search_concepts(self, text: str, limit: int = 10) -> dict[str, Any]:
        """Nodes whose names or meaning are closest to ``text``."""
        from kg.qa.search import search

        query = _need(text, "the search text", '"image generation"')
        with self._engine() as engine:
            hits = search(engine, _clip(query, MAX_QUESTION_CHARS), max(1, min(limit, 50)))
        view = self.workspace.view
        return {
            "query": query,
            "hits": [
                {
                    "iri": iri,
                    "label": label,
                    "score": round(float(score), 4),
                    "is_concept": view.is_concept(iri),
                    "definition": _clip(str(view.node(iri).get("description", "")), 300),
                }
                for iri, label, score in hits
            ],
        }

    def find_path(self, source: str, target: str, max_paths: int = 3) -> dict[str, Any]:
        """Shortest paths between two concepts and the facts along them."""
        from kg.qa.search import connect
        from kg.view.concepts import resolve

        a = _need(source, "source", '"a label" or a full IRI')
        b = _need(target, "target", '"a label" or a full IRI')
        view, names = self.workspace.view, self.workspace.names
        a_iri, b_iri = resolve(names, a, self.prefixes), resolve(names, b, self.prefixes)
        with self._engine() as engine:
            found = connect(engine, a_iri, b_iri, max(1, min(max_paths, 5)))
        paths = []
        for conn in found:
            data = conn.to_dict()
            paths.append({"nodes": data["nodes"],
                          "facts": [_fact(f) for f in data["facts"][:MAX_FACTS]]})
        return {"source": {"iri": a_iri, "label": view.label(a_iri)},
                "target": {"iri": b_iri, "label": view.label(b_iri)},
                "paths": paths}

    # ----------------------------------------------------------------- concepts
    def _resolve(self, concept: str) -> str:
        from kg.view.concepts import resolve

        text = _need(concept, "the concept", '"a label", prefix:LocalName or a full IRI')
        return resolve(self.workspace.names, text, self.prefixes)

    def get_concept(self, concept: str) -> dict[str, Any]:
        """The concept card: labels, types, definition, hierarchy, relations, data, sources."""
        from kg.view.concepts import describe

        iri = self._resolve(concept)
        card = describe(self.workspace.view, self.workspace.graph, iri).to_dict()
        truncated = False
        for key in ("alt_labels", "broader_chains", "broader", "narrower", "relations_out",
                    "relations_in", "figures", "attributes", "sources"):
            items = card.get(key) or []
            truncated = truncated or len(items) > MAX_LIST
            card[key] = items[:MAX_LIST]
        card["definition"] = _clip(str(card.get("definition") or ""))
        card["truncated"] = truncated
        return card

    def get_hierarchy(self, concept: str, max_up: int = 10, max_down: int = 2,
                      max_nodes: int = 100) -> dict[str, Any]:
        """Broader chains up from the concept and descendants down from it, bounded."""
        view = self.workspace.view
        iri = self._resolve(concept)
        max_up, max_down = max(0, min(max_up, 50)), max(0, min(max_down, 10))
        max_nodes = max(1, min(max_nodes, 1000))
        truncated = False
        chains = []
        for chain in view.ancestors(iri)[:20] if max_up else []:
            if any(n.startswith("_:") for n in chain):
                continue
            up = chain[1:]
            truncated = truncated or len(up) > max_up
            chains.append([{"iri": n, "label": view.label(n)} for n in up[:max_up]])
        descendants: list[dict[str, Any]] = []
        seen = {iri}
        todo: deque[tuple[str, int]] = deque([(iri, 0)])
        while todo and max_down:
            node, depth = todo.popleft()
            for child in view.narrower(node):
                if child in seen:
                    continue
                if len(descendants) >= max_nodes:
                    truncated = True
                    todo.clear()
                    break
                seen.add(child)
                below = view.narrower(child)
                descendants.append({"iri": child, "label": view.label(child),
                                    "depth": depth + 1, "parent": node,
                                    "narrower_count": len(below)})
                if depth + 1 < max_down:
                    todo.append((child, depth + 1))
        return {"concept": {"iri": iri, "label": view.label(iri)}, "broader_chains": chains,
                "descendants": descendants, "truncated": truncated}

    # ------------------------------------------------------------------- SPARQL
    def sparql_query(self, query: str, max_rows: int = 100,
                     timeout_seconds: float | None = None) -> dict[str, Any]:
        """Run a read-only query; rows capped with ``truncated`` set, deadline enforced."""
        text = _need(query, "the query", '"SELECT ?s WHERE { ?s a skos:Concept } LIMIT 10"')
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(f"the query has {len(text)} characters; the limit is "
                             f"{MAX_QUERY_CHARS}.")
        cap = max(1, min(max_rows, self.limits.max_rows))
        timeout = self.limits.timeout
        if timeout_seconds is not None and 0 < timeout_seconds < timeout:
            timeout = timeout_seconds
        result = self.runner.run(text, timeout=timeout, max_rows=cap)
        out: dict[str, Any] = {"kind": result.kind, "vars": list(result.vars), "rows": [],
                               "boolean": result.boolean, "triples": [], "count": 0,
                               "truncated": bool(result.truncated),
                               "elapsed_ms": round(result.elapsed * 1000, 2)}
        budget = self.limits.max_output_chars
        if result.graph is not None:
            for s, p, o in sorted(result.graph):
                item = {"subject": _term(s), "predicate": _term(p), "object": _term(o)}
                budget -= sum(len(v or "") + 8 for v in item.values())
                if budget < 0:
                    out["truncated"] = True
                    break
                out["triples"].append(item)
            out["count"] = len(out["triples"])
        elif result.kind == "SELECT":
            for row in result.rows:
                item = {v: _term(t) for v, t in zip(result.vars, row, strict=False)}
                budget -= sum(len(v) + len(t or "") + 8 for v, t in item.items())
                if budget < 0:
                    out["truncated"] = True
                    break
                out["rows"].append(item)
            out["count"] = len(out["rows"])
        return out

    # ------------------------------------------------------------------ summary
    def graph_summary(self) -> dict[str, Any]:
        """Size, schemes, top concepts, classes, properties and prefixes (computed once)."""
        from kg.mcp.summary import graph_summary

        with self._summary_lock:
            if self._summary is None:
                self._summary = graph_summary(self.workspace.view, self.workspace.graph,
                                              self.prefixes)
            return self._summary

    def schema(self) -> dict[str, Any]:
        """Classes and properties in use, with labels, domains and ranges (computed once)."""
        from kg.mcp.summary import schema

        with self._summary_lock:
            if self._schema is None:
                self._schema = schema(self.workspace.view, self.workspace.graph)
            return self._schema

    def examples(self) -> list[dict[str, str]]:
        """Example SPARQL queries that run on this graph."""
        from kg.mcp.summary import example_queries

        return example_queries(self.graph_summary())


def _spoken_triples(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per graph triple the answer text states, each with its own source.

    A sentence that groups several triples is listed once per triple, each entry carrying
    the sentence it is said in.
    """
    out: list[dict[str, Any]] = []
    for d in data.get("facts", []):
        if not d.get("spoken", True):
            continue
        for triple in d.get("triples") or [d]:
            if not triple.get("predicate"):
                continue  # a verdict ("the graph records no ...") states no triple
            out.append({**_fact({**d, **triple}), "text": _clip(str(d.get("text", "")))})
    return out


def _fact(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "subject": str(f.get("subject", "")),
        "predicate": str(f.get("predicate", "")),
        "object": _clip(str(f.get("object", ""))),
        "text": _clip(str(f.get("text", ""))),
        "source": str(f.get("source", "")),
        "source_iris": [str(x) for x in f.get("source_iris", [])],
    }


def _ref(e: dict[str, Any]) -> dict[str, str]:
    return {"iri": str(e.get("iri", "")), "label": str(e.get("label", ""))}
