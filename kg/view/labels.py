"""Which of a node's names to show, and readable names for nodes the graph leaves unnamed.

Vocabularies label a term several times (``skos:prefLabel`` in four languages, an
``rdfs:label`` as well, SKOS-XL label resources); one is shown, in the language asked for
(``--lang``, default English), then an untagged one, then any. The others stay available
for linking, so a question in another language still finds the term.
"""

from __future__ import annotations

import re

# The one label picker lives below the view, where the validator can use it too.
from kg.rdf.labels import DEFAULT_LANG, lang_tier, local_name, pick

__all__ = [
    "DEFAULT_LANG",
    "is_obsolete_label",
    "is_placeholder",
    "lang_tier",
    "pick",
    "readable_local_name",
    "retirements",
    "split_identifier",
    "tagged_names",
    "strip_qualifier",
    "without_obsolete",
]

# A definition field filled with a note that there is none: "No definition needed.", "TBD",
# "n/a", "-". Spoken, it reads as if the graph said something.
_PLACEHOLDER = re.compile(
    r"\s*(no (definition|description)( (is )?(needed|required|available|yet|given))?|"
    r"(definition|description) (needed|pending|missing|to (follow|come))|to be defined|"
    r"tbd|tba|todo|n/?a|none|null|-+|\?+)\s*[.!]?\s*", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# Local names that are identifiers, not words: numbers, UUIDs, OBO ids ("PATO_0000001").
_ID_LIKE = re.compile(r"\d{3,}|^[0-9a-f]{8}-?[0-9a-f]{4}|^[A-Za-z]{0,6}[_:]?\d+$", re.I)
_WORDY = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[_\-.][A-Za-z0-9]+)*$")
_QUALIFIER = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")
_OBSOLETE = re.compile(r"^\s*(obsolete|deprecated)\b[\s:_-]*", re.I)


def split_identifier(name: str) -> str:
    """``FinancialProduct``, ``financial_product`` -> ``financial product`` (else ``""``).

    Acronyms keep their case ("URLPattern" -> "URL pattern"); a name that is already
    words, or is not an identifier at all, gives ``""``.
    """
    if " " in name or not _WORDY.match(name):
        return ""
    spaced = _CAMEL.sub(" ", name).replace("_", " ").replace("-", " ").replace(".", " ")
    words = [w if (w.isupper() and len(w) > 1) else w.lower() for w in spaced.split()]
    out = " ".join(words)
    return out if out != name else ""


def readable_local_name(iri: str) -> str:
    """A name made from an IRI's local part when it reads as words, else ``""``."""
    name = local_name(iri)
    if _ID_LIKE.search(name) or not _WORDY.match(name) or sum(c.isalpha() for c in name) < 3:
        return ""
    return split_identifier(name) or name


def strip_qualifier(label: str) -> str:
    """``seed (product)`` -> ``seed``: the name people type without the thesaurus's qualifier."""
    m = _QUALIFIER.match(label)
    return m.group(1) if m else ""


def is_obsolete_label(label: str) -> bool:
    """True for labels such as ``obsolete foo`` that OBO ontologies give retired terms."""
    return bool(_OBSOLETE.match(label))


def without_obsolete(label: str) -> str:
    """``obsolete decreased size`` -> ``decreased size``."""
    return _OBSOLETE.sub("", label, count=1).strip()


def retirements(
    deprecated: set[str], replaced_by: dict[str, str], labels: dict[str, str]
) -> dict[str, list[str]]:
    """``{deprecated term: [its name, the live term replacing it or ""]}``.

    Chains of replacements are followed to a live term; a replacement written as a
    literal CURIE ("PATO:0000001") is matched to the IRI it abbreviates when one term's
    IRI ends that way.
    """
    if not deprecated:
        return {}
    by_tail: dict[str, str] = {}
    if any(not t.startswith(("http", "urn")) for t in replaced_by.values()):
        for iri in labels:
            by_tail.setdefault(local_name(iri).replace("_", ":").lower(), iri)
    out: dict[str, list[str]] = {}
    for term in deprecated:
        seen = {term}
        target = replaced_by.get(term, "")
        while target:
            if not target.startswith(("http", "urn")):
                target = by_tail.get(target.strip().replace("_", ":").lower(), "")
            if target in seen or not target:
                target = ""
                break
            seen.add(target)
            if target not in deprecated:
                break
            target = replaced_by.get(target, "")
        name = without_obsolete(labels.get(term, "")) or readable_local_name(term)
        out[term] = [name, target]
    return out


def is_placeholder(text: str) -> bool:
    """True for a definition that only says there is none ("No definition needed.")."""
    return bool(_PLACEHOLDER.fullmatch(text))


def tagged_names(rows: set[tuple[str, str, str]] | None) -> list[tuple[str, str, str]]:
    """A node's ``(language, kind, text)`` names, kept only when they say more than its one
    shown label (most nodes of a monolingual graph keep nothing: no memory spent)."""
    if not rows or (len(rows) == 1 and next(iter(rows))[1] == "pref"):
        return []
    return sorted(rows)
