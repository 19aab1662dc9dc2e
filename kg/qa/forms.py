"""What a question asks, read by meaning: the asked form, its topics and its constraints.

The forms are defined by example phrasings in a data file per language
(``kg/qa/lang/en.toml``), not by patterns in code. A question is read in three steps:

1. the words that name its topics are masked (``X``, ``Y``) and a language it names is
   masked as ``L`` (and kept as a constraint: "called in German" asks for ``de`` labels);
2. a softmax classifier trained on the phrasings (:func:`train`, shipped beside the data
   file) reads the masked question: its embedding by the same model as the graph's, plus
   its hashed words and word pairs;
3. the best form is taken only when it is both likely enough and clearly ahead of the next
   one; otherwise the reading says it is unsure, and the ranked facts answer instead.

The words that say what is asked ("parent", "synonyms", "narrower", "how many") are listed in
the same file: a concept named only by such words is never a topic of the question.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tomllib
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from kg.files import atomic_write
from kg.fuzzy import close_matches
from kg.qa import weights as W
from kg.qa.pointing import BACK as _BACK
from kg.qa.pointing import pointing
from kg.qa.text import STOPWORDS, filled, stem, swapped, tokens

__all__ = ["FormModel", "FormReader", "Lexicon", "Reading", "lexicon", "train", "with_graph_names"]

_NAME_SAMPLE = 2000  # IRIs read for the words that name the graph itself
_NAME_WORDS = 3  # a label this short is a concept's name (a title is longer)
_TOPIC = "X"
_SECOND = "Y"
_LANGUAGE = "L"
_HASHED = 1024  # buckets of the hashed words and word pairs
_RATE = 2.0  # gradient descent step of the classifier
_DECAY = 3e-4  # its L2 penalty: keeps the weights small enough to generalise
_SEEN_MAX = 4096  # masked questions whose vectors are kept
_SHORT_WORD = re.compile(r"(?<![\w&/.-])[A-Za-z]+(?![\w&/.-])")  # a word standing alone
_LONG_SLIP = re.compile(r"\b[A-Za-z]{4,}\b")  # a word long enough to be respelled
_PREFIXED = re.compile(r"\b(sub|super|hyper|hypo)[\s-]+([a-z]+)\b", re.IGNORECASE)
_TAG_FIRST = re.compile(r"^\s*([A-Za-z]{2})\s*:\s+(?=\S)")  # "es: deforestation"
_SLIP_MIN = 6  # shorter words are respelled only where two letters are swapped or one is left out
_SLIP_CUTOFF = 0.85  # how like a word that asks a slip must be
MIN_PROBABILITY = 0.3  # below this the classifier is unsure what is asked
MIN_LEAD = 1.4  # ... and when the best form is not this many times the next one


# words after a language tag said first that make it one ("fr label: X")
_LABEL_WORDS = frozenset({"label", "term", "name", "word", "translation", "equivalent"})
# forms that ask the same of opposite directions
_OPPOSED = frozenset({frozenset({"broader", "narrower"}),
                      frozenset({"count_broader", "count_narrower"})})
# the forms answered yes or no
_CHECKS = frozenset({"kind_check", "relation_check"})
# words before a language's name that make it the language the asker speaks, not one asked
_ASKERS_OWN = frozenset({"native", "my", "our", "speak", "speaks", "fluent"})

# words by which a question refers back to a topic named before it ("what are they?")
_REFERS_BACK = frozenset("it they them".split())


@dataclass(frozen=True)
class Lexicon:
    """One language's words for question reading (see ``kg/qa/lang/<lang>.toml``)."""

    asking: frozenset[str]  # stems of the words that say what is asked
    languages: dict[str, str]  # language name -> label tag
    phrasings: dict[str, tuple[str, ...]]  # form -> example phrasings
    renderers: dict[str, str]  # form -> the renderer that answers it
    digest: str  # of the phrasings: names the classifier trained on them
    vocabulary: dict[str, frozenset[str]] = field(default_factory=dict)  # form -> stems
    agents: frozenset[str] = frozenset()  # stems of the kinds a "who" question asks for
    grammar: frozenset[str] = frozenset()  # stems of words that carry nothing of the ask
    # the words that name a link of the hierarchy, each with the steps it takes
    # ("grandparents": broader, broader); read by kg.qa.chains
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    shorthand: dict[str, str] = field(default_factory=dict)  # "btwn" -> "between"
    codes: dict[str, str] = field(default_factory=dict)  # "labour market, de": said last
    symbols: dict[str, str] = field(default_factory=dict)  # "⊂" -> "is a kind of"
    own: frozenset[str] = frozenset()  # stems of the words naming the graph itself ("stw")
    # words that say which way a question points (up, down, containing, below, above)
    directions: dict[str, frozenset[str]] = field(default_factory=dict)

    def pointing(self, masked: str) -> str:
        """"broader" or "narrower" where the masked question's words point one way up or
        down the hierarchy (kg.qa.pointing); "" where they point no way, or both."""
        return pointing(self.directions, masked)

    def written_out(self, text: str) -> str:
        """``text`` with its shorthand written out ("whats the diff btwn X and Y")."""
        tagged = _TAG_FIRST.match(text)  # "es: X" says the tag first: "X, es"
        if tagged and tagged[1].lower() in self.codes:
            text = f"{text[tagged.end():]}, {tagged[1]}"
        text = _PREFIXED.sub(lambda m: m[1] + m[2] if (m[1] + m[2]).lower() in self.spelled
                             else m[0], text)  # "sub topics", "super class": one word asks
        for symbol, words in self.symbols.items():  # "X ⊂ Y?" in a set's notation (not
            text = re.sub(rf"(?<!\w){re.escape(symbol)}", f" {words} ", text)  # "C# of")
        if not self.shorthand:
            return text
        return _SHORT_WORD.sub(lambda m: self.shorthand.get(m[0].lower(), m[0]), text)

    @cached_property
    def spelled(self) -> frozenset[str]:
        """The words the phrasings are written in."""
        return frozenset(w for ps in self.phrasings.values() for p in ps for w in tokens(p)
                         if w.isalpha())

    @cached_property
    def _asking_set(self) -> frozenset[str]:
        """The words that ask, as a set: looked up once per letter put back in a slip."""
        return frozenset(self.spelled_asking)

    @cached_property
    def spelled_asking(self) -> list[str]:
        """The words of the phrasings that ask ("synonyms", "narrower"): what a slip of one
        is respelled to."""
        return sorted(w for w in self.spelled if len(w) >= 5 and stem(w) in self.asking)

    def respelled(self, text: str, known: Container[str]) -> str:
        """``text`` with a slip of a word that asks respelled ("synonims"), where neither
        the graph (the stems ``known``) nor the lexicon knows the word typed."""
        def slip(m: re.Match[str]) -> str:
            w = m[0].lower()
            if w in self.spelled or (s := stem(w)) in known or s in self.asking:
                return m[0]
            if len(w) < _SLIP_MIN:  # a short word: only two letters typed the wrong way
                # ("knwon"), or one letter of a word that asks left out ("numbr")
                filled_in = filled(w) if len(w) > 4 else []
                return next((t for t in swapped(w) if t in self.spelled), None) or next(
                    (t for t in filled_in if t in self._asking_set), m[0])
            near = next(iter(close_matches(w, self.spelled_asking, n=1, cutoff=_SLIP_CUTOFF)),
                        "")
            # a word made from the one that asks is no slip of it ("director", "direct")
            return near if near and not (w.startswith(near) or near.startswith(w)) else m[0]

        return _LONG_SLIP.sub(slip, text)

    def unclaimed(self, form: str, words: Sequence[str]) -> list[str]:
        """The words of a masked question that neither the form's phrasings, the asking
        words nor the stop words account for: in "how many employees does X have",
        "employees" is something no count of the hierarchy is about."""
        known = self.vocabulary.get(form, frozenset())
        return [w for w in words if w not in (_TOPIC, _SECOND, _LANGUAGE) and w not in STOPWORDS
                and w.isalpha() and (s := stem(w)) not in self.asking and s not in known
                and s not in self.grammar]

    def says_ask(self, word: str) -> bool:
        """True when ``word`` is one of the words the lexicon asks with ("relates" in "what
        relates to X"), not a thing asked about."""
        s = stem(word)
        return s in self.asking or any(s in v for v in self.vocabulary.values())

    def language_in(self, words: Sequence[str]) -> tuple[str, int] | None:
        """The language tag a question names and the word's position, if any."""
        found = self.languages_in(words)
        return found[0] if found else None

    def languages_in(self, words: Sequence[str]) -> list[tuple[str, int]]:
        """The language tags a question names, with their words' positions: the first,
        and those joined to it ("the German and French labels")."""
        found: list[tuple[str, int]] = []
        for k, word in enumerate(words):
            # "what do Germans call X": the speakers' name says the language too
            # "en français": a language's own name, read without its accents
            word = _unaccented(word)
            tag = self.languages.get(word) or (word.endswith("s") and self.languages.get(
                word[:-1])) or ((k == len(words) - 1 and k or words[k + 1:k + 2] and stem(
                    words[k + 1]) in _LABEL_WORDS) and self.codes.get(word))
            if tag and words[k - 1:k] and (words[k - 1] in _ASKERS_OWN or words[k - 1] in (
                    "a", "an") and not (words[k + 1:k + 2] and stem(words[k + 1]) in _LABEL_WORDS)):
                continue  # "no native English speaker", "my German", "a French pen pal"
            if tag and (not found or k - found[-1][1] == 1 or (
                    k - found[-1][1] == 2 and words[k - 1] in ("and", "or"))):
                found.append((tag, k))
        return found

    def names_language(self, words: Sequence[str]) -> bool:
        """True when ``words`` are a language's name ("Germans"), no word that asks."""
        stems = [stem(w) for w in words if w not in STOPWORDS]
        return bool(stems) and all(s in self.languages for s in stems)

    def asks_only(self, words: Sequence[str]) -> bool:
        """True when every word is one that says what is asked (or a stop word)."""
        stems = [stem(w) for w in words if w not in STOPWORDS]
        return bool(stems) and all(s in self.asking or s in self.languages for s in stems)


