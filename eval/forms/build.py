"""Build forms_dev.jsonl / forms_final.jsonl: hand-written questions, answers read from the graph.

The question text is written by hand in ``src/<graph>.txt``, one question a line::

    form | key | question

``key`` names the concept(s) the question is about, by English label (a STW notation may
be left out: ``Taxation`` is ``V.09.04  Taxation``):

* ``X`` — one concept; ``X ; Y`` — two (path, comparison, yes/no "is X a kind of Y");
* ``X @fr`` — a label in another language (language form);
* ``X #prop`` — a property (``#opposite``, ``#related``, ``#theme``, ``#group``,
  ``#notation``, a builtin ``ais:`` property such as ``#developedBy``, ``#value`` of a
  builtin figure node), or what a count counts (``#narrower`` default, ``#broader``,
  ``#alt``);
* ``-`` — nothing (abstention);
* ``X #rel ~Class = A ; B`` — a list question (``list``, one link) or a multi-hop question
  (``multihop``, ``X #rel1 ~Class #rel2 = A``: two or more links, each optionally kept to an
  ``ais:`` class): the concepts reached from X over the ``ais:`` links (or ``broader`` /
  ``narrower``), X itself left out. The answers after ``=`` are written out too, and the
  build fails when they are not exactly what the graph gives.

Only the ``expect`` values are computed here, from the graph files, so that they follow the
data and nobody's reading of the engine. Run from the repository root::

    python eval/forms/build.py                # src/ -> forms_dev.jsonl, forms_final.jsonl
    python eval/forms/build.py --blind        # blind/ -> forms_blind.jsonl (every row)
    python eval/forms/build.py --set blind2   # blind2/ -> forms_blind2.jsonl (every row)

A blind set (``blind/<graph>.txt``, ``blind2/<graph>.txt``; ``--set NAME`` builds the folder
NAME, ``--blind`` is ``--set blind``) was written apart from the engine's phrasings and is
run once, at the end of a round; it is never split into dev and final. Any other argument
checks the questions without writing a set. Every build prints the count of questions per
form and graph as a Markdown table.

The shared taxonomies are read in place from ``../shared/taxonomies`` (``KG_SHARED_DIR``
names the shared folder when it is elsewhere).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from itertools import islice
from pathlib import Path

import networkx as nx
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SHARED = Path(os.environ.get("KG_SHARED_DIR") or ROOT.parent / "shared")
OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
AIS = "https://w3id.org/aitax/schema#"
GEMET = "http://www.eionet.europa.eu/gemet/2004/06/gemet-schema.rdf#"
FORMS = (
    "definition", "broader", "narrower", "count", "siblings", "other_names", "language",
    "every_parent", "path", "comparison", "property", "examples", "yesno", "abstain",
    "list", "multihop",
)
# ais: links that are bookkeeping, not relations a person asks about.
AIS_SKIP = {"hasClaim", "claimAbout", "hasTableCell", "comparedIn", "compares", "hasFigure",
            "figureOf", "cellOf", "aboutConcept", "inTable", "rowConcept"}
STOP = set("""a an the of and or in on to for by with from as at is are be been being that this
which who whom whose what when where how it its their them they such than then into onto
over under more most less least very also can may not no any all each other some one two
used use uses using relatively having has have had does do done would could should
within around before after inside gives give often many much there these those because while
about only just like without between through rather every other another""".split())
# Scope notes that tell an indexer what to do are not definitions.
EDITORIAL = re.compile(r"(Use |See |For |Not |Without |Exclusively |Only |Meaning: )")
NOTATION = re.compile(r"^[A-Z](?:\.[0-9]+)*\s+")


def bare(label: str) -> str:
    """A STW category label without its notation ("V.09.04  Taxation" -> "Taxation")."""
    return NOTATION.sub("", label).strip()


class Data:
    """The concepts of one graph: English labels, hierarchy, other names, definitions."""

    def __init__(self, name: str, files: list[Path]) -> None:
        self.graph = name
        g = Graph()
        for f in files:
            g.parse(f)
        self.g = g
        self.label: dict[str, str] = {}
        self.labels: dict[str, dict[str, list[str]]] = {}
        self.alt: dict[str, list[str]] = {}
        self.defn: dict[str, str] = {}
        self.broader: dict[str, list[str]] = {}
        self.props: dict[str, dict[str, list[str]]] = {}
        if name == "pato":
            self._pato()
        else:
            self._skos()
        self.narrower: dict[str, list[str]] = {k: [] for k in self.label}
        for k, bs in self.broader.items():
            self.broader[k] = [b for b in bs if b in self.label]
            for b in self.broader[k]:
                self.narrower[b].append(k)
        self.by_label: dict[str, list[str]] = {}
        self.by_bare: dict[str, list[str]] = {}
        for k, lab in self.label.items():
            self.by_label.setdefault(lab.lower(), []).append(k)
            self.by_bare.setdefault(bare(lab).lower(), []).append(k)

    def _pato(self) -> None:
        g = self.g
        for s in g.subjects(RDF.type, OWL.Class):
            if not isinstance(s, URIRef) or (s, OWL.deprecated, Literal(True)) in g:
                continue
            labs = sorted(str(o) for o in g.objects(s, RDFS.label))
            if not labs:
                continue
            k = str(s)
            self.label[k] = labs[0]
            self.labels[k] = {"en": labs}
            syn: list[str] = []
            for p in ("hasExactSynonym", "hasRelatedSynonym", "hasNarrowSynonym",
                      "hasBroadSynonym"):
                syn += sorted(str(o) for o in g.objects(s, URIRef(OIO + p)))
            self.alt[k] = syn
            d = [str(o) for o in g.objects(s, URIRef(OBO + "IAO_0000115"))]
            if d:
                self.defn[k] = d[0]
            self.broader[k] = [str(o) for o in g.objects(s, RDFS.subClassOf)
                               if isinstance(o, URIRef)]
            self.props[k] = {"opposite": [str(o) for o in g.objects(s, URIRef(OBO + "RO_0002604"))]}

    def _skos(self) -> None:
        g = self.g
        coll = {str(c): _lang(g, c, RDFS.label) for c in g.subjects(RDF.type, SKOS.Collection)}
        for s in set(g.subjects(RDF.type, SKOS.Concept)):
            if (s, OWL.deprecated, Literal(True)) in g:
                continue
            pl = _lang(g, s, SKOS.prefLabel)
            en = (pl.get("en") or pl.get("") or [None])[0]
            if en is None:
                continue
            k = str(s)
            self.label[k] = en
            self.labels[k] = pl
            self.alt[k] = sorted(_lang(g, s, SKOS.altLabel).get("en", []))
            notes = [n for n in _lang(g, s, SKOS.scopeNote).get("en", []) if not EDITORIAL.match(n)]
            d = _lang(g, s, SKOS.definition).get("en") or notes
            if d:
                self.defn[k] = d[0]
            self.broader[k] = [str(o) for o in g.objects(s, SKOS.broader)]
            props: dict[str, list[str]] = {"related": [str(o) for o in g.objects(s, SKOS.related)]}
            props["notation"] = [str(o) for o in g.objects(s, SKOS.notation)]
            for p in ("group", "theme"):
                props[p] = [coll.get(str(o), {}).get("en", [str(o)])[0]
                            for o in g.objects(s, URIRef(GEMET + p))]
            for p, o in g.predicate_objects(s):
                if str(p).startswith(AIS) and isinstance(o, URIRef):
                    props.setdefault(str(p)[len(AIS):], []).append(str(o))
            self.props[k] = props
        # builtin figure nodes: ais:value / minValue / maxValue
        for s in g.subjects(RDF.type, URIRef(AIS + "Figure")):
            vals = [g.value(s, URIRef(AIS + p)) for p in ("minValue", "maxValue")]
            vals = [v for v in vals if v is not None] or [g.value(s, URIRef(AIS + "value"))]
            self.props[str(s)] = {"value": [_num(v) for v in vals if v is not None]}

    # --- lookups -------------------------------------------------------------------------
    def find(self, text: str) -> str:
        """The one concept a key names (full label, then label without notation, then IRI end)."""
        t = text.strip().lower()
        for table in (self.by_label, self.by_bare):
            hits = table.get(t, [])
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise SystemExit(f"{self.graph}: {text!r} names {len(hits)} concepts: {hits}")
        ends = [k for k in list(self.label) + list(self.props) if k.endswith("/" + text.strip())]
        if len(ends) == 1:
            return ends[0]
        raise SystemExit(f"{self.graph}: no concept {text!r}")

    def name(self, k: str) -> str:
        return bare(self.label[k]) if k in self.label else k.rsplit("/", 1)[-1]

    def names(self, ks) -> list[str]:
        out: dict[str, str] = {}
        for k in ks:
            if k in self.label:
                out.setdefault(self.name(k).lower(), self.name(k))
        return sorted(out.values())

    def ancestors(self, k: str) -> set[str]:
        seen, todo = set(), list(self.broader.get(k, []))
        while todo:
            b = todo.pop()
            if b not in seen:
                seen.add(b)
                todo += self.broader.get(b, [])
        return seen

    def link_graph(self) -> nx.Graph:
        if not hasattr(self, "_links"):
            h = nx.Graph()
            for k, bs in self.broader.items():
                for b in bs:
                    h.add_edge(k, b)
            for k, ps in self.props.items():
                if k not in self.label:
                    continue
                for p, vs in ps.items():
                    if p not in AIS_SKIP and p not in ("notation", "group", "theme", "value"):
                        for v in vs:
                            if v in self.label:
                                h.add_edge(k, v)
            self._links = h
        return self._links


def _lang(g: Graph, s, p) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for o in g.objects(s, p):
        if isinstance(o, Literal):
            out.setdefault(o.language or "", []).append(str(o))
    return {k: sorted(v) for k, v in out.items()}


def _num(v) -> str:
    f = float(v)
    return str(int(f)) if f == int(f) else str(f)


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.;])\s", text.strip(), maxsplit=1)[0]


def content_words(text: str) -> list[str]:
    out: list[str] = []
    for w in re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]", text):
        lw = w.lower()
        if len(lw) >= 3 and lw not in STOP and lw not in out:
            out.append(lw)
    return out


def keywords(d: Data, k: str, n: int = 3) -> list[str]:
    """The n rarest content words (across the graph's definitions) of a definition's first
    sentence, leaving out the words of the concept's own label: what only this definition says."""
    if not hasattr(d, "_df"):
        df: dict[str, int] = {}
        for text in d.defn.values():
            for w in content_words(first_sentence(text)):
                df[w] = df.get(w, 0) + 1
        d._df = df
    own = {w.lower() for w in re.findall(r"[A-Za-z]+", d.label[k])}
    words = [w for w in content_words(first_sentence(d.defn[k])) if w not in own]
    if len(words) < 2:  # "Rain having a pH less than 5.6." says too little: read on
        words = [w for w in content_words(d.defn[k]) if w not in own]
    return sorted(words, key=lambda w: (d._df.get(w, 0), -len(w)))[:n]


def _is_a(d: Data, k: str, cls: str) -> bool:
    return (URIRef(k), RDF.type, URIRef(AIS + cls)) in d.g


def _step(d: Data, k: str, rel: str) -> list[str]:
    """The concepts one link ``rel`` leads to from k."""
    if rel == "broader":
        return list(d.broader.get(k, []))
    if rel == "narrower":
        return list(d.narrower.get(k, []))
    return [v for v in d.props.get(k, {}).get(rel, []) if v in d.label]


def walk(d: Data, key: str) -> dict:
    """A list or multi-hop key ``X #rel [~Class] [#rel [~Class]] = A ; B``: the names the
    links lead to from X (X left out), checked against the written answers."""
    chain, _, written = key.partition("=")
    start, *hops = (s.strip() for s in chain.split("#"))
    if not hops or not written.strip():
        raise SystemExit(f"{d.graph}: want 'X #rel [~Class] ... = A ; B', got {key!r}")
    a = d.find(start)
    here, vias = {a}, []
    for hop in hops:
        rel, _, cls = (s.strip() for s in hop.partition("~"))
        if rel not in ("broader", "narrower") and not any(
                rel in ps for ps in d.props.values()):
            raise SystemExit(f"{d.graph}: no link {rel!r} in {key!r}")
        nxt = {v for k in here for v in _step(d, k, rel)}
        if cls:
            if (URIRef(AIS + cls), RDF.type, OWL.Class) not in d.g:
                raise SystemExit(f"{d.graph}: no class ais:{cls} in {key!r}")
            nxt = {v for v in nxt if _is_a(d, v, cls)}
        vias.append(nxt)
        here = nxt - {a}
        if not here:
            raise SystemExit(f"{d.graph}: {key!r} reaches nothing at {hop!r}")
    names = d.names(here)
    said = sorted(bare(w.strip()) for w in written.split(";"))
    if sorted(n.lower() for n in names) != sorted(w.lower() for w in said):
        raise SystemExit(f"{d.graph}: {key!r}: the graph gives {names}, not {said}")
    out: dict = {"names": names, "hops": len(hops)}
    if len(hops) > 1:
        out["via"] = [d.names(v - {a}) for v in vias[:-1]]
    return out


def expect(d: Data, form: str, key: str) -> dict:
    """The expected answer of one question, read from the graph."""
    if form in ("list", "multihop"):
        if (key.partition("=")[0].count("#") > 1) != (form == "multihop"):
            raise SystemExit(f"{d.graph}: a {form} key takes "
                             f"{'two or more links' if form == 'multihop' else 'one link'}: "
                             f"{key!r}")
        return walk(d, key)
    prop = None
    lang = None
    if "#" in key:
        key, prop = (s.strip() for s in key.split("#", 1))
    if "@" in key:
        key, lang = (s.strip() for s in key.split("@", 1))
    keys = [d.find(k) for k in key.split(";")] if key.strip() != "-" else []
    if form == "abstain":
        return {"abstain": True}
    a = keys[0]
    if form == "definition":
        if a in d.defn:
            return {"keywords": keywords(d, a)}
        return {"any_of": d.names(d.broader[a]), "note": "no definition: a parent names it"}
    if form in ("broader", "every_parent"):
        return {"names": d.names(d.broader[a])}
    if form == "narrower":
        return {"names": d.names(d.narrower[a])}
    if form == "count":
        what = prop or "narrower"
        n = {"narrower": len(d.narrower[a]), "broader": len(d.broader[a]),
             "alt": len(set(d.alt.get(a, [])))}[what]
        return {"count": n, "of": what}
    if form == "siblings":
        # A thesaurus category ("V.13.01.01  Unemployment") files hundreds of terms: when the
        # concept has a parent that is a plain term, its siblings are that term's children.
        parents = [b for b in d.broader[a] if bare(d.label[b]) == d.label[b]] or d.broader[a]
        sib = {c for b in parents for c in d.narrower[b]} - {a}
        return {"names": d.names(sib)}
    if form == "other_names":
        return {"names": sorted(set(d.alt[a]))}
    if form == "language":
        return {"lang": lang, "labels": [bare(x) for x in d.labels[a][lang]]}
    if form == "yesno":
        b = keys[1]
        return {"answer": "yes" if b in d.ancestors(a) else "no"}
    if form == "path":
        h = d.link_graph()
        paths = list(islice(nx.all_shortest_paths(h, a, keys[1]), 12))
        vias = sorted({tuple(d.name(k) for k in p[1:-1]) for p in paths})
        return {"via_any": [list(v) for v in vias], "hops": len(paths[0]) - 1}
    if form == "comparison":
        out = {"names": [d.name(k) for k in keys]}
        for tag, k, other in (("a", keys[0], keys[1]), ("b", keys[1], keys[0])):
            if k in d.defn:
                out["keywords_" + tag] = keywords(d, k)
            else:  # no definition: the parents that set it apart, never its own name
                me = d.name(k).lower()
                apart = d.names(set(d.broader[k]) - set(d.broader[other]))
                own = [n for n in apart if n.lower() != me]
                out["keywords_" + tag] = own or [
                    n for n in d.names(d.broader[k]) if n.lower() != me]
        return out
    if form == "property":
        vals = d.props[a].get(prop, [])
        if prop == "value" or prop in ("notation", "group", "theme"):
            return {"names": sorted(set(vals)), "prop": prop}
        return {"names": d.names(vals), "prop": prop}
    if form == "examples":
        pool = set(d.narrower[a]) | set(d.props.get(a, {}).get("hasExample", []))
        names = d.names(pool)
        return {"any_of": names, "min": min(3, len(names))}
    raise SystemExit(f"unknown form {form!r}")


GRAPHS = {
    "builtin": lambda: sorted(p for p in (ROOT / "ontology").glob("*.ttl")
                              if p.name != "shapes.ttl"),
    "pato": lambda: [SHARED / "taxonomies" / "pato-simple.owl"],
    "gemet": lambda: [SHARED / "taxonomies" / "gemet.ttl"],
    "stw": lambda: [SHARED / "taxonomies" / "stw.ttl"],
}
GRAPH_ARG = {"builtin": None, "pato": "../shared/taxonomies/pato-simple.owl",
             "gemet": "../shared/taxonomies/gemet.ttl", "stw": "../shared/taxonomies/stw.ttl"}


def split(rows: list[dict]) -> dict[str, list[dict]]:
    """dev (40 % of every graph x form, rounded) and final, chosen by a hash of the question
    text: fixed, and blind to what the questions ask."""
    out: dict[str, list[dict]] = {"dev": [], "final": []}
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["graph"], r["form"]), []).append(r)
    for rs in groups.values():
        ranked = sorted(rs, key=lambda r: hashlib.sha256(r["question"].encode()).hexdigest())
        n_dev = round(0.4 * len(rs))
        dev = {id(r) for r in ranked[:n_dev]}
        for r in rs:
            out["dev" if id(r) in dev else "final"].append(r)
    return out


