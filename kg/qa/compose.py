"""Compose an answer a person would write from ranked graph facts.

The plan's lead facts answer what was asked and come first; then at most a few supporting
facts, each chosen for what it adds: a fact whose content an earlier sentence already says is
left out whichever node it came from (a definition, a claim, a table cell or an edge), and so
is anything below the relevance floor or without content for the reader. Nothing here touches
the graph: the engine says which nodes' own text is not worth speaking.

What counts as said again is decided here, from what the composer holds: the triples a fact
states, the vectors of its nodes and its own reading of the words. The answer-quality judge
(:mod:`kg.qa.scoring`) reads answers by rules of its own, so it counts what this misses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.text import sentences, stem

__all__ = ["Composed", "content_words", "compose", "join_names", "same_triple", "says_again",
           "select"]

# Words that carry no content of their own when judging whether two sentences say the same.
_FILLER = frozenset(
    "a an the of and or to in on for with by from as at is are was were be been being it its "
    "this that these those which who whom what when where why how do does did can could may "
    "might will would should than then there their they them also such not no into about "
    "over under more most less least very much many some any each other both all".split()
)
_WORD = re.compile(r"[a-z0-9%]+")
_PROSE = ("data", "definition", "merged")  # facts told in their own words, not as a triple
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?%?")
# An opening clause that says where a fact comes from ("In the table 'X', ", "According to
# the survey, "): said once per answer.
_FRAME = re.compile(r"(?:In|According to) the [^,;.]{1,80}, ")


@dataclass
class Composed:
    """The facts an answer speaks, in order, and its text with numbered sources."""

    spoken: list[Fact]
    text: str
    supporting: list[Fact] = field(default_factory=list)


def content_words(sentence: str) -> set[str]:
    """The words of a sentence that carry its content (lowercase, fillers dropped)."""
    return {stem(w) for w in _WORD.findall(sentence.lower())
            if w not in _FILLER and (len(w) > 2 or w[0].isdigit())}


def says_again(sentence: str, earlier: Iterable[str]) -> bool:
    """True when earlier sentences already say what ``sentence`` says.

    It does when little of its content is new, when most content words of the shorter of
    one of its sentences and an earlier one are in the longer, or when both give the same
    figure about the same words.
    """
    words = content_words(sentence)
    if not words:
        return True
    seen: set[str] = set()
    olds = [(s, len(parts) == 1) for parts in map(sentences, earlier) for s in parts]
    for new in sentences(sentence):
        mine, numbers = content_words(new), set(_NUMBER.findall(new))
        for old, whole in olds:
            theirs = content_words(old)
            seen |= theirs
            shared = mine & theirs
            if mine and theirs and len(shared) >= W.SAME_CONTENT * min(len(mine), len(theirs)):
                if not (whole and _elaborates(mine, theirs)):
                    return True
            if numbers & set(_NUMBER.findall(old)) and len(shared) >= 2:
                return True
    return len(words - seen) < W.NEW_CONTENT * len(words)


def _elaborates(mine: set[str], theirs: set[str]) -> bool:
    """True when a sentence holds a much shorter earlier fact's few words (a fact of one
    sentence, not the last line of a definition) and far more of its own: after "A is the
    foundation of B", how B's layers of A work explains what the link only names, and
    dropping it would leave the answer a bare link."""
    return len(theirs) <= W.SHORT_SENTENCE and len(mine - theirs) >= W.ELABORATES * len(mine)


def join_names(names: list[str], total: int | None = None, limit: int = W.LIST_MAX) -> str:
    """"a, b and c", or "a, b, c and 9 more" when the list is longer than ``limit``."""
    total = len(names) if total is None else total
    shown = names[:limit]
    more = total - len(shown)
    if more > 0:
        return ", ".join(shown) + f" and {more} more"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _merge_pair(a: str, b: str) -> str | None:
    """One contrast sentence from two that share their opening words (two cells of one
    table column, two sides of one claim): "..., the X for A is: p; for B: q." Else None.

    The shared words must reach past a framing clause ("In the table T, the"), or the rest of
    both must name the same thing (two entries of one row): two cells of one table that give
    different things of different subjects (a use case of A, a feature of B) share only the
    frame, and pairing them would read as one contrast that is not there."""
    wa, wb = a.rstrip(".").split(), b.rstrip(".").split()
    n = 0
    while n < min(len(wa), len(wb)) - 1 and wa[n] == wb[n]:
        n += 1
    if n < 5 or n < 0.3 * min(len(wa), len(wb)):
        return None
    frame = _FRAME.match(a)
    if frame:
        past = content_words(" ".join(wa[len(frame.group(0).split()) : n]))
        if len(past) < 2 and not _names(wa[n:]) & _names(wb[n:]):
            return None
    return " ".join(wa) + "; " + " ".join(wb[n - 1 :]) + "."


def _names(words: list[str]) -> set[str]:
    """The capitalised words of a sentence's remainder: the names it speaks of."""
    return {w.strip(":;,.'\"") for w in words if w[:1].isupper()} - {""}


