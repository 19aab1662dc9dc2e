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
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TextIO

__all__ = ["BASE", "concept_names", "generate", "taxonomy", "write_ntriples", "write_taxonomy"]

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
    return islice(_generated(seed), max(0, triples))


def _generated(seed: int) -> Iterator[str]:
    """The small taxonomy's lines, without end."""
    rng = random.Random(seed)
    header = [
        f"<{BASE}scheme> <{_RDF_TYPE}> <{_SKOS}ConceptScheme> .",
        f"<{BASE}scheme> <{_SKOS}prefLabel> {_lit('Synthetic taxonomy')} .",
        f"<{BASE}usedIn> <http://www.w3.org/2000/01/rdf-schema#label> {_lit('used in')} .",
        f"<{BASE}dependsOn> <http://www.w3.org/2000/01/rdf-schema#label> {_lit('depends on')} .",
    ]
    yield from header
    labels: list[str] = []
    i = 0
    while True:
        labels.append(f"{rng.choice(_ADJ).capitalize()} {_word(i)} {rng.choice(_NOUN)}")
        yield from _concept_triples(i, rng, labels)
        i += 1


def _write_lines(stream: TextIO, lines: Iterable[str], chunk: int) -> int:
    """Write ``lines`` to ``stream`` ``chunk`` at a time; returns how many were written."""
    n = 0
    buffer: list[str] = []
    for line in lines:
        buffer.append(line)
        if len(buffer) >= chunk:
            stream.write("\n".join(buffer) + "\n")
            n += len(buffer)
            buffer.clear()
    if buffer:
        stream.write("\n".join(buffer) + "\n")
        n += len(buffer)
    return n


def write_ntriples(stream: TextIO, triples: int, seed: int = 0) -> int:
    """Write ``generate(triples, seed)`` to ``stream``; returns the number of lines."""
    return _write_lines(stream, generate(triples, seed), 10_000)


# ---------------------------------------------------------------------- large taxonomies
# A thesaurus-like SKOS taxonomy for the 10M-triple benchmarks (bench/remote_large.py):
# labels in English and German, alternative labels in both, definitions (German for half),
# a polyhierarchy (about one concept in seven has a second broader concept), related and
# exactMatch links, scope notes and modification dates: about 10 triples per concept, so
# 10M triples are about a million concepts. Streamed: memory does not grow with the size.
_DE_ADJ = ("adaptives", "dünnes", "tiefes", "robustes", "hybrides", "kausales", "föderiertes",
           "neuronales", "symbolisches", "probabilistisches", "inkrementelles", "kontrastives",
           "generatives", "rekurrentes", "verteiltes", "quantisiertes", "bayessches",
           "spektrales", "modulares", "aufmerksames")
_DE_NOUN = ("Lernen", "Schließen", "Abrufen", "Planen", "Clustern", "Einbetten", "Folgern",
            "Regeln", "Suchen", "Parsen", "Übersetzen", "Segmentieren", "Erkennen", "Ranking",
            "Vorhersagen", "Komprimieren", "Ausrichten", "Synthetisieren", "Verfolgen",
            "Optimieren")
_TOP = 12  # top concepts of the scheme


def concept_names(i: int) -> tuple[str, str]:
    """The English and German preferred labels of concept ``i`` (a function of ``i`` alone,
    so a definition can name the parent concept without remembering it)."""
    a, n, word = (i * 2_654_435_761 >> 7) % 20, (i * 40_503 >> 3) % 20, _word(i)
    return (f"{_ADJ[a].capitalize()} {word} {_NOUN[n]}",
            f"{_DE_ADJ[a].capitalize()} {word}-{_DE_NOUN[n]}")


def taxonomy(triples: int, seed: int = 0) -> Iterator[str]:
    """Yield exactly ``triples`` N-Triples lines of the large taxonomy, deterministically."""
    return islice(_taxonomy(seed), max(0, triples))


