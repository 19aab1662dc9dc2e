"""The answer a question gets: dataclasses, composition into English, and their JSON form.

Composition only arranges facts the walk selected: every sentence of an answer is the
rendering of one graph fact (a description, or a triple read through its predicate's label),
followed by the number of its source. Nothing here touches the graph or the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["NOT_IN_GRAPH", "Answer", "EntityRef", "Fact", "facts_sparql"]

# what every answer the graph does not hold begins with
NOT_IN_GRAPH = "The knowledge graph does not hold the answer to this question."

JSON_SCHEMA_VERSION = 1


@dataclass
class EntityRef:
    """A graph node the question was linked to (or the answer is about)."""

    iri: str
    label: str
    score: float
    how: str = "retrieved"  # "named" (label in the question), "retrieved" (FAISS), "answer"

    def to_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "label": self.label, "score": round(self.score, 4)}


@dataclass
class Fact:
    """One supporting triple, its English rendering and where it comes from."""

    subject: str
    predicate: str
    object: str
    sentence: str
    object_is_literal: bool = False
    sources: list[str] = field(default_factory=list)
    source_labels: list[str] = field(default_factory=list)
    score: float = 0.0
    kind: str = "relation"
    nodes: tuple[str, ...] = ()
    parts: list[Fact] = field(default_factory=list)  # the triples a grouped sentence lists
    spoken: bool = False  # the answer text says this fact (else it only supports it)

    def triples(self) -> list[Fact]:
        """The single-triple facts behind this one (itself, unless it groups several)."""
        return self.parts or [self]

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "text": self.sentence,
            "source": "; ".join(self.source_labels),
            "source_iris": list(self.sources),
            "spoken": self.spoken,
            # The graph triples the sentence states: one, or each part of a grouped sentence
            # (whose own subject/predicate/object then only name its first step).
            "triples": [
                {"subject": t.subject, "predicate": t.predicate, "object": t.object}
                for t in self.triples()
            ],
        }


def _iri(iri: str) -> str:
    """An IRI as a SPARQL term (characters SPARQL forbids in IRIs are percent-escaped)."""
    return "<" + "".join(c if c not in '<>"{}|^`\\ ' else f"%{ord(c):02X}" for c in iri) + ">"


def _literal(text: str) -> str:
    """A plain string literal as a SPARQL term."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def facts_sparql(facts: list[Fact]) -> str:
    """A SPARQL query that returns exactly these facts from the graph (and nothing else).

    Literal objects are matched on their text, so language tags and datatypes in the graph
    do not have to be repeated here.
    """
    flat = [t for f in facts for t in f.triples()]
    usable = [f for f in flat if f.subject and f.predicate
              and not f.subject.startswith("_:") and not f.object.startswith("_:")]
    nodes = dict.fromkeys(
        f"({_iri(f.subject)} {_iri(f.predicate)} {_iri(f.object)})"
        for f in usable
        if not f.object_is_literal
    )
    texts = dict.fromkeys(
        f"({_iri(f.subject)} {_iri(f.predicate)} {_literal(f.object)})"
        for f in usable
        if f.object_is_literal
    )
    blocks = []
    if nodes:
        blocks.append(
            "{\n    VALUES (?s ?p ?o) {\n      "
            + "\n      ".join(nodes)
            + "\n    }\n    ?s ?p ?o .\n  }"
        )
    if texts:
        blocks.append(
            "{\n    VALUES (?s ?p ?text) {\n      "
            + "\n      ".join(texts)
            + "\n    }\n    ?s ?p ?o .\n    FILTER(STR(?o) = ?text)\n  }"
        )
    if not blocks:
        return ""
    return "SELECT ?s ?p ?o WHERE {\n  " + "\n  UNION\n  ".join(blocks) + "\n}"


@dataclass
class Answer:
    """What ``kg ask`` returns; ``to_dict`` is the stable ``--json`` schema."""

    question: str
    text: str
    abstained: bool
    confidence: float
    entities: list[EntityRef] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    intent: list[str] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    reason: str = ""
    suggestions: list[EntityRef] = field(default_factory=list)

    @property
    def sparql(self) -> str:
        return facts_sparql(self.facts)

    def node_iris(self) -> list[str]:
        """Every node the answer's facts touch (for exporting the subgraph behind it)."""
        seen: dict[str, None] = {}
        for e in self.entities:
            seen.setdefault(e.iri)
        for f in self.facts:
            for n in f.nodes:
                seen.setdefault(n)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 4),
            "intent": self.intent,
            "entities": [e.to_dict() for e in self.entities],
            "facts": [f.to_dict() for f in self.facts],
            "chain": self.chain,
            "sparql": self.sparql,
            "reason": self.reason,
            "suggestions": [e.to_dict() for e in self.suggestions],
        }
