"""A question once linked: what it names, and whether the graph can answer it at all.

The engine links a question (kg.qa.engine), then asks :func:`unanswerable` before any walk:
a question whose words the graph does not know, or that names a thing it has no concept
for, is declined with the reason a user reads.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

from kg.qa import weights as W
from kg.qa.answer import EntityRef
from kg.qa.forms import Lexicon
from kg.qa.intent import Intent
from kg.qa.linking import LabelMatcher
from kg.qa.screen import aside_words
from kg.qa.text import stem
from kg.qa.walk import Context

__all__ = ["QUOTED", "Linked", "Question", "unanswerable"]

QUOTED = re.compile(r"['\"‘“]([^'\"‘’“”]{2,60})['\"’”]")  # a term the question quotes


@dataclass
class Linked:
    """What a question names: its topics, type hints, ranked entities and where each is said."""

    named: list[str]
    type_hints: list[str]
    entities: list[EntityRef]
    data_hits: list[tuple[str, float]]
    best_cos: float
    retired: list[tuple[str, str]]  # (deprecated term named, its replacement)
    spans: list[tuple[int, int]]  # the word spans naming the topics (masked to read the form)
    named_at: dict[str, int] = field(default_factory=dict)  # where each is first named
    span_names: dict[int, str] = field(default_factory=dict)  # what each span names


@dataclass
class Question:
    """A question after linking: its text, intent, linked nodes and ranking context."""

    text: str
    normed: str
    intent: Intent
    linked: Linked
    ctx: Context
    qstems: set[str]
    unknown: list[str]


def unanswerable(q: Question, unclaimed: set[str] | None, lex: Lexicon, matcher: LabelMatcher,
             vocab: Container[str], relation_words: Container[str]) -> str:
    """Why the linked question cannot be answered at all ("" when it can); given the
    words its form leaves ``unclaimed``, only those count as unknown ("meant" asks)."""
    lex = lex  # ("a few instances": words that ask are known)
    if not q.linked.named and (q.linked.best_cos < W.MIN_RETRIEVAL or sum(
            u not in lex.asking and u not in lex.grammar for u in q.unknown) > max(
            1, len(q.qstems) // 2)):
        return "no concept of the graph matches the question"
    if not q.linked.named and q.unknown and q.intent.primary == "definition" and (
        q.linked.best_cos < W.DEFINE_GUESS
    ) and not (q.intent.asks_which and set(q.unknown) <= lex.grammar):
        # "What is quantum computing?" on a graph that has no such concept: the nearest
        # concept's definition would answer another question
        return "the graph knows nothing about " + ", ".join(q.unknown)
    names = matcher.unknown_names(q.text, lambda w: stem(w) in vocab or (
        w in lex.languages)  # a language asked for ("auf Deutsch")
        or lex.says_ask(w))  # a word that asks, said in capitals ("UF")
    if names:
        return "the graph knows nothing about " + ", ".join(names)
    wanted = q.intent.answer_type  # "which genes ...": what is asked for, by kind (not
    wanted = "" if q.intent.asked and wanted in q.intent.asked.what else wanted  # "percent")
    paired = re.search(rf"\b(\w+) (?:or|and) {re.escape(wanted)}\b", q.normed) if (
        wanted) else None  # "which roles or professions": one name the graph knows
    if wanted and not wanted.endswith("ly") and stem(wanted) not in vocab and (
            not lex.says_ask(wanted)) and (
            stem(wanted) not in relation_words) and not (
            paired and stem(paired[1]) in vocab):
        return f"the graph knows nothing about {wanted}"
    kind_check = q.intent.asked is not None and q.linked.named  # decided later, by kind
    aside = aside_words(q.text)  # "(exam in 2 hrs)": said beside the ask
    unknown = [u for u in q.unknown if (unclaimed is None or u in unclaimed) and u not in aside
               and u not in lex.asking and u not in lex.grammar]
    quoted = bool(q.linked.named and QUOTED.search(q.text))  # 'Copied: "X". what is it?'
    if (len(unknown) > len(q.qstems) * W.UNKNOWN_SHARE and len(q.qstems) >= 3
            and not kind_check and not quoted):
        return "most of the question's words are unknown to the graph"
    return ""
