"""Union-find that remembers why: every union is logged with its rule, score and evidence.

Only unions that join two different components are logged, so the log of a component is a spanning
tree of its members: exactly what a cluster's ``merges`` must be.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from schemas.clusters import Evidence, Merge, MergeRule


class Link(NamedTuple):
    """A logged union, by global index; turned into a ``Merge`` once clusters are known.
    ``also``: more mentions joined to ``anchor`` by the same union (copies of one text)."""

    mention: int
    anchor: int
    rule: MergeRule
    score: float
    evidence: tuple[Evidence, ...]
    match_weight: float | None
    also: tuple[int, ...] = ()


_MERGE_FIELDS = set(Merge.model_fields)


class MergeLog:
    """Disjoint sets over ``0..size-1`` with the log of the unions that built them."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))
        self._size = [1] * size
        self.links: list[Link] = []

    def find(self, item: int) -> int:
        parent = self._parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:  # path compression
            parent[item], item = root, parent[item]
        return root

    def same(self, left: int, right: int) -> bool:
        return self.find(left) == self.find(right)

    def union(
        self,
        mention: int,
        anchor: int,
        rule: MergeRule,
        score: float,
        evidence: tuple[Evidence, ...] = (),
        *,
        match_weight: float | None = None,
    ) -> bool:
        """Join the components of ``mention`` and ``anchor``; False if they were one already."""
        left, right = self.find(mention), self.find(anchor)
        if left == right:
            return False
        if self._size[left] < self._size[right]:
            left, right = right, left
        self._parent[right] = left
        self._size[left] += self._size[right]
        self.links.append(Link(mention, anchor, rule, score, evidence, match_weight))
        return True

    def union_group(
        self,
        mentions: Iterable[int],
        anchor: int,
        rule: MergeRule,
        score: float,
        evidence: tuple[Evidence, ...] = (),
    ) -> int:
        """Join each of ``mentions`` to ``anchor``'s component, logged as one link (one
        explanation for them all); how many joined."""
        joined: list[int] = []
        parent, size = self._parent, self._size
        for mention in mentions:
            left, right = self.find(mention), self.find(anchor)
            if left == right:
                continue
            if size[left] < size[right]:
                left, right = right, left
            parent[right] = left
            size[left] += size[right]
            joined.append(mention)
        if joined:
            self.links.append(
                Link(joined[0], anchor, rule, score, evidence, None, tuple(joined[1:]))
            )
        return len(joined)

    def components(self) -> list[list[int]]:
        """Members of each component, ascending, components ordered by their first member."""
        members: dict[int, list[int]] = {}
        for item in range(len(self._parent)):
            members.setdefault(self.find(item), []).append(item)
        return list(members.values())


@dataclass(frozen=True)
class Component:
    """One component: its members (global indices) and its merges (indices into members)."""

    members: list[int]
    merges: tuple[Merge, ...]


def split_components(log: MergeLog) -> list[Component]:
    """Each component with its spanning tree, members renumbered from 0."""
    groups = log.components()
    position: dict[int, tuple[int, int]] = {}  # global index -> (component, local index)
    for number, members in enumerate(groups):
        for local, item in enumerate(members):
            position[item] = (number, local)
    merges: list[list[Merge]] = [[] for _ in groups]
    for link in log.links:
        number, mention = position[link.mention]
        anchor = position[link.anchor][1]
        # Built without validation: the log only holds unions it made, scores clamped here.
        merges[number].append(
            Merge.model_construct(
                _MERGE_FIELDS,
                mention=mention,
                anchor=anchor,
                rule=link.rule,
                score=min(1.0, max(0.0, round(link.score, 4))),
                match_weight=None if link.match_weight is None else round(link.match_weight, 3),
                evidence=link.evidence,
                also=tuple(position[other][1] for other in link.also),
            )
        )
    log.links.clear()  # the merges hold it all now; a million links is memory worth returning
    return [Component(members, tuple(found)) for members, found in zip(groups, merges, strict=True)]
