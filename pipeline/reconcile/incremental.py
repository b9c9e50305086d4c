"""Reconcile only what is new: new mentions against the stored clusters' representatives.

After ``reconcile`` has saved a corpus, articles keep coming. Reading and clustering every
mention again costs as much as the first run; here only the extractions no reconciliation has
seen are read (``reader.read_mentions(since=...)``), and each kind's own clustering runs over
those mentions together with the stored representatives of every cluster (``representatives``:
an actor's distinct names, a quote's distinct printings, a claim's first statements), which
stand for their clusters. Then:

- a cluster whose representatives met no new mention is untouched: its rows and id stay;
- new mentions that join a cluster's representatives join that cluster, which keeps its id;
- a new mention that joins the representatives of two stored clusters merges them (the new
  mention is the evidence): the merged cluster keeps the id of the larger, the other id is
  retired, and the merges of both, plus the merges that brought the new mention in, explain it;
- new mentions that meet no stored cluster form new clusters with new ids.

Stored clusters never split here, and their canonical forms (name, text, statement) are kept:
``reconcile --full`` recomputes everything. A full run is also forced when the code, the data
files or the options that computed the stored clusters changed (``fingerprint``), or when an
article was extracted again (its stored mentions are stale).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from splink.internals.database_api import DatabaseAPI

from pipeline.reconcile.actors import reconcile_actors
from pipeline.reconcile.claims import cluster_claims
from pipeline.reconcile.corpus import reconcile_corpus
from pipeline.reconcile.denials import link_denials
from pipeline.reconcile.knowledge import load_linkage_settings
from pipeline.reconcile.paraphrase import StockPhrases, corpus_candidates, stock_verifiers
from pipeline.reconcile.pause import without_cycle_collection
from pipeline.reconcile.quotes import cluster_quotes
from pipeline.reconcile.reader import newest_extractions, read_mentions
from pipeline.reconcile.representatives import ClusterKeys, representatives_of
from pipeline.reconcile.speaker_names import fitting_speakers, speaker_names
from pipeline.reconcile.speakers import ActorLookup
from pipeline.reconcile.storage import (
    Cluster,
    Extended,
    Mention,
    claim_heads,
    cluster_ids,
    cluster_labels,
    clusters_with_keys,
    load_clusters,
    load_representatives,
    save_changes,
    save_reconciliation,
    stored_ids,
    stored_sizes,
    stored_state,
    stored_stock,
)
from pipeline.store.db import Store
from schemas.clusters import (
    ActorCluster,
    ClaimCluster,
    ClaimRelation,
    Merge,
    QuoteCluster,
    Reconciliation,
)
from schemas.extraction import ActorKind
from schemas.knowledge import ClaimVocabulary, Knowledge, LinkageSettings
from schemas.mentions import ActorMention, ClaimMention, QuoteMention

REPRESENTATIVE = "rep:"  # article id of a stand-in: 'rep:<cluster id>'
_ROOT = Path(__file__).resolve().parents[2]
# What computes a reconciliation: its code, the data it reads, the schemas it stores.
_SOURCES = ("pipeline/reconcile", "pipeline/knowledge", "schemas")
Origin = dict[int, tuple[str, Mention, int | None]]
"""id() of a stand-in -> (its stored cluster, the stored member it stands for, that member's
position in the cluster when known)."""


@dataclass(frozen=True)
class Extension:
    """What new mentions change: the clusters they create or merge and the claim relations
    they bring, the stored clusters they only extend, the ids retired (kind -> retired id ->
    the id it was merged into), the lookup keys of the claim clusters changed or created,
    (kind -> cluster id -> counts) how many first members and merges of each cluster written
    whole are stored under its id already, and the stock phrases known now."""

    changes: Reconciliation
    extended: list[Extended]
    retired: dict[str, dict[str, str]]
    keys: ClusterKeys
    kept: dict[str, dict[str, tuple[int, int]]]
    stock: StockPhrases


@dataclass(frozen=True)
class Outcome:
    """What ``reconcile_store`` did."""

    incremental: bool
    why: str  # why a full run, or what the increment held
    articles: int  # read this run
    changed: dict[str, int] = field(default_factory=dict)  # kind -> clusters written
    retired: dict[str, int] = field(default_factory=dict)  # kind -> ids merged away


def fingerprint(*, model: str | None = None, prompt_version: int | None = None,
                extra: Sequence[object] = ()) -> str:
    """A digest of the reconciliation code, its data files and options: when it differs from the
    stored one, the stored clusters were computed otherwise and a full run is due."""
    digest = hashlib.sha256()
    for folder in _SOURCES:
        for path in sorted((_ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".toml", ".json"}:
                digest.update(str(path.relative_to(_ROOT)).encode())
                digest.update(path.read_bytes())
    digest.update(repr((model, prompt_version)).encode())
    for part in extra:
        digest.update(b"\0" + (part.model_dump_json() if hasattr(part, "model_dump_json")
                               else repr(part)).encode())
    return digest.hexdigest()


@without_cycle_collection
def reconcile_store(
    store: Store,
    *,
    full: bool = False,
    model: str | None = None,
    prompt_version: int | None = None,
    splink_backend: DatabaseAPI[Any] | None = None,
) -> Outcome:
    """Reconcile the store and save the result: incrementally when the stored reconciliation
    allows it (see the module docstring), else (or with ``full``) from scratch."""
    newest = newest_extractions(store, model=model, prompt_version=prompt_version)
    stamp = fingerprint(model=model, prompt_version=prompt_version)
    state = stored_state(store)
    why = _full_run_reason(full, state, stamp, newest)
    if why is not None:
        keys: ClusterKeys = {}
        stock: list[StockPhrases] = []
        reconciliation = reconcile_corpus(
            read_mentions(store, model=model, prompt_version=prompt_version),
            previous_ids=stored_ids(store), splink_backend=splink_backend, keys=keys, stock=stock,
        )
        save_reconciliation(store, reconciliation, extractions=newest, fingerprint=stamp,
                            keys=keys, stock=stock[0] if stock else None)
        return Outcome(False, why, len(newest), {
            "actor": len(reconciliation.actors), "quote": len(reconciliation.quotes),
            "claim": len(reconciliation.claims)})
    assert state is not None
    seen = state[1]
    added = [extraction for extraction in newest if extraction not in seen]
    if not added:
        return Outcome(True, "no new articles", 0)
    new = read_mentions(store, model=model, prompt_version=prompt_version, since=max(seen))
    extension = extend(store, new.actors, new.quotes, new.claims, splink_backend=splink_backend,
                       stock=stored_stock(store))
    changed, retired = extension.changes, extension.retired
    save_changes(store, changed, retired=retired, extractions=added, fingerprint=stamp,
                 keys=extension.keys, kept=extension.kept, extended=extension.extended,
                 stock=extension.stock)
    grown = {kind: sum(e.kind == kind for e in extension.extended)
             for kind in ("actor", "quote", "claim")}
    return Outcome(True, f"{len(added)} new articles", len(added), {
        "actor": len(changed.actors) + grown["actor"],
        "quote": len(changed.quotes) + grown["quote"],
        "claim": len(changed.claims) + grown["claim"]},
        {kind: len(ids) for kind, ids in retired.items()})


def _full_run_reason(full: bool, state: tuple[str | None, set[int]] | None, stamp: str,
                     newest: list[int]) -> str | None:
    if full:
        return "--full"
    if state is None:
        return "no earlier reconciliation to extend"
    stored, seen = state
    if stored != stamp:
        return "the reconciliation code, data or options changed since the stored run"
    current = set(newest)
    if not seen <= current:
        return "articles were extracted again or left the selection since the stored run"
    last = max(seen, default=0)
    if any(extraction < last for extraction in current - seen):
        return "older extractions were never reconciled"
    return None


def extend(
    store: Store,
    actors: Sequence[ActorMention],
    quotes: Sequence[QuoteMention],
    claims: Sequence[ClaimMention],
    *,
    knowledge: Knowledge | None = None,
    vocabulary: ClaimVocabulary | None = None,
    linkage: LinkageSettings | None = None,
    splink_backend: DatabaseAPI[Any] | None = None,
    stock: StockPhrases | None = None,
) -> Extension:
    """What the new mentions change (``Extension``). ``stock``: the stock phrases the stored
    reconciliation learnt from its quotes (when not kept, they are learnt again from the
    stored printings compared)."""
    linkage = linkage or load_linkage_settings()
    kept: dict[str, dict[str, tuple[int, int]]] = {"actor": {}, "quote": {}, "claim": {}}
    # Actors: each stored cluster's names stand in it, as one 'article' that groups them.
    actor_origin: Origin = {}
    stand_ins: list[ActorMention] = []
    for cluster_id, _, position, mention in load_representatives(store, "actor"):
        assert isinstance(mention, ActorMention)
        stand_in = mention.model_copy(
            update={"article_id": REPRESENTATIVE + cluster_id, "local_id": cluster_id})
        actor_origin[id(stand_in)] = (cluster_id, mention, position)
        stand_ins.append(stand_in)
    rerun = reconcile_actors([*stand_ins, *actors], previous=_reserved(cluster_ids(store, "actor")),
                             knowledge=knowledge, linkage=linkage, splink_backend=splink_backend)
    actor_changes, actor_extended, actor_retired, actor_final = _combine(
        store, "actor", rerun, actor_origin, kept["actor"])
    lookup_actors = _stand_in_actors(rerun, actor_origin, actor_final)

    # Quotes: only one speaker's remarks are ever compared, so only the stored clusters of the
    # new quotes' speakers take part; a printing stands in its cluster, its speaker known as the
    # stored actor id.
    quote_origin: Origin = {}
    quote_ins: list[QuoteMention] = []
    for cluster_id, speaker_id, position, mention in load_representatives(
        store, "quote", speakers=_stored_speakers(quotes, lookup_actors)
    ):
        assert isinstance(mention, QuoteMention)
        quote_in = mention if speaker_id is None else mention.model_copy(update={
            "article_id": REPRESENTATIVE + speaker_id, "speaker_local_id": speaker_id})
        quote_origin[id(quote_in)] = (cluster_id, mention, position)
        quote_ins.append(quote_in)
    known = _stock_now(stock, quotes, quote_ins)
    quote_rerun = cluster_quotes(
        [*quote_ins, *quotes], actors=lookup_actors,
        previous=_reserved(cluster_ids(store, "quote")), linkage=linkage,
        verifiers=stock_verifiers(known, linkage.quotes),
        candidates=corpus_candidates(),
        # The stored printings were judged when they were stored: only pairs with a new one.
        only_with=range(len(quote_ins), len(quote_ins) + len(quotes)),
    )
    quote_changes, quote_extended, quote_retired, _ = _combine(
        store, "quote", quote_rerun, quote_origin, kept["quote"])

    # Claims: only the stored clusters that share a lookup key with a new claim (its words, or a
    # block and feature) can meet it; their first statements stand in them (those complete
    # linkage checks).
    new_keys: ClusterKeys = {}
    cluster_claims(claims, actors=lookup_actors, knowledge=knowledge, vocabulary=vocabulary,
                   linkage=linkage, queries=new_keys)
    met = clusters_with_keys(store, "claim", set().union(*new_keys.values()))
    claim_origin: Origin = {}
    claim_ins: list[ClaimMention] = []
    for cluster_id, _, position, mention in load_representatives(store, "claim", clusters=met):
        assert isinstance(mention, ClaimMention)
        claim_origin[id(mention)] = (cluster_id, mention, position)
        claim_ins.append(mention)
    rerun_keys: ClusterKeys = {}
    claim_rerun = cluster_claims(
        [*claim_ins, *claims], actors=lookup_actors,
        previous=_reserved(cluster_ids(store, "claim")), knowledge=knowledge,
        vocabulary=vocabulary, linkage=linkage, keys=rerun_keys,
    )
    claim_changes, claim_extended, claim_retired, claim_final = _combine(
        store, "claim", claim_rerun, claim_origin, kept["claim"])
    claims_changed = [_renamed_claim(c, claim_final) for c in claim_changes
                      if isinstance(c, ClaimCluster)]
    # An extended claim keeps its statement and what it denies: read without its members.
    claims_grown = [_renamed_claim(c, claim_final) for c in
                    claim_heads(store, [e.cluster_id for e in claim_extended])]
    changed_ids = {c.claim_id for c in (*claims_changed, *claims_grown)}
    keys: ClusterKeys = {}
    for rerun_id, found in rerun_keys.items():
        if claim_final.get(rerun_id, rerun_id) in changed_ids:
            keys.setdefault(claim_final.get(rerun_id, rerun_id), set()).update(found)
    relations = _new_denials(store, [*claims_changed, *claims_grown], set(claim_retired), keys,
                             actors=lookup_actors, vocabulary=vocabulary, linkage=linkage)
    changes = Reconciliation(
        actors=tuple(c for c in actor_changes if isinstance(c, ActorCluster)),
        quotes=tuple(c for c in quote_changes if isinstance(c, QuoteCluster)),
        claims=tuple(claims_changed),
        claim_relations=tuple(relations),
    )
    retired = {"actor": actor_retired, "quote": quote_retired, "claim": claim_retired}
    extended = [*actor_extended, *quote_extended, *claim_extended]
    return Extension(changes, extended, retired, keys, kept, known)


def _stock_now(stored: StockPhrases | None, quotes: Sequence[QuoteMention],
               compared: Sequence[QuoteMention]) -> StockPhrases:
    """The stock phrases of the grown corpus, as far as they can be known without reading it
    all: the stored ones (learnt from the whole corpus by the run that stored them) and those
    the new quotes show by themselves. Learning is monotone (a phrase's neighbours only grow
    with the corpus), so this lies between the stored set and a full run's; a phrase that only
    the new and stored printings together make stock is left to ``--full``. Without a stored
    set, the phrases are learnt from every printing compared."""
    if stored is None:
        return StockPhrases.learn(quote.text for quote in itertools.chain(compared, quotes))
    learnt = StockPhrases.learn(quote.text for quote in quotes)
    return StockPhrases(stored.ngrams | learnt.ngrams, learnt.width)


def _stored_speakers(quotes: Sequence[QuoteMention], actors: Sequence[ActorCluster]) -> set[str]:
    """The stored actor ids that the new quotes' speakers were, or are now merged with."""
    stored: dict[str, set[str]] = {}  # actor id now -> stored ids
    for cluster in actors:
        stored.setdefault(cluster.actor_id, set()).update(
            m.article_id.removeprefix(REPRESENTATIVE) for m in cluster.mentions
            if m.article_id.startswith(REPRESENTATIVE))
    lookup = ActorLookup(actors)
    found: set[str] = set()
    speaking: dict[str, ActorCluster] = {}
    for quote in quotes:
        actor = lookup.find(quote.article_id, quote.speaker, quote.speaker_local_id)
        if actor is not None:
            found |= stored.get(actor.actor_id, set())
            speaking[actor.actor_id] = actor
        else:
            speaking[quote.speaker] = _printed_speaker(quote)
    # Quotes join across speakers whose names fit ('Mr Lee' / 'Lee Jae-myung'): theirs too.
    persons = [c for c in actors if c.kind is ActorKind.PERSON]
    names = [speaker_names(sorted(set(c.names))) for c in speaking.values()
             if c.kind is ActorKind.PERSON]
    fitting = fitting_speakers(
        ((c.actor_id, speaker_names(sorted(set(c.names)))) for c in persons),
        (n for n in names if n is not None))
    for actor_id in fitting:
        found |= stored.get(actor_id, set())
    return found


