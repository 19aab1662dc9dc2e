"""Check a graph for problems a person must fix: SHACL shapes plus structural checks.

The structural checks run on any SKOS or OWL/RDFS graph, with or without shapes, because
the rest of the engine relies on them: a hierarchy cycle breaks broader chains, a concept
without one English label shows up under a made-up name, a reference nobody declares is
usually a typo. SHACL runs only when shapes are given (the built-in ontology ships its
own). Every finding says what is wrong and how to fix it. The graph is never modified.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DC, DCAT, FOAF, SH, VOID

from kg.errors import ConfigError, NotFoundError
from kg.fuzzy import close_matches
from kg.rdf.classes import concept_classes
from kg.rdf.labels import humanise, local_name, pick
from kg.rdf.load import LoadedGraph, builtin_shapes, load_graph
from kg.rdf.namespaces import (
    DCTERMS,
    DESCRIPTION_PREDICATES,
    LABEL_PREDICATES,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SCHEMA_HTTP,
    SKOS,
    XSD,
)
from kg.rdf.terms import MAPPING_PREDICATES

__all__ = [
    "SEVERITIES",
    "ValidationReport",
    "Violation",
    "shapes_for",
    "validate",
    "validate_loaded",
]

# Most serious first; only "violation" makes a graph invalid.
SEVERITIES = ("violation", "warning", "info")
_SH_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}

# Objects of these predicates point outside the graph on purpose, so they are never dangling.
_OUTWARD_PREDICATES = {
    RDF.type,
    OWL.imports,
    RDFS.isDefinedBy,
    *(URIRef(p) for p in MAPPING_PREDICATES),
    SCHEMA.url,
    SCHEMA.sameAs,
    SCHEMA_HTTP.url,
    SCHEMA_HTTP.sameAs,
    DCTERMS.license,
    DCTERMS.conformsTo,
    DCTERMS.creator,
    DCTERMS.publisher,
}
# Terms of these vocabularies are defined elsewhere; referring to them is never dangling.
_STANDARD_NAMESPACES = tuple(
    str(ns) for ns in (RDF, RDFS, OWL, SKOS, XSD, SH, DC, DCTERMS, DCAT, FOAF, PROV, VOID, SCHEMA)
) + (str(SCHEMA_HTTP),)


@dataclass(frozen=True)
class Violation:
    """One problem: where it is, what is wrong and how to fix it."""

    severity: str
    focus: str
    focus_label: str
    path: str | None
    path_name: str | None
    message: str
    fix: str
    check: str
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass
class ValidationReport:
    """Everything one validation run found, most serious first."""

    violations: list[Violation] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    shapes: str | None = None
    triples: int = 0

    @property
    def conforms(self) -> bool:
        """True when nothing of severity ``violation`` was found (warnings do not count)."""
        return not any(v.severity == "violation" for v in self.violations)

    def by_severity(self) -> dict[str, list[Violation]]:
        """The findings grouped by severity, in :data:`SEVERITIES` order, empty groups omitted."""
        groups: dict[str, list[Violation]] = {}
        for severity in SEVERITIES:
            found = [v for v in self.violations if v.severity == severity]
            if found:
                groups[severity] = found
        return groups

    def counts(self) -> dict[str, int]:
        """How many findings of each severity (every severity present, zero included)."""
        return {s: sum(v.severity == s for v in self.violations) for s in SEVERITIES}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "conforms": self.conforms,
            "counts": self.counts(),
            "checks": list(self.checks),
            "shapes": self.shapes,
            "triples": self.triples,
            "violations": [v.to_dict() for v in self.violations],
        }


def shapes_for(
    loaded: LoadedGraph, shapes_file: str | Path | None = None
) -> tuple[Graph, str] | None:
    """Pick the SHACL shapes for a loaded graph: the given file, else the built-in ones.

    A user graph gets no default shapes (ours describe the AI taxonomy, not theirs), so only
    the structural checks run on it unless ``shapes_file`` is given.

    Returns:
        ``(shapes graph, where it came from)``, or ``None`` when no shapes apply.

    Raises:
        NotFoundError: ``shapes_file`` does not exist.
        GraphLoadError: ``shapes_file`` cannot be parsed.
    """
    if shapes_file is not None:
        path = Path(shapes_file)
        if not path.is_file():
            raise NotFoundError(f"{path}: no such file. Check the path given to --shapes.")
        return load_graph([path]).graph, str(path)
    if loaded.builtin:
        path = builtin_shapes()
        if path.is_file():
            return load_graph([path]).graph, "built-in shapes"
    return None


def validate_loaded(loaded: LoadedGraph, shapes_file: str | Path | None = None) -> ValidationReport:
    """Validate a loaded graph with the shapes :func:`shapes_for` picks for it."""
    picked = shapes_for(loaded, shapes_file)
    report = validate(loaded.graph, picked[0] if picked else None)
    if picked:
        report.shapes = picked[1]
    return report


def validate(graph: Graph, shapes_graph: Graph | None = None) -> ValidationReport:
    """Run the structural checks, and SHACL when ``shapes_graph`` is given.

    Raises:
        ConfigError: the shapes graph is not usable SHACL.
    """
    labels = _labels(graph)
    found: list[Violation] = []
    checks = ["hierarchy-cycle", "top-concept", "pref-label", "definition", "dangling"]
    if shapes_graph is not None:
        checks.insert(0, "shacl")
        found.extend(_shacl(graph, shapes_graph, labels))
    found.extend(_cycles(graph, labels))
    found.extend(_unreachable(graph, labels))
    found.extend(_pref_labels(graph, labels))
    found.extend(_definitions(graph, labels))
    found.extend(_dangling(graph, labels))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    found = sorted(
        set(found),
        key=lambda v: (order.get(v.severity, 9), v.check, v.focus, v.path or "", v.message),
    )
    return ValidationReport(
        violations=found,
        checks=checks,
        shapes="given shapes" if shapes_graph is not None else None,
        triples=len(graph),
    )


# --- helpers ---------------------------------------------------------------------------


def _labels(graph: Graph) -> dict[str, str]:
    """Best readable label per resource, chosen by the one label picker."""
    rows: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for rank, predicate in enumerate(LABEL_PREDICATES):
        for s, o in graph.subject_objects(predicate):
            if isinstance(o, Literal):
                rows[_id(s)].append((rank, str(o), (o.language or "").lower()))
    return {s_id: values[pick(values)][1] for s_id, values in rows.items()}


def _pick(values: list[Literal]) -> str:
    """The one label picker (:func:`kg.rdf.labels.pick`) over rdflib literals."""
    rows = [(0, str(v), (v.language or "").lower()) for v in values]
    return rows[pick(rows)][1]


def _id(term: Any) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _label(labels: dict[str, str], iri: str) -> str:
    if iri in labels:
        return labels[iri]
    return humanise(local_name(iri)) if iri.startswith(("http", "urn")) else iri


def _curie(graph: Graph, iri: str) -> str:
    """``skos:broader`` for a bound namespace, else the full IRI."""
    try:
        return graph.namespace_manager.curie(iri, generate=False)
    except (KeyError, ValueError):
        return iri


def _skos_concepts(graph: Graph) -> set[URIRef]:
    """Resources typed ``skos:Concept`` or a (declared) subclass of it."""
    found: set[URIRef] = set()
    for cls in concept_classes(graph):
        found.update(s for s in graph.subjects(RDF.type, URIRef(cls)) if isinstance(s, URIRef))
    return found


def _concepts(graph: Graph) -> tuple[set[URIRef], set[URIRef]]:
    """(SKOS concepts, other named OWL/RDFS classes); restrictions are blank nodes: skipped."""
    skos = _skos_concepts(graph)
    classes: set[URIRef] = set()
    for cls in (OWL.Class, RDFS.Class):
        classes.update(s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef))
    classes = {c for c in classes - skos if not str(c).startswith(_STANDARD_NAMESPACES)}
    return skos, classes


def _hierarchy_edges(graph: Graph) -> dict[str, list[tuple[str, str, str]]]:
    """Hierarchy edges per vocabulary, as (narrower, broader, predicate) with IRIs."""
    skos: list[tuple[str, str, str]] = []
    for s, o in graph.subject_objects(SKOS.broader):
        skos.append((_id(s), _id(o), str(SKOS.broader)))
    for s, o in graph.subject_objects(SKOS.narrower):
        skos.append((_id(o), _id(s), str(SKOS.narrower)))
    rdfs = [
        (_id(s), _id(o), str(RDFS.subClassOf))
        for s, o in graph.subject_objects(RDFS.subClassOf)
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    ]
    return {"skos": skos, "rdfs": rdfs}


# --- structural checks -----------------------------------------------------------------


def _cycles(graph: Graph, labels: dict[str, str]) -> Iterable[Violation]:
    """One finding per strongly connected group of the broader / subClassOf hierarchy."""
    for vocab, edges in _hierarchy_edges(graph).items():
        g = nx.DiGraph()
        for narrower, broader, predicate in edges:
            g.add_edge(narrower, broader, predicate=predicate)
        groups = [c for c in nx.strongly_connected_components(g) if len(c) > 1]
        groups += [{n} for n in nx.nodes_with_selfloops(g)]
        for group in groups:
            start = min(group)
            cycle = nx.find_cycle(g.subgraph(group), source=start)
            nodes = [u for u, _v in cycle] + [start]
            drawn = " → ".join(_label(labels, n) for n in nodes)
            predicate = g.edges[cycle[0]]["predicate"]
            word = "skos:broader/skos:narrower" if vocab == "skos" else "rdfs:subClassOf"
            yield Violation(
                severity="violation",
                focus=start,
                focus_label=_label(labels, start),
                path=predicate,
                path_name=_curie(graph, predicate),
                message=f"hierarchy cycle ({word}): {drawn}",
                fix=f"A concept cannot be broader than itself: remove or turn around one "
                f"of the {word} links in this loop, e.g. the one from "
                f"{_label(labels, nodes[-2])} to {_label(labels, start)}.",
                check="hierarchy-cycle",
            )


def _unreachable(graph: Graph, labels: dict[str, str]) -> Iterable[Violation]:
    """SKOS concepts that no broader chain connects to a top concept of their scheme."""
    tops: dict[str, set[str]] = defaultdict(set)
    for concept, scheme in graph.subject_objects(SKOS.topConceptOf):
        tops[_id(scheme)].add(_id(concept))
    for scheme, concept in graph.subject_objects(SKOS.hasTopConcept):
        tops[_id(scheme)].add(_id(concept))
    if not tops:
        return
    all_tops = set().union(*tops.values())
    g = nx.DiGraph()
    for narrower, broader, _p in _hierarchy_edges(graph)["skos"]:
        g.add_edge(narrower, broader)
    for concept in sorted(_skos_concepts(graph)):
        c_id = _id(concept)
        schemes = {_id(s) for s in graph.objects(concept, SKOS.inScheme)}
        schemes |= {_id(s) for s in graph.objects(concept, SKOS.topConceptOf)}
        if schemes:
            targets = set().union(*(tops[s] for s in schemes if s in tops))
            if not targets:
                continue  # its schemes declare no top concepts: nothing to check against
        else:
            targets = all_tops
        reachable = ({c_id} | nx.descendants(g, c_id)) if c_id in g else {c_id}
        if reachable & targets:
            continue
        top_names = ", ".join(sorted(_label(labels, t) for t in targets)[:5])
        yield Violation(
            severity="violation",
            focus=c_id,
            focus_label=_label(labels, c_id),
            path=str(SKOS.broader),
            path_name=_curie(graph, str(SKOS.broader)),
            message="no chain of skos:broader links leads from this concept to a top concept "
            f"(top concepts: {top_names})",
            fix="Give it a skos:broader link to a concept in the hierarchy, or declare it a "
            "top concept with skos:topConceptOf <scheme>.",
            check="top-concept",
        )


def _pref_labels(graph: Graph, labels: dict[str, str]) -> Iterable[Violation]:
    """Exactly one English preferred label per concept (rdfs:label for plain classes)."""
    skos_concepts, classes = _concepts(graph)
    for concept in sorted(skos_concepts | classes):
        skos = concept in skos_concepts
        predicate = SKOS.prefLabel if skos else RDFS.label
        severity = "violation" if skos else "warning"
        values = [o for o in graph.objects(concept, predicate) if isinstance(o, Literal)]
        english = [v for v in values if (v.language or "").lower().split("-")[0] == "en"]
        if not english:
            english = [v for v in values if not v.language]
        by_tag: dict[str, list[str]] = defaultdict(list)
        for v in english:
            by_tag[(v.language or "").lower()].append(str(v))
        c_id = str(concept)
        common = {
            "severity": severity,
            "focus": c_id,
            "focus_label": _label(labels, c_id),
            "path": str(predicate),
            "path_name": _curie(graph, str(predicate)),
            "check": "pref-label",
        }
        if not english:
            yield Violation(
                **common,
                message=f"no English {_curie(graph, str(predicate))}",
                fix=f'Add one: {_curie(graph, c_id)} {_curie(graph, str(predicate))} "…"@en .',
            )
        for tag, texts in sorted(by_tag.items()):
            if len(texts) > 1:
                shown = ", ".join(repr(t) for t in sorted(texts))
                yield Violation(
                    **common,
                    message=f"{len(texts)} {_curie(graph, str(predicate))} values "
                    f"in @{tag or '(no language)'}: {shown}",
                    fix="Keep one as the preferred label and turn the others into skos:altLabel.",
                    value=shown,
                )


def _definitions(graph: Graph, labels: dict[str, str]) -> Iterable[Violation]:
    """Concepts with no prose at all (any description predicate counts)."""
    skos_concepts, classes = _concepts(graph)
    for concept in sorted(skos_concepts | classes):
        if any(
            isinstance(o, Literal)
            for p in DESCRIPTION_PREDICATES
            for o in graph.objects(concept, p)
        ):
            continue
        predicate = SKOS.definition if concept in skos_concepts else RDFS.comment
        c_id = str(concept)
        yield Violation(
            severity="warning",
            focus=c_id,
            focus_label=_label(labels, c_id),
            path=str(predicate),
            path_name=_curie(graph, str(predicate)),
            message="no definition",
            fix=f"Add one sentence saying what it is: {_curie(graph, c_id)} "
            f'{_curie(graph, str(predicate))} "…"@en .',
            check="definition",
        )


def _namespace(iri: str) -> str:
    """The IRI up to and including its last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut >= 0 else iri