def _capitalised(sentence: str) -> str:
    """A sentence opening with a lowercase label ("acid rain is a kind of ...") starts with a
    capital, unless its first word is cased on purpose ("iPhone", "pH", "mRNA")."""
    first = sentence.split(" ", 1)[0].rstrip(":;,.")
    if first.isalpha() and first.islower():
        return sentence[:1].upper() + sentence[1:]
    return sentence


def _unframed(sentence: str, frames: list[set[str]]) -> str:
    """``sentence`` without its opening framing clause when an earlier sentence of the answer
    opened with the same one, or with a shorter or longer name of the same source ("the
    cost table", "the table 'Cost analysis of X'"): the reader was told where these facts
    come from once."""
    frame = _FRAME.match(sentence)
    mine = content_words(frame.group(0)) if frame else set()
    if len(mine) < 2 or not any(mine <= old or old <= mine for old in frames):
        return sentence
    rest = sentence[frame.end():]
    return rest[:1].upper() + rest[1:]


def compose(
    lead: list[Fact],
    candidates: list[Fact],
    *,
    quiet: set[tuple[str, str, str]],
    max_support: int = W.SUPPORT_MAX,
    full: bool = False,
    meaning: Callable[[Fact], object] | None = None,
) -> Composed:
    """Choose the sentences of an answer and write it.

    ``lead`` is the plan's answer to what was asked; ``candidates`` the ranked facts;
    ``quiet`` the (subject, predicate, object) of facts with nothing for the reader (see
    :mod:`kg.qa.plan`): they support the answer but are not spoken.
    With ``full`` every ranked fact is listed with its score, best first.
    ``meaning`` gives a prose fact's unit vector (or None): a supporting sentence whose meaning
    an earlier spoken one already covers (cosine >= ``W.SAME_MEANING``) is a paraphrase, left out.
    """
    ranked = _unique(lead + [c for c in candidates if c.score >= W.MIN_FACT])
    if full:
        for f in ranked:
            f.spoken = True
        return Composed(ranked, _render(ranked, scores=True), ranked)
    spoken: list[Fact] = []
    said: list[str] = []
    covered: set[tuple[str, str, str]] = set()
    lead_keys = {id(f) for f in lead}
    support = [c for c in ranked if id(c) not in lead_keys]
    best = max((c.score for c in support), default=0.0)
    for f in lead:
        if f.sentence in said or (said and says_again(f.sentence, said) and not f.parts):
            continue
        spoken.append(f)
        said.append(f.sentence)
        covered |= _keys(f)
    added = 0
    for f in support:
        if added >= max_support:
            break
        if f.score < W.SUPPORT_FLOOR or f.score < W.SUPPORT_RATIO * best:
            break  # ranked: everything after is weaker still
        if _keys(f) <= covered or (f.subject, f.predicate, f.object) in quiet:
            continue
        if _paraphrase(f, spoken, meaning):
            continue
        if says_again(f.sentence, said):
            merged = _merge_with(f, spoken, said)
            if merged:
                covered |= _keys(f)
            continue
        spoken.append(f)
        said.append(f.sentence)
        covered |= _keys(f)
        added += 1
    if not spoken and ranked:
        spoken = ranked[:1]
    for f in ranked:
        f.spoken = any(f is s for s in spoken)
    supporting = spoken + [f for f in ranked if not f.spoken]
    return Composed(spoken, _render(spoken), supporting)


def _paraphrase(f: Fact, spoken: list[Fact], meaning: Callable[[Fact], object] | None) -> bool:
    """True when a spoken prose fact of another kind already says what ``f`` says in other
    words: word overlap misses a figure restated as a table cell or a claim, their vectors do
    not. Facts of one kind (two cells of one table) share a template, so their vectors are
    close whatever they say: they are never compared."""
    if meaning is None or f.kind not in _PROSE:
        return False
    mine = meaning(f)
    if mine is None:
        return False
    for s in spoken:
        if s.kind in _PROSE and s.nodes[-1:] != f.nodes[-1:] and _kinds(s) != _kinds(f):
            theirs = meaning(s)
            if theirs is not None and float(mine @ theirs) >= W.SAME_MEANING:  # type: ignore[operator]
                return True
    return False


def _kinds(f: Fact) -> set[str]:
    """The predicates that brought a fact's parts in (a merged fact may have several)."""
    return {p.predicate for p in f.triples()}


