"""What linking found in a question, as the router reads it: the concepts named and where,
the ranked entities, the question's words, and the kinds it names as asked for."""

from __future__ import annotations

from dataclasses import dataclass

from kg.qa.answer import EntityRef

__all__ = ["Topics"]


@dataclass(frozen=True)
class Topics:
    """What linking found: the concepts named, where each is first named, the ranked
    entities, and whether the question asks yes or no."""

    named: list[str]
    named_at: dict[str, int]
    entities: list[EntityRef]
    yes_no: bool
    words: list[str]  # the question's words, as linking read them
    unknown: frozenset[str]  # stems of its words the graph does not know
    spans: list[tuple[int, int]]  # every span that names a concept
    asked: str = ""  # the noun a "which ..." question asks for ("approaches"), if any
    hints: tuple[str, ...] = ()  # concepts named as the kind asked for ("which companies")

    def in_order(self) -> list[str]:
        """The concepts named, in the order the question names them."""
        return sorted(self.named, key=lambda n: self.named_at.get(n, 0))