@lru_cache(maxsize=4)
def lexicon(lang: str = "en") -> Lexicon:
    """The lexicon of ``lang`` shipped with the package (read once per process)."""
    raw = resources.files("kg.qa").joinpath("lang", f"{lang}.toml").read_bytes()
    data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    forms = data["forms"]
    return Lexicon(
        asking=frozenset(stem(w) for w in data["asking"].split()),
        languages={k.lower(): v for k, v in data["languages"].items()},
        phrasings={name: tuple(f["phrasings"]) for name, f in forms.items()},
        renderers={name: f["renderer"] for name, f in forms.items()},
        # the classifier depends on the phrasings only: other edits need no retraining
        digest=hashlib.sha256(json.dumps(
            {name: f["phrasings"] for name, f in sorted(forms.items())}).encode()).hexdigest()[:16],
        vocabulary={name: frozenset(stem(w) for p in f["phrasings"] for w in tokens(p))
                    for name, f in forms.items()},
        agents=frozenset(stem(w) for w in data.get("agents", "").split()),
        grammar=frozenset(stem(w) for w in data.get("grammar", "").split()),
        links={phrase: tuple(steps.split()) for steps, phrases in data.get("links", {}).items()
               for phrase in phrases},
        shorthand={k.lower(): v for k, v in data.get("shorthand", {}).items()},
        codes={k.lower(): v for k, v in data.get("language_codes", {}).items()},
        symbols=dict(data.get("symbols", {})),
        directions={k: frozenset(stem(w) for w in v.split())
                    for k, v in data.get("directions", {}).items()},
    )


