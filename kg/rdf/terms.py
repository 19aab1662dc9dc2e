"""Vocabulary IRIs as plain strings: what the question-answering path needs, without rdflib.

Answering a question never touches rdflib (the view comes from a snapshot), so the modules
on that path read IRIs from here; :mod:`kg.rdf.namespaces` builds rdflib namespaces from the
same strings for the code that works on the rdflib graph.
"""

from __future__ import annotations

__all__ = [
    "DATA_GRAPH",
    "ALT_LABEL_PREDICATES",
    "HIDDEN_LABEL_PREDICATES",
    "RELATED_SYNONYM_PREDICATES",
    "BROADER_PREDICATES",
    "DESCRIPTION_PREDICATES",
    "LABEL_PREDICATES",
    "MAPPING_PREDICATES",
    "META_PREDICATES",
    "NOTE_PREDICATES",
    "NS",
    "DEPRECATED",
    "OBO",
    "OBO_IN_OWL",
    "REPLACED_BY_PREDICATES",
    "SKOSXL",
    "XL_LABEL_PREDICATES",
    "SOURCE_PREDICATES",
    "PREFIXES",
    "IriSpace",
]


#: The name of the loaded graph wherever a dataset needs one: in SPARQL (FROM, GRAPH,
#: ``named-graph-uri``) and in the Oxigraph stores that hold it.
DATA_GRAPH = "urn:x-kg:graph"


class IriSpace:
    """A namespace whose attributes are IRIs: ``IriSpace("http://x/#").name == "http://x/#name"``.

    Not a ``str`` subclass, so names such as ``title`` or ``index`` are IRIs, not methods.
    """

    __slots__ = ("base",)

    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.base + name

    def __str__(self) -> str:
        return self.base

    def __repr__(self) -> str:
        return f"IriSpace({self.base!r})"


NS: dict[str, IriSpace] = {
    "rdf": IriSpace("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "rdfs": IriSpace("http://www.w3.org/2000/01/rdf-schema#"),
    "owl": IriSpace("http://www.w3.org/2002/07/owl#"),
    "xsd": IriSpace("http://www.w3.org/2001/XMLSchema#"),
    "skos": IriSpace("http://www.w3.org/2004/02/skos/core#"),
    "dcterms": IriSpace("http://purl.org/dc/terms/"),
    "prov": IriSpace("http://www.w3.org/ns/prov#"),
    "schema": IriSpace("https://schema.org/"),
    "ai": IriSpace("https://w3id.org/aitax/id/"),
    "ais": IriSpace("https://w3id.org/aitax/schema#"),
}
# prefix -> namespace, for prefixed names typed by a user
PREFIXES: dict[str, str] = {prefix: str(ns) for prefix, ns in NS.items()}
SCHEMA_HTTP = IriSpace("http://schema.org/")
SKOSXL = IriSpace("http://www.w3.org/2008/05/skos-xl#")
OBO = IriSpace("http://purl.obolibrary.org/obo/")
OBO_IN_OWL = IriSpace("http://www.geneontology.org/formats/oboInOwl#")
RDF, RDFS, OWL, XSD = NS["rdf"], NS["rdfs"], NS["owl"], NS["xsd"]
SKOS, DCTERMS, PROV, SCHEMA = NS["skos"], NS["dcterms"], NS["prov"], NS["schema"]

# Predicates that give a resource a human-readable name, best first.
LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, SCHEMA_HTTP.name, DCTERMS.title)
ALT_LABEL_PREDICATES = (
    SKOS.altLabel,
    SKOS.hiddenLabel,
    SCHEMA.alternateName,
    SCHEMA_HTTP.alternateName,
    OBO.IAO_0000118,  # OBO "alternative term"
    OBO_IN_OWL.hasExactSynonym,
)
# Labels that are names but never names to show or say: matched in questions only.
HIDDEN_LABEL_PREDICATES = (SKOS.hiddenLabel,)
# Names of a near, not the same, meaning (OBO): said when other names are asked, as related.
RELATED_SYNONYM_PREDICATES = (
    OBO_IN_OWL.hasRelatedSynonym,
    OBO_IN_OWL.hasNarrowSynonym,
    OBO_IN_OWL.hasBroadSynonym,
)
# SKOS-XL: the label is a resource whose skosxl:literalForm holds the text.
XL_LABEL_PREDICATES = {SKOSXL.prefLabel: "pref", SKOSXL.altLabel: "alt", SKOSXL.hiddenLabel: "alt"}
# Predicates that describe a resource in prose, best first.
DESCRIPTION_PREDICATES = (
    SKOS.definition,
    OBO.IAO_0000115,  # OBO "definition"
    RDFS.comment,
    DCTERMS.description,
    SCHEMA.description,
    SCHEMA_HTTP.description,
    SKOS.scopeNote,
)
# Hierarchy edges, as (predicate, points_to_broader).
BROADER_PREDICATES = ((SKOS.broader, True), (RDFS.subClassOf, True), (SKOS.narrower, False))
SOURCE_PREDICATES = (DCTERMS.source, PROV.wasDerivedFrom)
# Links to the same or a close resource in another vocabulary: when the target is not
# described in the graph they are kept as links on their node, not as nodes.
MAPPING_PREDICATES = (
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    SKOS.mappingRelation,
    OWL.sameAs,
    RDFS.seeAlso,
)
# Notes about the record, not about the thing: kept for `kg show`, never spoken as facts.
NOTE_PREDICATES = (
    SKOS.note,
    SKOS.editorialNote,
    SKOS.changeNote,
    SKOS.historyNote,
    SKOS.example,
    OBO.IAO_0000116,  # editor note
    OBO.IAO_0000112,  # example of usage
    OBO.IAO_0000231,  # obsolescence reason
    OBO.IAO_0000232,  # curator note
    OBO_IN_OWL.hasDbXref,
    OBO_IN_OWL.inSubset,
    DCTERMS.created,
    DCTERMS.modified,
    DCTERMS.creator,
    DCTERMS.contributor,
)
# A deprecated term points to the term that replaces it.
REPLACED_BY_PREDICATES = (OBO.IAO_0100001, DCTERMS.isReplacedBy)
DEPRECATED = OWL.deprecated
# Predicates whose objects are bookkeeping, not facts a person asks about (never edges).
META_PREDICATES = (
    RDF.type,
    SKOS.inScheme,
    SKOS.topConceptOf,
    SKOS.hasTopConcept,
    RDFS.domain,
    RDFS.range,
    RDFS.isDefinedBy,
    OWL.inverseOf,
    OWL.equivalentProperty,
    OWL.equivalentClass,
    RDFS.subPropertyOf,
    OWL.imports,
    *SOURCE_PREDICATES,
)
