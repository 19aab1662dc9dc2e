"""The raw text of a question made safe to read, and whether it is a question at all.

Any text reaches the engine (a terminal, a browser, an agent): it is normalised, stripped of
control characters and capped before anything reads it, and text that is empty, instructs the
tool or is a query rather than a question is answered with one line saying so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from kg.qa.intent import Intent, strip_markup
from kg.qa.text import sentences

__all__ = ["MAX_QUESTION_CHARS", "clean_question", "final_question", "refusal_of", "unhyphened"]

MAX_QUESTION_CHARS = 2000


def clean_question(text: str) -> str:
    """The text normalised (NFKC), control characters blanked, spaces collapsed, capped."""
    text = unicodedata.normalize("NFKC", text)[: MAX_QUESTION_CHARS * 5]
    text = "".join(c if c.isprintable() or c in "\n\t" else " " for c in text)
    return re.sub(r"\s+", " ", text).strip()[:MAX_QUESTION_CHARS]


def refusal_of(clean: str, intent: Intent) -> str:
    """Why the raw text is not a question for the graph ("" when it is one)."""
    if not re.search(r"\w", strip_markup(clean)):
        return "the question is empty"
    if intent.injection:
        return ("the question contains instructions to the tool; it only answers questions "
                "from the graph")
    if intent.query_fragment:
        return "the question looks like a query, not a question; use `kg sparql` to run SPARQL"
    return ""


# words by which a question refers back to the sentences before it
_BACK = re.compile(r"\b(?:it|its|they|them|their|that|this|these|those|such)\b", re.IGNORECASE)


# a sentence after the question that tells about the asker, not what is asked
_CONTEXT = re.compile(r"(?:i|i'm|im|my|we|our|us|this|it|it's|thanks|thank)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"(?<=[:;])\s+")  # "I'm writing to a colleague: what is X in German?"


def final_question(text: str) -> str:
    """The one question of a text among sentences of context ("I'm translating a brochure.
    What is 'ozone layer' in Spanish?", "Is there another name for X? My book uses one."); the
    text itself when it is one sentence, asks no or several questions, or the question
    refers back to the context before it ("... How does that type of model work?")."""
    parts = [p for s in sentences(text) for p in _CLAUSE_END.split(s)]
    asks = [k for k, p in enumerate(parts) if p.endswith("?")]
    if len(parts) < 2 or len(asks) != 1 or (asks[0] and _BACK.search(parts[asks[0]])) or any(
            not _CONTEXT.match(p) for p in parts[asks[0] + 1:]):
        return text  # (after the question, "Give all of them." asks on)
    return parts[asks[0]]


_HYPHENED = re.compile(r"\b([A-Za-z]{2,5})-([A-Za-z]{3,})\b")  # "re-forestation"


def unhyphened(text: str, known: Callable[[str], bool],
               asks: Callable[[str], bool] = lambda _: False) -> str:
    """``text`` with a prefix joined to its word ("re-forestation", "sub-types") where the
    joined word is one that ``asks``, or is ``known`` to the graph while the prefix alone is
    not (a label may be written with the hyphen: "multi-colored")."""
    return _HYPHENED.sub(lambda m: m[1] + m[2] if asks(m[1] + m[2]) or (
        known(m[1] + m[2]) and not (len(m[1]) > 2 and known(m[1]))) else m[0], text)
