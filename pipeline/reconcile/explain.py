"""Render why each member is in its cluster, for ``newsextract explain`` and ``reconcile``.

Pure functions from clusters to rich renderables (or plain text), so the CLI only parses, calls and
prints. A cluster is drawn as the tree of its merges, rooted at the mention that prints the
canonical form: each member hangs under the member it joined, with the rule, the score and the
evidence of that merge, so the path from any member to the root is the chain of reasons.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from rapidfuzz import process
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from pipeline.errors import ReconcileError
from pipeline.reconcile.text import lookup_key
from schemas.clusters import (
    ActorCluster,
    ClaimCluster,
    Merge,
    QuoteCluster,
    Reconciliation,
)
from schemas.mentions import ActorMention, ClaimMention, QuoteMention

Cluster = ActorCluster | QuoteCluster | ClaimCluster
_SNIPPET = 90


def find_actors(actors: Sequence[ActorCluster], name: str) -> list[ActorCluster]:
    """Actors whose id, canonical name or any printed name reads as ``name``."""
    wanted = lookup_key(name)
    return [
        cluster
        for cluster in actors
        if cluster.actor_id == name
        or lookup_key(cluster.name) == wanted
        or any(lookup_key(printed) == wanted for printed in cluster.names)
    ]


def explain_actor(actors: Sequence[ActorCluster], name: str) -> RenderableType:
    """The explanation tree of every actor ``name`` names; ReconcileError with the closest names
    when there is none."""
    found = find_actors(actors, name)
    if not found:
        names = sorted({printed for cluster in actors for printed in cluster.names})
        closest = [match for match, _, _ in process.extract(name, names, limit=3)]
        hint = f"; closest: {', '.join(repr(c) for c in closest)}" if closest else ""
        raise ReconcileError(f"no actor is named {name!r}{hint}")
    return Group(*(explanation_tree(cluster) for cluster in found))


def merge_tree(cluster: Cluster) -> list[tuple[int, int | None, Merge | None]]:
    """The cluster's members as (member, parent, merge) in depth-first order from the member
    that prints the canonical form (parent and merge None): each member after the one it joined.
    The plain data behind ``explanation_tree``, for renderers other than the terminal."""
    root = _root_mention(cluster)
    order: list[tuple[int, int | None, Merge | None]] = [(root, None, None)]
    children = _children(cluster.merges)
    stack = [root]
    seen = {root}
    while stack:
        member = stack.pop()
        for other, merge in sorted(children.get(member, []), key=lambda item: item[0]):
            if other in seen:
                continue
            seen.add(other)
            order.append((other, member, merge))
            stack.append(other)
    return order


def explanation_tree(cluster: Cluster) -> Tree:
    """The cluster as the tree of its merges."""
    tree = Tree(_heading(cluster))
    nodes: dict[int, Tree] = {}
    for member, parent, merge in merge_tree(cluster):
        branch = tree if parent is None else nodes[parent]
        nodes[member] = branch.add(_describe(cluster.mentions[member]))
        if merge is not None:
            _add_reason(nodes[member], merge)
    return tree


def explanation_text(cluster: Cluster, *, width: int = 100) -> str:
    """``explanation_tree`` as plain text."""
    return _plain(explanation_tree(cluster), width=width)


def summary_table(
    reconciliation: Reconciliation, *, limit: int = 20, counts: Mapping[str, int] | None = None
) -> Table:
    """The largest actors, quotes and claims with their sizes, for ``newsextract reconcile``;
    ``counts`` (kind -> clusters) when ``reconciliation`` holds only the largest."""
    table = Table(title="Reconciliation", show_lines=False)
    table.add_column("kind")
    table.add_column("id")
    table.add_column("canonical form", overflow="fold")
    table.add_column("mentions", justify="right")
    table.add_column("articles", justify="right")
    rows: list[tuple[str, str, str, int, int]] = []
    rows += [
        ("actor", c.actor_id, c.name, len(c.mentions), len(c.article_ids))
        for c in reconciliation.actors[:limit]
    ]
    rows += [
        (
            "quote",
            c.quote_id,
            f"{c.speaker}: “{_cut(c.text)}”",
            len(c.mentions),
            len({m.article_id for m in c.mentions}),
        )
        for c in reconciliation.quotes[:limit]
    ]
    rows += [
        (
            "claim",
            c.claim_id,
            _cut(c.statement),
            len(c.mentions),
            len({m.article_id for m in c.mentions}),
        )
        for c in reconciliation.claims[:limit]
    ]
    for kind, cluster_id, form, mentions, articles in rows:
        table.add_row(kind, cluster_id, form, str(mentions), str(articles))
    totals = counts or {"actor": len(reconciliation.actors), "quote": len(reconciliation.quotes),
                        "claim": len(reconciliation.claims)}
    table.caption = (
        f"{totals['actor']} actors, {totals['quote']} quotes, {totals['claim']} claims"
    )
    return table


def _plain(renderable: RenderableType, *, width: int) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False).print(renderable)
    return buffer.getvalue()


def _heading(cluster: Cluster) -> Text:
    articles = len({m.article_id for m in cluster.mentions})
    size = f"{len(cluster.mentions)} mentions in {articles} articles"
    if isinstance(cluster, ActorCluster):
        title = f", {cluster.title}" if cluster.title else ""
        return Text.assemble(
            (cluster.name, "bold"),
            f" ({cluster.kind}{title}) ",
            (cluster.actor_id, "cyan"),
            f", {size}",
        )
    if isinstance(cluster, QuoteCluster):
        return Text.assemble(
            (cluster.speaker, "bold"),
            f": “{_cut(cluster.text)}” ",
            (cluster.quote_id, "cyan"),
            f", {size}",
        )
    asserted = ", ".join(cluster.asserted_by) or "the outlets"
    return Text.assemble(
        (_cut(cluster.statement), "bold"),
        " ",
        (cluster.claim_id, "cyan"),
        f", {size}, asserted by {asserted}",
    )


def _root_mention(cluster: Cluster) -> int:
    if isinstance(cluster, ActorCluster):
        wanted = lookup_key(cluster.name)
        for i, mention in enumerate(cluster.mentions):
            if lookup_key(mention.name).endswith(wanted):
                return i
    return 0


def _children(merges: Sequence[Merge]) -> dict[int, list[tuple[int, Merge]]]:
    edges: dict[int, list[tuple[int, Merge]]] = {}
    for merge in merges:
        for mention in merge.joined:
            edges.setdefault(merge.anchor, []).append((mention, merge))
            edges.setdefault(mention, []).append((merge.anchor, merge))
    return edges


def _describe(mention: ActorMention | QuoteMention | ClaimMention) -> Text:
    where = mention.article_id
    if mention.span is not None:
        where += f" @{mention.span.start}-{mention.span.end}"
    if isinstance(mention, ActorMention):
        return Text.assemble((f"'{mention.name}'", "bold"), f"  {where}")
    if isinstance(mention, QuoteMention):
        return Text.assemble(f"“{_cut(mention.text)}”", f"  {where}, speaker {mention.speaker}")
    asserted = mention.asserted_by or "the outlet"
    evidence = f", evidence “{_cut(mention.evidence)}”" if mention.evidence else ""
    return Text.assemble(
        (_cut(mention.statement), "bold"), f"  {where}, asserted by {asserted}{evidence}"
    )


def _add_reason(node: Tree, merge: Merge) -> None:
    weight = f", match weight {merge.match_weight:+.2f}" if merge.match_weight is not None else ""
    reason = node.add(
        Text.assemble(
            ("← ", "dim"), (str(merge.rule), "green"), f" score {merge.score:.2f}{weight}"
        )
    )
    for evidence in merge.evidence:
        bits = f" ({evidence.weight:+.2f})" if evidence.weight is not None else ""
        reason.add(Text(f"{evidence.what}: {evidence.detail}{bits}", style="dim"))


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"
