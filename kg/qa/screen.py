"""The raw text of a question made safe to read, and whether it is a question at all.

Any text reaches the engine (a terminal, a browser, an agent): it is normalised, stripped of
control characters and capped before anything reads it, and text that is empty, instructs the
tool or is a query rather than a question is answered with one line saying so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from kg.qa.intent import ASKER_FIRST, Intent, strip_markup
from kg.qa.text import sentences, stem

__all__ = ["MAX_QUESTION_CHARS", "aside_words", "clean_question", "final_question", "set_in",
           "of_the_asker", "refusal_of", "uncompleted", "unhyphened", "unlaid"]

MAX_QUESTION_CHARS = 2000


def clean_question(text: str) -> str:
    """The text normalised (NFKC), control characters blanked, spaces collapsed, capped;
    as spoken questions are typed or transcribed, without hesitations ("um"), openers ("okay
    so what is ...") and words said twice on a restart ("what um what is X")."""
    text = unicodedata.normalize("NFKC", text)[: MAX_QUESTION_CHARS * 5]
    text = "".join(c if c.isprintable() or c in "\n\t" else " " for c in text)
    text = _HESITATION.sub(" ", text)
    text = _OPENER.sub("", re.sub(r"\s+", " ", text).strip())
    text = _SAID_TWICE.sub(r"\1", text)
    text = _MIND.sub(lambda m: m[1] + ("e" if m[1].lower() in _E_DROPPED else ""), text)
    return text.strip()[:MAX_QUESTION_CHARS]


# a request put politely ("would you mind listing ...": list ...)
_MIND = re.compile(r"\b(?:would|do|could) you mind (list|tell|giv|nam|show|explain|defin|shar|"
                   r"check|count|compar|describ)ing\b", re.IGNORECASE)
_E_DROPPED = frozenset("giv nam defin shar compar describ".split())
_HESITATION = re.compile(r"(?<![\w'-])(?:u+m+|u+h+|e+r+m+|u+h+m+|h+m+)(?![\w'-])[,.]*",
                         re.IGNORECASE)
# words that open what is said before the question itself starts
_OPENER = re.compile(r"^(?:(?:so|okay|ok|well|alright|right|oh|hey|now|and|like)[,.!]?\s+)+(?=(?:"
                     r"what|which|who|whom|whose|where|when|why|how|is|are|was|were|do|does|did|"
                     r"can|could|would|will|should|has|have|tell|give|list|name|show|find|i|"
                     r"please)\b)", re.IGNORECASE)
# a word of grammar said twice in a row ("what what is", "the the")
_SAID_TWICE = re.compile(r"\b(what|which|who|how|is|are|the|a|an|of|i|it|does|do|can|in)"
                         r"(?:\s+\1\b)+", re.IGNORECASE)


def refusal_of(clean: str, intent: Intent) -> str:
    """Why the raw text is not a question for the graph ("" when it is one)."""
    if not re.search(r"\w", strip_markup(clean)):
        return "the question is empty"
    if intent.injection:
        return ("the question contains instructions to the tool; it only answers questions "
                "from the graph")
    if intent.query_fragment:
        return "the question looks like a query, not a question; use `kg sparql` to run SPARQL"
    asked = final_question(clean)
    if _TASK.match(asked) or _SUM.search(asked):  # "Kindly draft me a cover letter",
        # "convert 100 euros to dollars", "what is 17 times 23"
        return ("the graph answers questions about its concepts; it does not write, convert "
                "or calculate")
    when = next((m for m in _DATED.finditer(asked) if not (ASKER_FIRST.match(
        before := _MARKED.split(asked[:m.start()])[-1]) or _FOR_WHEN.fullmatch(before))),
        None)  # ("my exam is tomorrow", "for tomorrow's episode": the asker's date)
    if when and not _DEFINING.search(clean):  # "what will inflation be next year": a
        # taxonomy dates no values (but "explain X, my exam is next week" asks one)
        return f"the graph holds no values for a date such as {when[0].lower()}"
    return ""


# a task, not a question: writing a text or converting an amount
_TASK = re.compile(r"\W*(?:(?:please|kindly|can you|could you|would you|pls)\W+)*"
                   r"(?:draft|compose|convert|(?:write|make up) (?:me )?(?:an? |some )?(?:\w+ )?"
                   r"(?:poem|story|essay|letter|email|song|joke|limerick|haiku|speech|tweet|"
                   r"cover letter|post)s?)\b", re.IGNORECASE)
# arithmetic asked ("17 times 23", "the square root of 144")
_SUM = re.compile(r"\b\d+(?:\.\d+)?\s*(?:times|plus|minus|divided by|multiplied by|[x*+/^])\s*"
                  r"\d|\b(?:square|cube) root of \d", re.IGNORECASE)
# a time relative to today: what a value is asked for, which a taxonomy does not hold
_DATED = re.compile(r"\b(?:(?:next|last|this|coming|past) (?:year|month|week|quarter|decade|"
                    r"weekend)|right now|tomorrow|tonight|on (?:mon|tues|wednes|thurs|fri|satur|"
                    r"sun)day|(?:today|yesterday)(?=\W*$))\b", re.IGNORECASE)  # ("rate today?")
_FOR_WHEN = re.compile(r"\s*for\s+", re.IGNORECASE)  # "For tomorrow's show, ...": when it is for
_DEFINING = re.compile(r"\b(?:explain|define|definition|mean|meant|meaning|describe)\b",
                       re.IGNORECASE)


# words by which a question refers back to the sentences before it
_BACK = re.compile(r"\b(?:it|its|they|them|their|that|this|these|those|such)\b", re.IGNORECASE)


# a sentence after the question that tells about the asker, not what is asked
_CONTEXT = re.compile(r"(?:i|i'm|im|my|we|our|us|this|it|it's|thanks|thank|sorry|hi|hello|hey)\b",
                      re.IGNORECASE)
_WH = re.compile(r"\b(?:what|which|who|where|when|how|why)\b", re.IGNORECASE)
# an aside said after the question ("- and I nodded along", "- they said they'd check")
_ASIDE = re.compile(r"(?:and|but|because|so|they|he|she|as)\b", re.IGNORECASE)
_ASKER = re.compile(r"\b(?:i|i'm|im|my|me|we|our|us)\b", re.IGNORECASE)  # who asks, told of
# a wh-word and its auxiliary starting a clause ("... is bad what is it"), unless the word
# before leads into it: a wh-word asked in its place ("X is a shade of which colour", "X falls
# under what") or a second question joined to the first ("... which vendor and what does it")
_NEW_CLAUSE = re.compile(r"(?:(\w+)\s+)?\b(?P<wh>(?:what|which|who|where|when|how|why)\s+"
                         r"(?:is|are|was|were|do|does|did|can|could|would|should|has|have|will)\b)",
                         re.IGNORECASE)
_LEADS_IN = frozenset("of to in on by for is are under with from about know and or but then"
                      .split())
_MARKED = re.compile(r"[.?!;:,\u2014\u2013]|\s-+\s")  # what marks where a sentence or clause ends
# a question of its own after a colon ("For a slide: what does X contain?")
_ASKING = re.compile(r"(?:what|which|who|where|when|how|why|is|are|does|do|can)\b", re.IGNORECASE)
# ... or a request of its own, naming what it asks of ("Homework for Year 8: define a glacier")
_REQUEST = re.compile(r"(?:please\s+)?(?:define|explain|describe|list|name|give|show|tell)\s+\w+"
                      r"\s+\w", re.IGNORECASE)
# the field a question is set in, said first ("In hydrology, what is ...", "Within economics,")
_SETTING = re.compile(r"(?:in|within)\s+(?:the\s+)?[\w' -]{2,40}", re.IGNORECASE)


def final_question(text: str) -> str:
    """The one question of a text among sentences of context ("I'm translating a brochure.
    What is 'ozone layer' in Spanish?", "Is there another name for X? My book uses one."); the
    text itself when it is one sentence, asks no or several questions, or the question
    refers back to the context before it ("... How does that type of model work?")."""
    text = uncompleted(text)  # ("..., every one": answers say all anyway)
    parts = [p for s in sentences(text) for p in _told(s)]
    run_on = [] if len(parts) > 1 or _MARKED.search(text.rstrip("?.! ")) or _ASKING.match(
        text) else [m.start("wh") for m in _NEW_CLAUSE.finditer(text)
                    if (m[1] or "").lower() not in _LEADS_IN]  # said in one breath, transcribed
    if run_on and len(text[:run_on[-1]].split()) >= 2:  # ("mom says X is bad what is it"):
        at = run_on[-1]  # the question starts at its last wh-word
        parts = [text[:at].strip(), text[at:].rstrip("?.! ") + "?"]
        text = f"{parts[0]}. {parts[1]}"
    asks = [k for k, p in enumerate(parts) if p.endswith("?")]
    request = len(parts) > 1 and bool(_REQUEST.match(parts[-1]))  # ("Homework: define X")
    if not asks and len(parts) > 1 and all(_CONTEXT.match(p) or _SETTING.fullmatch(p[:-1]) or (
            p.endswith(":") and (_ASKER.search(p) or _PURPOSE.match(p) or request))
            for p in parts[:-1]) and (
            _WH.search(parts[-1]) or parts[-2].endswith(":") or request):  # "I am writing an
        # essay on X, and I wonder what ...", "for the glossary of my article: a gloss of X"
        return _COURTESY.sub("", _WONDER.sub("", parts[-1]))
    if len(parts) < 2 or len(asks) != 1:
        return text
    q = asks[0]
    # after the question, "Give all of them." asks on; "My book says so." tells
    tail = [p for p in parts[q + 1:] if not (_CONTEXT.match(p) or _ASIDE.match(p)
                                             or _FORMAT.match(p))]
    if q and _BACK.search(parts[q]):
        # it refers back: what it refers to stays, what tells about the asker goes ("I
        # teach a class. X vs Y: how do they differ?"), unless that is all there is before;
        # an aside after the question goes ("... what is it? - and I nodded along")
        head = [p for p in parts[:q] if not _CONTEXT.match(p)]
        if head and len(head) < q:
            return " ".join([*head, parts[q], *tail])
        return " ".join([*parts[:q + 1], *tail]) if len(tail) < len(parts) - q - 1 else text
    return " ".join([parts[q], *tail])


# how the answer should be given, said after the question ("Just the number for my chart.")
_FORMAT = re.compile(r"(?:just|only)\s+(?:the\s+|a\s+)?(?:number|count|figure|names?|list|"
                     r"terms?|word|yes or no)\b", re.IGNORECASE)
# the words before an embedded question ("and I wonder what ...", "I'd like to know which")
_WONDER = re.compile(r"^(?:and |so |but )?(?:i|we)(?:'d| would)? (?:wonder|wondered|like to know|"
                     r"want to know|need to know|ask myself)\s+", re.IGNORECASE)
# courtesy after the question ("..., if you could help", "..., thanks")
_COURTESY = re.compile(r",?\s*(?:if you (?:could|can|would|don't mind)|please|thanks?|thank you)"
                       r"\b[^?]*$", re.IGNORECASE)


def _told(sentence: str) -> list[str]:
    """A sentence split after a part that tells about the asker ("I'm writing to a
    colleague: what is X in German?"), or before a question of its own ("For a slide: what
    does X contain?"); a colon after a name ("X: definition?") is no split."""
    head, comma, rest = sentence.partition(", ")
    if rest and _CONTEXT.match(head) and _WONDER.match(rest) and _WH.search(rest):
        return [head + ",", rest]  # "I am writing about X, and I wonder what ..."
    if rest and _SETTING.fullmatch(head) and (_ASKING.match(rest) or _REQUEST.match(rest)):
        return [head + ",", *_told(rest)]  # "In hydrology, what is an aquifer?"
    for mark in (": ", "; ", " \u2014 ", " \u2013 ", " - "):
        head, colon, rest = sentence.partition(mark)
        if rest and head.endswith("?") and mark.strip() not in ":;":
            return [head, *_told(rest)]  # "... - what is X? - they said": an aside after it
        if rest and mark.strip() not in ":;" and not _CONTEXT.match(head):
            continue  # a dash after a name says what is asked of it ("X - which themes?")
        if rest and (_CONTEXT.match(head) or _ASKING.match(rest) or (
                colon == ": " and _REQUEST.match(rest)) or (
                colon == ": " and (_ASKER.search(head) or _PURPOSE.match(head))) or (  # ("for
                # my article: a gloss of X", "For a policy: distinguish X from Y")
                colon.strip() in ":;" and rest.endswith("?") and _WH.search(rest))):
            return [head + colon.strip(), *_told(rest)]  # ("X is a Y; Ys are under what?")
    return [sentence]


# a request for the whole answer said after the question ("..., every one", "? All of them
# please"): answers list every one anyway, and the words only unsettle the reading
_COMPLETE = re.compile(r"[?.!,;:]\s*(?:and\s+)?(?:please\s+)?(?:(?:give|list|show|name|tell)"
                       r"\s+(?:me\s+)?)?(?:all\s+(?:of\s+)?them|every\s+one(?:\s+of\s+them)?|"
                       r"both\s+or\s+all(?:\s+of\s+them)?|the\s+whole\s+(?:set|list)|the\s+"
                       r"(?:complete|full)\s+(?:set|list)|however\s+many\s+there\s+are)"
                       r"(?:\s*,?\s*(?:please|thanks))?\s*[.!?]*\s*$", re.IGNORECASE)


# how the answer should be laid out or how long it should be, said last ("..., comma
# separated", "(one per line)", "..., in short", "in one sentence")
_LAID_OUT = re.compile(r"(?:\s*[,;:(\u2014\u2013-]\s*(?:please\s+)?(?:(?:as|in)\s+(?:a\s+)?)?|"
                       r"\s+(?:as|in)\s+(?:a\s+)?)(?:"
                       r"comma[- ]?(?:separated|delimited)|one (?:per|a) line|bullet(?:ed)?"
                       r"(?: points?| list)?|json|csv|a table|alphabetical(?:ly| order)?|"
                       r"plain text|short|brief|briefly|nutshell|(?:one|a|two|few) (?:line|"
                       r"sentence|word)s?(?: or two)?|simple terms|plain (?:english|words)|"
                       r"layman'?s terms)(?:\s+(?:list|form|format))?\s*\)?(?:,?\s*please)?"
                       r"(?=[.!?]*\s*$)", re.IGNORECASE)


def unlaid(text: str) -> str:
    """``text`` without how the answer should be laid out, said last ("list the kinds of X,
    comma separated"); unchanged when those words are what is asked about ("what is in a
    table?")."""
    rest = _LAID_OUT.sub("", text)
    words = rest.rstrip("?.! ").split()
    if rest == text or len(words) < 2 or words[-1].lower() in _LEADS_IN | {"what", "a", "the"}:
        return text
    return rest


def uncompleted(text: str) -> str:
    """``text`` without a request for the whole answer said after the question."""
    m = _COMPLETE.search(text)
    if m is None or m.start() == 0:
        return text
    head = text[:m.start()].rstrip(" ,;:")
    if not (_WH.search(head) or ":" in head or text[m.start()] == "?"):
        return text  # "components of X, every one": the request is all that says a list
    return head + ("?" if "?" in text[m.start():m.start() + 1] or text.rstrip().endswith("?")
                   else "") if head else text


_TYPED = re.compile(r"\b[A-Za-z]{5,}\b")  # a word long enough to be typed wrong


def repaired(text: str, fix: Callable[[str], str], asks: Callable[[str], bool]) -> str:
    """``text`` with each word that ``fix`` finds a typo of a graph's word written as that
    word ("hybird" -> "hybrid"): the question is then read and embedded as it was meant. A
    word that ``asks`` is no typo of a name ("contrast", not "contract"). (Only a sure fix
    belongs here, such as two letters swapped: a merely close graph word would turn the
    question's own words, "founded", "precisely", into names.)"""
    return _TYPED.sub(lambda m: m[0] if asks(w := m[0].lower()) or (f := fix(w)) == w else f,
                      text)


_HYPHENED = re.compile(r"\b([A-Za-z]{2,8})-([A-Za-z]{3,})\b")  # "re-forestation"


def unhyphened(text: str, known: Callable[[str], bool],
               asks: Callable[[str], bool] = lambda _: False,
               named: Callable[[str, str], bool] | None = None) -> str:
    """``text`` with a prefix joined to its word ("re-forestation", "sub-types") where the
    joined word is one that ``asks``, or is ``known`` to the graph while the hyphened words
    are no name of it (a label may be written with the hyphen: "multi-colored"); without
    ``named``, while the prefix alone is no word of the graph."""
    def apart(prefix: str, word: str) -> bool:
        return named(prefix, word) if named is not None else len(prefix) > 2 and known(prefix)

    return _HYPHENED.sub(lambda m: m[1] + m[2] if asks(m[1] + m[2]) or (
        known(m[1] + m[2]) and not apart(m[1], m[2])) else m[0], text)


_LONG_WORD = re.compile(r"\b[a-z]{7,}\b", re.IGNORECASE)
_PAIR = re.compile(r"\b([a-z]{2,}) (?=([a-z]{3,})\b)", re.IGNORECASE)  # (a word, the next)


def unfused(text: str, known: Callable[[str], bool], named: Callable[[str, str], bool],
            one: Callable[[str], bool] = lambda _: False) -> str:
    """``text`` with two words typed without a space between them split ("deeplearning"):
    where the word is not ``known`` and its two halves are words that together are a
    ``named`` name of the graph; and two words that are ``one`` name typed as one word
    joined ("eco tourism"), where the two are no name."""
    text = _PAIR.sub(lambda m: m[1] if one(m[1] + m[2]) and not named(m[1], m[2])
                     else m[0], text)
    def split(m: re.Match[str]) -> str:
        word = m[0]
        if known(word):
            return word
        halves = [(word[:i], word[i:]) for i in range(2, len(word) - 1)]
        return next((f"{a} {b}" for a, b in halves if known(a) and known(b) and named(a, b)),
                    word)

    return _LONG_WORD.sub(split, text)


_BACK_WORDS = frozenset({"its", "their", "it", "they", "them", "that", "those"})  # to what came
_ARROW = re.compile(r"\s*(?:->|\u2192)\s*")  # "X -> Y", "X \u2192 Y"


def arrowed(text: str, steps: Callable[[str], bool]) -> str:
    """``text`` with its one arrow from a term to another said "to" ("fluorescence ->
    transparent, what lies between"); arrows that lead to a word of a chain's ``steps``
    ("X -> opposite -> parents", "X's subtypes -> their related terms") are left to the
    chain's reading."""
    arrows = list(_ARROW.finditer(text))
    after = re.match(r"\W*([A-Za-z]+)", text[arrows[0].end():]) if len(arrows) == 1 else None
    if after is None or steps(after[1].lower()) or after[1].lower() in _BACK_WORDS:
        return text
    return f"{text[:arrows[0].start()]} to {text[arrows[0].end():]}"


_ASIDE_SAID = re.compile(r"\(([^()?]*)\)")  # "(exam in 2 hrs)": said beside the question


def aside_words(text: str) -> set[str]:
    """The stems of the words a question says in brackets beside what it asks ("define X pls
    (exam in 2 hrs)"): unknown to the graph, they still leave the question answerable."""
    return {stem(w.lower()) for m in _ASIDE_SAID.finditer(text) for w in re.findall(r"\w+", m[1])}


def of_the_asker(text: str, asked: str) -> bool:
    """True when what ``text`` says before its question ``asked`` speaks only of the asker
    or of what the answer is for ("For my weather club: which phenomena ...", "For the
    procurement checklist: how many ..."), and of no topic ("my essay on X")."""
    before = text[: max(0, len(text) - len(asked))] if text.endswith(asked) else ""
    return bool(_ASKER.search(before) or _PURPOSE.match(before)) and (
        len(before.split()) <= _TOLD_MAX) and not _ABOUT.search(before)


def set_in(text: str, asked: str) -> str:
    """What ``text`` says before its question ``asked`` when that only sets the question in a
    field ("In hydrology, what is an aquifer?") or labels a request ("Homework for Year 8:
    define a glacier"); "" otherwise."""
    before = (text[: len(text) - len(asked)] if text.endswith(asked) else "").rstrip()
    if (before.endswith(",") and _SETTING.fullmatch(before[:-1])) or (
            before.endswith(":") and _REQUEST.match(asked)):
        return before[:-1]
    return ""


_TOLD_MAX = 6  # words of a short note on the asker before a question
_PURPOSE = re.compile(r"\s*for\s+(?:the|a|an|this|our|my)\b", re.IGNORECASE)  # "For the checklist:"
_ABOUT = re.compile(r"\b(?:on|about|of|regarding|re|concerning)\b", re.IGNORECASE)

