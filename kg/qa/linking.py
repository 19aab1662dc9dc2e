"""Find the graph nodes a question names: exact label/alias matches plus typo repair.

Labels and alternative labels of every node are indexed as stem sequences, so "LLMs",
"large-language model" and "tumour detection" find "Large Language Models", "LLM" and
"Tumor Detection". Longer matches win over the shorter ones they contain.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kg.fuzzy import close_matches
from kg.qa.intent import PREPOSITIONS
from kg.qa.text import STOPWORDS, stem, swapped, tokens, tokens_many
from kg.rdf.terms import RELATED_SYNONYM_PREDICATES
from kg.view.graph_view import GraphView
from kg.view.labels import split_identifier, strip_qualifier

__all__ = ["asks_for_kind", "coordinated", "graph_vocabulary", "LabelMatch", "LabelMatcher",
           "derived_names", "respelled"]

_MAX_NGRAM = 8
_COORDINATORS = frozenset({"and", "or", "vs", "versus", "nor"})
_REPAIR_CUTOFF = 0.84  # difflib similarity a known word needs to replace a typo
_REPAIRED_KEEP = 4096  # repaired words remembered
_SENTENCE_MARKS = re.compile(r"[—–:;,!?]|\.\s")
_CAPITALISED = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][A-Za-z0-9]+|[A-Z]{2,}[0-9]*)\b")


@dataclass(frozen=True)
class LabelMatch:
    """One node named in the text, where, and by which surface form."""

    iri: str
    start: int
    end: int
    surface: str
    replaces: str = ""  # the deprecated term named in the text, when this is its replacement


_NEAR_NAMES = frozenset(map(str, RELATED_SYNONYM_PREDICATES))
_NEAR_RANK = 9  # below every other name
_NEAR = "~"  # the first word of a near name's key: a question that names nothing else


class LabelMatcher:
    """Stem-sequence dictionary over node labels, with a vocabulary for typo repair.

    Names are ranked: the shown label and alternative labels first, then labels in other
    languages and derived forms ("FinancialProduct" read as "financial product", "seed"
    for "seed (product)"). A key keeps only the nodes of its best rank, so another node's
    derived name never shadows an exact label. Names of deprecated terms lead to the term
    replacing them, and only when no live node has that name.
    """

    def __init__(self, view: GraphView) -> None:
        self._view = view
        self._table: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._retired: dict[tuple[str, ...], str] = {}
        vocab: set[str] = set()
        named: list[tuple[str, str, int]] = []
        for iri, data in view.nx.nodes(data=True):
            if iri not in view.labels:
                continue  # nodes known only by their IRI are not names people type
            label = data.get("label", "")
            if not data.get("concept") and not data.get("alt_labels") and not _name_like(label):
                # data nodes (figures, table cells, claims) are found by meaning, not by name
                continue
            rank = 0 if data.get("concept") else 1
            for name in [label, *data.get("alt_labels", [])]:
                named.append((iri, name, rank))
                named.extend((iri, extra, rank + 2) for extra in derived_names(name))
            named.extend((iri, name, rank + 2) for name in data.get("names", []))
            # a name of a near meaning (OBO's related synonym) names it last of all
            named.extend((iri, str(value), _NEAR_RANK) for p, value in data.get("literals", ())
                         if p in _NEAR_NAMES)
        best: dict[tuple[str, ...], int] = {}
        keyed: list[tuple[tuple[str, ...], str, int]] = []
        texts = [n for _, n, _ in named]
        for (iri, _, rank), words in zip(named, tokens_many(texts), strict=True):
            key = tuple(map(stem, words))
            if not _indexable(key):
                continue
            keyed.append((key, iri, rank))
            if rank < best.get(key, 99):
                best[key] = rank
            vocab.update(t for t in words if len(t) >= 4)
        near = defaultdict(set)
        for key, iri, rank in keyed:
            if rank == _NEAR_RANK:
                near[key].add(iri)
        for key, iri, rank in keyed:
            # Only the best rank's nodes keep a key: a concept's label beats another node's,
            # and any shown name beats a derived or foreign one
            if rank == best[key] and rank < _NEAR_RANK:
                self._table[key].add(iri)
        for key, iris in near.items():  # a near name that names one node, kept apart
            if len(iris) == 1 and best[key] == _NEAR_RANK:
                self._table[(_NEAR, *key)] = iris
        for old, (name, new) in sorted(view.retired.items()):
            if not new or new not in view.nx:
                continue
            for words in tokens_many([name]):
                key = tuple(map(stem, words))
                if _indexable(key) and key not in self._table:
                    self._retired.setdefault(key, old)
        self._index_words(vocab)

    def to_data(self) -> dict[str, Any]:
        """The label table and known words as JSON-able lists (see :meth:`from_data`)."""
        return {
            "table": [[list(key), sorted(iris)] for key, iris in self._table.items()],
            "retired": [[list(key), old] for key, old in self._retired.items()],
            "known": sorted(self._known),
        }

    @classmethod
    def from_data(cls, view: GraphView, data: dict[str, Any]) -> LabelMatcher:
        """A matcher restored from :meth:`to_data` output without tokenising the graph."""
        matcher = cls.__new__(cls)
        matcher._view = view
        if "buckets" in data:  # tables read on demand (kg.qa.cache): nothing to build
            matcher._table = data["table"]
            matcher._retired = data["retired"]
            matcher._known = data["known"]
            matcher._buckets = data["buckets"]
            matcher._forget_repairs()
            return matcher
        matcher._table = defaultdict(set, {tuple(key): set(iris) for key, iris in data["table"]})
        matcher._retired = {tuple(key): old for key, old in data["retired"]}
        matcher._index_words(set(data["known"]))
        return matcher

    @property
    def vocabulary(self) -> frozenset[str]:
        """Words known to the graph (used to repair typos)."""
        return frozenset(self._known)

    def _index_words(self, words: set[str]) -> None:
        self._known = set(words)
        self._buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        self._add_words(self._known)

    def _add_words(self, words: Iterable[str]) -> None:
        # Bucket order does not matter: difflib ranks candidates by score, then by the
        # word itself, so the repair is the same whatever order the words came in.
        for w in words:
            self._buckets[(w[0], len(w))].append(w)
        self._forget_repairs()

    def _forget_repairs(self) -> None:
        self._repaired: dict[str, str] = {}

    def extend_words(self, words: set[str]) -> None:
        """Add tokens (e.g. of definitions) to the typo-repair vocabulary."""
        new = {t for t in words if len(t) >= 5 and t.isalpha()} - self._known
        self._known |= new
        self._add_words(new)

    def repair(self, words: list[str]) -> list[str]:
        """Replace unknown words of 5+ letters by a close known word ("tranformer" ->
        "transformer").

        Candidates share the first letter and differ in length by at most two, which keeps
        the search small on large graphs (typos rarely change the first letter).
        """
        fixed = []
        for w in words:
            if (len(w) >= 5 and w not in self._known and w not in STOPWORDS and w.isalpha()
                    and stem(w) not in self._known):  # a plural of a known word is no typo
                fixed.append(self._closest(w))
            else:
                fixed.append(w)
        return fixed

    def knows(self, word: str) -> bool:
        """True when ``word`` (or its stem) is a word of the graph's names."""
        return word in self._known or stem(word) in self._known

    def names(self, words: list[str]) -> bool:
        """True when ``words`` are a name of the graph."""
        return bool(self._table.get(tuple(stem(w.lower()) for w in words)))

    def _says(self, iri: str, surface: str) -> bool:
        """True when a name of ``iri`` is ``surface`` as typed (case and a notation aside:
        "natural fibres" says "P.18.01 Natural Fibres", not "Natural fibre")."""
        data = self._view.node(iri)
        return any(" ".join(w for w in tokens(n) if w.isalpha() and len(w) > 1) == surface
                   for n in [data.get("label", ""), *data.get("alt_labels", [])])

    def unknown_names(self, text: str, known: Callable[[str], bool]) -> list[str]:
        """Capitalised or all-caps words (not sentence-initial) of the question asked (not of
        the context told before it) that are neither ``known`` (a stem the graph holds, a
        language asked for) nor a typo of a known word."""
        found = []
        # a name told before the question ("My boss wants it by Friday - what is X?") is the
        # asker's context, not what is asked about
        end = text.rfind("?")
        start = max(text.rfind(mark, 0, end) for mark in _TOLD_BEFORE)
        text = text[start + 1:] if end > 0 and start > 0 else text
        for match in _CAPITALISED.finditer(text):
            word = match.group(1)
            low = word.lower()
            if low in STOPWORDS or known(low) or self.repair([low]) != [low]:
                continue
            found.append(word)
        return found

    def unswapped(self, word: str) -> str | None:
        """The known word ``word`` is with two neighbouring letters typed the wrong way
        round ("modles", "hybird"), if any; None for a known word or a short one."""
        if len(word) < 5 or word in self._known or not word.isalpha():
            return None
        return next((t for t in swapped(word) if t in self._known), None)

    def _closest(self, word: str) -> str:
        """The known word difflib finds closest to ``word`` (itself when none is close),
        remembered: a question repairs its words more than once, a server sees them again."""
        found = self._repaired.get(word)
        if found is None:
            swapped = self.unswapped(word)
            pool = [c for n in range(len(word) - 2, len(word) + 3)
                    for c in self._buckets.get((word[0], n), ())] if swapped is None else []
            close = close_matches(word, pool, n=1, cutoff=_REPAIR_CUTOFF)
            found = swapped or (close[0] if close else word)
            if len(self._repaired) >= _REPAIRED_KEEP:
                self._repaired.clear()
            self._repaired[word] = found
        return found

    def find(self, text: str, asks: Callable[[str], bool] | None = None) -> list[LabelMatch]:
        """Non-overlapping label matches, longest first, in order of appearance.

        A deprecated term's name yields a match on the term replacing it, with
        ``replaces`` set to the deprecated term. Given ``asks`` (true for a word that says
        what is asked, such as "term"), a name that starts with such a word does not cut a
        name that goes on after it: "broader term of trade union" names "trade union", not
        "terms of trade".
        """
        typed = tokens(text)
        # a word that asks ("contrast X with Y") is no typo of a name ("contract")
        words = [w if asks is not None and asks(w) else r
                 for w, r in zip(typed, self.repair(typed), strict=True)]
        words = [w if w in self._known else next(
            (v for v in _singulars(w) if v in self._known), w) for w in words]  # "crises"
        words = [self._spelled(w) for w in words]  # "fertilizer" where the graph has "-iser"
        keys = [stem(w) for w in words]
        taken = [False] * len(keys)
        found: list[LabelMatch] = self._turned(words, keys, taken, asks)
        for size in range(min(_MAX_NGRAM, len(keys)), 0, -1):
            for start in range(0, len(keys) - size + 1):
                if any(taken[start : start + size]):
                    continue
                key = tuple(keys[start : start + size])
                iris = self._table.get(key)
                old = "" if iris else self._retired.get(key, "")
                if old:
                    iris = {self._view.replacement(old)}
                if not iris or (asks is not None and asks(words[start])
                                and self._cuts(keys, start, start + size)
                                and not _compound(text, words, start)):
                    continue
                for i in range(start, start + size):
                    taken[i] = True
                surface = " ".join(words[start : start + size])
                if len(iris) > 1:  # "nitrogen oxides" names "nitrogen oxides", not "... oxide"
                    iris = {i for i in iris if self._says(i, surface)} or iris
                for iri in sorted(iris):
                    found.append(LabelMatch(iri, start, start + size, surface, old))
        for k, word in enumerate(words):
            # "aneuploidy", "hairiness": the noun of a one-word name ("aneuploid", "hairy")
            iris = None if taken[k] or word in STOPWORDS else next(
                (self._table[key] for v in [*_derived(word), *_singulars(word)]
                 if (key := (stem(v),)) in self._table), None)  # ("volcanoes": "volcano")
            if iris and (asks is None or not asks(word)):
                taken[k] = True
                found += [LabelMatch(iri, k, k + 1, word) for iri in sorted(iris)]
        found += self._coordinated(words, keys, taken, found)
        return sorted(not_titles(found, typed), key=lambda m: (m.start, m.iri))  # as typed

    def _spelled(self, word: str) -> str:
        """``word`` in the spelling the graph's names use, when it names nothing as typed
        and its British or American form does ("fertilizer", "colour", "centre")."""
        if (stem(word),) in self._table:
            return word
        unknown = word not in self._known
        return next((v for v in respelled(word) if (stem(v),) in self._table or (
            unknown and v in self._known)), word)

    def _turned(self, words: list[str], keys: list[str], taken: list[bool],
                asks: Callable[[str], bool] | None) -> list[LabelMatch]:
        """Names said the other way round, "A of B" for the label "B A" ("pollution of
        water" for water pollution), where "A of B" is no name itself and A asks nothing;
        their words are ``taken``."""
        out: list[LabelMatch] = []
        for of in (k for k, key in enumerate(keys) if key == "of" and 0 < k < len(keys) - 1):
            det = int(words[of + 1] in ("the", "a", "an"))  # "pollution of the air"
            for a, b in ((2, 2), (2, 1), (1, 2), (1, 1)):
                start, end = of - a, of + 1 + det + b
                if start < 0 or end > len(keys) or any(taken[start:end]) or any(
                        asks is not None and asks(w) for w in words[start:of]) or (
                        keys[of - 1] in _MEASURES):  # "the speed of sound": a value asked
                    continue
                iris = self._table.get((*keys[of + 1 + det:end], *keys[start:of]))
                if iris and not self._table.get(tuple(keys[start:end])):
                    for i in range(start, end):
                        taken[i] = True
                    out += [LabelMatch(iri, start, end, " ".join(words[start:end]))
                            for iri in sorted(iris)]
                    break
        return out

    def near(self, text: str, found: list[LabelMatch]) -> list[LabelMatch]:
        """Names of a near meaning (OBO's related synonyms: "enlarged" for increased size)
        in the words ``found`` leaves free, longest first: weaker than any name, they are
        used where the question names nothing else, or names only a relation of theirs."""
        keys = [stem(w) for w in self.repair(tokens(text))]
        free = [not any(m.start <= k < m.end for m in found) for k in range(len(keys))]
        return [LabelMatch(iri, start, start + size, " ".join(keys[start:start + size]))
                for size in range(min(_MAX_NGRAM, len(keys)), 0, -1)
                for start in range(len(keys) - size + 1) if all(free[start:start + size])
                for iri in self._table.get((_NEAR, *keys[start:start + size]), ())]

    def _cuts(self, keys: list[str], start: int, end: int) -> bool:
        """True when a name begins inside ``keys[start:end]`` (not at its start) and ends
        after it: taking the span would cut that name in two."""
        return any(self._table.get(tuple(keys[i:j]))
                   for i in range(start + 1, end)
                   for j in range(end + 1, min(len(keys), i + _MAX_NGRAM) + 1))

    def _coordinated(
        self, words: list[str], keys: list[str], taken: list[bool], found: list[LabelMatch]
    ) -> list[LabelMatch]:
        """Names shared by a coordination: "supervised and unsupervised learning" names
        Supervised Learning too, and "narrow or general AI" Narrow AI: a word left unmatched
        before "and"/"or"/"vs" takes the place of the first word of the name after it."""
        extra = []
        for m in list(found):
            # "a concave and a convex 3-D shape": an article may stand before the second name
            i = m.start - 2 - (m.start >= 1 and words[m.start - 1] in _ARTICLES)
            if i < 0 or words[i + 1] not in _COORDINATORS or m.end - m.start < 2:
                continue
            # the word before takes the place of the name's first word, or of all but its
            # head ("ionising versus non-ionising radiation")
            iris, key = set(), ()
            for k in range(m.start + 1, m.end):
                key = (keys[i], *keys[k : m.end])
                iris = self._table.get(key)
                if iris:
                    break
            alone = [f for f in found if (f.start, f.end) == (i, i + 1)]
            if iris and (not taken[i] or alone):
                # a word that is a name alone ("concave") shares the name after it all the same
                found[:] = [f for f in found if f not in alone]
                surface = " ".join([words[i], *words[m.end - len(key) + 1 : m.end]])
                extra += [LabelMatch(iri, i, i + 1, surface) for iri in sorted(iris)]
                taken[i] = True
        return extra


