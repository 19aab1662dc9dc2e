"""Score the answer forms a taxonomy user asks for, reading only what a person reads.

Runs ``kg ask --batch`` once per graph over a question set of ``eval/forms/`` (default the
development set, ``forms_dev.jsonl``) and scores the answer TEXT only — never the JSON's
entities or facts:

* lists (broader, narrower, siblings, other names, every parent, a property's values):
  right when every expected name is said; *complete* is the share of names said;
* count: the number is said (digits or words); language: the label is said;
* yes/no: the answer's first word is the expected yes or no;
* abstain: the text says the graph does not hold it;
* definition: the key words of the graph's definition are said;
* path: the intermediate concepts of one shortest path are said;
* comparison: both concepts and something that sets each apart are said;
* examples: at least three (or all, when fewer) of the narrower concepts are said;
* list ("which companies use X") and multihop ("who makes the product used for Y", the
  answer two links away): right when every concept the links reach is said, as for lists;
  the concept passed on the way need not be said.

*First sentence* asks the same of the first sentence alone (lists: at least the first three
names, or the count); *words* is the median length of the answers. Matching ignores case,
punctuation, diacritics and a plural ``s``. The "Sources:" line and ``[n]`` marks are not
read.

    python bench/forms.py                          # dev set, every graph
    python bench/forms.py --graph stw --json       # one graph, JSON report
    python bench/forms.py --rescore                # score the answers of the last run again

Answers are kept in ``$KG_BENCH_DIR/forms/`` (``--answers-dir``) so a rescore needs no
engine. The final set (``eval/forms/forms_final.jsonl``) is run once, at the end; so are the
blind sets (``eval/forms/forms_blind.jsonl``, built by ``eval/forms/build.py --blind``, and
``eval/forms/forms_blind2.jsonl``, built by ``eval/forms/build.py --set blind2``: run it with
``python bench/forms.py eval/forms/forms_blind2.jsonl``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT / "eval" / "forms" / "forms_dev.jsonl"
BENCH_DIR = Path(os.environ.get("KG_BENCH_DIR") or Path(tempfile.gettempdir()) / "kg-bench")
SHARED = Path(os.environ.get("KG_SHARED_DIR") or ROOT.parent / "shared")
GRAPH_FILES = {
    "builtin": None,
    "pato": SHARED / "taxonomies" / "pato-simple.owl",
    "gemet": SHARED / "taxonomies" / "gemet.ttl",
    "stw": SHARED / "taxonomies" / "stw.ttl",
}
LIST_FORMS = ("broader", "narrower", "siblings", "other_names", "every_parent", "property",
              "list")
FORM_ORDER = ("definition", "broader", "narrower", "count", "siblings", "other_names",
              "language", "every_parent", "path", "comparison", "property", "examples",
              "yesno", "abstain", "list", "multihop")

# --- reading the text ---------------------------------------------------------------------

_SOURCES = re.compile(r"^\s*Sources?:.*$", re.MULTILINE | re.IGNORECASE)
_MARKS = re.compile(r"\[\d+\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-Z0-9])|\n+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])")
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
# How answers say that the graph does not hold what was asked.
_DECLINE = re.compile(
    r"\b(?:does not|doesn't|do not|don't|did not|cannot|can't|could not|couldn't)\s+"
    r"(?:\w+\s+){0,3}?(?:hold|have|say|state|record|contain|know|find|answer|mention|cover|"
    r"include|give|list)\b"
    r"|\bno (?:figure|information|answer|record|data|fact|facts|mention|statement)\b"
    r"|\bnot (?:in|recorded|stated|covered|held|found|known)\b"
    r"|\bnothing (?:in|about|on)\b"
    r"|\b(?:isn't|is not|aren't|are not) (?:in|recorded|stated|covered|held)\b"
    r"|\bunable to answer\b|\boutside (?:the|this) graph\b",
    re.IGNORECASE,
)


def clean(answer: str) -> str:
    """The text a person reads: without the "Sources:" line and the [n] marks."""
    return _MARKS.sub("", _SOURCES.sub("", answer or "")).strip()


def first_sentence(text: str) -> str:
    """Up to the first sentence end or line break."""
    text = text.strip()
    parts = _SENTENCE_END.split(text, maxsplit=1)
    return parts[0] if parts else ""


def fold(text: str) -> str:
    """Lower case, no diacritics (ß -> ss, é -> e)."""
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ẞ", "ss"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def stem(token: str) -> str:
    """A token without a plural ending: taxes -> tax, industries -> industry, banks -> bank."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith(("sses", "xes", "zes", "ches", "shes")):
        return token[:-2]
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    return [stem(t) for t in re.findall(r"[a-z0-9]+", fold(text))]