def _printed_speaker(quote: QuoteMention) -> ActorCluster:
    """A speaker no actor stands for, as a one-name person for ``speaker_names``."""
    mention = ActorMention(article_id=quote.article_id, name=quote.speaker or "?",
                           kind=ActorKind.PERSON)
    return ActorCluster(actor_id=f"printed:{quote.speaker}", name=mention.name,
                        kind=ActorKind.PERSON, mentions=(mention,))


def _new_denials(
    store: Store,
    changed: list[ClaimCluster],
    retired: set[str],
    keys: ClusterKeys,
    *,
    actors: Sequence[ActorCluster],
    vocabulary: ClaimVocabulary | None,
    linkage: LinkageSettings,
) -> list[ClaimRelation]:
    """The denial edges that hold a changed or new claim cluster: sought among the changed
    clusters and the stored ones sharing a denial block with one of them (their statements
    alone, as ``link_denials`` reads them). Their denial keys are added to ``keys``."""
    found: ClusterKeys = {}
    queries: ClusterKeys = {}
    link_denials(changed, actors=actors, vocabulary=vocabulary, linkage=linkage, keys=found,
                 queries=queries)
    for cluster_id, own in found.items():
        keys.setdefault(cluster_id, set()).update(own)
    changed_ids = {c.claim_id for c in changed}
    others = clusters_with_keys(store, "claim", set().union(*queries.values()))
    others -= changed_ids | retired
    stand_ins = [
        ClaimCluster.model_construct(claim_id=claim_id, statement=statement, mentions=(),
                                     assertions=(), merges=(), denies=None)
        for claim_id, statement in sorted(cluster_labels(store, "claim", others).items())
    ]
    relations = link_denials([*changed, *stand_ins], actors=actors, vocabulary=vocabulary,
                             linkage=linkage)
    return [r for r in relations if r.claim_id in changed_ids or r.target_id in changed_ids]


