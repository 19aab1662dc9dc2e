"""One short text per graph node, for embedding: what a person would search it by.

Built only from generic RDF (labels, alternative labels, types, descriptions and the
relations in the networkx view), so it works on any graph. Texts are kept short because the
model reads at most 256 word pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.view.graph_view import GraphView

__all__ = ["Document", "build_documents", "node_text"]

_MAX_RELATIONS = 8
_MAX_CHARS = 900


@dataclass(frozen=True)
class Document:
    """The text embedded for one node."""

    iri: str
    text: str


def node_text(view: GraphView, iri: str) -> str:
    """Describe one node in a few plain sentences: name, aliases, kind, meaning, relations."""
    data = view.node(iri)
    label = data.get("label") or view.label(iri)
    if data.get("description") and view.is_data(iri):
        # A data node (figure, table cell, claim): its own words and what it is about.
        about = sorted({view.label(n) for n in view.nx.successors(iri)}
                       | {view.label(n) for n in view.nx.predecessors(iri)})
        text = f"{label}. {data['description']}"
        if about:
            text += " About: " + ", ".join(about[:8]) + "."
        return text[:_MAX_CHARS]
    parts = [label + "."]
    alts = [a for a in data.get("alt_labels", []) if a.lower() != label.lower()]
    if alts:
        parts.append("Also called " + ", ".join(alts[:6]) + ".")
    kinds = [view.type_labels.get(t, "") for t in data.get("types", [])]
    broader = [view.label(b) for b in view.broader(iri)]
    kind_words = [k for k in kinds + broader if k and k.lower() not in ("concept", "class")]
    if kind_words:
        parts.append("A kind of " + ", ".join(dict.fromkeys(kind_words)) + ".")
    if data.get("description"):
        parts.append(data["description"])
    rels = []
    for _, obj, edge in view.nx.out_edges(iri, data=True):
        if edge.get("hierarchy") or not view.is_concept(obj):
            continue
        rels.append(f"{edge['label']} {view.label(obj)}")
        if len(rels) >= _MAX_RELATIONS:
            break
    if rels:
        parts.append("; ".join(sorted(rels)) + ".")
    return " ".join(parts)[:_MAX_CHARS]


def build_documents(view: GraphView) -> list[Document]:
    """Documents for every labelled node, in a stable (sorted) order."""
    return [Document(iri, node_text(view, iri)) for iri in sorted(view.nx.nodes)]
