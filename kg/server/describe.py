"""The SPARQL service description and the VoID description of the served graph."""

from __future__ import annotations

import os
from collections.abc import Callable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from kg.server.protocol import FORMAT_PARAM, GRAPH_MEDIA, W3C_FORMAT, media, negotiate
from kg.server.service import Service
from kg.sparql.runner import GRAPH_FORMATS, GRAPH_IRI

__all__ = [
    "FORMATS_NS",
    "SD",
    "base_url",
    "describe",
    "graph_title",
    "rdf_response",
    "service_description",
    "void",
]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
_RDFLIB_NAMES = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml"}


def rdf_response(graph: Graph, fmt: str) -> Response:
    """An rdflib graph written in one of :data:`GRAPH_FORMATS`."""
    body = graph.serialize(format=_RDFLIB_NAMES[fmt], encoding="utf-8")
    return Response(body, media_type=GRAPH_FORMATS[fmt])


def describe(
    request: Request,
    params: dict[str, list[str]],
    service: Service,
    build: Callable[[Request, Service], Graph],
) -> Response:
    """Answer with the description ``build`` makes, in the negotiated RDF format."""
    if params.get("format"):
        fmt = FORMAT_PARAM.get(params["format"][0].lower(), (None, None))[1]
    else:
        fmt = negotiate(request.headers.get("accept", ""), GRAPH_MEDIA, "turtle")
        if fmt is None and "text/html" in request.headers.get("accept", ""):
            fmt = "turtle"  # a browser: show Turtle rather than refuse
    if fmt is None:
        raise HTTPException(406, "the description is available as "
                            f"{', '.join(media(v) for v in GRAPH_FORMATS.values())}.")
    return rdf_response(build(request, service), fmt)


def base_url(request: Request) -> str:
    """The server's base URL as the client reached it (no trailing slash)."""
    return str(request.base_url).rstrip("/")


def service_description(request: Request, service: Service) -> Graph:
    """The SPARQL 1.1 service description of ``/sparql``."""
    stats = service.stats()
    base = base_url(request)
    endpoint = URIRef(f"{base}/sparql")
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS_NS)
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((endpoint, SD.defaultEntailmentRegime,
           URIRef("http://www.w3.org/ns/entailment/Simple")))
    for name in W3C_FORMAT.values():
        g.add((endpoint, SD.resultFormat, FORMATS_NS[name]))
    dataset = URIRef(f"{base}/void#dataset")
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    default_graph = BNode()
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, VOID.triples, Literal(stats["triples"], datatype=XSD.integer)))
    named = BNode()
    g.add((dataset, SD.namedGraph, named))
    g.add((named, RDF.type, SD.NamedGraph))
    g.add((named, SD.name, URIRef(GRAPH_IRI)))
    g.add((named, SD.graph, default_graph))
    return g


def void(request: Request, service: Service) -> Graph:
    """The VoID description of the served graph (counts, vocabularies, partitions)."""
    stats = service.stats()
    base = base_url(request)
    dataset = URIRef(f"{base}/void#dataset")
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal(graph_title(service))))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
    for key in ("triples", "distinctSubjects", "distinctObjects", "properties", "classes",
                "entities"):
        if stats.get(key) is not None:  # a large store in place leaves some out
            g.add((dataset, VOID[key], Literal(stats[key], datatype=XSD.integer)))
    for vocabulary in stats["vocabularies"]:
        g.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    for cls, count in stats["class_partitions"]:
        part = BNode()
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in stats["property_partitions"]:
        part = BNode()
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    return g


def graph_title(service: Service) -> str:
    """What the served graph is called: the built-in one, or the files it came from."""
    loaded = service.workspace.loaded
    if loaded.builtin:
        return "The built-in AI taxonomy"
    return "Graph merged from " + ", ".join(os.path.basename(p) for p in loaded.sources)