def _compound(text: str, words: list[str], k: int) -> bool:
    """True when word ``k`` is hyphened to the next one in ``text`` ("non-conventional"):
    part of one word, whatever it says alone."""
    return k + 1 < len(words) and re.search(
        rf"(?<!\w){re.escape(words[k])}-{re.escape(words[k + 1])}(?!\w)", text.lower()) is not None


_ARTICLES = frozenset({"a", "an", "the"})
# nouns of a measure: "the speed of sound" asks its value, it names no "sound speed"
_MEASURES = frozenset(stem(w) for w in "speed height size weight width depth length age price "
                      "cost rate number amount temperature population value level".split())


def _derived(word: str) -> list[str]:
    """Words ``word`` may be the noun of, by English suffixes: "hairiness" -> "hairy",
    "flatness" -> "flat", "aneuploidy" -> "aneuploid", "fragility" -> "fragile",
    "rigidity" -> "rigid", and the nouns of verbs: "hallucinates" -> "hallucination",
    "polluting" -> "pollution". Only long words: a short one is too easily another word."""
    if len(word) < 7 or not word.isalpha():
        return []
    if word.endswith("ies"):  # "aneuploidies": the plural of a noun in -y first
        return [word[:-3] + "y", *_derived(word[:-3] + "y")]
    out = []
    if word.endswith("iness"):
        out.append(word[:-5] + "y")
    elif word.endswith("ness"):
        out.append(word[:-4])
    elif word.endswith("ility"):
        out += [word[:-5] + "ile", word[:-5] + "le"]
    elif word.endswith("ity"):
        out.append(word[:-3])
    elif word.endswith("y"):
        out.append(word[:-1])
    for verb, noun in (("ates", "ation"), ("ating", "ation"), ("ated", "ation"),
                       ("utes", "ution"), ("uting", "ution"), ("uted", "ution")):
        if word.endswith(verb):  # "hallucinates" -> "hallucination", "pollutes"
            out.append(word[:-len(verb)] + noun)
    return out


