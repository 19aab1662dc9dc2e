"""The shapes of what the MCP tools return: pydantic models, so every tool publishes a schema.

An agent reads the output schema before it calls a tool; the field descriptions here are
what it learns about each value. Every list is capped by the tool that fills it, and a
``truncated`` flag says when something was left out.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = [
    "AskResult",
    "ConceptCardResult",
    "ConceptRef",
    "FactOut",
    "GraphSummary",
    "HierarchyNode",
    "HierarchyResult",
    "PathOut",
    "PathResult",
    "RelationOut",
    "SearchHit",
    "SearchResult",
    "SourceOut",
    "SparqlOut",
    "TripleOut",
]


class ConceptRef(BaseModel):
    """A node named by IRI and label."""

    iri: str = Field(description="The node's IRI; pass it to other tools to be exact.")
    label: str = Field(description="Its readable label.")


class SourceOut(BaseModel):
    """Where a fact comes from."""

    title: str = Field(description="Title of the source (e.g. a document section).")
    iri: str | None = Field(None, description="IRI of the source node, when it has one.")


class FactOut(BaseModel):
    """One graph triple the answer states, with the sentence that says it.

    A sentence that lists several triples gives one entry per triple (same ``text``).
    """

    subject: str = Field(description="Subject IRI.")
    predicate: str = Field(description="Predicate IRI.")
    object: str = Field(description="Object IRI, or the literal text.")
    text: str = Field(description="The triple as an English sentence.")
    source: str = Field(description="Title(s) of the source the triple cites; may be empty.")
    source_iris: list[str] = Field(default_factory=list, description="IRIs of those sources.")


class AskResult(BaseModel):
    """A cited answer composed only from graph facts, or a plain abstention."""

    question: str
    answer: str = Field(description="The answer text; each sentence ends with its source number.")
    abstained: bool = Field(description="True when the graph does not hold the answer: do not "
                            "guess from it; try get_concept or sparql_query instead.")
    confidence: float = Field(description="0 to 1; 0 when abstaining.")
    reason: str = Field(description="Why the engine abstained (empty otherwise).")
    facts: list[FactOut] = Field(description="The facts the answer states, in answer order.")
    sources: list[SourceOut] = Field(description="Distinct sources cited, numbered as in the "
                                     "answer text ([1] is the first).")
    entities: list[ConceptRef] = Field(description="Concepts the question was linked to.")
    suggestions: list[ConceptRef] = Field(description="Nearest concepts when abstaining.")
    sparql: str = Field(description="A SPARQL query returning exactly the supporting triples.")
    truncated: bool = Field(description="True when facts were left out to keep the output small.")


class SearchHit(BaseModel):
    """One node close to the search text."""

    iri: str
    label: str
    score: float = Field(description="1.0 when the text names the node; else cosine similarity.")
    is_concept: bool = Field(description="True for taxonomy concepts, False for data nodes.")
    definition: str = Field(description="Its definition, shortened; may be empty.")


class SearchResult(BaseModel):
    """Nodes closest to a text, best first."""

    query: str
    hits: list[SearchHit]


class RelationOut(BaseModel):
    """A non-hierarchy edge seen from the concept."""

    predicate: str
    predicate_label: str
    iri: str
    label: str


class ConceptCardResult(BaseModel):
    """Everything the graph says about one concept."""

    iri: str
    label: str
    alt_labels: list[str]
    types: list[str] = Field(description="Labels of its rdf:type classes.")
    definition: str
    broader_chains: list[list[str]] = Field(description="Labels from the concept up to a top "
                                            "concept, one list per chain.")
    broader: list[ConceptRef]
    narrower: list[ConceptRef]
    relations_out: list[RelationOut] = Field(description="concept -predicate-> other.")
    relations_in: list[RelationOut] = Field(description="other -predicate-> concept.")
    figures: list[dict] = Field(description="Data nodes attached to the concept (figures, "
                                "table cells, claims) with their literal values.")
    attributes: list[dict] = Field(description="Literal values of the concept: {predicate, "
                                   "name, value}.")
    sources: list[SourceOut]
    is_concept: bool
    truncated: bool = Field(description="True when long lists were cut.")


class HierarchyNode(BaseModel):
    """A node below the concept."""

    iri: str
    label: str
    depth: int = Field(description="1 for direct children, 2 for grandchildren, ...")
    parent: str = Field(description="IRI of the node it sits under.")
    narrower_count: int = Field(description="How many nodes sit directly under this one "
                                "(call get_hierarchy on it to go deeper).")


class HierarchyResult(BaseModel):
    """Ancestors and descendants of a concept, bounded."""

    concept: ConceptRef
    broader_chains: list[list[ConceptRef]] = Field(
        description="Each chain starts at a direct broader concept and goes up towards a top "
        "concept (at most max_up steps)."
    )
    descendants: list[HierarchyNode] = Field(description="Breadth first, at most max_nodes.")
    truncated: bool = Field(description="True when chains or descendants were cut.")


class PathOut(BaseModel):
    """One shortest path between two concepts."""

    nodes: list[ConceptRef]
    facts: list[FactOut] = Field(description="The triple behind each step, with its source.")


class PathResult(BaseModel):
    """How two concepts connect."""

    source: ConceptRef
    target: ConceptRef
    paths: list[PathOut]


class TripleOut(BaseModel):
    """A triple of a CONSTRUCT or DESCRIBE result."""

    subject: str
    predicate: str
    object: str


class SparqlOut(BaseModel):
    """The result of a read-only SPARQL query."""

    kind: str = Field(description="SELECT, ASK, CONSTRUCT or DESCRIBE.")
    vars: list[str] = Field(description="SELECT variables, in order.")
    rows: list[dict[str, str | None]] = Field(
        description="SELECT rows: variable -> value (IRI, literal text, or _:blank); "
        "null when unbound."
    )
    boolean: bool | None = Field(description="The ASK answer.")
    triples: list[TripleOut] = Field(description="CONSTRUCT/DESCRIBE triples.")
    count: int = Field(description="Rows or triples returned.")
    truncated: bool = Field(description="True when the result was cut at the row cap or size "
                            "cap; add LIMIT/OFFSET or narrow the query to see the rest.")
    elapsed_ms: float


class GraphSummary(BaseModel):
    """What the graph holds, to plan questions and queries."""

    triples: int
    nodes: int = Field(description="Nodes in the graph view (concepts and data nodes).")
    concepts: int
    schemes: list[ConceptRef] = Field(description="skos:ConceptScheme nodes.")
    top_concepts: list[ConceptRef] = Field(description="Top concepts of the schemes, or the "
                                           "roots of the hierarchy when none are declared.")
    classes: list[dict] = Field(description="Most used classes: {iri, label, count}.")
    properties: list[dict] = Field(description="Most used properties: {iri, label, count}.")
    prefixes: dict[str, str] = Field(description="Prefixes predeclared for sparql_query.")
    truncated: bool