def _taxonomy(seed: int) -> Iterator[str]:
    """The large taxonomy's lines, without end."""
    rng = random.Random(seed)
    rand, randrange = rng.random, rng.randrange
    skos, base = f"<{_SKOS}", f"<{BASE}"
    scheme = f"{base}scheme>"
    pref, alt, defn = f"{skos}prefLabel>", f"{skos}altLabel>", f"{skos}definition>"
    broader, related, match = f"{skos}broader>", f"{skos}related>", f"{skos}exactMatch>"
    kind = f"<{_RDF_TYPE}> {skos}Concept> ."
    header = [
        f"{scheme} <{_RDF_TYPE}> {skos}ConceptScheme> .",
        f"{scheme} {pref} {_lit('Synthetic thesaurus')} .",
        f"{scheme} {pref} {_lit('Synthetischer Thesaurus', 'de')} .",
    ]
    yield from header
    i = 0
    while True:
        c = f"{base}c{i}>"
        word = _word(i)
        en, de = concept_names(i)
        n = randrange(20)
        lines = [f"{c} {kind}", f"{c} {pref} {_lit(en)} .", f"{c} {pref} {_lit(de, 'de')} ."]
        if rand() < 0.6:
            lines.append(f"{c} {alt} {_lit(f'{word} {_NOUN[(n + 3) % 20]}')} .")
            if rand() < 0.3:
                lines.append(f"{c} {alt} {_lit(_word(i * 7 + 3).lower() + ' ' + _NOUN[n])} .")
        if rand() < 0.3:
            lines.append(f"{c} {alt} {_lit(f'{word}-{_DE_NOUN[(n + 3) % 20]}', 'de')} .")
        domain = _DOMAIN[randrange(16)]
        if i < _TOP:
            lines.append(f"{c} {skos}topConceptOf> {scheme} .")
            lines.append(f"{c} {defn} {_lit(f'A {en.lower()} approach to {domain}.')} .")
        else:
            parent = (i - _TOP) // _BRANCHING
            lines.append(f"{c} {broader} {base}c{parent}> .")
            about = concept_names(parent)[0].lower()
            lines.append(f"{c} {defn} "
                         f"{_lit(f'A {en.lower()} approach to {domain}, within {about}.')} .")
            if rand() < 0.15 and parent > 0:  # polyhierarchy: a second, earlier parent
                other = randrange(parent)
                lines.append(f"{c} {broader} {base}c{other}> .")
        if rand() < 0.5:
            lines.append(f"{c} {defn} {_lit(f'{de}: ein Ansatz für {domain}.', 'de')} .")
        lines.append(f"{c} {skos}inScheme> {scheme} .")
        lines.append(f'{c} {skos}notation> "T{i:08d}" .')
        if i > 10 and rand() < 0.3:
            lines.append(f"{c} {related} {base}c{randrange(i)}> .")
        if rand() < 0.2:
            lines.append(f"{c} {match} <https://example.com/other/{word}> .")
        if rand() < 0.2:
            lines.append(f"{c} {skos}scopeNote> {_lit(f'Mostly used in {domain}.')} .")
        if rand() < 0.5:
            date = f"{2000 + randrange(25)}-{1 + randrange(12):02d}-{1 + randrange(28):02d}"
            lines.append(f'{c} <{_DCT}modified> "{date}"^^<{_XSD_DATE}> .')
        yield from lines
        i += 1


def write_taxonomy(stream: TextIO, triples: int, seed: int = 0) -> int:
    """Write ``taxonomy(triples, seed)`` to ``stream``; returns the number of lines."""
    return _write_lines(stream, taxonomy(triples, seed), 50_000)


def main() -> None:
    """Write a synthetic graph to a file: ``python bench/synth.py OUT.nt --triples N``."""
    import argparse
    import time

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("out")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kind", choices=("taxonomy", "simple"), default="taxonomy",
                        help="taxonomy: two languages, polyhierarchy (default); simple: "
                             "the generator the older scale benchmarks use")
    args = parser.parse_args()
    write = write_taxonomy if args.kind == "taxonomy" else write_ntriples
    started = time.perf_counter()
    with open(args.out, "w", encoding="utf-8") as fh:
        n = write(fh, args.triples, args.seed)
    print(f"{n:,} triples written to {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
