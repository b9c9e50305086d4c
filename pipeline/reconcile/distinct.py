"""Collapse repeated texts before comparing: a remark reprinted by 10,000 outlets is one text.

Syndicated copy repeats word for word. Similarity work runs on the distinct texts only, each
weighted by how many mentions it stands for, so repetition costs a dict lookup, never a comparison.
The mentions of one distinct text join its first mention directly (a star), as one merge with one
explanation (``Merge.also``), so every member's presence is still explained at the cost of one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from pipeline.reconcile.graph import MergeLog
from schemas.clusters import Evidence, MergeRule

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Distinct(Generic[K]):
    """One distinct text: its key and the mentions (indices) printing it, first one first."""

    key: K
    members: list[int]

    @property
    def first(self) -> int:
        return self.members[0]

    @property
    def weight(self) -> int:
        """How many mentions it stands for."""
        return len(self.members)


def collapse(keys: Iterable[K]) -> list[Distinct[K]]:
    """The distinct keys of ``keys`` (one per mention), in first-seen order, with their members."""
    groups: dict[K, list[int]] = {}
    for index, key in enumerate(keys):
        groups.setdefault(key, []).append(index)
    return [Distinct(key, members) for key, members in groups.items()]


def join_copies(
    distinct: Iterable[Distinct[K]],
    log: MergeLog,
    rule: MergeRule,
    evidence: Callable[[Distinct[K]], Evidence],
) -> None:
    """Join every repeated mention to the first printing of its text: one merge (one
    explanation) a text, however many copies it stands for."""
    for text in distinct:
        if text.weight > 1:
            log.union_group(text.members[1:], text.first, rule, 1.0, (evidence(text),))
