"""Cluster claims: the same proposition asserted in several articles is one cluster.

A statement is read into a proposition: its predicate (by the vocabulary file: 'supplying',
'provision' and 'sent' are all ``supply``), its agent (the party before an active predicate, after
'by' in a passive, after 'from' in a converse such as 'received'), the other parties, the objects
(the words right after the predicate, or after its 'with': 'combat drones'), and whether it is
hedged ('may send') or negated ('denies'). Parties are the knowledge file's entities (names,
aliases, capitals, demonyms) and, when given, the reconciled actors.

Two claims state one proposition when predicate, agent, hedge and negation agree, they share
another party, and they share an object word: "Iran has been supplying combat drones to Russia"
and "Iran provides drones to Russia" do; "Iran transferred ballistic missiles to Russia",
"Iran may send missiles" and "Russia supplied drones to Iran" do not. Claims join by complete
linkage within a block (every pair of a cluster must agree), so one broad claim cannot chain two
narrow ones. Without a known predicate, content words must overlap by the settings' Jaccard.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from pipeline.errors import ReconcileError
from pipeline.reconcile.graph import MergeLog, split_components
from pipeline.reconcile.ids import assign_ids
from pipeline.reconcile.knowledge import (
    KnowledgeIndex,
    default_knowledge_index,
    load_claim_vocabulary,
    load_linkage_settings,
)
from pipeline.reconcile.speakers import ActorLookup
from pipeline.reconcile.text import cased_words, fold, lookup_key, words
from schemas.clusters import ActorCluster, ClaimAssertion, ClaimCluster, Evidence, MergeRule
from schemas.knowledge import ClaimLinkage, ClaimVocabulary, Knowledge, LinkageSettings
from schemas.mentions import ClaimMention

_SUFFIXES = ("ings", "ing", "ions", "ion", "ies", "ied", "ed", "es", "s", "y", "e")
# Words that end the object phrase after a predicate.
# fmt: off
_BOUNDARIES = frozenset({
    "to", "from", "for", "since", "in", "at", "by", "as", "while", "because", "after", "before",
    "which", "that", "who", "when", "where", "into", "on", "against", "over", "through", "during",
})
# fmt: on
_MAX_OBJECT_WORDS = 6
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]]|\s[-–—]\s")
_MAX_PARTY_WORDS = 6


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude, predictable stem: 'supplying', 'supplied', 'supplies', 'supply' -> 'suppl'.
    Endings are cut until none is left, so that every form reaches the same stem."""
    while True:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        else:
            return word


@dataclass(frozen=True)
class Proposition:
    predicate: str | None
    agent: str | None  # a party key
    others: frozenset[str]
    objects: frozenset[str]  # stems
    content: frozenset[str]  # every content stem, for claims without a known predicate
    hedged: bool
    negated: bool
    party_names: tuple[tuple[str, str], ...]  # (key, printed) for evidence