def _dangling(graph: Graph, labels: dict[str, str]) -> Iterable[Violation]:
    """Undeclared objects of relations in the graph's own namespaces: usually a typo.

    Only namespaces the graph itself declares something in are checked, so deliberate links
    to other vocabularies (``rdfs:subClassOf schema:Organization``) are not reported.
    """
    declared = set(labels) | {_id(s) for s in graph.subjects(RDF.type, None)}
    own = {_namespace(i) for i in declared if not i.startswith(("_:", *_STANDARD_NAMESPACES))}
    # Predicates are declared by use, not by being typed: never flag a relation's name.
    declared |= {str(p) for p in graph.predicates()}
    by_local: dict[tuple[str, str], list[str]] = defaultdict(list)
    for iri in sorted(declared):
        by_local[(_namespace(iri), local_name(iri).lower())].append(iri)
    for s, p, o in graph:
        if not isinstance(o, URIRef) or p in _OUTWARD_PREDICATES:
            continue
        o_id = str(o)
        namespace = _namespace(o_id)
        if o_id in declared or namespace not in own or o_id.startswith(_STANDARD_NAMESPACES):
            continue
        siblings = {key[1]: key for key in by_local if key[0] == namespace}
        close = close_matches(local_name(o_id).lower(), list(siblings), n=1)
        hint = f" Did you mean <{by_local[siblings[close[0]]][0]}>?" if close else ""
        s_id = _id(s)
        yield Violation(
            severity="warning",
            focus=s_id,
            focus_label=_label(labels, s_id),
            path=str(p),
            path_name=_curie(graph, str(p)),
            message=f"refers to {_curie(graph, o_id)}, which has no label or type anywhere "
            "in the graph",
            fix="Correct the IRI if it is a typo, or declare the resource (give it "
            f"rdf:type and a label).{hint}",
            check="dangling",
            value=o_id,
        )