# plurals English took from Latin and Greek (and "-oes"), and their singulars' endings
_CLASSICAL = (("ses", "sis"), ("ices", "ex"), ("ices", "ix"), ("ia", "ion"), ("a", "on"),
              ("a", "um"), ("i", "us"), ("ae", "a"), ("oes", "o"))


def _singulars(word: str) -> list[str]:
    """The singulars ``word`` may be the classical plural of ("crises" -> "crisis",
    "phenomena" -> "phenomenon", "indices" -> "index", "volcanoes" -> "volcano"); long
    words only."""
    if len(word) < 5 or not word.isalpha():
        return []
    return [word[:-len(end)] + one for end, one in _CLASSICAL if word.endswith(end)]


# British and American spellings of one word: each pair is tried both ways
_SPELLINGS = (("ize", "ise"), ("iza", "isa"), ("yze", "yse"), ("yzi", "ysi"), ("or", "our"),
              ("ors", "ours"), ("ored", "oured"), ("er", "re"), ("ers", "res"),
              ("ense", "ence"), ("og", "ogue"), ("eled", "elled"), ("eling", "elling"),
              ("sulf", "sulph"), ("gram", "gramme"))


def respelled(word: str) -> list[str]:
    """The other spellings of ``word`` across British and American English ("fertilizer"
    -> "fertiliser", "colour" -> "color", "centre" -> "center", "anaemia" -> "anemia");
    long words only."""
    if len(word) < 5 or not word.isalpha():
        return []
    out = []
    for us, uk in _SPELLINGS:
        for a, b in ((us, uk), (uk, us)):
            at = word.rfind(a)
            # an ending, or inside the word ("organization", "sulphur", "colourless")
            if (at > 1 and (at + len(a) == len(word) or len(a) >= 3)) or (
                    at == 0 and len(a) >= 4):
                out.append(word[:at] + b + word[at + len(a):])
    out += [word.replace(d, "e", 1) for d in ("ae", "oe") if d in word[1:]]  # "anaemia"
    return list(dict.fromkeys(v for v in out if v != word))