def _reserved(ids: set[str]) -> dict[str, str]:
    """A ``previous`` that no mention key matches: new clusters never take a stored id."""
    return {"\0" + cluster_id: cluster_id for cluster_id in ids}


def _cluster_id(cluster: Cluster) -> str:
    if isinstance(cluster, ActorCluster):
        return cluster.actor_id
    if isinstance(cluster, QuoteCluster):
        return cluster.quote_id
    return cluster.claim_id


def _combine(
    store: Store,
    kind: str,
    rerun: Sequence[Cluster],
    origin: Origin,
    kept: dict[str, tuple[int, int]],
) -> tuple[list[Cluster], list[Extended], dict[str, str], dict[str, str]]:
    """(new clusters and stored ones merged together, stored clusters that only gained
    members, retired id -> final id, rerun id -> final id) from one kind's rerun; ``kept``
    receives, per cluster written whole, how many of its first members and merges are stored
    under its id already.

    Rerun clusters that hold representatives of one stored cluster are one group (the stored
    cluster never splits); a group with a new mention is written, the others are untouched.
    A stored cluster that only gains members is never read whole (its size, its
    representatives and their positions say where the new members go)."""
    olds_of: list[list[str]] = []
    has_new: list[bool] = []
    group_of_old: dict[str, int] = {}
    parent = list(range(len(rerun)))

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for number, cluster in enumerate(rerun):
        mentions: tuple[Mention, ...] = cluster.mentions
        olds = list(dict.fromkeys(origin[id(m)][0] for m in mentions if id(m) in origin))
        olds_of.append(olds)
        has_new.append(any(id(m) not in origin for m in mentions))
        for old in olds:
            other = group_of_old.setdefault(old, number)
            parent[find(number)] = find(other)
    groups: dict[int, list[int]] = {}
    for number in range(len(rerun)):
        groups.setdefault(find(number), []).append(number)
    changing = [list(dict.fromkeys(old for n in members for old in olds_of[n]))
                for members in groups.values() if any(has_new[n] for n in members)]
    sizes = stored_sizes(store, kind, {old for olds in changing for old in olds})
    representatives: dict[str, list[tuple[int | None, Mention]]] = {}
    for cluster_id, mention, position in origin.values():
        representatives.setdefault(cluster_id, []).append((position, mention))
    # Read whole: clusters merged with another, or whose representatives' positions are unknown.
    whole = {old for olds in changing for old in olds
             if len(olds) > 1 or any(p is None for p, _ in representatives[old])}
    stored = {_cluster_id(c): c for c in load_clusters(store, kind, whole)}
    limit = load_linkage_settings().claims.max_representatives
    changed: list[Cluster] = []
    extended: list[Extended] = []
    retired: dict[str, str] = {}  # retired id -> the id it was merged into
    final: dict[str, str] = {}
    for members in groups.values():
        olds = list(dict.fromkeys(old for n in members for old in olds_of[n]))
        if not any(has_new[n] for n in members):
            for n in members:
                final[_cluster_id(rerun[n])] = olds_of[n][0]
            continue
        olds.sort(key=lambda c: (-sizes[c][0], c))
        final_id = olds[0] if olds else _cluster_id(rerun[members[0]])
        retired.update((c, final_id) for c in olds[1:])
        for n in members:
            final[_cluster_id(rerun[n])] = final_id
        reruns = [rerun[n] for n in members]
        if olds and olds[0] not in stored:
            extended.append(_extended(kind, reruns, final_id, sizes[final_id], origin,
                                      representatives[final_id], limit=limit))
            continue
        parts = [stored[c] for c in olds]
        changed.append(_joined(reruns, parts, final_id, origin))
        # The largest part's members come first, in their order, under its id: stored rows.
        kept[final_id] = (len(parts[0].mentions), len(parts[0].merges)) if parts else (0, 0)
    return changed, extended, retired, final


