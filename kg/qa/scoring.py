"""Score answers against a question set: retrieval, fact recall, abstention, and precision.

Reads the evaluation JSON Lines schema (``id``, ``question``, ``type``, ``gold_entities``,
``gold_facts`` with keyword groups, ``expect_abstain``) and predictions (``id``, ``answer``,
``entities``, ``abstained``). Two views of the same predictions:

* recall side: entity Hit@1/Hit@k/MRR, fact recall (a fact is present when every keyword
  group has an alternative in the answer), abstention precision/recall/F1, and
  score = 100 * mean(Hit@k, fact recall, abstention F1);
* reader side: lead (the first sentence holds a gold fact), repeats (two sentences say one
  thing), median words, and precision = 100 * mean(lead, 1 - repeats, brevity, recall) with
  brevity = min(1, 80 / median words). A score that rises while answers grow is not progress.

Entity names match when their squashed forms are equal or when the graph lists them as
labels of one node (``aliases``), so no vocabulary of any one graph lives here.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["body_of", "fact_matches", "precision_metrics", "repeated_pairs", "report",
           "score_metrics", "sentences", "squash"]

_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                       "\u00a0": " ", "-": " ", "\u2010": " ", "\u2011": " ", "\u2013": " ",
                       "\u2014": " ", "/": " "})
_ABSTAIN = re.compile(r"does not hold|not in the knowledge graph|i don't know|no information|"
                      r"cannot answer")
_BRIEF_WORDS = 80  # answers up to this median length read as short


def _norm(text: str) -> str:
    s = unicodedata.normalize("NFKC", text or "").lower().translate(_FOLD)
    s = re.sub(r"\s+%", "%", s)
    return re.sub(r"\s+", " ", s).strip()


def _keyword(keyword: str, text: str) -> bool:
    """A keyword is in normalised text: short ones as whole words, longer ones as prefixes."""
    k = _norm(keyword)
    if not k:
        return False
    pattern = (r"(?<![0-9a-z])" if k[0].isalnum() else "") + re.escape(k)
    if k[-1].isalnum() and sum(c.isalnum() for c in k) <= 3:
        pattern += r"s?(?![0-9a-z])"
    return re.search(pattern, text) is not None


def fact_matches(fact: dict[str, Any], text: str) -> bool:
    """True when every keyword group of a gold fact has an alternative in ``text``."""
    groups = fact.get("keywords") or []
    normed = _norm(text)
    return bool(groups) and all(any(_keyword(k, normed) for k in g) for g in groups)


def squash(label: str) -> str:
    """A name as a matching key: accents, case, spaces and punctuation gone, plural s off."""
    s = unicodedata.normalize("NFKD", str(label))
    s = re.sub(r"[^0-9a-z]", "", "".join(c for c in s if not unicodedata.combining(c)).lower())
    return s[:-1] if len(s) > 3 and s.endswith("s") else s


def _entity_name(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("label") or item.get("name") or item.get("iri") or "")
    return str(item)


def _abstained(pred: dict[str, Any]) -> bool:
    if isinstance(pred.get("abstained"), bool):
        return pred["abstained"]
    return not pred.get("answer") or bool(_ABSTAIN.search(_norm(pred.get("answer", ""))))


def score_metrics(
    questions: list[dict[str, Any]],
    predictions: Iterable[dict[str, Any]],
    k: int = 5,
    aliases: Callable[[str], set[str]] | None = None,
) -> dict[str, Any]:
    """Per-type and overall retrieval, fact recall and abstention figures, and the score."""
    by_id = {p.get("id"): p for p in predictions}
    keys = aliases or (lambda name: {squash(name)})
    rows = []
    for q in questions:
        pred = by_id.get(q["id"]) or {"answer": "", "entities": [], "abstained": False}
        expect = bool(q.get("expect_abstain"))
        row: dict[str, Any] = {"type": q.get("type", "?"), "expect": expect,
                               "abstained": _abstained(pred), "rank": None, "recall": None}
        gold = [keys(g) for g in q.get("gold_entities") or [] if g]
        if gold and not expect:
            ranked = [keys(_entity_name(e)) for e in pred.get("entities") or []]
            row["rank"] = next((i for i, ids in enumerate(ranked, 1)
                                if any(ids & g for g in gold)), 0)
            row["found"] = sum(1 for g in gold if any(ids & g for ids in ranked[:k])) / len(gold)
        facts = q.get("gold_facts") or []
        if facts and not expect:
            text = "" if row["abstained"] else pred.get("answer") or ""
            row["recall"] = sum(fact_matches(f, text) for f in facts) / len(facts)
        rows.append(row)
    types = sorted({r["type"] for r in rows})
    out = {"overall": _aggregate(rows, k), "types": {t: _aggregate(
        [r for r in rows if r["type"] == t], k) for t in types}}
    o = out["overall"]
    parts = [v for v in (o[f"hit@{k}"], o["fact_recall"], o["abstain_f1"]) if v is not None]
    out["score"] = 100.0 * sum(parts) / len(parts) if parts else 0.0
    out["declined"] = sum(1 for r in rows if r["abstained"] and not r["expect"])
    return out


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _aggregate(rows: list[dict[str, Any]], k: int) -> dict[str, Any]:
    ent = [r for r in rows if r["rank"] is not None]
    tp = sum(1 for r in rows if r["abstained"] and r["expect"])
    fp = sum(1 for r in rows if r["abstained"] and not r["expect"])
    fn = sum(1 for r in rows if not r["abstained"] and r["expect"])
    precision = tp / (tp + fp) if tp + fp else (1.0 if tp + fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    return {
        "n": len(rows),
        "hit@1": _mean([1.0 if r["rank"] == 1 else 0.0 for r in ent]),
        f"hit@{k}": _mean([1.0 if r["rank"] and r["rank"] <= k else 0.0 for r in ent]),
        "mrr": _mean([1.0 / r["rank"] if r["rank"] else 0.0 for r in ent]),
        "fact_recall": _mean([r["recall"] for r in rows if r["recall"] is not None]),
        "abstain_accuracy": _mean([1.0 if r["abstained"] == r["expect"] else 0.0 for r in rows]),
        "abstain_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    }


# ------------------------------------------------------------------ reader's side
# The judge of repeats reads the answer text only, by rules of its own: it shares no code and
# no word list with the composer (kg/qa/compose.py), which decides what not to say from the
# facts it holds. A repeat the composer lets through is counted here.

# Closed-class English words (articles, pronouns, prepositions, conjunctions, auxiliaries)
# and general verbs of four letters or more: they say how a sentence is built, not what it
# is about. Shorter words are skipped by length unless written in capitals (AI, GPU, ROI).
_GRAMMAR = frozenset("""
about above after again against along also although among another anything around because
been before behind being below besides between beyond both cannot could does doing done down
during each either else enough even ever every from have having here however into itself just
less like made make makes many more most much must neither never none nothing once only onto
other others ought over quite rather same several shall should since some such than that their
theirs them themselves then there these they this those though through throughout thus till
toward towards under unless until upon very well were what whatever when where whether which
while whom whose will with within without would your yours called calls gives given reads
""".split())
_SHARED_START = 7  # words agreeing on this many first letters are one word ("diagnos-is/-ing")
_NEAR = 2 / 3  # share of the shorter sentence's words found in the other: a near-duplicate
_FIGURE = re.compile(r"(\d+(?:[.,]\d+)?)(?:\s*(?:-|\u2013|to)\s*(\d+(?:[.,]\d+)?))?"
                     r"(\s*(?:%|percent\b|per cent\b))?")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|no|fig|dr|mr|ms|st)|\b[A-Z])\.$",
                           re.IGNORECASE)


def body_of(answer: str) -> str:
    """The answer without its source list and citation marks."""
    lines = []
    for line in answer.splitlines():
        if line.strip().lower().startswith("sources:"):
            break
        lines.append(line)
    return re.sub(r"\[\d+\]", "", "\n".join(lines)).strip()


def sentences(body: str) -> list[str]:
    """Sentences as a reader counts them: each line, cut after a full stop, question or
    exclamation mark followed by a space and a capital, a digit or a quote, except after an
    abbreviation or an initial ("e.g.", "vs.", "J.")."""
    out = []
    for line in body.splitlines():
        start = 0
        line = line.strip()
        for i, char in enumerate(line[:-1]):
            if char not in ".!?" or line[i + 1] != " ":
                continue
            rest = line[i + 1:].lstrip()
            if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'"):
                continue
            if char == "." and _ABBREVIATION.search(line[start:i + 1]):
                continue
            out.append(line[start:i + 1].strip())
            start = i + 1
        if line[start:].strip():
            out.append(line[start:].strip())
    return out


def _figures(sentence: str) -> set[str]:
    """The figures a sentence states, written one way: "35 percent" is "35%", "6 to 9" and
    "6–9" are "6-9"; single digits are left out (they count steps, not facts)."""
    out = set()
    for low, high, percent in _FIGURE.findall(sentence):
        figure = low.replace(",", ".") + ("-" + high.replace(",", ".") if high else "")
        if percent:
            figure += "%"
        if len(figure) > 1:
            out.add(figure)
    return out


def _keys(sentence: str) -> set[str]:
    """What a sentence is about: its words of four letters or more and its acronyms,
    lowercase, without a plural s, grammar left out."""
    words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", sentence))
    keys = set()
    for w in words:
        if (len(w) >= 4 or (len(w) >= 2 and w.isupper())) and w.lower() not in _GRAMMAR:
            low = w.lower()
            keys.add(low[:-1] if low.endswith("s") and not low.endswith("ss") else low)
    return keys


def _one_word(a: str, b: str) -> bool:
    """Two words are one to a reader when one begins the other ("model", "modelling") or
    they agree on their first ``_SHARED_START`` letters ("detection", "detecting"); "general"
    and "generative" are two."""
    short, long_ = sorted((a, b), key=len)
    if a == b or (len(short) >= 4 and long_.startswith(short)):
        return True
    return len(short) >= _SHARED_START and a[:_SHARED_START] == b[:_SHARED_START]


def _same_thing(a: str, b: str) -> bool:
    """Two sentences say one thing: most of the shorter one's words are in the other, or
    both state the same figure about the same two words."""
    ka, kb = _keys(a), _keys(b)
    small, large = sorted((ka, kb), key=len)
    shared = sum(1 for w in small if any(_one_word(w, x) for x in large))
    if len(small) >= 3 and shared >= _NEAR * len(small):
        return True
    return bool(_figures(a) & _figures(b)) and shared >= 2


def repeated_pairs(sents: list[str]) -> list[tuple[int, int]]:
    """The pairs of sentences (by position) that say one thing."""
    return [(i, j) for i in range(len(sents)) for j in range(i + 1, len(sents))
            if _same_thing(sents[i], sents[j])]


def precision_metrics(
    questions: list[dict[str, Any]], predictions: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """Lead, repeats, length and recall of the answered, answerable questions."""
    gold = {q["id"]: q for q in questions}
    lead, lead2, words, rep, rec = [], [], [], [], []
    for p in predictions:
        q = gold.get(p.get("id"))
        if not q or q.get("expect_abstain") or _abstained(p):
            continue
        body = body_of(p.get("answer") or "")
        sents = sentences(body)
        words.append(len(body.split()))
        rep.append(bool(repeated_pairs(sents)))
        facts = q.get("gold_facts") or []
        if facts:
            lead.append(any(fact_matches(f, sents[0]) for f in facts) if sents else False)
            lead2.append(any(fact_matches(f, " ".join(sents[:2])) for f in facts))
            rec.append(sum(fact_matches(f, body) for f in facts) / len(facts))
    if not words:
        return {"answers": 0, "precision": 0.0}
    median = statistics.median(words)
    out = {
        "answers": len(words),
        "lead": _mean([float(x) for x in lead]) or 0.0,
        "lead2": _mean([float(x) for x in lead2]) or 0.0,
        "median_words": median,
        "p90_words": sorted(words)[int(0.9 * (len(words) - 1))],
        "repeats": _mean([float(x) for x in rep]) or 0.0,
        "recall": _mean(rec) or 0.0,
        "brevity": min(1.0, _BRIEF_WORDS / median) if median else 1.0,
    }
    out["precision"] = 100 * statistics.mean(
        [out["lead"], 1 - out["repeats"], out["brevity"], out["recall"]])
    return out


def report(metrics: dict[str, Any], k: int = 5) -> str:
    """The per-type table and the summary lines, as text."""
    head = f"{'type':<14}{'n':>4}{'Hit@1':>8}{f'Hit@{k}':>8}{'MRR':>7}{'FactRec':>9}{'AbstAcc':>9}"
    lines = [head, "-" * len(head)]

    def fmt(v: float | None) -> str:
        return "-" if v is None else f"{v:.3f}"

    rows = [*metrics["types"].items(), ("OVERALL", metrics["overall"])]
    for name, m in rows:
        lines.append(f"{name:<14}{m['n']:>4}{fmt(m['hit@1']):>8}{fmt(m[f'hit@{k}']):>8}"
                     f"{fmt(m['mrr']):>7}{fmt(m['fact_recall']):>9}"
                     f"{fmt(m['abstain_accuracy']):>9}")
    o = metrics["overall"]
    lines.append(f"abstention F1 {o['abstain_f1']:.3f}; answerable questions declined: "
                 f"{metrics['declined']}")
    lines.append(f"score: {metrics['score']:.1f}")
    p = metrics.get("precision")
    if p and p.get("answers"):
        lines.append(f"lead {p['lead']:.3f}  lead2 {p['lead2']:.3f}  repeats {p['repeats']:.3f}"
                     f"  words median {p['median_words']:.0f} (p90 {p['p90_words']})"
                     f"  recall {p['recall']:.3f}")
        lines.append(f"precision: {p['precision']:.1f}")
    return "\n".join(lines)
