"""What kind of answer a question wants, from its wording alone (no graph access).

A question can carry several intents ("what is X and who uses it"). Besides the answer
intents, this module spots what the graph can never answer by construction: embedded
instructions, query or markup fragments, and the kind of value asked for (a date, a person, a
price: :mod:`kg.qa.kinds`), which the engine checks against the graph before answering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.qa.kinds import AskedKind, asked_kind
from kg.qa.text import norm

__all__ = ["ASKER_FIRST", "INTENTS", "KINDS_OF", "KIND_OF", "PREPOSITIONS", "Intent",
           "detect_intent", "strip_markup"]

# The one "kind of" pattern: the question asks where something sits in a hierarchy
# ("a kind of", "a subset of", "belongs to", "falls under", "built on").
KIND_OF = re.compile(
    r"\b(kind|type|subset|part|branch|subfield|form|example|category) of\b|\bbelong|"
    r"\bfalls? under\b|\bsits? (under|within|in)\b|\bbuilt on\b|\bancestor|\bparent\b|"
    r"\bhierarchy\b|\bbroader\b"
)
# ... and its plural: the question asks for the members of something ("kinds of X").
KINDS_OF = re.compile(
    r"\b(types|kinds|sorts|categories|forms|members|branches|subfields|examples|subtypes|"
    r"subclasses|subcategories|varieties) of\b|"
    r"\bwhat (are|is) the (main )?(types|kinds|categories)\b|"
    r"\b(name|list|give me) (some|the|a few|all|any)\b|\bwhat are some\b"
)
# "in which industries ...": a preposition before the wh-word keeps it a "which" question
PREPOSITIONS = frozenset("in for on at by from with to under".split())
_LEADING = "(?:(?:" + "|".join(sorted(PREPOSITIONS)) + ") )?"
_ASKS_WHICH = re.compile(f"^{_LEADING}which ")
_WHICH = re.compile(rf"^{_LEADING}(?:which|what) "
                    r"(?!is\b|are\b|was\b|were\b|do\b|does\b|did\b|can\b|of\b)"
                    r"([a-z]{3,})\b")
_HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b")
_AUXILIARY = re.compile(r"is|are|was|were|do|does|did|can|could|will|would|has|have|had")
# "is X a Y?", "true or false: X is a Y"; after the topic said first: "X - is that a Y?",
# "X, are they Ys?"; a tag at the end: "X is a Y, right?"
_YES_NO = re.compile(r"^(is|are|does|do|can|was|were|would|could) "
                     r"|^(true or false|yes or no|t or f|true false|yes no) ")
_YES_NO_AFTER = re.compile(r"[-–—,:;]\s*(is|are|does|do|can) (that|it|this|they|these|those) |"
                           r"[-–—,]\s*(right|correct|true|yes or no)\s*\??\s*$|"
                           r"\b(y/n|yes/no|yes or no)\s*[?.!]?\s*$", re.IGNORECASE)
# a polite request that embeds a wh-question ("could someone tell me what X is"): no yes/no
_REQUEST = re.compile(r"^(?:can|could|would|will)\s+(?:you|u|someone|somebody|anyone|anybody)\s+"
                      r"(?:please\s+)?(?:tell|explain|describe|give|list|show|name|say|define|"
                      r"help)\b.*\b(?:what|which|who|how|where|when|why)\b")
# a yes/no question that leaves the answer open ("is X a robot or something else?")
_DEFINITION_OF = re.compile(r"\b(?:definition|description|explanation|meaning|gloss) of\b")
_OR_ELSE = re.compile(r"\bor (?:something|anything|what) else\b|\bor what\W*$")
# "random forests a type of deep learning?", "hyperinflation a kind of inflation": the verb
# left out, no question word, no command ("name a kind of ...")
_YES_NO_ELLIPTIC = re.compile(r"^(?!.*\b(?:what|which|who|whom|how|where|when|why)\b)"
                              r"(?!\W*(?:list|name|give|show|tell|find|describe|explain|define|"
                              r"suggest|pick|mention)\b)[^?]*"
                              r"\ban? (?:kind|type|sort|form|subtype|subclass) of\b[^?]*(?:\?|$)",
                              re.IGNORECASE)
# A chained (multi-hop) question: one part names a thing only through another part, by a
# back-reference ("..., and what does that method ...", "that technology's") or by a
# relative clause ("the framework whose ...", "the sector in which ...", "the company behind").
_CHAINED = re.compile(
    r"[,;.]\s*(?:and\s+)?(?:what|which|how|who|where|when|why)\b.*\b(?:that|this|those|these|"
    r"the same)\s+(?!(?:mean|means|stand|stands|refer|refers|is|are)\b)[a-z]+\b|"
    r"\bthe [a-z]+ (?:whose|in which|behind|for which|(?:made|developed|built|"
    r"created|offered|sold) by)\b"
)
# ... or a statement with an indefinite object (not "X is a Y"), then a question about it by
# a pronoun: "Microsoft develops something. What is its use case?"
_CHAINED_INDEFINITE = re.compile(
    r"(?<!\bis )(?<!\bare )(?<!\bwas )\b(?:a|an|some|several|something|certain)\b"
    r"[^.;,?!]*(?P<sep>[,;.])\s*(?:and\s+)?"
    r"(?:what|which|how|who|where|when|why)\b.*\b(?:its|their|those|these|they|them|it)\b")
# a clause that starts by speaking of the asker ("I'm translating ...", "my exam is ...")
ASKER_FIRST = re.compile(r"\s*(?:i|i'm|im|i've|we|we're|my|our)\b", re.IGNORECASE)
# ... or by a possessive naming a kind, then a verb and its preposition: "Adobe's product
# used for", "nvidia's product fall under".
_CHAINED_OWNER = re.compile(r"\b([A-Za-z][\w-]*)'s [a-z]+ [a-z]+ (?:for|under|on|by|in|to|with|"
                            r"from)\b")
# ... or by a definite phrase said first, with a clause of its own, then a question about it
# by a pronoun: "The products small businesses use, what are they good for?"
_CHAINED_FRONTED = re.compile(
    r"^(?:all\s+)?(?:the|those|these)\s+[a-z-]+(?:\s+[\w'-]+){2,6}?\s*(?P<sep>[,:;–—]|\s-)\s*"
    r"(?:and\s+)?(?:what|which|how|who|where|when|why)\b.*\b(?:its|their|they|them|it)\b")
_FIGURE_ASKED = re.compile(r"\s*how (?:many|much)\b", re.IGNORECASE)
# ... or by a relative clause without "that": "the technology Netflix uses", "the kind of AI
# the New York Times uses" (a capitalised name between the noun and a verb in -s).
_CHAINED_NAME = re.compile(
    r"\b[Tt]he [a-z]+(?: of [A-Za-z]+)? ((?:[Tt]he )?[A-Z][\w-]*(?: [A-Z][\w-]*)*) [a-z]+s\b"
)

INTENTS = (
    "definition",
    "relation",
    "comparison",
    "membership",
    "hierarchy",
    "example",
    "statistic",
    "attribute",
    "limitation",
)

_RULES: dict[str, tuple[str, ...]] = {
    "definition": (
        r"^(what|who) (?:or (?:what|who) )?(is|are|was|were)\b",
        r"\bdefin",
        r"\bexplain",
        r"\bmeaning\b",
        r"\bwhat does .* mean\b",
        r"\bdescription of\b",
        r"\bwhat is meant\b",
        r"\bwhat does .* stand for\b",
        r"\bwhy is it called\b",
        r"\bdescribe\b",
        r"\bwhat do(es)? .* do\b",
    ),
    "comparison": (
        r"\bdiffer",
        r"\bvs\b",
        r"\bversus\b",
        r"\bcompar",
        r"\bin common\b",
        r"\bsimilar",
        r"\bdecide between\b",
        r"\bchoose between\b",
        r"\bor\b.*\?$",
        r"\bwhich (one )?is (better|cheaper|faster|more|less)",
        r"\bbetter for\b",
        r"\bcontrast",
        r"\boverlap",
        r"\bboth\b",
        r"\b(the two|each of (them|the two)|each one)\b",
        r"\brather than\b",
        r"\binstead of\b",
    ),
    "membership": (
        r"\b(types|kinds|sorts|categories|forms|members|list|examples|subtypes|subclasses|"
        r"subcategories|varieties) of\b",
        r"\bwhat (are|were) the\b",
        r"^(what|which) ([a-z]+ ){0,2}[a-z]+s (are|were|can|will)\b",
        r"\bmain (types|kinds|categories)\b",
        r"\bwhich .* (are there|exist)\b",
        r"\bwhat .* (include|includes)\b",
        r"\bname the\b",
        r"\b(name|list|give me) (some|a few|all|any)\b",
        r"\bwhat are some\b",
    ),
    "hierarchy": (KIND_OF.pattern, r"^(is|are|was) (?!there\b)\S+( \S+){0,4} (a|an|part) "),
    "example": (
        r"\bwho uses?\b",
        r"\bwhich (companies|products|tools|organi[sz]ations|firms|businesses)\b",
        r"\bexamples?\b",
        r"\bhow do(es)? .* use\b",
        r"\buse cases?\b",
        r"\bused (for|by|in)\b",
        r"\bapplications?\b",
        r"\bwho (is|are) using\b",
        r"\bproviders?\b",
    ),
    "statistic": (
        r"\bhow (many|much|long|fast|accurate|often)\b",
        r"\bpercent",
        r"%",
        r"\bfigures?\b",
        r"\bstatistic",
        r"\brates?\b",
        r"\bnumbers?\b",
        r"\bcosts?\b",
        r"\broi\b",
        r"\bby how much\b",
        r"\baccuracy\b",
        r"\bmillions?\b", r"\bscores?\b", r"\bbenchmarks?\b",
    ),
    "attribute": (
        r"\bfeatures?\b",
        r"\bscope\b",
        r"\bresults?\b",
        r"\bwhat .* (build|do) with\b",
        r"\bbest for\b",
        r"\boutput\b",
        r"\brequire",
        r"\bneeds?\b",
    ),
    "limitation": (
        r"\blimit",
        r"\bproblems?\b",
        r"\brisks?\b",
        r"\bchalleng",
        r"\bstruggl",
        r"\bdrawback",
        r"\bweakness",
        r"\bconcerns?\b",
        r"\bdanger",
        r"\bissues?\b",
        r"\bdownside",
        r"\bhard (for|to)\b",
        r"\bwrong\b",
    ),
    "relation": (
        r"\brelat",
        r"\bconnect",
        r"\blink",
        r"\bbehind\b",
        r"\bwho (makes|made|develops|built|owns)\b",
        r"\brel(y|ies) on\b",
        r"\bbased on\b",
        r"\bpowers?\b",
        r"\bwhich company\b",
        r"\bdepend",
    ),
}
_COMPILED = {k: tuple(re.compile(p) for p in v) for k, v in _RULES.items()}

_INJECTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instruction|previous|above|prior|rules|graph|context)"
    r"|\byou are now\b|\bsystem prompt\b|\bdeveloper mode\b|\bjailbreak\b|\boverride\b"
    r"|\b(tell|write) me an? (joke|poem|story)\b|\banswer every question\b|\bpretend (to be|you)\b"
    r"|\bdump\b.{0,30}\b(ontology|database|file|prompt)\b|\bact as\b"
)
_QUERY_FRAGMENT = re.compile(
    r"\b(select|construct|describe|ask)\b[^{}]*\bwhere\s*\{|\b(drop|clear|insert|delete)\s+"
    r"(graph|data|where|silent|all|default)\b|\bprefix\s+\w*:\s*<",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]{0,500}>")

@dataclass
class Intent:
    """The intents found in a question and any signal that it cannot be answered."""

    kinds: list[str] = field(default_factory=list)
    injection: bool = False
    query_fragment: bool = False
    markup: bool = False
    asked: AskedKind | None = None  # the kind of value asked for (a date, a person, ...)
    text: str = ""  # the normalised question the positions below refer to
    yes_no: bool = False  # "is X a Y?", "does X ...?"
    kind_of_tail: int = -1  # words after the last "a kind of" (see KIND_OF); -1: none
    members_after: int = -1  # where the asked-for class starts after "kinds of" (KINDS_OF)
    members_word: str = ""  # "kinds", "examples": the word that asked for members
    counts_members: bool = False  # "how many kinds of X": the number of members is asked
    answer_type: str = ""  # "bank" in "which bank uses ...": what kind of thing is asked for
    chained: bool = False  # a multi-hop question: the answer is reached through a named thing
    chain_head: str = ""  # the part before a back-referring clause: where the chain starts
    fronted: bool = False  # the head is a definite phrase said first ("The products X uses, ...")

    @property
    def primary(self) -> str:
        """The most specific intent (the first found, in priority order)."""
        return self.kinds[0] if self.kinds else "definition"

    @property
    def asks_which(self) -> bool:
        """True for "which X ...?" (also "in which X ..."): an entity is asked, not a meaning."""
        return bool(_ASKS_WHICH.match(self.text))

    def has(self, kind: str) -> bool:
        """True when the question carries ``kind``."""
        return kind in self.kinds


def strip_markup(text: str) -> str:
    """Remove HTML/XML tags (their contents stay), so markup cannot smuggle words in."""
    return _MARKUP.sub(" ", text)


_PRIORITY = (
    "hierarchy",
    "comparison",
    "limitation",
    "statistic",
    "membership",
    "example",
    "attribute",
    "relation",
    "definition",
)


def _head_noun(phrase: str) -> str:
    """The noun a "which ..." phrase asks for: the word before its verb when the verb comes
    within three words ("which generative architectures are ..." asks for architectures),
    else "" (the first word is the best guess)."""
    words = phrase.split()
    for k, word in enumerate(words[1:4], start=1):
        if _AUXILIARY.fullmatch(word):
            return words[k - 1]
    return ""


def detect_intent(question: str) -> Intent:
    """Classify ``question`` (raw user text) into intents and safety signals."""
    raw = question or ""
    intent = Intent(markup=bool(_MARKUP.search(raw)))
    intent.query_fragment = bool(_QUERY_FRAGMENT.search(raw))
    text = norm(strip_markup(raw))
    intent.injection = bool(_INJECTION.search(text))
    intent.kinds = [k for k in _PRIORITY if any(rx.search(text) for rx in _COMPILED[k])]
    intent.text = text
    wh = _WHICH.search(text)
    if wh:
        intent.answer_type = _head_noun(text[wh.start(1):]) or wh.group(1)
    if _OR_ELSE.search(text) or _DEFINITION_OF.search(text):  # "is X a robot or something
        # else": what X is, asked; "our newsletter needs a description of X": its definition
        intent.kinds = ["definition", *(k for k in intent.kinds if k != "definition")]
    intent.yes_no = not _OR_ELSE.search(text) and bool(
        (_YES_NO.search(text) and not _REQUEST.search(text)) or _YES_NO_AFTER.search(raw)
        or _YES_NO_ELLIPTIC.search(raw))
    plain = strip_markup(raw)
    back = _CHAINED.search(plain.lower())
    # a figure asked ("how many ... does X's assistant handle") is a value, not a chain
    owner = None if _FIGURE_ASKED.match(plain) else _CHAINED_OWNER.search(plain)
    named = _CHAINED_NAME.search(plain) or owner
    # "... in a paper. What does it mean?" asks what the term means, through no link
    indefinite = None if back or "definition" in intent.kinds else (
        _CHAINED_INDEFINITE.search(plain.lower()))
    if indefinite and ASKER_FIRST.match(plain[:indefinite.start()].rsplit(".", 1)[-1]):
        indefinite = None  # "I'm translating a chapter ... What is it?": the asker's thing
    if not (back or indefinite or "definition" in intent.kinds):
        indefinite = _CHAINED_FRONTED.search(plain.lower())
        intent.fronted = indefinite is not None
    intent.chained = bool(back or named or indefinite)
    if back and back.group(0)[0] in ",;.":
        intent.chain_head = norm(plain[: back.start()])  # "X uses a method; what does that..."
    elif indefinite:
        intent.chain_head = norm(plain[: indefinite.start("sep")])
    elif back:
        intent.chain_head = norm(plain[back.end() :])  # "the framework whose <start ...>"
    elif named:
        intent.chain_head = norm(plain[named.start(1) :])  # "the car <Start makes>"
    kind_of = list(KIND_OF.finditer(text))
    if kind_of:
        intent.kind_of_tail = len(text[kind_of[-1].end() :].split())
    members = KINDS_OF.search(text)
    intent.members_after = members.end() if members else -1
    intent.members_word = (members.group(1) or "") if members else ""
    intent.counts_members = bool(members) and bool(_HOW_MANY.search(text[: members.end()]))
    intent.asked = asked_kind(text)
    return intent