class ClaimReader:
    """Reads statements against the vocabulary, the knowledge file and the reconciled actors."""

    def __init__(
        self,
        vocabulary: ClaimVocabulary,
        index: KnowledgeIndex,
        actors: Sequence[ActorCluster] = (),
    ) -> None:
        self.predicates: dict[str, tuple[str, bool]] = {}  # stem -> (class, converse)
        for predicate in vocabulary.predicate:
            for word, converse in [(w, False) for w in predicate.words] + [
                (w, True) for w in predicate.converse
            ]:
                known = self.predicates.setdefault(stem(word), (predicate.key, converse))
                if known != (predicate.key, converse):
                    raise ReconcileError(
                        f"claims vocabulary: '{word}' has the stem '{stem(word)}' of a word of "
                        f"'{known[0]}'; list one of them in a form that stems apart"
                    )
        self.hedges = frozenset(stem(w) for w in vocabulary.hedges)
        self.negations = frozenset(stem(w) for w in vocabulary.negations)
        self.stopwords = frozenset(vocabulary.stopwords)
        self.parties: dict[tuple[str, ...], tuple[str, str]] = {}  # words -> (key, name)
        for name, known_name in index.by_name.items():
            self.parties[tuple(name.split())] = (known_name.entity.key, known_name.entity.name)
        for demonym, entity in index.by_demonym.items():
            self.parties[tuple(demonym.split())] = (entity.key, entity.name)
            self.parties[(*demonym.split()[:-1], demonym.split()[-1] + "s")] = (
                entity.key,
                entity.name,
            )
        for cluster in actors:
            key = cluster.entity_key or cluster.actor_id
            for name in {cluster.name, *cluster.names}:
                folded = tuple(lookup_key(name).split())
                if folded:
                    self.parties.setdefault(folded, (key, cluster.name))

    def read(self, statement: str) -> Proposition:
        clauses = [words(clause) for clause in _CLAUSE_BREAK.split(fold(statement))]
        tokens = tuple(token for clause in clauses for token in clause)
        # Where each clause ends: an object phrase never runs past a comma.
        ends = frozenset(itertools.accumulate(len(clause) for clause in clauses))
        parties: list[tuple[int, int, str, str]] = []  # (start, end, key, name)
        position = 0
        while position < len(tokens):
            for width in range(min(_MAX_PARTY_WORDS, len(tokens) - position), 0, -1):
                found = self.parties.get(tokens[position : position + width])
                if found is not None:
                    parties.append((position, position + width, *found))
                    position += width
                    break
            else:
                position += 1
        parties = sorted(parties + self._unknown_parties(statement, clauses, parties))
        in_party = {k for start, end, _, _ in parties for k in range(start, end)}
        stems = [stem(t) for t in tokens]
        predicate_at = next(
            (k for k, s in enumerate(stems) if s in self.predicates and k not in in_party), None
        )
        predicate, converse = (
            self.predicates[stems[predicate_at]] if predicate_at is not None else (None, False)
        )
        agent = self._agent(tokens, parties, predicate_at, converse)
        content = frozenset(
            stems[k]
            for k, token in enumerate(tokens)
            if k not in in_party and token not in self.stopwords and not token.isdigit()
        )
        objects = self._objects(tokens, stems, in_party, predicate_at, ends)
        return Proposition(
            predicate=predicate,
            agent=agent,
            others=frozenset(key for _, _, key, _ in parties if key != agent),
            objects=objects,
            content=content - self.hedges - self.negations,
            hedged=any(s in self.hedges for s in stems),
            negated=any(s in self.negations for s in stems),
            party_names=tuple(dict.fromkeys((key, name) for _, _, key, name in parties)),
        )

    def _unknown_parties(
        self,
        statement: str,
        clauses: list[tuple[str, ...]],
        known: list[tuple[int, int, str, str]],
    ) -> list[tuple[int, int, str, str]]:
        """Runs of capitalized words that no known party covers ('Venezuela', 'Maria Lopez'),
        so that a claim about someone unknown is not taken for one about nobody. The first
        word of the statement is capitalized anyway and is left out."""
        cased = tuple(w for clause in _CLAUSE_BREAK.split(statement) for w in cased_words(clause))
        if sum(len(clause) for clause in clauses) != len(cased):
            return []  # folding changed the word count ('ß'): no safe alignment
        covered = {k for start, end, _, _ in known for k in range(start, end)}
        found: list[tuple[int, int, str, str]] = []
        k = 1
        while k < len(cased):
            if k in covered or not cased[k][:1].isupper() or cased[k].lower() in self.stopwords:
                k += 1
                continue
            end = k
            while end < len(cased) and end not in covered and cased[end][:1].isupper():
                end += 1
            name = " ".join(cased[k:end])
            found.append((k, end, f"name:{name.casefold()}", name))
            k = end
        return found

    def _agent(
        self,
        tokens: tuple[str, ...],
        parties: list[tuple[int, int, str, str]],
        predicate_at: int | None,
        converse: bool,
    ) -> str | None:
        if not parties:
            return None
        if predicate_at is not None:
            marker = "from" if converse else "by"
            after = [p for p in parties if p[0] > predicate_at]
            for start, _, key, _ in after:
                if start > 0 and tokens[start - 1] == marker:
                    return key
            before = [p for p in parties if p[1] <= predicate_at]
            if before and not converse:
                return _first_known(before)
        return _first_known(parties)

    def _objects(
        self,
        tokens: tuple[str, ...],
        stems: list[str],
        in_party: set[int],
        predicate_at: int | None,
        ends: frozenset[int],
    ) -> frozenset[str]:
        """The words that say what is supplied, attacked...: right after the predicate, else
        after its 'with', else (a passive: 'drones were supplied by') before it."""
        if predicate_at is None:
            return frozenset()
        found = self._phrase(tokens, stems, in_party, predicate_at + 1, ends)
        if not found and "with" in tokens[predicate_at:]:
            start = predicate_at + tokens[predicate_at:].index("with") + 1
            found = self._phrase(tokens, stems, in_party, start, ends)
        if not found and "by" in tokens[predicate_at:]:
            found = [
                stems[k]
                for k in range(predicate_at)
                if k not in in_party and self._is_content(tokens[k], stems[k])
            ]
        return frozenset(found)

    def _phrase(
        self,
        tokens: tuple[str, ...],
        stems: list[str],
        in_party: set[int],
        start: int,
        ends: frozenset[int],
    ) -> list[str]:
        found: list[str] = []
        for k in range(start, len(tokens)):
            if k in ends and found:
                break
            token = tokens[k]
            if k in in_party or token == "with":
                if found:
                    break
                continue
            if token == "of" and not found:
                continue  # 'provision of drones', 'hundreds of missiles'
            if token in _BOUNDARIES or token == "of" or (token == "and" and len(found) >= 4):
                break
            if self._is_content(token, stems[k]):
                found.append(stems[k])
                if len(found) >= _MAX_OBJECT_WORDS:
                    break
        return found

    def _is_content(self, token: str, stemmed: str) -> bool:
        return (
            token not in self.stopwords
            and not token.isdigit()
            and stemmed not in self.predicates
            and stemmed not in self.hedges
            and stemmed not in self.negations
        )


