"""Link denials to the claims they answer: a ``denies`` edge between two claim clusters.

Two sources, one list of edges (``Reconciliation.claim_relations``), each edge saying which:
the clusterer's own link from claim events (``ClaimCluster.denies``, when the model filled events
with a polarity), and the rule below on the statements (which also covers claims without
events); a pair both find is listed once, as the events'.

"Russia denies that North Korea has sent it arms" and "North Korea has been sending arms to
Russia" are not one proposition (claim clustering keeps negated claims apart), but the first
answers the second. A cluster whose statement is a denial by the trust-signal rules (the modality
vocabulary's denial cues) has its denied clause read as a proposition of its own ("that it
delivered missiles": a leading pronoun stands for the denier); it denies every cluster whose
proposition is in the same block (predicate, agent, hedge, negation) and that the claim verifier
accepts, as a ``same_proposition`` merge would.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence

from pipeline.audit.modality import modality_of_span
from pipeline.audit.vocabulary import default_vocabulary
from pipeline.reconcile.claims import (
    ClaimReader,
    ClaimText,
    Proposition,
    proposition_block,
    proposition_verifier,
)
from pipeline.reconcile.knowledge import (
    default_knowledge_index,
    load_claim_vocabulary,
    load_linkage_settings,
)
from pipeline.reconcile.representatives import ClusterKeys, stored_key
from schemas.clusters import ActorCluster, ClaimCluster, ClaimRelation, Evidence, MergeRule
from schemas.knowledge import ClaimVocabulary, LinkageSettings
from schemas.signals import Modality, ModalityWords

# What may stand between a denial cue and the denied clause: "denied (the allegations) that".
_LEAD = re.compile(
    r"^\s*(?:the\s+\w+\s+|any\s+|claims?\s+|reports?\s+|allegations?\s+)*(?:that\s+|of\s+)?",
    re.IGNORECASE)
_PRONOUN = re.compile(r"^(?:it|they|he|she)\b", re.IGNORECASE)


def denied_clause(statement: str, words: ModalityWords) -> str | None:
    """The proposition ``statement`` denies, in its words, or None when it is not a denial."""
    modality, cues = modality_of_span(statement, 0, len(statement), words, bounds=[])
    if modality is not Modality.DENIED:
        return None
    cue = next(c for c in cues if c.modality is Modality.DENIED).span
    denier = statement[: cue.start].strip()
    denier = re.sub(r"\s+(?:has|have|had|is|are|was|were|did|does|do)$", "", denier)
    denier = re.sub(r"\s+(?:is\s+)?(?:trying|tries|tried)\s+to$", "", denier).strip()
    rest = statement[cue.end :]
    lead = _LEAD.match(rest)
    rest = rest[lead.end() if lead else 0 :].strip().rstrip(".")
    if not rest:
        return None
    if denier and _PRONOUN.match(rest):
        rest = _PRONOUN.sub(denier, rest, count=1)
    return rest


def _add(keys: ClusterKeys | None, cluster_id: str, key: int) -> None:
    if keys is not None:
        keys.setdefault(cluster_id, set()).add(key)


def denial_key(block: Hashable, *, denies: bool) -> int:
    """The lookup key of a denial (``denies``) or of a claim in ``block``: a denial looks up the
    claims of its denied clause's block, a claim the denials of its own."""
    return stored_key("denials", block, denies)


def link_denials(
    claims: Sequence[ClaimCluster],
    *,
    actors: Sequence[ActorCluster] = (),
    vocabulary: ClaimVocabulary | None = None,
    linkage: LinkageSettings | None = None,
    words: ModalityWords | None = None,
    keys: ClusterKeys | None = None,
    queries: ClusterKeys | None = None,
) -> list[ClaimRelation]:
    """Every ``denies`` edge between the clusters of ``claims``, strongest first. ``keys``, when
    given, receives each cluster's block (its denied clause's, for a denial) as a lookup key
    (``denial_key``), ``queries`` the key of the clusters it may deny or be denied by."""
    words = words or default_vocabulary().modality
    reader = ClaimReader(vocabulary or load_claim_vocabulary(), default_knowledge_index(),
                         actors)
    verify = proposition_verifier((linkage or load_linkage_settings()).claims)
    asserted: dict[object, list[tuple[ClaimCluster, Proposition]]] = {}
    denials: list[tuple[ClaimCluster, str, Proposition]] = []
    for cluster in claims:
        clause = denied_clause(cluster.statement, words)
        if clause is not None:
            denied = reader.read(clause)
            denials.append((cluster, clause, denied))
            if (block := proposition_block(denied)) is not None:
                _add(keys, cluster.claim_id, denial_key(block, denies=True))
                _add(queries, cluster.claim_id, denial_key(block, denies=False))
            continue
        proposition = reader.read(cluster.statement)
        key = proposition_block(proposition)
        if key is not None:
            asserted.setdefault(key, []).append((cluster, proposition))
            _add(keys, cluster.claim_id, denial_key(key, denies=False))
            _add(queries, cluster.claim_id, denial_key(key, denies=True))
    relations = [
        ClaimRelation(rule=MergeRule.DENIES, claim_id=cluster.claim_id, target_id=cluster.denies,
                      score=1.0, evidence=(Evidence(
                          what="events", detail="the claim events agree on every part but "
                          "polarity, which is denied"),))
        for cluster in claims if cluster.denies is not None
    ]
    linked = {(relation.claim_id, relation.target_id) for relation in relations}
    for denial, clause, proposition in denials:
        key = proposition_block(proposition)
        for target, target_proposition in asserted.get(key, []) if key is not None else []:
            verdict = verify(ClaimText(clause, proposition, 1),
                             ClaimText(target.statement, target_proposition, 1))
            if verdict is None or (denial.claim_id, target.claim_id) in linked:
                continue
            score, evidence = verdict
            relations.append(ClaimRelation(
                rule=MergeRule.DENIES, claim_id=denial.claim_id, target_id=target.claim_id,
                score=score, evidence=(
                    Evidence(what="denial", detail=f"'{denial.statement}' denies '{clause}'"),
                    *evidence,
                )))
    return sorted(relations, key=lambda r: (-r.score, r.claim_id, r.target_id))