def _joined(reruns: list[Cluster], parts: list[Cluster], final_id: str,
            origin: Origin) -> Cluster:
    """The stored ``parts`` and the new members of the ``reruns``, as one cluster: the parts'
    merges as they were, and the reruns' merges that join a new member to a part (or to another
    new member) or two parts."""
    mentions: list[Mention] = []
    merges: list[Merge] = []
    part_of: list[int] = []  # stored position -> its part
    where: dict[tuple[str, str], int] = {}  # (stored id, mention key) -> final index
    for number, part in enumerate(parts):
        offset = len(mentions)
        part_mentions: tuple[Mention, ...] = part.mentions
        for index, mention in enumerate(part_mentions):
            where[(_cluster_id(part), mention.key)] = offset + index
        mentions.extend(part_mentions)
        part_of.extend([number] * len(part_mentions))
        merges.extend(_shifted(merge, offset) for merge in part.merges)
    new, new_merges, new_members = _with_new(
        reruns, origin, lambda found: where[(found[0], found[1].key)], part_of.__getitem__,
        len(mentions), len(parts))
    return _rebuilt(reruns[0], parts, final_id, (*mentions, *new), (*merges, *new_merges),
                    new_members)


def _extended(kind: str, reruns: list[Cluster], cluster_id: str, size: tuple[int, int, int],
              origin: Origin, stored: list[tuple[int | None, Mention]], *, limit: int) -> Extended:
    """The new members of ``reruns`` as one more part of the stored cluster ``cluster_id``
    (``size``: its members, merges and articles; ``stored``: its representatives, with their
    positions; ``limit``: a claim cluster's most representatives)."""
    members, _, articles = size
    new, merges, new_members = _with_new(
        reruns, origin, lambda found: _known(found[2]), lambda position: 0, members, 1)
    at = {position: mention for position, mention in stored if position is not None}
    rejoined = {joined: at[joined] for merge in merges for joined in merge.joined
                if joined < members}
    position_of = {id(mention): position for position, mention in at.items()}
    position_of.update((id(mention), members + k) for k, mention in enumerate(new))
    model: type[Cluster] = {"actor": ActorCluster, "quote": QuoteCluster,
                            "claim": ClaimCluster}[kind]  # type: ignore[assignment]
    # Each kind's representatives are the first by mention key of each text, or (claims) the
    # first texts in word order: the stored ones and the new members hold them all.
    held: dict[str, Any] = {"mentions": (*at.values(), *new)}  # all they read
    now: Sequence[Mention] = representatives_of(
        model.model_construct(**held), claims=limit)
    assertions = tuple(rerun.assertions[i] for rerun, i in new_members
                       if isinstance(rerun, ClaimCluster))
    return Extended(kind=kind, cluster_id=cluster_id, start=members,
                    articles=articles + len({m.article_id for m in new}), mentions=tuple(new),
                    merges=tuple(merges), assertions=assertions, rejoined=rejoined,
                    representatives=[(position_of[id(m)], m) for m in now])