# --- SHACL -----------------------------------------------------------------------------


def _shacl(graph: Graph, shapes: Graph, labels: dict[str, str]) -> Iterable[Violation]:
    """Run pyshacl and turn each result into a finding whose fix is the shape's sh:message."""
    import pyshacl

    try:
        _conforms, results, _text = pyshacl.validate(
            graph,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_infos=True,
            allow_warnings=True,
        )
    except Exception as exc:  # pyshacl raises its own types for broken shapes
        raise ConfigError(
            f"the SHACL shapes could not be used: {str(exc).strip().splitlines()[0][:300]}. "
            "Fix the shapes file (check sh:path, sh:datatype and SPARQL constraints)."
        ) from None
    for result in results.subjects(RDF.type, SH.ValidationResult):
        yield _shacl_result(graph, shapes, results, result, labels)


def _shacl_result(
    graph: Graph, shapes: Graph, results: Graph, result: Any, labels: dict[str, str]
) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    shape = results.value(result, SH.sourceShape)
    component = results.value(result, SH.sourceConstraintComponent)
    value = results.value(result, SH.value)
    severity = _SH_SEVERITY.get(results.value(result, SH.resultSeverity), "violation")
    generated = results.value(result, SH.resultMessage)
    authored = (
        [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
        if (shape is not None)
        else []
    )
    focus_id = _id(focus) if focus is not None else ""
    path_id = str(path) if isinstance(path, URIRef) else None
    path_name = _curie(graph, path_id) if path_id else None
    what = _constraint_text(shapes, shape, component, path_name, value)
    if authored:
        fix = _pick(authored)
        message = what
    else:
        message = str(generated) if generated is not None else what
        named = f" of shape <{shape}>" if isinstance(shape, URIRef) else ""
        fix = f"Change {_label(labels, focus_id)} to meet the constraint{named}: {what}."
    return Violation(
        severity=severity,
        focus=focus_id,
        focus_label=_label(labels, focus_id),
        path=path_id,
        path_name=path_name,
        message=message,
        fix=fix,
        check="shacl",
        value=str(value) if value is not None else None,
    )


_COMPONENT_PARAMS = {
    "MinCount": (SH.minCount, "needs at least {} value(s)"),
    "MaxCount": (SH.maxCount, "allows at most {} value(s)"),
    "Datatype": (SH.datatype, "values must have datatype {}"),
    "Class": (SH["class"], "values must be instances of {}"),
    "NodeKind": (SH.nodeKind, "values must be of node kind {}"),
    "Pattern": (SH.pattern, "values must match the pattern {}"),
    "MinLength": (SH.minLength, "values must be at least {} characters"),
    "MaxLength": (SH.maxLength, "values must be at most {} characters"),
    "HasValue": (SH.hasValue, "must include the value {}"),
    "MinInclusive": (SH.minInclusive, "values must be at least {}"),
    "MaxInclusive": (SH.maxInclusive, "values must be at most {}"),
}


def _constraint_text(
    shapes: Graph, shape: Any, component: Any, path_name: str | None, value: Any
) -> str:
    """Say which constraint failed, in words, from the shape itself."""
    name = local_name(str(component)).removesuffix("ConstraintComponent") if component else ""
    where = f"{path_name}: " if path_name else ""
    if name in _COMPONENT_PARAMS and shape is not None:
        param, template = _COMPONENT_PARAMS[name]
        expected = shapes.value(shape, param)
        if expected is not None:
            shown = _curie(shapes, str(expected)) if isinstance(expected, URIRef) else expected
            text = where + template.format(shown)
            return text + (f" (found {value})" if value is not None else "")
    text = f"{where}fails the {humanise(name) or 'shape'} constraint"
    return text + (f" (value: {value})" if value is not None else "")
