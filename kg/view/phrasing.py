"""Facts in words: the verb phrase of a predicate, and the clause that states one edge.

A predicate the graph labels is read through its label ("is developed by"). One without a
label is read from its local name, which is often a bare noun ("group", "member") or a
noun with a preposition ("partOf"): read as is, "acid rain group WASTES" is not a
sentence. :func:`predicate_phrase` turns such names into verb phrases by English rules
("is in the group", "has the member", "is a part of"), and the SKOS/OWL/RDFS vocabulary
has its own wording. :func:`phrase` states one edge, turned around where that reads
better ("Pollution has the member acid rain" -> "acid rain is a member of Pollution").
Every place that reads a fact out uses these two functions.
"""

from __future__ import annotations

from kg.rdf.terms import OWL, RDFS, SKOS
from kg.view.graph_view import GraphView, humanise, local_name

__all__ = ["agree", "is_plural", "name_phrase", "phrase", "plural_object", "predicate_phrase"]

# The standard vocabulary: (forward phrase, phrase with subject and object swapped or "").
_VOCABULARY: dict[str, tuple[str, str]] = {
    SKOS.member: ("has the member", "is a member of"),
    SKOS.memberList: ("has the member list", ""),
    SKOS.related: ("is related to", ""),
    SKOS.semanticRelation: ("is semantically related to", ""),
    SKOS.broaderTransitive: ("is within", ""),
    SKOS.narrowerTransitive: ("includes", ""),
    SKOS.exactMatch: ("is an exact match for", ""),
    SKOS.closeMatch: ("is a close match for", ""),
    SKOS.broadMatch: ("has the broader match", ""),
    SKOS.narrowMatch: ("has the narrower match", ""),
    SKOS.relatedMatch: ("has the related match", ""),
    SKOS.mappingRelation: ("is mapped to", ""),
    SKOS.inScheme: ("is in the concept scheme", ""),
    SKOS.topConceptOf: ("is a top concept of", ""),
    SKOS.hasTopConcept: ("has the top concept", ""),
    OWL.sameAs: ("is the same as", ""),
    OWL.disjointWith: ("is disjoint with", ""),
    OWL.equivalentClass: ("is equivalent to", ""),
    RDFS.seeAlso: ("is described further by", ""),
}
_AUXILIARIES = {"is", "are", "was", "were", "has", "have", "had", "can", "may", "must",
                "does", "do", "did", "will", "should", "could", "would"}
_PREPOSITIONS = {"of", "by", "to", "in", "on", "for", "with", "from", "at", "as", "into",
                 "about", "under", "over", "within", "via", "per"}
# Nouns naming something a thing is inside of: "group" reads "is in the group".
_CONTAINERS = {"group", "theme", "collection", "category", "set", "class", "cluster",
               "family", "section", "chapter", "domain", "area", "topic", "subject",
               "series", "list", "module", "package", "scheme", "folder", "catalogue",
               "catalog", "subgroup", "supergroup", "division", "branch"}
# Nouns read without an article before a preposition ("is part of").
_BARE_NOUNS = {"part", "member", "instance", "kind", "type", "sort"}
# Adjectives before a preposition read with "is" alone ("is adjacent to", "is similar to").
_ADJECTIVES = {"disjoint", "equivalent", "similar", "identical", "distinct", "adjacent",
               "complementary", "different", "independent", "dependent", "opposite",
               "analogous", "equal", "prior", "subsequent", "close"}


def name_phrase(name: str) -> str:
    """Read a predicate name in words as a verb phrase.

    ``"group"`` -> ``"is in the group"``, ``"member"`` -> ``"has the member"``,
    ``"sub group of"`` -> ``"is a sub group of"``, ``"developed by"`` -> ``"is developed
    by"``; verb phrases ("uses", "builds on", "has part") stay as they are.
    """
    words = name.split()
    if not words:
        return name
    first, last = words[0].lower(), words[-1].lower()
    if first in _AUXILIARIES or _is_verb(first):
        return name
    if last in _PREPOSITIONS:
        if len(words) == 1 or first.endswith(("ed", "en")):
            return f"is {name}"
        if first in _BARE_NOUNS or first in _ADJECTIVES:
            return f"is {name}"
        article = "an" if first[0] in "aeiou" else "a"
        return f"is {article} {name}"
    if last in _CONTAINERS:
        return f"is in the {name}"
    if first.endswith("ed"):
        return name
    return f"has the {name}"


