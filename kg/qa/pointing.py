"""Which way up or down the hierarchy a question's words point ("which wider heading covers
X" up, "what is under X" down), for a reading torn between a concept's parents and children.
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.qa.text import stem

__all__ = ["BACK", "pointing"]

# words by which a clause refers back to what was said before it
BACK = frozenset({"it", "its", "that", "this", "they", "them", "their", "these", "those"})
# verbs by which a concept is placed under another ("X sits under", "X falls under")
_PLACED = frozenset(stem(w) for w in "sits sit falls fall belongs belong comes come goes go lies "
                    "lie is are filed listed sorted ranks".split())


def pointing(directions: Mapping[str, frozenset[str]], masked: str) -> str:
    """"broader" or "narrower" where the masked question's words point one way up or
    down the hierarchy ("which wider heading covers X", "categories that contain X");
    "" where they point no way, or both."""
    words = masked.split()
    if "X" not in words:
        return ""
    at = words.index("X")
    d = directions
    stems = [stem(w) for w in words]
    before = next((s for s in reversed(stems[max(0, at - 2):at]) if s not in ("the", "a")),
                  "")
    after = stems[at + 1] if at + 1 < len(stems) else ""
    if before in d.get("containing", ()) or before in d.get("above", ()):
        return "broader"  # "what covers X", "what is above X"
    if after in d.get("containing", ()) or before in d.get("below", ()):
        return "narrower"  # "X covers what", "what is under X"
    up = any(s in d.get("up", ()) for s in stems)
    down = any(s in d.get("down", ()) for s in stems)
    below = [k for k in range(at + 1, len(stems)) if stems[k] in d.get("below", ())]
    if below and below[0] > at + 1 and all(s in _PLACED for s in stems[at + 1:below[0]]):
        up = True  # "the concepts X sits under": X is the one placed under
    elif below and (below[-1] == len(stems) - 1 or stems[below[-1] + 1] in BACK):
        down = True  # "X: which terms are filed below", "... below it": below X
    elif below:
        up = True  # "X sits under what"
    return "broader" if up and not down else "narrower" if down and not up else ""