def cluster_claims(
    claims: Iterable[ClaimMention],
    *,
    actors: Sequence[ActorCluster] = (),
    previous: Mapping[str, str] | None = None,
    knowledge: Knowledge | None = None,
    vocabulary: ClaimVocabulary | None = None,
    linkage: LinkageSettings | None = None,
) -> list[ClaimCluster]:
    """One cluster per proposition, largest first; ``actors`` name the asserters and parties."""
    items = list(claims)
    index = KnowledgeIndex(knowledge) if knowledge is not None else default_knowledge_index()
    reader = ClaimReader(vocabulary or load_claim_vocabulary(), index, actors)
    settings = (linkage or load_linkage_settings()).claims
    read = [reader.read(claim.statement) for claim in items]
    log = MergeLog(len(items))
    blocks: dict[tuple[str | None, str, bool, bool], list[int]] = {}
    for i, proposition in enumerate(read):
        if proposition.agent is not None:
            key = (
                proposition.predicate,
                proposition.agent,
                proposition.hedged,
                proposition.negated,
            )
            blocks.setdefault(key, []).append(i)
    for members in blocks.values():
        _complete_linkage(members, read, log, settings)
    lookup = ActorLookup(actors)
    components = split_components(log)
    ids = assign_ids(
        [_proposed_id(items, read, c.members) for c in components],
        [[items[i].key for i in c.members] for c in components],
        previous,
    )
    clusters = [
        ClaimCluster(
            claim_id=claim_id,
            statement=items[_medoid(component.members, read)].statement,
            mentions=tuple(items[i] for i in component.members),
            assertions=tuple(_assertion(items[i], lookup) for i in component.members),
            merges=component.merges,
        )
        for component, claim_id in zip(components, ids, strict=True)
    ]
    return sorted(clusters, key=lambda c: (-len(c.mentions), c.claim_id))


