"""The MCP face of the graph: tools, resources and a prompt on the official SDK's MCPServer.

Each tool is a thin wrapper over :class:`kg.mcp.tools.GraphTools`: it declares its
arguments (with bounds) and its output model, so clients see JSON schemas for both, and it
turns library errors into tool errors whose text tells the agent what to do next. No tool
writes: there is no update tool to hide, and SPARQL runs in the hardened runner.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field

from kg.errors import KgError
from kg.mcp.models import (
    AskResult,
    ConceptCardResult,
    GraphSummary,
    HierarchyResult,
    PathResult,
    SearchResult,
    SparqlOut,
)
from kg.mcp.tools import GraphTools
from kg.net import is_loopback

__all__ = ["INSTRUCTIONS", "build_server", "serve"]

log = logging.getLogger("kg.mcp")

M = TypeVar("M", bound=BaseModel)

INSTRUCTIONS = """\
A knowledge graph, queried offline and without a language model. Answers come only from
graph facts, each with its source; when the graph lacks the answer, `ask` abstains
(abstained=true) and names the nearest concepts instead of guessing.

Start with `graph_summary` to see what the graph holds. Use `ask` for a question in plain
words and quote its sources; `search_concepts` to find the IRI of something named loosely;
`get_concept` for everything about one concept; `get_hierarchy` for what is above and
below it; `find_path` for how two concepts connect; `sparql_query` for exact lists, counts
and filters (read-only; the resources kg://graph/schema and kg://sparql/examples help).
Nothing here can change the graph or reach the network.
"""

_READ_ONLY = {"readOnlyHint": True, "destructiveHint": False, "idempotentHint": True,
              "openWorldHint": False}

Concept = Annotated[str, Field(
    description="The concept: its label or an alternative label (case, hyphens and plurals "
    "do not matter), a prefixed name such as skos:Concept, or a full IRI.",
    max_length=2000,
)]


def _call(model: type[M], fn: Callable[..., dict[str, Any]], *args: Any) -> M:
    """Run one tool body; library errors become tool errors with their own message."""
    from mcp.server.mcpserver.exceptions import ToolError

    try:
        return model.model_validate(fn(*args))
    except KgError as exc:
        raise ToolError(str(exc)) from None
    except RecursionError:
        raise ToolError("the input nests too deeply to process; simplify it.") from None
    except MemoryError:
        raise ToolError("the request needed more memory than the server may use; "
                        "narrow it.") from None


def build_server(tools: GraphTools, name: str = "kg"):
    """An MCPServer exposing ``tools``; read-only whatever the arguments."""
    from mcp.server.mcpserver import MCPServer
    from mcp.types import ToolAnnotations

    server = MCPServer(name, instructions=INSTRUCTIONS, log_level="WARNING")
    hints = ToolAnnotations(**_READ_ONLY)

    @server.tool(annotations=hints, title="Ask the graph")
    def ask(
        question: Annotated[str, Field(description="A question in plain words, e.g. "
                                       '"what is X?", "is X a kind of Y?", "how does X '
                                       'relate to Y?".', max_length=2000)],
    ) -> AskResult:
        """Answer a question from the graph's facts alone, citing the source of every sentence.

        Use this first for questions in plain language. The answer is composed from graph
        triples (listed in `facts`, with subject, predicate, object and source), never
        generated. When `abstained` is true the graph does not hold the answer: say so
        rather than guessing, and look at `suggestions` or use sparql_query."""
        return _call(AskResult, tools.ask, question)

    @server.tool(annotations=hints, title="Search concepts")
    def search_concepts(
        text: Annotated[str, Field(description="Words naming or describing what you look "
                                   "for.", max_length=2000)],
        limit: Annotated[int, Field(ge=1, le=50, description="How many hits.")] = 10,
    ) -> SearchResult:
        """Find graph nodes by name or meaning, best first, with IRIs and short definitions.

        Use it to turn a loose name into the exact IRI other tools take, or to see what the
        graph holds about a topic. Names found in the text come first (score 1.0), then
        nodes close in meaning (cosine similarity of embeddings)."""
        return _call(SearchResult, tools.search_concepts, text, limit)

    @server.tool(annotations=hints, title="Get a concept")
    def get_concept(concept: Concept) -> ConceptCardResult:
        """Everything the graph says about one concept: labels, types, definition, broader
        chains, narrower concepts, relations both ways, attached data and sources.

        Use it when you know which concept you mean. An unknown name gives an error that
        suggests close names; search_concepts finds candidates."""
        return _call(ConceptCardResult, tools.get_concept, concept)

    @server.tool(annotations=hints, title="Get the hierarchy around a concept")
    def get_hierarchy(
        concept: Concept,
        max_up: Annotated[int, Field(ge=0, le=50, description="Broader steps to follow "
                                     "up from the concept.")] = 10,
        max_down: Annotated[int, Field(ge=0, le=10, description="Levels of narrower "
                                       "concepts to list below it.")] = 2,
        max_nodes: Annotated[int, Field(ge=1, le=1000, description="Most descendants to "
                                        "list.")] = 100,
    ) -> HierarchyResult:
        """The concept's ancestors (every broader chain up to a top concept) and its
        descendants (breadth first), both bounded.

        Use it for "what kind of thing is X" and "what falls under X". `truncated` says a
        bound was hit; each descendant's `narrower_count` says whether there is more below."""
        return _call(HierarchyResult, tools.get_hierarchy, concept, max_up, max_down,
                     max_nodes)

    @server.tool(annotations=hints, title="Find how two concepts connect")
    def find_path(
        source: Concept,
        target: Concept,
        max_paths: Annotated[int, Field(ge=1, le=5, description="Most shortest paths to "
                                        "return.")] = 3,
    ) -> PathResult:
        """The shortest paths between two concepts in the graph (edges in either direction),
        with the fact and source behind every step.

        Use it for "how is X related to Y". Unconnected concepts give an error saying so."""
        return _call(PathResult, tools.find_path, source, target, max_paths)

    @server.tool(annotations=hints, title="Run a read-only SPARQL query")
    def sparql_query(
        query: Annotated[str, Field(description="A SPARQL 1.1 SELECT, ASK, CONSTRUCT or "
                                    "DESCRIBE query. Prefixes listed by graph_summary are "
                                    "predeclared.", max_length=65536)],
        max_rows: Annotated[int, Field(ge=1, le=1000, description="Most rows (or triples) "
                                       "to return; `truncated` is set when more matched."
                                       )] = 100,
        timeout_seconds: Annotated[float | None, Field(gt=0, description="Stop the query "
                                                       "sooner than the server's limit."
                                                       )] = None,
    ) -> SparqlOut:
        """Run a read-only SPARQL query on the graph: exact lists, counts, filters, joins.

        Updates (INSERT, DELETE, LOAD, CLEAR, DROP, ...), SERVICE and FROM of anything but
        this graph are refused; a query is stopped at the server's time limit. See the
        resources kg://graph/schema for classes and properties and kg://sparql/examples."""
        return _call(SparqlOut, tools.sparql_query, query, max_rows, timeout_seconds)

    @server.tool(annotations=hints, title="Summarise the graph")
    def graph_summary() -> GraphSummary:
        """What the graph holds: triple and concept counts, concept schemes, top concepts,
        the most used classes and properties, and the prefixes sparql_query accepts.

        Call it first to plan questions and queries."""
        return _call(GraphSummary, tools.graph_summary)

    @server.resource("kg://graph/schema", name="schema", mime_type="application/json",
                     description="Classes and properties the graph uses, with labels, "
                     "counts, domains and ranges: what to write SPARQL against.")
    def schema_resource() -> str:
        return _json(tools.schema)

    @server.resource("kg://sparql/examples", name="sparql-examples",
                     mime_type="application/json",
                     description="SPARQL queries that run on this graph, to adapt.")
    def examples_resource() -> str:
        return _json(tools.examples)

    @server.resource("kg://graph/summary", name="summary", mime_type="application/json",
                     description="The graph_summary tool's output, as a resource.")
    def summary_resource() -> str:
        return _json(tools.graph_summary)

    @server.prompt(title="Answer from the graph with citations")
    def answer_with_citations(
        question: Annotated[str, Field(description="The question to answer.")],
    ) -> str:
        """Answer a question using only the graph, quoting its sources."""
        return (
            f"Answer this question using only the knowledge graph: {question}\n\n"
            "Call the `ask` tool first. If it abstains, say the graph does not hold the "
            "answer and name the nearest concepts it suggests; do not answer from memory. "
            "Otherwise give the answer with its numbered sources. For lists or counts the "
            "answer does not cover, use `sparql_query`."
        )

    return server


def _json(fn: Callable[[], Any]) -> str:
    """A resource body: the JSON of ``fn()``; library errors become resource errors."""
    from mcp.server.mcpserver.exceptions import ResourceError

    try:
        return json.dumps(fn(), ensure_ascii=False, indent=1)
    except KgError as exc:
        raise ResourceError(str(exc)) from None


def serve(tools: GraphTools, *, http: bool = False, host: str = "127.0.0.1",
          port: int = 7879, preload: bool = True,
          progress: Callable[[int, int], None] | None = None,
          notify: Callable[[str], None] | None = None) -> None:
    """Serve ``tools`` over stdio (default) or streamable HTTP until the client leaves.

    The SPARQL workers are forked first, then the question engine is built in the
    background (``progress``/``notify`` report an index build and readiness) so the first
    question does not wait for the model to load.
    """
    tools.start()
    server = build_server(tools)
    if http and not is_loopback(host):
        log.warning("binding %s: the MCP server is reachable from the network.", host)
    if preload:
        threading.Thread(target=_warm, args=(tools, progress, notify), name="kg-mcp-warm",
                         daemon=True).start()
    try:
        if http:
            server.run("streamable-http", host=host, port=port)
        else:
            server.run("stdio")
    finally:
        tools.close()


def _warm(tools: GraphTools, progress: Callable[[int, int], None] | None,
          notify: Callable[[str], None] | None) -> None:
    try:
        tools.warm(progress, notify)
    except Exception as exc:  # noqa: BLE001 - the first `ask` reports it as a tool error
        log.warning("the question engine could not be prepared yet: %s", exc)
        return
    if notify is not None:
        notify("kg mcp: the question engine is ready.")