def _indexable(key: tuple[str, ...]) -> bool:
    if not key or len(key) > _MAX_NGRAM:
        return False
    return not (len(key) == 1 and (key[0] in STOPWORDS or len(key[0]) < 2))


def derived_names(name: str) -> list[str]:
    """Other ways people type a name: identifiers split into words, qualifier dropped."""
    out = []
    split = split_identifier(name)
    if split:
        out.append(split)
    bare = strip_qualifier(name)
    if bare:
        out.append(bare)
    return out


def _name_like(label: str) -> bool:
    """A short name (an individual such as "Monday"), not a sentence-like title."""
    words = label.split()
    return 0 < len(words) <= 4 and not _SENTENCE_MARKS.search(label)


def coordinated(matches: list[LabelMatch], words: list[str]) -> list[LabelMatch]:
    """Two names of one concept joined by "and"/"or" ("companies and organisations") are one
    span: the question names one thing twice, not two topics."""
    at: dict[tuple[int, int], list[LabelMatch]] = {}
    for m in matches:
        at.setdefault((m.start, m.end), []).append(m)
    spans = sorted(at)
    for a, b in zip(spans, spans[1:], strict=False):
        if a not in at or b[0] <= a[1] or not all(
                w in ("and", "or", ",") for w in words[a[1]:b[0]]):
            continue
        shared = {m.iri for m in at[a]} & {m.iri for m in at[b]}
        if shared:
            at[(a[0], b[1])] = [dataclasses.replace(m, end=b[1]) for m in at.pop(a)
                                if m.iri in shared]
            del at[b]
    return [m for span in sorted(at) for m in at[span]]


