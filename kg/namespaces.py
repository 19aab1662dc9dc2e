"""Namespace constants shared by the library (constants only, no I/O).

The engine itself is vocabulary-agnostic: these are the *standard* vocabularies it reads
(SKOS, RDFS, OWL, schema.org, Dublin Core, PROV) plus the project's own namespaces, which
only the built-in ontology and its documentation use.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

SCHEMA = Namespace("https://schema.org/")
SCHEMA_HTTP = Namespace("http://schema.org/")
AI = Namespace("https://w3id.org/aitax/id/")
AIS = Namespace("https://w3id.org/aitax/schema#")

PREFIXES: dict[str, str] = {
    "ai": str(AI),
    "ais": str(AIS),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
}

# Predicates that give a resource a human-readable name, best first.
LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, SCHEMA_HTTP.name, DCTERMS.title)
ALT_LABEL_PREDICATES = (SKOS.altLabel, SKOS.hiddenLabel, SCHEMA.alternateName)
# Predicates that describe a resource in prose, best first.
DESCRIPTION_PREDICATES = (
    SKOS.definition,
    RDFS.comment,
    DCTERMS.description,
    SCHEMA.description,
    SCHEMA_HTTP.description,
    SKOS.scopeNote,
)
# Hierarchy edges, as (predicate, points_to_broader).
BROADER_PREDICATES = ((SKOS.broader, True), (RDFS.subClassOf, True), (SKOS.narrower, False))
SOURCE_PREDICATES = (DCTERMS.source, PROV.wasDerivedFrom)

__all__ = [
    "AI",
    "AIS",
    "ALT_LABEL_PREDICATES",
    "BROADER_PREDICATES",
    "DCTERMS",
    "DESCRIPTION_PREDICATES",
    "LABEL_PREDICATES",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "SOURCE_PREDICATES",
    "XSD",
]
