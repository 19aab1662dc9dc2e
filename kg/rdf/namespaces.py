"""rdflib namespaces for the code that works on the rdflib graph (constants only, no I/O).

The engine itself is vocabulary-agnostic: these are the *standard* vocabularies it reads
(SKOS, RDFS, OWL, schema.org, Dublin Core, PROV), and the prefixes of every namespace,
the project's own included, for prefixed names. The IRIs themselves live in
:mod:`kg.rdf.terms` (plain strings, no rdflib), so both modules always agree.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.rdf import terms as iris

SCHEMA = Namespace(str(iris.NS["schema"]))
SCHEMA_HTTP = Namespace(str(iris.SCHEMA_HTTP))

PREFIXES: dict[str, str] = iris.PREFIXES

LABEL_PREDICATES = tuple(URIRef(p) for p in iris.LABEL_PREDICATES)
DESCRIPTION_PREDICATES = tuple(URIRef(p) for p in iris.DESCRIPTION_PREDICATES)
BROADER_PREDICATES = tuple((URIRef(p), up) for p, up in iris.BROADER_PREDICATES)
SOURCE_PREDICATES = tuple(URIRef(p) for p in iris.SOURCE_PREDICATES)

__all__ = [
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