def _known(position: int | None) -> int:
    assert position is not None  # clusters with unknown positions are read whole
    return position


def _with_new(
    reruns: list[Cluster], origin: Origin, locate: Callable[[tuple[str, Mention, int | None]], int],
    part_of: Callable[[int], int], start: int, parts: int,
) -> tuple[list[Mention], list[Merge], list[tuple[Cluster, int]]]:
    """(the new members of ``reruns``, from position ``start`` on; the reruns' merges that join
    a new member to a stored part or to another new member, or two parts; (rerun, index) of
    each new member). ``locate`` gives a stored member's position, ``part_of`` the part (of
    ``parts``) of a stored position."""
    mentions: list[Mention] = []
    merges: list[Merge] = []
    parent = list(range(parts))
    unit_of_new: list[int] = []

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def unit(position: int) -> int:
        return part_of(position) if position < start else unit_of_new[position - start]

    new_members: list[tuple[Cluster, int]] = []  # (rerun, its index) of each new mention
    for cluster in reruns:
        local: list[int] = []  # rerun index -> final index
        rerun_mentions: tuple[Mention, ...] = cluster.mentions
        for index, mention in enumerate(rerun_mentions):
            found = origin.get(id(mention))
            if found is None:
                local.append(start + len(mentions))
                unit_of_new.append(len(parent))
                parent.append(len(parent))
                new_members.append((cluster, index))
                mentions.append(mention)
            else:
                local.append(locate(found))
        for merge in cluster.merges:
            anchor = local[merge.anchor]
            kept: list[int] = []
            for joined in merge.joined:
                left, right = find(unit(local[joined])), find(unit(anchor))
                if left != right:
                    parent[left] = right
                    kept.append(local[joined])
            if kept:
                merges.append(merge.model_copy(
                    update={"mention": kept[0], "anchor": anchor, "also": tuple(kept[1:])}))
    return mentions, merges, new_members


