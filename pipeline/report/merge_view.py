"""A cluster's merges as a nested tree of members, for the HTML pages (the terminal draws the
same tree with ``explanation_tree``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.reconcile.explain import merge_tree
from schemas.clusters import ActorCluster, ClaimCluster, Merge, QuoteCluster
from schemas.mentions import ActorMention, ClaimMention, QuoteMention


@dataclass
class MergeNode:
    """One member, the merge that brought it in (None at the root), the members that joined it."""

    index: int
    mention: ActorMention | QuoteMention | ClaimMention
    merge: Merge | None
    children: list[MergeNode] = field(default_factory=list)


def merge_nodes(cluster: ActorCluster | QuoteCluster | ClaimCluster) -> MergeNode:
    """The root of the cluster's merge tree."""
    nodes: dict[int, MergeNode] = {}
    root: MergeNode | None = None
    for member, parent, merge in merge_tree(cluster):
        node = MergeNode(member, cluster.mentions[member], merge)
        nodes[member] = node
        if parent is None:
            root = node
        else:
            nodes[parent].children.append(node)
    assert root is not None  # a cluster has at least one mention
    return root
