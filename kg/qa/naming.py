"""Which label matches of a question name its topics, and which are other words that
happen to be names: a verb ("who *develops* X"), an adjective ("a *good* recipe" where the
graph has "Goods"), a word for how the answer should be ("a *short* gloss"), or the kind the
topic is said to be ("the *colour* bronze").
"""

from __future__ import annotations

from collections.abc import Callable

from kg.qa.linking import LabelMatch
from kg.qa.text import STOPWORDS
from kg.view.graph_view import GraphView

__all__ = ["ANSWER_WORDS", "appositions", "not_verbs", "plural_only"]

_AUXILIARIES = frozenset({"does", "do", "did", "can", "could", "will", "would", "should", "might"})
_WH = frozenset({"how", "why", "what", "when", "where"})
# words after a verb that end its clause ("what does X split into", "how does X work")
_PARTICLES = frozenset("into in to on with from for up down out of".split())
_DETERMINERS = frozenset("the its their a an this that these those".split())
_DEFINITE = frozenset("the this that these those its their your our my".split())
# nouns for the answer itself: a word said before one says how the answer should be ("a
# short gloss", "a plain definition"), not what it is about
ANSWER_WORDS = frozenset("definition definitions explanation description gloss overview "
                         "summary sentence answer note".split())


def plural_only(view: GraphView, iri: str) -> str:
    """The label of ``iri`` when it is said only in the plural ("Goods"); "" when the
    concept also has a name in the singular ("Transformers", also "Transformer")."""
    label = view.label(iri)
    single = label.lower()[:-1]
    return "" if any(a.lower() == single for a in view.node(iri).get("alt_labels", ())) else (
        label)


def not_verbs(matches: list[LabelMatch], words: list[str],
              label: Callable[[str], str] | None = None,
              known: Callable[[str], bool] = lambda _: True,
              describes: Callable[[str], bool] = lambda w: w in ANSWER_WORDS
              ) -> list[LabelMatch]:
    """The matches that are names: the one word after "who" is its verb ("who develops X"),
    not a name ("Developers"); so is one word between two names after "how does" ("how
    does drought *lead* to desertification": not the metal), and one word after a name
    after "what does" that a particle follows ("what does X *split* into"). Given each node's
    ``label``, a word that names a plural-only label is an adjective before another word,
    after "a" or before a word the graph does not ``known`` ("a good example", "good
    vegetarian restaurants", where the graph has "Goods"). One word between a name and
    a determiner is a verb ("market structures *share* its parent"), and so is one word
    before "its" or "their" ("which other drinks *share* its parent"). One word after "a"
    before a word that ``describes`` the answer asked ("a *short* gloss on X") says how it
    should be, when another name is the topic."""
    ends = {m.end: m for m in matches}
    starts = {m.start for m in matches}

    def adjective(m: LabelMatch) -> bool:  # "a good recipe", "good vegetarian restaurants"
        after = words[m.end] if m.end < len(words) else ""
        before = words[m.start - 1] if m.start else ""
        if before in ("a", "an") and after not in STOPWORDS and describes(after) and (
                len(matches) > 1):
            return True  # "a short gloss on X", "a brief explanation of X"
        if label is None or not after.isalpha() or after in STOPWORDS or (
                label(m.iri).lower() != words[m.start] + "s"):
            return False
        return before in ("a", "an") or (not known(after) and before not in _DEFINITE)

    def verb(m: LabelMatch) -> bool:
        if m.end - m.start != 1:
            return False
        if adjective(m):
            return True
        if m.start == 0:
            return False
        if words[m.start - 1] == "who":
            return True
        before = ends.get(m.start)
        if before is not None and m.end < len(words) and words[m.end] in _DETERMINERS:
            return True  # "which market structures *share* its parent": a verb, its object
        if m.end < len(words) and words[m.end] in ("its", "their") and (
                words[m.start - 1] not in STOPWORDS):  # (not "the opposite of X -> its parent")
            return True  # "which other drinks *share* its parent": a subject, then its verb
        return (before is not None and before.start >= 2
                and words[before.start - 1] in _AUXILIARIES
                and words[before.start - 2] in _WH
                and (any(s > m.end for s in starts) or (
                    m.end < len(words) and words[m.end] in _PARTICLES)))  # "X *split* into"

    return [m for m in matches if not verb(m)]


def appositions(matches: list[LabelMatch], words: list[str],
                ancestors: Callable[[str], list[list[str]]]) -> list[LabelMatch]:
    """The matches without a name said after "the" just before a concept filed under it,
    or after "as a" just after one: "the *quality* senescent", "the *colour* bronze",
    "supply chain as an *AI application*" say what kind of thing the topic is."""
    def under(o: LabelMatch, m: LabelMatch) -> bool:
        return any(m.iri in chain for chain in ancestors(o.iri))

    def kind_said(m: LabelMatch) -> bool:
        if m.start > 1 and words[m.start - 1] in ("a", "an") and words[m.start - 2] == "as":
            return any(o.end == m.start - 2 and under(o, m) for o in matches)
        return m.start > 0 and words[m.start - 1] in ("the", "a", "an") and any(
            o.start == m.end and under(o, m) for o in matches)
    return [m for m in matches if not kind_said(m)]
