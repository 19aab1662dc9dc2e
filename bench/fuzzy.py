"""Fuzzy name matching per unknown word: typo repair, the search box, "did you mean".

The three taxonomies of ``../shared/taxonomies/`` loaded as one graph (a large real
vocabulary). Typos are made from known words (a letter dropped, doubled, swapped or
replaced; seeded), plus words the graph does not know at all. Each is looked up once, on a
fresh matcher (nothing remembered), by the three users of the shared matcher:

* :meth:`kg.qa.linking.LabelMatcher.repair` (questions: first letter kept, length +-2);
* :meth:`kg.qa.complete.Completer` (the search box's closest whole word);
* :func:`kg.view.concepts.suggest` ("did you mean" over every name of the graph).

Prints ms per word (median, 95th percentile) and a digest of the answers, so two revisions
can be compared (same digest: same answers).

Usage: ``.venv/bin/python bench/fuzzy.py [--words 300]`` (``KG_SHARED_DIR`` when
``shared/`` is not beside the checkout).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("KG_SHARED_DIR") or ROOT.parent / "shared") / "taxonomies"
GRAPHS = ("gemet.ttl", "stw.ttl", "pato-simple.owl")


def typos(known: list[str], n: int, seed: int = 11) -> list[str]:
    """``n`` unknown words: most one edit away from a known word, some made up."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out: list[str] = []
    known_set = set(known)
    while len(out) < n:
        word = rng.choice(known)
        i = rng.randrange(1, len(word))
        kind = rng.randrange(5)
        if kind == 0:
            typo = word[:i] + word[i + 1:]
        elif kind == 1:
            typo = word[:i] + word[i] + word[i:]
        elif kind == 2 and i < len(word) - 1:
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif kind == 3:
            typo = word[:i] + rng.choice(letters) + word[i + 1:]
        else:
            typo = word[0] + "".join(rng.choice(letters) for _ in range(len(word) - 1))
        if len(typo) >= 5 and typo not in known_set:
            out.append(typo)
    return out


def _ms(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{statistics.median(times) * 1000:.3f} ms / {p95 * 1000:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--answers", help="write every answer to this file (to diff)")
    args = parser.parse_args()

    from kg.config import Settings
    from kg.qa.complete import Completer
    from kg.qa.linking import LabelMatcher
    from kg.view.concepts import suggest
    from kg.workspace import Workspace

    with tempfile.TemporaryDirectory() as cache:
        ws = Workspace(Settings(graph_paths=tuple(str(SHARED / g) for g in GRAPHS),
                                cache_dir=Path(cache), snapshot=False))
        view = ws.view
        matcher = LabelMatcher(view)
        known = sorted(w for w in matcher.vocabulary if len(w) >= 5 and w.isalpha())
        words = typos(known, args.words)
        rows = []
        digest = hashlib.sha256()
        answers: list[str] = []

        def run(name: str, fresh, lookup) -> None:
            times = []
            for word in words:
                target = fresh()
                started = time.perf_counter()
                answer = lookup(target, word)
                times.append(time.perf_counter() - started)
                answers.append(f"{name}\t{word}\t{answer}\n")
                digest.update(answers[-1].encode())
            rows.append(f"| {name} | {_ms(times)} |")

        matcher.repair(typos(known, args.words, seed=12))  # warm: a server's state
        run("typo repair (LabelMatcher.repair)", lambda: _fresh(matcher),
            lambda m, w: m.repair([w])[0])
        completer = Completer(view, matcher)
        run("search box (Completer's closest word)", lambda: completer,
            lambda c, w: c._close_word(w))
        run("did you mean (concepts.suggest)", lambda: view, lambda v, w: suggest(v, w))
        print(f"{len(view.nx):,} nodes, {len(known):,} known words of 5+ letters, "
              f"{len(words)} unknown words, each looked up once (warm matcher)\n")
        print("| matcher | per word: median / 95th percentile |\n|---|---:|")
        print("\n".join(rows))
        print(f"\nanswers digest: {digest.hexdigest()[:16]}")
        if args.answers:
            Path(args.answers).write_text("".join(answers), encoding="utf-8")


def _fresh(matcher: object) -> object:
    """The same (warm) matcher with no repaired word remembered."""
    matcher._repaired.clear()  # type: ignore[attr-defined]
    return matcher


if __name__ == "__main__":
    main()