def _contains(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    if n == 0:
        return False
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def _numbers(text: str) -> set[float]:
    out = {float(m.group().replace(",", ".")) for m in _NUMBER.finditer(text)}
    out |= {float(NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", text.lower())
            if w in NUMBER_WORDS}
    return out


def _is_number(name: str) -> bool:
    return re.fullmatch(r"\d+(?:[.,]\d+)?", name.strip()) is not None


def says(text: str, name: str) -> bool:
    """Whether the text says the name (a label, a number), tolerant of case, punctuation,
    diacritics and plural; a label's qualifier in parentheses may be left out."""
    if _is_number(name):
        return float(name.replace(",", ".")) in _numbers(text)
    hay = tokens(text)
    if _contains(hay, tokens(name)):
        return True
    base = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    return base != name and _contains(hay, tokens(base))


def says_number(text: str, n: int) -> bool:
    return float(n) in _numbers(text)


def leading_yes_no(text: str) -> str | None:
    """'yes' or 'no' when the answer starts with it, else None."""
    m = re.match(r"\W*(yes|no)\b", fold(text))
    return m.group(1) if m else None


def declines(text: str) -> bool:
    """Whether the text says the graph does not hold the answer."""
    return bool(_DECLINE.search(text))


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


# --- scoring one answer ---------------------------------------------------------------------

LONG_LIST = 30  # names a list must say inline before it may count the rest


def score(form: str, expect: dict, answer: str) -> dict:
    """right, complete (lists), first (the first sentence answers), words, declined."""
    text = clean(answer)
    first = first_sentence(text)
    out: dict = {"words": word_count(text), "declined": declines(first)}
    if "abstain" in expect:
        out["right"] = declines(text)
        out["first"] = declines(first)
        return out
    if form == "yesno":
        lead = leading_yes_no(text)
        out["right"] = out["first"] = lead == expect["answer"]
        out["declined"] = lead is None and out["declined"]
        return out
    if "count" in expect:
        out["right"] = says_number(text, expect["count"])
        out["first"] = says_number(first, expect["count"])
        return out
    if "labels" in expect:
        out["right"] = any(says(text, x) for x in expect["labels"])
        out["first"] = any(says(first, x) for x in expect["labels"])
        return out
    if "keywords" in expect:
        out["right"] = all(says(text, w) for w in expect["keywords"])
        out["first"] = all(says(first, w) for w in expect["keywords"])
        return out
    if "via_any" in expect:
        out["right"] = any(all(says(text, x) for x in via) for via in expect["via_any"])
        out["first"] = any(all(says(first, x) for x in via) for via in expect["via_any"])
        return out
    if form == "comparison":
        def ok(t: str) -> bool:
            both = all(says(t, x) for x in expect["names"])
            sides = [expect.get("keywords_a") or [], expect.get("keywords_b") or []]
            return both and all(not ks or any(says(t, k) for k in ks) for ks in sides)
        out["right"] = ok(text)
        out["first"] = all(says(first, x) for x in expect["names"])
        return out
    if "any_of" in expect:  # examples; a definition a thesaurus lacks: a parent names it
        need = expect.get("min", 1)
        out["right"] = sum(says(text, x) for x in expect["any_of"]) >= need
        out["first"] = sum(says(first, x) for x in expect["any_of"]) >= need
        return out
    names = expect["names"]
    found = [x for x in names if says(text, x)]
    out["complete"] = len(found) / len(names)
    # a long list may stop after 30 names if it says how many there are in all and how to
    # see the rest (the rule for lists)
    out["right"] = len(found) == len(names) or (
        len(found) >= LONG_LIST and says_number(text, len(names)) and "full" in fold(text))
    lead = sum(says(first, x) for x in names)
    out["first"] = lead >= min(3, len(names)) or (
        len(names) > 3 and says_number(first, len(names)))
    return out


# --- running ----------------------------------------------------------------------------------

def kg_command() -> list[str]:
    exe = Path(sys.executable).with_name("kg")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kg_cli.main"]


def ask(graph: str, rows: list[dict], out: Path) -> float:
    """Answer the rows with one ``kg ask --batch`` process; the answers go to ``out``."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False,
                                     encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({"id": r["id"], "question": r["question"]}) + "\n")
        batch = fh.name
    cmd = kg_command() + ["ask", "--batch", batch]
    if GRAPH_FILES[graph] is not None:
        cmd += ["--graph", str(GRAPH_FILES[graph])]
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    t = time.perf_counter()
    try:
        with out.open("w", encoding="utf-8") as fh:
            proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.PIPE, text=True, env=env,
                                  cwd=ROOT, check=False)
    finally:
        os.unlink(batch)
    if proc.returncode != 0:
        raise SystemExit(f"kg ask --batch failed for {graph}: {proc.stderr.strip()[-2000:]}")
    return time.perf_counter() - t


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def table(results: list[dict]) -> list[dict]:
    """One row per graph x form, and one per graph over all its forms."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in results:
        groups.setdefault((r["graph"], r["form"]), []).append(r)
        groups.setdefault((r["graph"], "ALL"), []).append(r)
    order = {f: i for i, f in enumerate((*FORM_ORDER, "ALL"))}
    graphs = list(GRAPH_FILES)
    rows = []
    for (graph, form), rs in sorted(groups.items(),
                                    key=lambda kv: (graphs.index(kv[0][0]), order[kv[0][1]])):
        comp = [r["complete"] for r in rs if "complete" in r]
        outside = [r["words"] for r in rs if r["form"] not in LIST_FORMS
                   and r["form"] not in ("narrower", "examples")]
        rows.append({
            "graph": graph, "form": form, "n": len(rs),
            "right": 100 * sum(r["right"] for r in rs) / len(rs),
            "complete": 100 * statistics.mean(comp) if comp else None,
            "first": 100 * sum(r["first"] for r in rs) / len(rs),
            "words": statistics.median(r["words"] for r in rs),
            "words_outside_lists": statistics.median(outside) if outside else None,
            "declined": 100 * sum(r["declined"] for r in rs if r["form"] != "abstain")
            / max(1, sum(r["form"] != "abstain" for r in rs)),
        })
    return rows


def markdown(rows: list[dict]) -> str:
    out = ["| graph | form | n | right % | complete % | first sentence % | median words "
           "| declined % |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        comp = "" if r["complete"] is None else f"{r['complete']:.0f}"
        words = f"{r['words']:.0f}"
        if r["form"] == "ALL" and r["words_outside_lists"] is not None:
            words += f" ({r['words_outside_lists']:.0f} outside lists)"
        declined = "" if r["form"] == "abstain" else f"{r['declined']:.0f}"
        name = f"**{r['form']}**" if r["form"] == "ALL" else r["form"]
        out.append(f"| {r['graph']} | {name} | {r['n']} | {r['right']:.0f} | {comp} "
                   f"| {r['first']:.0f} | {words} | {declined} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("sets", nargs="*", type=Path, default=[DEFAULT_SET],
                   help="question sets (default: eval/forms/forms_dev.jsonl)")
    p.add_argument("--graph", action="append", choices=list(GRAPH_FILES),
                   help="only this graph (repeatable)")
    p.add_argument("--form", action="append", choices=FORM_ORDER, help="only this form")
    p.add_argument("--answers-dir", type=Path, default=BENCH_DIR / "forms",
                   help="where the answers are kept (default $KG_BENCH_DIR/forms)")
    p.add_argument("--rescore", action="store_true",
                   help="score the answers kept from the last run; do not ask again")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--per-question", action="store_true",
                   help="also list every question that is not right")
    a = p.parse_args(argv)

    for s in a.sets:
        if not s.exists() and s.parent == DEFAULT_SET.parent:
            # the sets hold answers read from the shared taxonomies: built here, in place,
            # never committed (eval/forms/build.py)
            # forms_<name>.jsonl of a blind set is built from the folder <name>/ beside src/
            name = s.stem.removeprefix("forms_")
            blind = ["--set", name] if name != "src" and (s.parent / name).is_dir() else []
            subprocess.run([sys.executable, str(s.parent / "build.py"), *blind], check=True)
    questions = [q for s in a.sets for q in load(s)]
    if a.graph:
        questions = [q for q in questions if q["graph"] in a.graph]
    if a.form:
        questions = [q for q in questions if q["form"] in a.form]
    a.answers_dir.mkdir(parents=True, exist_ok=True)
    tag = "+".join(s.stem for s in a.sets)
    seconds: dict[str, float] = {}
    answers: dict[str, dict] = {}
    for graph in GRAPH_FILES:
        rows = [q for q in questions if q["graph"] == graph]
        if not rows:
            continue
        out = a.answers_dir / f"{tag}.{graph}.jsonl"
        if not a.rescore:
            seconds[graph] = ask(graph, rows, out)
            print(f"{graph}: {len(rows)} questions in {seconds[graph]:.0f} s", file=sys.stderr)
        answers.update({r["id"]: r for r in load(out)})
    results = []
    for q in questions:
        ans = answers.get(q["id"], {}).get("answer", "")
        results.append({"id": q["id"], "graph": q["graph"], "form": q["form"],
                        "question": q["question"], "answer": ans,
                        **score(q["form"], q["expect"], ans)})
    rows = table(results)
    if a.json:
        report = {"sets": [str(s) for s in a.sets], "rows": rows, "seconds": seconds}
        if a.per_question:
            report["questions"] = results
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(markdown(rows))
    if a.per_question:
        for r in results:
            if not r["right"]:
                print(f"\n{r['id']}  {r['question']}\n  -> {clean(r['answer'])[:400]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