def set_name(args: list[str]) -> str | None:
    """The blind set named on the command line (``--blind``, ``--set NAME``, ``--set=NAME``),
    taken out of args; None for the dev/final sets of ``src/``."""
    name = None
    if "--blind" in args:
        args.remove("--blind")
        name = "blind"
    for i, a in enumerate(args):
        if a == "--set" and i + 1 < len(args):
            name = args[i + 1]
            del args[i:i + 2]
            break
        if a.startswith("--set="):
            name = a.partition("=")[2]
            del args[i]
            break
    if name is not None and (name == "src" or not (HERE / name).is_dir()):
        raise SystemExit(f"no question set {name!r}: want a folder of eval/forms/ beside src/")
    return name


def table(counts: dict[str, dict[str, int]]) -> str:
    """Questions per form (rows) and graph (columns), as a Markdown table."""
    graphs = list(counts)
    lines = ["| form | " + " | ".join(graphs) + " |",
             "|---|" + "---:|" * len(graphs)]
    for form in FORMS:
        if any(counts[g].get(form) for g in graphs):
            lines.append(f"| {form} | "
                         + " | ".join(str(counts[g].get(form, "-")) for g in graphs) + " |")
    lines.append("| **total** | "
                 + " | ".join(f"**{sum(counts[g].values())}**" for g in graphs) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = list(argv[1:])
    name = set_name(args)
    only = set(args)
    rows: list[dict] = []
    per_graph: dict[str, dict[str, int]] = {}
    for graph, files in GRAPHS.items():
        src = HERE / (name or "src") / f"{graph}.txt"
        if not src.exists():
            continue
        d = Data(graph, files())
        counts: dict[str, int] = {}
        for lineno, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{src.parent.name}/{src.name}:{lineno}"
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                form, key, question = (s.strip() for s in line.split("|", 2))
            except ValueError:
                raise SystemExit(f"{where}: want 'form | key | question'") from None
            if form not in FORMS:
                raise SystemExit(f"{where}: unknown form {form!r}")
            exp = expect(d, form, key)
            wanted = ("names", "any_of", "keywords", "labels", "via_any")
            scalar = {"count", "answer", "abstain"} & set(exp)
            if not any(exp.get(f) for f in wanted) and not scalar:
                raise SystemExit(f"{where}: nothing expected for {key!r}: {exp}")
            counts[form] = counts.get(form, 0) + 1
            qid = f"{name + '-' if name else ''}{graph}-{form}-{counts[form]:02d}"
            row = {"id": qid, "graph": graph, "form": form, "question": question, "expect": exp,
                   "key": key}
            rows.append(row)
        per_graph[graph] = counts
        print(graph, sum(counts.values()), counts, file=sys.stderr)
    if per_graph:
        print(table(per_graph), file=sys.stderr)
    if only:
        return 0
    for out_name, rs in ({name: rows} if name else split(rows)).items():
        out = HERE / f"forms_{out_name}.jsonl"
        with out.open("w", encoding="utf-8") as fh:
            for r in rs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(out.name, len(rs), file=sys.stderr)
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