def _is_verb(word: str) -> bool:
    """A third-person verb ("uses", "applies", "contains"): a plural noun reads the same,
    but predicates are named by verbs far more often than by plurals."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


# Endings of singular words that end in "s" ("analysis", "bus", "physics", "process").
_SINGULAR_S = ("ss", "us", "is", "ics", "as", "os", "ws")
_IRREGULAR = {"is": "are", "has": "have", "was": "were", "does": "do"}


def is_plural(name: str) -> bool:
    """True when a name reads as a plural noun ("Environmental taxes", "LLMs",
    "Diffusion Models"), from the last word before any qualifier in brackets."""
    head = name.split("(")[0].split()
    if not head:
        return False
    if len(head) > 2 and head[0] == "The" and all(w[:1].isupper() for w in head[1:]):
        return False  # a proper name: "The New York Times" is one paper
    last = head[-1]
    if len(last) > 2 and last[:-1].isupper() and last.endswith("s"):
        return True  # "LLMs", "GANs"
    word = last.lower()
    return len(word) > 3 and word.endswith("s") and not word.endswith(_SINGULAR_S)


def agree(subject: str, verb_phrase: str) -> str:
    """The verb phrase in the number of ``subject``: "is a kind of" after "Large Language
    Models" reads "are a kind of", "uses" reads "use"."""
    if not is_plural(subject) or not verb_phrase:
        return verb_phrase
    first, _, rest = verb_phrase.partition(" ")
    if first in _IRREGULAR:
        first = _IRREGULAR[first]
    elif _is_verb(first):
        if first.endswith("ies"):
            first = first[:-3] + "y"
        elif first.endswith(("ches", "shes", "sses", "xes", "zes")):
            first = first[:-2]
        else:
            first = first[:-1]
    return f"{first} {rest}".rstrip()


def plural_object(verb_phrase: str, count: int) -> str:
    """"has the limitation" before a list of several reads "has the limitations"."""
    words = verb_phrase.split()
    if count < 2 or len(words) != 3 or words[0] not in ("has", "have") or words[1] != "the":
        return verb_phrase
    noun = words[2]
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        noun = noun[:-1] + "ies"
    elif noun.endswith(("s", "x", "ch", "sh")):
        noun += "es"
    else:
        noun += "s"
    return f"{words[0]} the {noun}"


def predicate_phrase(view: GraphView, predicate: str) -> str:
    """The verb phrase of ``predicate``: the standard vocabulary's wording (a thesaurus that
    labels ``skos:related`` "has related" names the property, it does not say it); else its
    label when the graph gives one, else read from its local name (see
    :func:`name_phrase`)."""
    known = _VOCABULARY.get(predicate)
    if known:
        return known[0]
    label = view.predicate_label(predicate)
    if label != humanise(local_name(predicate)):
        return label  # the graph's own words
    return name_phrase(label)


def phrase(view: GraphView, subject: str, predicate: str, obj: str) -> str:
    """The clause stating the edge ``subject -predicate-> obj`` (no final full stop).

    ``skos:member`` reads from the member's side: "acid rain is a member of Pollution".
    """
    known = _VOCABULARY.get(predicate)
    if known and known[1]:
        return f"{view.label(obj)} {agree(view.label(obj), known[1])} {view.label(subject)}"
    name = view.label(subject)
    verb = predicate_phrase(view, predicate)
    if not _proper_name(name) or _a_kind(view, subject):
        verb = agree(name, verb)
    return f"{name} {verb} {view.label(obj)}"


def _a_kind(view: GraphView, iri: str) -> bool:
    """True when a node names a kind of things, not one thing: it has narrower concepts,
    or a plural acronym among its names ("LLMs")."""
    if any(d.get("hierarchy") for _, _, d in view.nx.in_edges(iri, data=True)):
        return True
    names = view.node(iri).get("alt_labels", [])
    return any(len(n) > 2 and n.endswith("s") and n[:-1].isupper() for n in names)


def _proper_name(name: str) -> bool:
    """True for a capitalised name of several words ("Voltia Motors", "Bank of America"):
    in a relation it most often names one thing, whatever its last word looks like."""
    words = [w for w in name.split() if w[:1].isalpha()]
    return len(words) > 1 and all(w[:1].isupper() for w in words if len(w) > 3)
