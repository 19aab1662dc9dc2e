"""The question as typed, made readable before it is linked: shorthand and arrows written
out, hyphens and fused words split or joined where the graph's names say so, and slips of
the keyboard put right.

Each step only rewrites words the graph or the asking vocabulary knows, so a question typed
cleanly comes out unchanged.
"""

from __future__ import annotations

from collections.abc import Container

from kg.qa.forms import Lexicon
from kg.qa.linking import LabelMatcher
from kg.qa.screen import arrowed, clean_question, repaired, unfused, unhyphened, unlaid
from kg.qa.text import STOPWORDS, stem

__all__ = ["readable"]


def readable(raw: str, lex: Lexicon, vocab: Container[str], matcher: LabelMatcher) -> str:
    """``raw`` without how the answer should be laid out ("..., comma separated"), with its
    shorthand, arrows, hyphens ("re-forestation"), fused words
    ("deeplearning", "beersiblings"), split names ("eco tourism") and slips ("synonims")
    made into the words the graph and the asking vocabulary use."""
    known = lex.asking
    clean = unhyphened(lex.written_out(arrowed(unlaid(clean_question(raw)), lex.says_ask)),
                       lambda w: stem(w) in vocab, lambda w: stem(w) in known,
                       lambda a, b: bool(matcher.names([a, b])))  # ("multi-colored")
    clean = unfused(clean, lambda w: stem(w.lower()) in vocab or stem(w) in known,
                    lambda a, b: matcher.names([a, b]) or (  # "deeplearning", or a
                        matcher.names([a]) and stem(b) in known) or (  # "beersiblings"
                        a in STOPWORDS and a + b not in STOPWORDS and stem(b) in known),
                    lambda w: matcher.names([w]))  # "eco tourism"
    return repaired(lex.respelled(clean, vocab),  # "synonims",
                    lambda w: matcher.unswapped(w) or w, lex.says_ask)