_TOLD_BEFORE = (". ", "? ", "! ", "\u2014", "\u2013", " - ")  # marks that end a part told first
# words that call a vocabulary by its subject ("the economics thesaurus")
_VOCABULARY = frozenset("thesaurus ontology taxonomy vocabulary glossary".split())
# words after a name said as the setting of the question ("in ChatGPT terms")
_SETTING = frozenset("terms context sense parlance jargon speak lingo".split())


def not_titles(matches: list[LabelMatch], words: list[str]) -> list[LabelMatch]:
    """The matches that name a concept, not the vocabulary itself: "the *economics*
    thesaurus", "this *plant* ontology" name the graph by its subject, and "the Spanish
    version *of the thesaurus*" the graph itself; "in *ChatGPT* terms", "in the *AI*
    context" name the setting of another name asked about."""
    setting = [m for m in matches if m.end < len(words) and words[m.end] in _SETTING
               and "in" in words[max(0, m.start - 2):m.start]]
    matches = [m for m in matches if m not in setting] if len(setting) < len(matches) else (
        matches)
    return [m for m in matches if not (
        m.start and words[m.start - 1] in ("the", "this", "your", "that")
        and m.end < len(words) and words[m.end] in _VOCABULARY) and not (
        m.start >= 2 and words[m.start - 2] in ("of", "in", "from", "within")
        and words[m.start - 1] in ("the", "this", "your") and m.end == m.start + 1
        and words[m.start] in _VOCABULARY)]