@dataclass
class Reading:
    """A question read: the form asked (``""`` when unsure), how sure, and constraints."""

    form: str = ""
    renderer: str = "ranked"  # who answers the form (the lexicon's table)
    score: float = 0.0
    lang: str = ""  # the label language asked for ("called in German": "de")
    masked: str = ""  # the question as compared: topics as X and Y, a language as L
    scores: dict[str, float] = field(default_factory=dict)
    unclaimed: list[str] = field(default_factory=list)  # words the form does not account for
    spans: list[tuple[int, int]] = field(default_factory=list)  # the spans read as topics
    clause: bool = False  # read from the last clause alone (the rest is context)


def _maskings(spans: Sequence[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Every topic span masked; with several, also each one alone (a name in the question
    may be what is asked rather than what it is about)."""
    out = [list(spans)]
    if len(spans) > 1:
        out += [[span] for span in spans]
    return out


_CLAUSE_END = re.compile(r"[;.?!:,]\s+|\s+[-\u2013\u2014]+\s+")  # where a question's clauses meet
_WH = frozenset({"what", "which", "who", "whom", "whose", "where", "when", "how", "why"})
# a plural pronoun may take up what the words before asked for ("two parents; which are
# they?"); a singular one is the topic ("... federated learning; what is it?")
_PLURAL = frozenset({"they", "them", "their", "these", "those"})
_BIDDING = frozenset("give list name show tell find say".split())  # "..., list its children"
_BEFORE_OWN = frozenset("in of from by within the a does do did can".split())  # "... in the STW"
_AUXILIARY = frozenset("is are was were does do did can could has have".split())


def _clause_masked(question: str, spans: Sequence[tuple[int, int]]) -> tuple[str, int]:
    """The question's last clause with its first word referring back as ``X`` (and where
    it starts), when it asks (a wh-word, or an auxiliary first) and a topic is named before
    it ("If I use Keras, what is listed alongside it?"); else ("", -1)."""
    pieces = [p for p in _CLAUSE_END.split(question) if tokens(p)]
    last = tokens(pieces[-1]) if len(pieces) > 1 else []
    start = len(tokens(question)) - len(last)
    back = next((k for k, w in enumerate(last) if w in _BACK), None)
    if back is None or not any(end <= start for _, end in spans) or any(
            a < start < b for a, b in spans) or not (
                _WH & set(last) or last[0] in _AUXILIARY or last[0] in _BIDDING):
        return "", -1  # (a clause that asks nothing adds to the one before: "..., all of it")
    inside = {a - start: b - start for a, b in spans if a >= start}  # "what other trends":
    out, k = [], 0  # a name in the clause is the kind asked, Y
    while k < len(last):
        out.append(_TOPIC if k == back else _SECOND if k in inside else last[k])
        k = inside.get(k, k + 1)
    return " ".join(out), start


def _masked_words(masked: str) -> list[str]:
    return [w if w in (_TOPIC, _SECOND, _LANGUAGE) else stem(w) for w in masked.split()]


def word_features(masked: str) -> np.ndarray:
    """The masked question's words and word pairs, hashed into a unit vector: the word order
    an embedding blurs ("under X" asks down the hierarchy, "X ... under" asks up)."""
    words = ["^", *_masked_words(masked), "$"]
    grams = words[1:-1] + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    if _TOPIC in words:
        # which side of the topic each word stands on, however far: "what falls under X"
        # asks down the hierarchy, "what does X fall under" up
        at = words.index(_TOPIC)
        grams += [f"{w} <X" if k < at else f"X> {w}" for k, w in enumerate(words)
                  if w not in (_TOPIC, _SECOND, _LANGUAGE, "^", "$") and w not in STOPWORDS]
    vec = np.zeros(_HASHED, dtype=np.float32)
    for g in grams:
        vec[zlib.crc32(g.encode("utf-8")) % _HASHED] += 1.0
    n = float(np.linalg.norm(vec))
    return vec / n if n else vec


@dataclass(frozen=True)
class FormModel:
    """A softmax classifier over (sentence embedding, hashed words) of masked questions,
    trained on the lexicon's phrasings. ``digest`` names the lexicon it was trained on."""

    forms: tuple[str, ...]
    weights: np.ndarray  # (features, forms)
    bias: np.ndarray  # (forms,)
    digest: str

    def probabilities(self, vector: np.ndarray, masked: str) -> np.ndarray:
        x = np.concatenate([np.asarray(vector, dtype=np.float32), word_features(masked)])
        z = x @ self.weights + self.bias
        z = np.exp(z - z.max())
        return z / z.sum()


def train(lex: Lexicon, encode: Callable[[list[str]], np.ndarray],
          steps: int = 1500) -> FormModel:
    """Fit the form classifier on the lexicon's phrasings (deterministic: plain gradient
    descent from zero weights)."""
    forms = tuple(sorted(lex.phrasings))
    texts = [p for f in forms for p in lex.phrasings[f]]
    labels = np.array([forms.index(f) for f in forms for _ in lex.phrasings[f]])
    vectors = np.asarray(encode(texts), dtype=np.float32)
    x = np.hstack([vectors, np.stack([word_features(t) for t in texts])])
    y = np.eye(len(forms), dtype=np.float32)[labels]
    w = np.zeros((x.shape[1], len(forms)), dtype=np.float32)
    b = np.zeros(len(forms), dtype=np.float32)
    for _ in range(steps):
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        w -= _RATE * (x.T @ (p - y) / len(x) + _DECAY * w)
        b -= _RATE * (p - y).mean(axis=0)
    return FormModel(forms, w, b, lex.digest)


def model_path(lang: str = "en") -> Path:
    """Where the trained classifier of ``lang`` ships (beside its lexicon)."""
    return Path(str(resources.files("kg.qa").joinpath("lang", f"{lang}.npz")))


def save_model(model: FormModel, path: Path) -> None:
    """Write the classifier (float16 weights: a quarter of the size, same choices)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, forms=np.array(model.forms), weights=model.weights.astype(
        np.float16), bias=model.bias, digest=np.array(model.digest))
    atomic_write(path, buffer.getvalue())


def load_model(path: Path, digest: str) -> FormModel | None:
    """The shipped classifier, or None when missing or trained on another lexicon."""
    try:
        with np.load(path) as data:
            if str(data["digest"]) != digest:
                return None
            return FormModel(tuple(str(f) for f in data["forms"]),
                             data["weights"].astype(np.float32), data["bias"], digest)
    except (OSError, KeyError, ValueError):
        return None


def with_graph_names(lex: Lexicon, labels: Mapping[str, str]) -> Lexicon:
    """``lex`` with the words that name the graph itself as grammar: the words of most of
    its IRIs that no label uses ("stw" in "how many pricing strategies does STW have" asks
    nothing; "vehicle" in the IRIs of a graph of vehicles is the word of a short label too,
    a name; the graph's own title, "STW Thesaurus for Economics", is a long one). Reads
    labels only, nothing of an endpoint."""
    sample = list(islice(labels.items(), _NAME_SAMPLE))
    counts = Counter(w for iri, _ in sample
                     for w in {t for t in re.split(r"[^a-z]+", iri.lower()) if len(t) > 2})
    said = {stem(t) for _, label in sample if len(words := tokens(label)) <= _NAME_WORDS
            for t in words}
    own = frozenset(s for w, n in counts.items() if n * 2 > len(sample)
                    and (s := stem(w)) not in said)
    return replace(lex, grammar=lex.grammar | own, own=own) if own else lex


def _exact_forms(lex: Lexicon) -> dict[str, str]:
    """Each phrasing, masked and tokenised as a question is, and the one form it belongs to
    (a phrasing two forms share says neither)."""
    place = {"x": _TOPIC, "y": _SECOND, "l": _LANGUAGE}
    forms: dict[str, set[str]] = {}
    for form, phrasings in lex.phrasings.items():
        for phrasing in phrasings:
            key = " ".join(place.get(w, w) for w in tokens(phrasing))
            forms.setdefault(key, set()).add(form)
    return {key: next(iter(f)) for key, f in forms.items() if len(f) == 1}


class FormReader:
    """Reads the asked form of questions with the lexicon's classifier."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray], lex: Lexicon | None = None,
                 lang: str = "en") -> None:
        """``encode`` turns texts into unit vectors (the engine's question encoder)."""
        self._encode = encode
        self.lexicon = lex or lexicon(lang)
        self._lang = lang
        self._model: FormModel | None = None
        self._seen: dict[str, np.ndarray] = {}  # masked question -> vector (bounded)
        self._exact = _exact_forms(self.lexicon)

    @property
    def model(self) -> FormModel:
        """The shipped classifier; trained here (once) when the lexicon changed since."""
        if self._model is None:
            self._model = load_model(model_path(self._lang), self.lexicon.digest) or train(
                self.lexicon, self._encode)
        return self._model

    def mask(self, question: str, spans: Sequence[tuple[int, int]]) -> tuple[str, str]:
        """The question's words with topic spans as X, Y (in order) and the languages as L
        (their tags, space-separated: "the German and French labels" asks "de fr")."""
        words = tokens(question)
        out: list[str] = []
        ends = {s: e for s, e in spans if e > s}
        found = [(tag, k) for tag, k in self.lexicon.languages_in(words)
                 if k not in ends and not any(a < k < b for a, b in ends.items())]  # "the
        at = {k for _, k in found}  # Germans" named as a topic is no language asked
        k = 0
        while k < len(words):
            if k in ends:
                out.append(_SECOND if _TOPIC in out else _TOPIC)
                k = ends[k]
                continue
            if stem(words[k]) in self.lexicon.own and out and out[-1] in _BEFORE_OWN:
                while out and out[-1] in _BEFORE_OWN:  # "X in the STW" asks what "X" does
                    out.pop()  # (not "which theme ...", where the graph's IRIs say "theme")
            else:
                out.append(_LANGUAGE if k in at else words[k])
            k += 1
        return " ".join(out), " ".join(dict.fromkeys(tag for tag, _ in found))

    def read(self, question: str, spans: Sequence[tuple[int, int]],
             yes_no: bool = True) -> Reading:
        """The form ``question`` asks, given the word spans that name its topics.

        A name in the question may be what is asked rather than what it is about ("the
        limitations of LLMs" on a graph with a concept "Limitations"): with several names,
        each one alone is masked too, and the surest reading wins; a form answered yes or
        no only where the question is ``yes_no``, and of two as sure, the one whose topic
        is no name right after "which" ("which *algorithms* fall under X": the kind)."""
        maskings = _maskings(spans)
        masked = [self.mask(question, m) for m in maskings]
        vectors = self._vectors([m for m, _ in masked])
        readings = [self._read(m, lang, v) for (m, lang), v in zip(masked, vectors, strict=True)]
        words = tokens(question)
        kinds = {k for k, _ in spans if k and words[k - 1] in ("which", "what")}
        def surest(i: int) -> tuple[bool, int, bool, float]:
            r = readings[i]
            return (bool(r.form) and (yes_no or r.form not in _CHECKS or r.score >= W.CHECK_SURE),
                    -len(r.unclaimed), len(spans) < 2 or not kinds & {k for k, _ in maskings[i]},
                    r.score)

        at = max(range(len(readings)), key=surest)
        best = readings[at]
        best.spans = maskings[at]
        if spans and (not best.form or best.unclaimed):
            # "plagiarism is one problem; which problems sit next to it?": a context's words
            # leave the whole unread, the last clause asks of the topic by a pronoun
            clause, at = _clause_masked(question, spans)
            read = clause and self._read(clause, best.lang, self._vectors([clause])[0])
            pronoun = next((w for w in words[at:] if w in _BACK), "")
            if read and pronoun in _PLURAL and self._refers_back(clause, words[:at]):
                # "X has two parents; which are they?": what comes before says what is asked
                said = [s for s in spans if s[1] <= at]
                before = self._read(*self._vectored(" ".join(words[:at]), said))
                if before.form:
                    before.spans = said
                    return before
                if best.form or read.form != "definition":  # ("the article mentions X -
                    return best  # what are they": what X is, asked by the clause alone)
            if read and read.form and (not best.form or len(read.unclaimed) < len(
                    best.unclaimed)):
                before = [s for s in spans if s[1] <= at]  # the topic, not a kind named
                named = [s for s in before if s[0] not in kinds and words[max(0, s[0] - 2):s[0]][
                    -2:] not in (["kind", "of"], ["type", "of"], ["sort", "of"])] or before
                # ("X is what kind of *vehicle*, and ..."); the sentence's subject first
                # ("steel is both an alloy and ...; give me all its broader terms")
                read.spans = [min(named) if min(named)[0] == 0 else max(named)]
                read.clause = True
                return read
        return best

    def _vectored(self, text: str, spans: Sequence[tuple[int, int]]
                  ) -> tuple[str, str, np.ndarray]:
        """``text`` masked, its languages and its vector: what :meth:`_read` reads."""
        masked, lang = self.mask(text, spans)
        return masked, lang, self._vectors([masked])[0]

    def _refers_back(self, clause: str, before: Sequence[str]) -> bool:
        """True when the masked ``clause`` asks nothing of its own ("which are X") and the
        words ``before`` it say what is asked ("X has two parents"): the clause only points
        back at them."""
        own = [w for w in clause.split() if w not in (_TOPIC, _SECOND, _LANGUAGE)
               and w not in STOPWORDS and stem(w) not in self.lexicon.grammar]
        return not own and any(stem(w) in self.lexicon.asking for w in before)

    def read_alone(self, asked: str, topic: Sequence[str], span: tuple[int, int]) -> Reading:
        """The form of a question that names nothing, said after context that names its
        topic ("I write to a pen pal about whales; what is the French word?"): read with
        the topic's words after it, or in place of the word that refers back to it ("The
        memo names X. What are they?"), its ``span`` the topic's in the whole text."""
        words = tokens(asked)
        at = next((k for k, w in enumerate(words) if w in _REFERS_BACK), len(words))
        said = [*words[:at], *topic, *words[at + 1:]]
        masked, lang = self.mask(" ".join(said), [(at, at + len(topic))])
        read = self._read(masked, lang, self._vectors([masked])[0])
        read.spans, read.clause = [span], True
        return read

    def unseen(self, question: str, spans: Sequence[tuple[int, int]]) -> list[str]:
        """The masked forms of ``question`` whose vectors are not known yet (the caller may
        encode them together with the question and :meth:`remember` them)."""
        texts = [self.mask(question, m)[0] for m in _maskings(spans)]
        return [t for t in dict.fromkeys(texts) if t not in self._seen]

    def remember(self, texts: Sequence[str], vectors: Sequence[np.ndarray]) -> None:
        """Keep the vectors of masked questions (bounded: the oldest go first)."""
        for text, vec in zip(texts, vectors, strict=True):
            if len(self._seen) >= _SEEN_MAX:
                self._seen.pop(next(iter(self._seen)))
            self._seen[text] = np.asarray(vec, dtype=np.float32)

    def _vectors(self, texts: list[str]) -> list[np.ndarray]:
        """The vectors of masked questions, one encoder call for those not seen lately
        (masked questions repeat: "what is X" is asked of every concept)."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if todo:
            self.remember(todo, list(self._encode(todo)))
        return [self._seen[t] for t in texts]

    def _read(self, masked: str, lang: str, vector: np.ndarray) -> Reading:
        model = self.model
        probs = model.probabilities(vector, masked)
        order = np.argsort(-probs, kind="stable")
        top, second = float(probs[order[0]]), float(probs[order[1]])
        scores = {model.forms[i]: round(float(probs[i]), 4) for i in order[:4]}
        reading = Reading(score=top, lang=lang, masked=masked, scores=scores)
        if top >= MIN_PROBABILITY and top >= MIN_LEAD * second:
            reading.form = model.forms[order[0]]
        elif frozenset((model.forms[order[0]], model.forms[order[1]])) in _OPPOSED and (
                top + second >= W.TORN_PAIR):
            # torn between up and down ("which wider heading covers X"): the words that
            # point one way decide, when they do and every other word is accounted for
            way = self.lexicon.pointing(masked)
            pick = next((i for i in order[:2] if way and model.forms[i].endswith(way)), None)
            if pick is not None and not self.lexicon.unclaimed(model.forms[pick], masked.split()):
                reading.form, reading.score = model.forms[pick], float(probs[pick])
        exact = self._exact.get(masked)
        if exact:  # the question is worded as one of the form's own phrasings
            reading.form, reading.score = exact, 1.0
        if lang and reading.form in ("", "definition", "names"):
            reading.form = "language_label"  # "X in German", "German for X": a label is asked
        if reading.form:
            reading.renderer = self.lexicon.renderers.get(reading.form, "ranked")
            words = masked.split()
            # the word before a language's name is that language's own "in" ("auf Deutsch")
            before = {w for w, nxt in zip(words, words[1:], strict=False) if nxt == _LANGUAGE}
            reading.unclaimed = [w for w in self.lexicon.unclaimed(reading.form, words)
                                 if w not in before]
        return reading


def _unaccented(word: str) -> str:
    """``word`` with its letters' accents dropped ("français" -> "francais")."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(c))