def _shifted(merge: Merge, offset: int) -> Merge:
    if offset == 0:
        return merge
    return merge.model_copy(update={
        "mention": merge.mention + offset, "anchor": merge.anchor + offset,
        "also": tuple(m + offset for m in merge.also)})


def _rebuilt(cluster: Cluster, parts: list[Cluster], final_id: str, mentions: tuple[Any, ...],
             merges: tuple[Merge, ...], new_members: list[tuple[Cluster, int]]) -> Cluster:
    """The joined cluster: the canonical form of its largest stored part (the rerun's when it is
    new), every member and merge."""
    form = parts[0] if parts else cluster
    if isinstance(cluster, ActorCluster):
        assert isinstance(form, ActorCluster)
        return ActorCluster(actor_id=final_id, name=form.name, kind=form.kind, title=form.title,
                            entity_key=form.entity_key, mentions=mentions, merges=merges)
    if isinstance(cluster, QuoteCluster):
        assert isinstance(form, QuoteCluster)
        return QuoteCluster(quote_id=final_id, text=form.text, speaker=form.speaker,
                            speaker_id=form.speaker_id, mentions=mentions, merges=merges)
    assert isinstance(cluster, ClaimCluster) and isinstance(form, ClaimCluster)
    assertions = [a for part in parts if isinstance(part, ClaimCluster) for a in part.assertions]
    assertions += [rerun.assertions[i] for rerun, i in new_members
                   if isinstance(rerun, ClaimCluster)]
    return ClaimCluster(claim_id=final_id, statement=form.statement, mentions=mentions,
                        assertions=tuple(assertions), merges=merges,
                        denies=form.denies if parts else cluster.denies)


def _stand_in_actors(rerun: Sequence[ActorCluster], origin: Origin,
                     final: dict[str, str]) -> list[ActorCluster]:
    """The rerun's actors under their final ids, for quotes and claims to find speakers and
    parties by: a stored actor that met nothing new stands alone, under its own id."""
    found: list[ActorCluster] = []
    for cluster in rerun:
        has_new = any(id(m) not in origin for m in cluster.mentions)
        groups: dict[str, list[ActorMention]] = {}
        if has_new:
            groups[final[cluster.actor_id]] = list(cluster.mentions)
        else:
            for mention in cluster.mentions:
                groups.setdefault(origin[id(mention)][0], []).append(mention)
        for actor_id, members in groups.items():
            # Only looked up, never stored: built without the spanning-tree check.
            found.append(cluster.model_copy(update={"actor_id": actor_id,
                                                    "mentions": tuple(members)}))
    return found


def _renamed_claim(cluster: ClaimCluster, final: dict[str, str]) -> ClaimCluster:
    rename: Callable[[str], str] = lambda claim_id: final.get(claim_id, claim_id)  # noqa: E731
    return cluster.model_copy(update={
        "claim_id": rename(cluster.claim_id),
        "denies": rename(cluster.denies) if cluster.denies is not None else None})