def _judge(
    left: Proposition, right: Proposition, settings: ClaimLinkage
) -> tuple[float, tuple[Evidence, ...]] | None:
    if left.others and right.others and not left.others & right.others:
        return None
    if left.predicate is None or right.predicate is None:
        if left.predicate != right.predicate:
            return None
        overlap = _jaccard(left.content, right.content)
        if overlap < settings.min_unclassified_overlap:
            return None
        return overlap, (
            Evidence(what="agent", detail=_party(left, left.agent)),
            Evidence(what="content", detail=f"content words overlap {overlap:.0%}"),
        )
    shared = left.objects & right.objects
    if len(shared) < settings.min_shared_objects:
        return None
    score = 0.6 + 0.4 * _jaccard(left.objects, right.objects)
    modality = ("possible or intended" if left.hedged else "stated as fact") + (
        ", denied" if left.negated else ""
    )
    return score, (
        Evidence(what="predicate", detail=f"both say '{left.predicate}'"),
        Evidence(what="agent", detail=_party(left, left.agent)),
        Evidence(
            what="other party",
            detail=", ".join(_party(left, k) for k in sorted(left.others & right.others))
            or "none named",
        ),
        Evidence(what="object", detail=f"shared words: {', '.join(sorted(shared))}"),
        Evidence(what="modality", detail=f"both {modality}"),
    )


def _first_known(parties: list[tuple[int, int, str, str]]) -> str:
    """The first party the knowledge file or the actors know, else the first at all."""
    return next((key for _, _, key, _ in parties if not key.startswith("name:")), parties[0][2])


def _party(proposition: Proposition, key: str | None) -> str:
    return next((name for k, name in proposition.party_names if k == key), key or "-")


def _jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    union = left | right
    return len(left & right) / len(union) if union else 0.0


def _complete_linkage(
    members: list[int], read: list[Proposition], log: MergeLog, settings: ClaimLinkage
) -> None:
    """Merge strongest pairs first; two groups join only if every cross pair agrees."""
    if len(members) < 2:
        return
    judged: dict[tuple[int, int], tuple[float, tuple[Evidence, ...]]] = {}
    for left, right in combinations(members, 2):
        found = _judge(read[left], read[right], settings)
        if found is not None:
            judged[(left, right)] = found
    groups = {i: [i] for i in members}
    for (left, right), (score, evidence) in sorted(judged.items(), key=lambda kv: -kv[1][0]):
        root_left, root_right = log.find(left), log.find(right)
        if root_left == root_right:
            continue
        if all(
            (min(a, b), max(a, b)) in judged for a in groups[root_left] for b in groups[root_right]
        ):
            log.union(right, left, MergeRule.SAME_PROPOSITION, score, evidence)
            joined = groups.pop(root_left) + groups.pop(root_right)
            groups[log.find(left)] = joined


def _medoid(members: list[int], read: list[Proposition]) -> int:
    """The member whose content is closest to all the others (the first on ties)."""
    return max(
        members,
        key=lambda i: (
            sum(_jaccard(read[i].content, read[j].content) for j in members),
            -len(read[i].content),
            -i,
        ),
    )


def _proposed_id(items: list[ClaimMention], read: list[Proposition], members: list[int]) -> str:
    statement = items[_medoid(members, read)].statement
    return "claim/" + hashlib.sha256(" ".join(words(statement)).encode()).hexdigest()[:12]


def _assertion(claim: ClaimMention, lookup: ActorLookup) -> ClaimAssertion:
    actor = (
        lookup.find(claim.article_id, claim.asserted_by, claim.asserted_by_local_id)
        if claim.asserted_by is not None
        else None
    )
    return ClaimAssertion(
        article_id=claim.article_id,
        asserted_by=actor.name if actor is not None else claim.asserted_by,
        asserted_by_id=actor.actor_id if actor is not None else None,
        evidence=claim.evidence,
        span=claim.span,
    )
