"""The kind of value a question asks for, and whether the graph holds one.

"When was X released?" wants a date, "who first described X?" a person, "how much does X
cost?" a price. Related facts about X are not an answer to these: when the graph holds no fact
of the asked kind about the concept, the engine says what is missing and what it does hold.
The checks read only fact text, predicate labels, type labels and literal datatypes, so they
work on any graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["RANKING", "AskedKind", "asked_kind", "evidence", "figure_asked", "holds_kind",
           "missing",
           "names_kind"]

_UNITS_TIME = r"(second|minute|hour|day|week|month|year|decade)s?"


@dataclass(frozen=True)
class AskedKind:
    """A kind of value: its name in an abstention ("release date") and what evidences it."""

    name: str
    what: str  # how the abstention names it: "no {what} for X"
    text: re.Pattern[str]  # fact text that holds such a value
    predicate: re.Pattern[str] | None = None  # predicate or type labels that hold one
    measure: str = ""  # a "how many N" noun that must appear in the evidence
    subject_bound: bool = True  # the value must be stated about the named concept itself
    missing: str = "the graph has no {what} for {label}"  # the abstention's sentence


_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b|\b(january|february|march|april|may|june|july|"
                   r"august|september|october|november|december) \d{1,2}\b", re.IGNORECASE)
# A predicate, type or property IRI that records a person: agent nouns and "...ed by"
# (also camelCase, as in describedBy), not the bare verb stems, which would take
# "description" or "created" (a date) for a person.
_PERSON_ROLE = re.compile(r"(inventor|creator|founder|discoverer|author|designer|contributor|"
                          r"person|people|scientist|researcher)s?\b|"
                          r"(invented|created|founded|discovered|described|authored|designed|"
                          r"proposed|written|coined|introduced)[\s_-]?by\b", re.IGNORECASE)
_PRICE = re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(dollars?|euros?|usd|eur|gbp|pounds?)\b|"
                    r"\b(dollars?|euros?|usd|price[ds]?)\b(?=.*(\d|hundred|thousand|million|billion))|"
                    r"\b(hundreds?|thousands?|millions?|billions?)\b.*\b(dollars?|euros?|usd)\b|"
                    r"\bcosts? (of|about|around)?\s?\d",
                    re.IGNORECASE)
_DURATION = re.compile(rf"\b(\d[\d.,]*(\s?(-|–|to)\s?\d[\d.,]*)?|a few|several|many)\s+"
                       rf"{_UNITS_TIME}\b|\b{_UNITS_TIME}\b", re.IGNORECASE)
_LANGUAGE = re.compile(r"\b(written|implemented|coded|programmed) in\b|\bprogramming language",
                       re.IGNORECASE)
_VERSION = re.compile(r"\bv?\d+\.\d+(\.\d+)?\b|\bversion\b|\brelease\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d|\b(hundreds?|thousands?|millions?|billions?|dozens?)\b", re.IGNORECASE)

DATE = AskedKind("date", "date", _YEAR,
                 re.compile(r"\b(date|year|founded|released|published|gyear)\b", re.IGNORECASE))
PERSON = AskedKind("person", "person", re.compile(r"(?!)"), _PERSON_ROLE,
                   missing="the graph does not record who created, founded or first described "
                           "{label}")
PRICE = AskedKind("price", "price", _PRICE)
DURATION = AskedKind("duration", "duration", _DURATION, subject_bound=False)
LANGUAGE = AskedKind("language", "language", _LANGUAGE, re.compile(r"language", re.IGNORECASE))
VERSION = AskedKind("version", "version", _VERSION, re.compile(r"version", re.IGNORECASE))

# Question wording -> kind. Order matters: the first that matches wins.
_ASKS: tuple[tuple[re.Pattern[str], AskedKind], ...] = (
    (re.compile(r"\bwho (first )?(invented|created|founded|discovered|coined|wrote|designed|"
                r"developed|built|"
                r"described|proposed|authored|introduced)\b|\b(inventor|founder|creator|author|"
                r"discoverer)s? of\b"), PERSON),
    (re.compile(r"\b(when (was|were|did|is|will)|what year|which year|in what year|"
                r"what time|release date|founded in|date of|since when|how old)\b"), DATE),
    (re.compile(r"\bhow much (does|do|did|is|are|would|will) .{0,60}\b(cost|charge|price)|"
                r"\bwhat (does|do|did|would|will) .{0,60}\bcost\b|\bhow (expensive|cheap) is\b|"
                r"\b(price|cost|fee|fine|toll) (of|for|per)\b|\bsubscription\b|"
                r"\bper month\b"), PRICE),
    (re.compile(r"\bhow long (does|do|did|is|are|will|until|before|to)\b|\bhow many "
                rf"{_UNITS_TIME}\b"), DURATION),
    # (not "in which languages is X labelled": the labels' languages are asked)
    (re.compile(r"^(?!.*\b(?:label|labels|labelled|labeled|called|named|names|term|terms|"
                r"translated|translation|translations)\b)"
                r".*(?:\b(what|which) (programming )?languages? (is|are|was|does|do)\b|"
                r"\bwritten in what\b)"), LANGUAGE),
    (re.compile(r"\b(what|which) (is the )?(latest |current |newest )?version\b|"
                r"\bversion number\b|\b(latest|current|newest|first|last) version of\b"), VERSION),
)
_MEASURE = re.compile(
    r"\bhow (many|much)\s+(?!of\b|the\b|a\b|an\b|is\b|are\b|do\b|does\b|did\b)([a-z][a-z0-9]*)|"
    r"\b(what|which) (?:(?:is|was|are|were) the )?([a-z]+(?: [a-z]+)?) (length|size|count|"
    r"score|rate|speed|"
    r"temperature|point|weight|height|width|capacity)\b(?! as\b)|"  # ("which X count as Y")
    r"\bhow (tall|big|large|heavy|wide|fast|high|deep|accurate|old)\b|"
    r"\bin (kelvin|celsius|fahrenheit|"
    r"meters|metres|kilometres|kilometers|miles|kg|kilograms|pounds|bytes|gigabytes|tokens|"
    r"micrometres|micrometers|microns|millimetres|millimeters|centimetres|centimeters|"
    r"nanometres|nanometers|grams|tonnes|tons|litres|liters|percent|hertz|watts|joules|"
    r"decibels|ppm|ppb|degrees|hectares|acres|calories|kilowatts|megawatts|euros|dollars)\b|"
    r"\bat what (temperature|speed|pressure|age|altitude|depth|height|rate|concentration|"
    r"dose|frequency|level|ph)\b"
)

_PERCENT = re.compile(r"\d\s*(?:%|percent|per cent|percentage)", re.IGNORECASE)
# "what share of X's exports are cars": a part of a whole, as a figure
_SHARE = re.compile(r"\b(?:what|which) (share|proportion|percentage|fraction|portion) of\b|"
                    r"\bby what (percentage|percent|share|proportion)\b")  # ("raised by")
# "the average lifespan of X", "normal pH of Y": a typical value, a figure
_AVERAGE = re.compile(r"(?:^|\bthe |\ban? |\bwhat )(?:(?:average|mean|median) ([a-z]+(?: [a-z]+)?)"
                      r"(?= of\b| for\b|\W*$)|(?:normal|typical|usual) ([a-z]+(?: [a-z]+)?)"
                      r"(?= of\b| for\b))")

# "which country has the largest rainforest", "the deepest lake in Europe": a ranking by a
# measure, which only figures stated about the things compared can answer
_RANKED = re.compile(r"\b(?:which|what)\b.*\bthe (?:largest|biggest|smallest|longest|shortest|"
                     r"tallest|highest|lowest|deepest|fastest|slowest|oldest|heaviest|"
                     r"richest|poorest|cheapest|loudest|hottest|coldest|wettest|driest)\b|"
                     # "which country recycles the most plastic": places or bodies ranked
                     r"\bwhich (?:countr(?:y|ies)|cit(?:y|ies)|states?|regions?|nations?|"
                     r"compan(?:y|ies)|firms?)\b.*\bthe (?:most|least|fewest)\b|"
                     # "which dye gives the most vivid red" (not "the most general term")
                     r"\bwhich\b[^?]*\bthe (?:most|least) (?!general|specific|broad|narrow|"
                     r"abstract|basic|common|important)[a-z]{3,}")
RANKING = AskedKind("ranking", "figure to rank by", _NUMBER, subject_bound=False,
                    missing="the graph states no figures to rank {label} by")
# "the best paint colour", "recommend a textbook", "which bank should I choose": advice, which
# only a graph that itself says what is best, recommended or suited for what can give
_ADVICE = re.compile(r"\b(?:best|cheapest|recommend(?:ed|s)?)\b|"  # (not "recommendation")
                     r"\bshould (?:i|we) (?:buy|use|choose|pick|get|take)\b")
ADVICE = AskedKind("advice", "recommendation",
                   re.compile(r"\b(?:best|better|ideal|recommend\w*|suited|stronger|pick(?! up)|"
                              r"choose|choice|preferred)\b", re.IGNORECASE),
                   subject_bound=False, missing="the graph makes no {what} about {label}")
_PER = re.compile(r"\bper (hour|day|week|month|year|annum|capita|head|person|employee|"
                  r"worker|household|litre|liter|kilogram|kg|tonne|ton|unit)\b")
# "how fast is X" asks for its speed: the measure each adjective asks for
_MEASURED = {"tall": "height", "big": "size", "large": "size", "heavy": "weight",
             "wide": "width", "fast": "speed", "high": "height", "deep": "depth",
             "accurate": "accuracy", "old": "age"}

# "who is the CEO of ...", "who was the lead designer at ...": a person by the role held.
_ROLE_ASK = re.compile(r"^who (?:is|was|are|were) (?:the|its|their) (?:current |first |former )?"
                       r"([a-z]+(?: [a-z]+)?) (?:of|at|for|behind)\b")
_NOT_NOUNS = frozenset("is are was were do does did for the a an of to in on and or one it".split())


# Digits that are no figure: in a name ("co2") or a notation ("v.13.01.01")
# or a number of dimensions ("1-D", "3D")
_CODES = re.compile(r"\b[a-z]+\d[a-z0-9]*\b|\b[a-z]\.\d+(?:\.\d+)*\b|\b\d+(?:\.\d+){2,}\b|"
                    r"\b\d-?d\b")
# A figure that is not a year
_FIGURE = re.compile(r"\b(?!(?:1[5-9]|20)\d\d\b)\d|\b(hundreds?|thousands?|millions?|billions?)\b",
                     re.IGNORECASE)


def figure_asked() -> AskedKind:
    """What a question read as asking for a figure ("what is X's GDP?") wants: a figure
    (not a year) stated about the concept."""
    return AskedKind("quantity", "figure", _FIGURE,
                     missing="the graph states no {what} about {label}")


def missing(kind: AskedKind, label: str) -> str:
    """The abstention's reason: what the graph lacks about the concept ``label`` (not
    "the life span of life span": a measure named by the concept itself is said once; with
    no ``label``, what is missing alone)."""
    if not label or kind.measure and kind.measure.lower() == label.lower():
        said = kind.missing.split(" {label}")[0].format(what=kind.what)
        head, last = said.rsplit(" ", 1)
        return head if last in ("for", "of", "about", "by") else said
    return kind.missing.format(what=kind.what, label=label)


def asked_kind(text: str) -> AskedKind | None:
    """The kind of value a normalised question asks for, if it asks for one."""
    for pattern, kind in _ASKS:
        if pattern.search(text):
            return kind
    role = _ROLE_ASK.search(text)
    if role:  # "who is the CEO of X": a person, evidenced by a relation named after the role
        name = role.group(1)
        return AskedKind("person", name, re.compile(r"(?!)"),
                         re.compile(rf"\b{re.escape(name)}s?\b|{_PERSON_ROLE.pattern}",
                                    re.IGNORECASE),
                         missing="the graph does not record the {what} of {label}")
    if _RANKED.search(text):
        return RANKING
    if _ADVICE.search(text):
        return ADVICE
    rate = _PER.search(text)
    if rate:  # "the minimum wage in X per hour": a figure per that unit
        return AskedKind("quantity", f"figure per {rate[1]}", _NUMBER, subject_bound=False,
                         missing="the graph has no {what} for {label}")
    share = _SHARE.search(text)
    if share:  # said as a percentage ("10 percentage points higher")
        return AskedKind("quantity", f"figure for the {share[1] or share[2]}", _PERCENT,
                         subject_bound=False, missing="the graph has no {what} of {label}")
    mean = _AVERAGE.search(text)
    noun = (mean[1] or mean[2]) if mean else ""
    if noun and not set(noun.split()) & _NOT_NOUNS:  # "the average lifespan of X": a figure
        return AskedKind("quantity", f"figure for the {noun}", _NUMBER, measure=noun,
                         subject_bound=False, missing="the graph has no {what} of {label}")
    m = _MEASURE.search(text)
    if m:
        noun = m.group(2) or " ".join(g for g in (m.group(4), m.group(5)) if g) or ""
        noun = noun or _MEASURED.get(m.group(6) or "", m.group(6) or "") or m.group(7) or ""
        if m.group(7):  # "in micrometres": a figure in that unit
            return AskedKind("quantity", f"figure in {m.group(7)}", _NUMBER, measure=m.group(7),
                             subject_bound=False, missing="the graph has no {what} for {label}")
        noun = noun or m.group(8) or ""
        if set(noun.split()) & _NOT_NOUNS:
            return None  # "which is for speed": not a measure
        return AskedKind("quantity", f"figure for the {noun}".strip(), _NUMBER, measure=noun,
                         subject_bound=False, missing="the graph has no {what} of {label}")
    return None


def holds_kind(kind: AskedKind, texts: list[str], labels: list[str], datatypes: list[str]) -> bool:
    """True when any fact text, predicate or type label, or literal datatype about the asked
    concept holds a value of ``kind``; for a quantity, a figure that names what is measured."""
    if kind.predicate is not None and any(kind.predicate.search(x) for x in labels + datatypes):
        return True
    if not kind.measure:  # a notation ("V.13.01") or a name's digit ("CO2") is no value
        return any(kind.text.search(_CODES.sub("", t.lower())) for t in texts)
    words = [w for w in re.findall(r"[a-z][a-z0-9]*", kind.measure.lower()) if len(w) > 2]
    for t in texts:
        low = t.lower()
        if all(w.rstrip("s") in low for w in words) and kind.text.search(_CODES.sub("", low)):
            return True
    return False


# A literal that only identifies its subject (a notation, a catalogue number) is no figure.
_ID_PREDICATE = re.compile(r"(?:^|[#/_:])(?:\w*ppn|id|identifier|notation|code)$", re.IGNORECASE)


def evidence(literals: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """The values and predicates of a concept's literals that can hold an asked value:
    identifiers (notations, catalogue numbers) left out."""
    kept = [(p, v) for p, v in literals if not _ID_PREDICATE.search(p)]
    return [v for _, v in kept], [p for p, _ in kept]


def names_kind(kind: AskedKind, label: str) -> bool:
    """True when a concept's ``label`` only names the kind of value asked ("Price" in "the
    price of peat"): that concept is what is asked for, not what it is asked of."""
    low = label.lower()
    words = set(re.findall(r"[a-z0-9]+", low))
    return bool((kind.text.search(low) or kind.name in words) and len(words) <= 2) or bool(
        kind.predicate is not None and kind.predicate.fullmatch(low)) or bool(
        kind.measure and words <= set(kind.measure.lower().split()))

