"""A deterministic generator of SKOS taxonomies of any size, for benchmarks and scale tests.

The same ``(triples, seed)`` always gives byte-identical N-Triples. Each concept has a
type, an English preferred label, a definition, a broader link (a tree about eight wide),
``skos:inScheme`` and a notation; some also have an alternative label, a scope note, a
creation date, ``skos:related`` links and two project relations (``usedIn``,
``dependsOn``), so the graph exercises labels, definitions, hierarchy and other edges the
way a real taxonomy does. About 9.5 triples per concept: 1M triples is about 105k concepts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import TextIO

__all__ = ["BASE", "generate", "write_ntriples"]

BASE = "https://example.org/synth/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DCT = "http://purl.org/dc/terms/"
_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
_BRANCHING = 8

_ADJ = ("adaptive", "sparse", "deep", "robust", "hybrid", "causal", "federated", "neural",
        "symbolic", "probabilistic", "incremental", "contrastive", "generative", "recurrent",
        "distributed", "quantised", "bayesian", "spectral", "modular", "attentive")
_NOUN = ("learning", "inference", "retrieval", "planning", "clustering", "embedding",
         "reasoning", "control", "search", "parsing", "translation", "segmentation",
         "detection", "ranking", "forecasting", "compression", "alignment", "synthesis",
         "tracking", "optimisation")
_DOMAIN = ("medical imaging", "speech", "robotics", "finance", "climate models", "genomics",
           "recommendation", "legal text", "autonomous driving", "chemistry", "energy grids",
           "education", "manufacturing", "cybersecurity", "agriculture", "astronomy")
_SYL = ("ka", "lo", "mi", "ner", "to", "va", "su", "ri", "den", "po", "ze", "la", "qui", "bo",
        "fa", "tor")


def _word(i: int) -> str:
    """A pronounceable, unique made-up word for the number ``i`` ("kalomi", ...)."""
    parts = []
    while True:
        parts.append(_SYL[i % len(_SYL)])
        i //= len(_SYL)
        if not i:
            break
    return "".join(parts).capitalize()


def _lit(text: str, lang: str = "en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _concept_triples(i: int, rng: random.Random, labels: list[str]) -> Iterator[str]:
    c = f"<{BASE}c{i}>"
    label = labels[i]
    yield f"{c} <{_RDF_TYPE}> <{_SKOS}Concept> ."
    yield f"{c} <{_SKOS}prefLabel> {_lit(label)} ."
    parent = (i - 1) // _BRANCHING if i else None
    domain = rng.choice(_DOMAIN)
    about = f" within {labels[parent].lower()}" if parent is not None else ""
    text = f"A {label.lower()} approach to {domain}{about}, {rng.choice(_ADJ)} by design."
    yield f"{c} <{_SKOS}definition> {_lit(text)} ."
    if parent is not None:
        yield f"{c} <{_SKOS}broader> <{BASE}c{parent}> ."
    else:
        yield f"{c} <{_SKOS}topConceptOf> <{BASE}scheme> ."
    yield f"{c} <{_SKOS}inScheme> <{BASE}scheme> ."
    yield f"{c} <{_SKOS}notation> {_lit(f'S{i:07d}', '')} ."
    if rng.random() < 0.5:
        yield f"{c} <{_SKOS}altLabel> {_lit(_word(i * 7 + 3) + ' ' + rng.choice(_NOUN))} ."
    if rng.random() < 0.4:
        yield f"{c} <{_SKOS}scopeNote> {_lit(f'Mostly used in {rng.choice(_DOMAIN)}.')} ."
    if rng.random() < 0.5:
        date = f"{rng.randint(1960, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield f'{c} <{_DCT}created> "{date}"^^<{_XSD_DATE}> .'
    if i > 10 and rng.random() < 0.4:
        yield f"{c} <{_SKOS}related> <{BASE}c{rng.randrange(i)}> ."
    if i > 10 and rng.random() < 0.3:
        yield f"{c} <{BASE}usedIn> <{BASE}c{rng.randrange(i)}> ."
    if i > 10 and rng.random() < 0.3:
        yield f"{c} <{BASE}dependsOn> <{BASE}c{rng.randrange(i)}> ."


def generate(triples: int, seed: int = 0) -> Iterator[str]:
    """Yield exactly ``triples`` N-Triples lines (without newlines), deterministically."""
    rng = random.Random(seed)
    header = [
        f"<{BASE}scheme> <{_RDF_TYPE}> <{_SKOS}ConceptScheme> .",
        f"<{BASE}scheme> <{_SKOS}prefLabel> {_lit('Synthetic taxonomy')} .",
        f"<{BASE}usedIn> <http://www.w3.org/2000/01/rdf-schema#label> {_lit('used in')} .",
        f"<{BASE}dependsOn> <http://www.w3.org/2000/01/rdf-schema#label> {_lit('depends on')} .",
    ]
    count = 0
    for line in header:
        if count >= triples:
            return
        yield line
        count += 1
    labels: list[str] = []
    i = 0
    while True:
        labels.append(f"{rng.choice(_ADJ).capitalize()} {_word(i)} {rng.choice(_NOUN)}")
        for line in _concept_triples(i, rng, labels):
            if count >= triples:
                return
            yield line
            count += 1
        i += 1


def write_ntriples(stream: TextIO, triples: int, seed: int = 0) -> int:
    """Write ``generate(triples, seed)`` to ``stream``; returns the number of lines."""
    n = 0
    buffer: list[str] = []
    for line in generate(triples, seed):
        buffer.append(line)
        n += 1
        if len(buffer) >= 10_000:
            stream.write("\n".join(buffer) + "\n")
            buffer.clear()
    if buffer:
        stream.write("\n".join(buffer) + "\n")
    return n