# words before a name that ask for some of its kind ("a few", "several", "list", "name three");
# not "some", which stands for one unnamed thing as often ("made by some company")
_SOME = frozenset("few several list name two three four five six".split())


def asks_for_kind(words: list[str], start: int, end: int) -> bool:
    """True for "which framework", "what popular framework", "an example of a company
    that...", "industries using AI", "sectors where AI is applied": the name is the type of
    the thing asked for, not the subject."""
    after = words[end] if end < len(words) else ""
    wh = ("which", "what")
    verb = end + 1 < len(words) and words[end + 1].endswith(("ing", "ed"))  # "are using"
    if after in ("is", "are", "mean", "means") and not verb and not (  # "in which X is used"
            start >= 2 and words[start - 1] in wh and words[start - 2] in PREPOSITIONS):
        return False  # "what X is": a definition
    if (start >= 1 and words[start - 1] in wh) or (
            start >= 2 and words[start - 2] in wh and words[start - 1] not in STOPWORDS):
        return True
    before = words[max(0, start - 3) : start]
    if before[-1:] and (before[-1] in _SOME or before[-2:] in (["couple", "of"], ["few", "of"])):
        return True  # "a few industries where ...", "list sectors using ...", "three companies"
    return ("example" in before or "examples" in before) or after in ("that", "who") or (
        start == 0 and (after in ("where", "which") or after.endswith("ing")))


def graph_vocabulary(view: GraphView, matcher: LabelMatcher) -> set[str]:
    """Stems of every word in the graph's labels and descriptions (tokenised once; the
    description words also feed ``matcher``'s typo repair)."""
    names: list[str] = []
    descriptions: list[str] = []
    for _, data in view.nx.nodes(data=True):
        names.append(data.get("label", ""))
        names.extend(data.get("alt_labels", []))
        descriptions.extend(data.get("descriptions", []))
    words = {t for ts in tokens_many(names) for t in ts}
    described = {t for ts in tokens_many(descriptions) for t in ts}
    matcher.extend_words(described)
    vocab = {stem(t) for t in words | described}
    vocab.update(stem(t) for t in matcher.vocabulary)
    return vocab