def _merge_with(f: Fact, spoken: list[Fact], said: list[str]) -> bool:
    """Fold ``f`` into the spoken sentence it shares a template with (see _merge_pair)."""
    for i, s in enumerate(spoken):
        if s.kind not in _PROSE or f.kind not in _PROSE or len(s.triples()) >= 2:
            continue
        merged = _merge_pair(s.sentence, f.sentence)
        if merged is None or content_words(f.sentence) <= content_words(s.sentence):
            continue
        others = [x for k, x in enumerate(said) if k != i and _merge_pair(x, f.sentence) is None]
        if says_again(f.sentence, others):
            return False  # a sentence of another kind already says it: merging says it twice
        combined = Fact(
            subject=s.subject, predicate=s.predicate, object=s.object, sentence=merged,
            object_is_literal=s.object_is_literal,
            sources=sorted(set(s.sources) | set(f.sources)),
            source_labels=[], score=s.score, kind="merged",
            nodes=tuple(dict.fromkeys(s.nodes + f.nodes)), parts=[*s.triples(), *f.triples()],
        )
        labels = dict(zip(s.sources, s.source_labels, strict=False))
        labels.update(zip(f.sources, f.source_labels, strict=False))
        combined.source_labels = [labels.get(x, x) for x in combined.sources]
        combined.spoken = True
        spoken[i] = combined
        said[i] = merged
        return True
    return False


def _keys(f: Fact) -> set[tuple[str, str, str]]:
    return {(p.subject, p.predicate, p.object) for p in f.triples()}


def _unique(facts: list[Fact]) -> list[Fact]:
    seen: set[str] = set()
    out = []
    for f in facts:
        key = f.sentence.lower()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _cited(f: Fact, numbers: dict[str, int]) -> list[tuple[str, str]]:
    """The sources a sentence shows: at most ``W.SOURCES_SHOWN``, those the answer already
    cites first (a concept's definition may draw on a dozen sections; a dozen marks on one
    sentence are noise, and every one of them would still be a source of it)."""
    pairs = list(zip(f.sources, f.source_labels, strict=False))
    ordered = [p for p in pairs if p[0] in numbers] + [p for p in pairs if p[0] not in numbers]
    return ordered[: W.SOURCES_SHOWN]


def _render(facts: list[Fact], scores: bool = False) -> str:
    """Sentences with source numbers, then the numbered sources."""
    numbers: dict[str, int] = {}
    labels: dict[str, str] = {}
    lines = []
    frames: list[set[str]] = []
    for f in facts:
        sentence = _capitalised(f.sentence if scores else _unframed(f.sentence, frames))
        frame = _FRAME.match(f.sentence)
        if frame and len(content_words(frame.group(0))) >= 2:
            frames.append(content_words(frame.group(0)))
        marks = []
        for src, label in _cited(f, numbers):
            if src not in numbers:
                numbers[src] = len(numbers) + 1
                labels[src] = label
            marks.append(f"[{numbers[src]}]")
        line = sentence + (" " + "".join(marks) if marks else "")
        lines.append(f"({f.score:.2f}) {line}" if scores else line)
    if numbers:
        lines.append("Sources: " + "; ".join(f"[{n}] {labels[s]}" for s, n in numbers.items()))
    return "\n".join(lines)


def select(lead: list[Fact], candidates: list[Fact], limit: int) -> list[Fact]:
    """Lead facts first, then the best candidates; one fact per sentence and node pair."""
    out: list[Fact] = []
    seen: set[str] = set()
    pairs: set[frozenset[str]] = set()
    covered = {(p.subject, p.predicate, p.object) for f in lead for p in f.parts}
    # where X is a kind of something leads, the hierarchy below X or beside it says nothing
    # of where X is ("Yes: pink is a kind of red, ..." needs no "dark pink is a kind of pink")
    filed = lead[0].subject if lead and lead[0].kind == "hierarchy" else None
    for f in lead + [c for c in candidates if c.score >= W.MIN_FACT and not (
            filed and c.kind == "hierarchy" and c.subject != filed)]:
        if (f.subject, f.predicate, f.object) in covered and not f.parts:
            continue
        key = f.sentence.lower()
        pair = frozenset((f.subject, f.object))
        if key in seen or (f.kind == "relation" and pair in pairs):
            continue
        seen.add(key)
        if f.kind in ("relation", "hierarchy"):
            pairs.add(pair)
        out.append(f)
        if len(out) >= limit + len(lead):
            break
    return out


def same_triple(a: Fact, b: Fact) -> bool:
    """True when the two facts state the same triple."""
    return (a.subject, a.predicate, a.object) == (b.subject, b.predicate, b.object)
