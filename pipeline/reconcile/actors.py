"""Reconcile actor mentions across a corpus into canonical actors, every merge explained.

The order of the passes is the order of certainty:

1. the extraction's own grouping (names it listed for one actor of one article);
2. identity: mentions whose read names are equal, or stand for one known entity (an alias, a
   capital), are one actor wherever printed;
3. within each article, what only the article can tell (short forms, descriptors, context,
   misprints; see ``in_article``);
4. across articles, Splink scores pairs of distinct full names; pairs above the threshold merge,
   strongest first, unless the merge would put two known entities, or two persons whose given
   names disagree, into one actor ('first names checked');
5. partial names left alone by their article ('Blinken' in a headline-only story) join the one
   actor of the corpus they fit, and stay apart when several fit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from splink.internals.database_api import DatabaseAPI

from pipeline.reconcile.acronyms import attach_acronyms_across_corpus
from pipeline.reconcile.article_states import qualify_by_article_state
from pipeline.reconcile.genders import genders_differ, honorific_gender
from pipeline.reconcile.graph import Component, MergeLog, split_components
from pipeline.reconcile.ids import assign_ids
from pipeline.reconcile.in_article import (
    ActorTable,
    given_names_of_several_surnames,
    resolve_within_articles,
)
from pipeline.reconcile.knowledge import (
    KnowledgeIndex,
    Resolution,
    default_knowledge_index,
    load_linkage_settings,
    load_splink_settings,
)
from pipeline.reconcile.linkage import NameRecord, ScoredPair, score_name_pairs
from pipeline.reconcile.names import (
    ActorName,
    KindClass,
    NameReader,
    given_names_agree,
    is_one_typo_apart,
)
from pipeline.reconcile.organisations import ambiguous_company_heads, legal_forms_differ
from pipeline.reconcile.text import slug
from schemas.clusters import ActorCluster, Evidence, MergeRule
from schemas.extraction import ActorKind
from schemas.knowledge import Knowledge, LinkageSettings
from schemas.mentions import ActorMention

CAPITAL_SCORE = 0.95
UNFITTED_PARTIAL_SCORE = 0.8


def reconcile_actors(
    mentions: Iterable[ActorMention],
    *,
    previous: Mapping[str, str] | None = None,
    knowledge: Knowledge | None = None,
    linkage: LinkageSettings | None = None,
    splink_settings: dict[str, Any] | None = None,
    splink_backend: DatabaseAPI[Any] | None = None,
) -> list[ActorCluster]:
    """One cluster per actor of the corpus, largest first.

    ``previous`` maps ``ActorMention.key`` to the ``actor_id`` an earlier run gave it: clusters
    keep those ids when articles are added. Without it, ids derive from the canonical form.
    ``splink_backend`` scores name pairs (in-memory DuckDB by default; a ``splink.SparkAPI``
    past one machine).
    """
    items = list(mentions)
    index = KnowledgeIndex(knowledge) if knowledge is not None else default_knowledge_index()
    linkage = linkage or load_linkage_settings()
    splink_settings = splink_settings or load_splink_settings(linkage)
    reader = NameReader(index)
    names = _company_heads_the_corpus_shares(
        qualify_by_article_state(
            items,
            _acronyms_the_corpus_reads_otherwise(
                [reader.read(m.name, m.kind, m.title) for m in items]
            ),
        )
    )
    table = ActorTable(
        mentions=items,
        names=names,
        log=MergeLog(len(items)),
        knowledge_source=index.source,
        common_family_names=index.family_name_first,
        known_given_names=given_names_of_several_surnames({id(n): n for n in names}.values()),
    )
    by_article: dict[str, list[int]] = {}
    for i, mention in enumerate(items):
        by_article.setdefault(mention.article_id, []).append(i)

    _join_extraction_groups(table)
    _join_identities(table)
    resolve_within_articles(table, by_article, linkage.actors)
    full, partial = _name_records(table, reader)
    pairs = score_name_pairs(
        [*full, *partial],
        splink_settings,
        threshold_match_probability=linkage.actors.threshold_match_probability,
        common_family_names=index.family_name_first,
        db_api=splink_backend,
    )
    records = {record.record_id: record for record in [*full, *partial]}
    pairs = [p for p in pairs if _kinds_agree(records[p.left].name, records[p.right].name)]
    partial_ids = {record.record_id for record in partial}
    _join_scored_full_names(table, records, [p for p in pairs if not _touches(p, partial_ids)])
    _attach_partial_names(table, records, partial, pairs, partial_ids)
    _attach_given_names(table)
    attach_acronyms_across_corpus(table)

    components = split_components(table.log)
    drafts = [_draft(table, index, component) for component in components]
    ids = assign_ids(
        [draft.proposed_id for draft in drafts],
        [[items[i].key for i in component.members] for component in components],
        previous,
    )
    clusters = [
        ActorCluster(
            actor_id=actor_id,
            name=draft.name,
            kind=draft.kind,
            title=draft.title,
            entity_key=draft.entity_key,
            mentions=tuple(items[i] for i in component.members),
            merges=component.merges,
        )
        for draft, component, actor_id in zip(drafts, components, ids, strict=True)
    ]
    return sorted(clusters, key=lambda c: (-len(c.mentions), c.actor_id))


def _company_heads_the_corpus_shares(names: list[ActorName]) -> list[ActorName]:
    """``names`` without the company short form of a first word two companies of the corpus
    share (``ambiguous_company_heads``): 'Siemens' is then neither 'Siemens AG' nor 'Siemens
    Energy AG' by that reading."""
    distinct = {id(n): n for n in names}.values()
    shared = ambiguous_company_heads(n.organisation for n in distinct if n.organisation)
    if not shared:
        return names
    return [
        replace(n, organisation=replace(n.organisation, company_head=None))
        if n.organisation is not None and n.organisation.company_head in shared
        else n
        for n in names
    ]


def _acronyms_the_corpus_reads_otherwise(names: list[ActorName]) -> list[ActorName]:
    """An acronym the knowledge file lists for one body ('IOC', the International Olive Council)
    is not that body in a corpus that prints another name of those initials, known to no one
    ('International Olympic Committee'): there it is read as an unknown acronym, which joins the
    one name of the corpus it fits, or none, and says so in its merge."""
    others = {n.acronym for n in names if n.entity is None and n.acronym and n.is_full}
    if not others:
        return names
    read: dict[int, ActorName] = {}
    for name in names:
        if (
            name.resolution is Resolution.ALIAS
            and name.kind_class is KindClass.NAMED
            and len(name.tokens) == 1
            and name.compact in others
            and "".join(w for w in name.printed.split() if w.casefold() != "the").isupper()
        ):
            read.setdefault(id(name), replace(name, entity=None, resolution=None, is_acronym=True))
    return [read.get(id(name), name) for name in names]


def _kinds_agree(left: ActorName, right: ActorName) -> bool:
    """Unknown names printed as actors of two kinds are two actors: 'Amazon', a company, and
    'Amazon', the forest; 'FC Barcelona' and the city."""
    return None in (left.actor_kind, right.actor_kind) or left.actor_kind == right.actor_kind


def _touches(pair: ScoredPair, ids: set[int]) -> bool:
    return pair.left in ids or pair.right in ids


def _join_extraction_groups(table: ActorTable) -> None:
    first: dict[tuple[str, str], int] = {}
    for i, mention in enumerate(table.mentions):
        if mention.local_id is None:
            continue
        anchor = first.setdefault((mention.article_id, mention.local_id), i)
        if anchor != i:
            table.log.union(
                i,
                anchor,
                MergeRule.SAME_ACTOR_IN_EXTRACTION,
                1.0,
                (
                    Evidence(
                        what="extraction",
                        detail=f"article {mention.article_id} lists '{mention.name}' and "
                        f"'{table.mentions[anchor].name}' as names of one actor "
                        f"({mention.local_id})",
                    ),
                ),
            )


def _join_identities(table: ActorTable) -> None:
    """Equal read names, and names of one known entity, join wherever printed."""
    anchors: dict[str, int] = {}
    for i, name in enumerate(table.names):
        identity = name.identity
        if identity is None:
            continue
        anchor = anchors.get(identity)
        if anchor is None:
            anchors[identity] = i
        elif name.resolution is Resolution.NAME and table.names[anchor].resolution is not (
            Resolution.NAME
        ):
            anchors[identity] = i  # explain aliases against the entity's own name
    evidence_cache: dict[tuple[str, str], tuple[MergeRule, float, tuple[Evidence, ...]]] = {}
    for i, name in enumerate(table.names):
        identity = name.identity
        if identity is None or anchors[identity] == i:
            continue
        anchor = anchors[identity]
        cache_key = (name.printed, table.names[anchor].printed)
        explained = evidence_cache.get(cache_key)
        if explained is None:
            explained = _identity_evidence(table, name, table.names[anchor])
            evidence_cache[cache_key] = explained
        rule, score, evidence = explained
        table.log.union(i, anchor, rule, score, evidence)


def _identity_evidence(
    table: ActorTable, name: ActorName, anchor: ActorName
) -> tuple[MergeRule, float, tuple[Evidence, ...]]:
    entity = name.entity
    if entity is None or (
        name.resolution is Resolution.NAME and anchor.resolution is Resolution.NAME
    ):
        return (
            MergeRule.SAME_NAME,
            1.0,
            (
                Evidence(
                    what="name",
                    detail=f"'{name.printed}' and '{anchor.printed}' both read "
                    f"'{' '.join(name.tokens)}' once case, accents, hyphens, dots and titles "
                    "are set aside",
                ),
            ),
        )
    evidence = tuple(
        Evidence(what="knowledge", detail=_known_as(n, table.knowledge_source))
        for n in (name, anchor)
        if n.resolution is not Resolution.NAME
    )
    if Resolution.CAPITAL in (name.resolution, anchor.resolution):
        return MergeRule.CAPITAL_FOR_STATE, CAPITAL_SCORE, evidence
    if Resolution.SEAT in (name.resolution, anchor.resolution):
        return MergeRule.SEAT_FOR_ORGANISATION, CAPITAL_SCORE, evidence
    return MergeRule.KNOWN_ALIAS, 1.0, evidence


def _known_as(name: ActorName, source: str) -> str:
    assert name.entity is not None
    if name.resolution is Resolution.CAPITAL:
        return (
            f"'{name.printed}' is the seat of government of {name.entity.name} and, printed "
            f"as an actor, stands for it ({source})"
        )
    if name.resolution is Resolution.SEAT:
        return (
            f"'{name.printed}', printed as an organisation, is the seat of {name.entity.name} "
            f"(where most of its bodies sit) and stands for it ({source})"
        )
    if name.resolution is Resolution.GOVERNMENT:
        return (
            f"'{name.printed}', printed as a state, is the government of {name.entity.name}: "
            f"its name or demonym ({source}) and a word of WordNet's 'government' "
            "(governments.v1.toml)"
        )
    return f"'{name.printed}' is listed as a name of {name.entity.name} ({source})"


def _name_records(
    table: ActorTable, reader: NameReader
) -> tuple[list[NameRecord], list[NameRecord]]:
    """Full records: one per identity. Partial records: one per distinct partial name (with its
    role) among components that hold no full name after the in-article passes."""
    roles: dict[str, Counter[str]] = {}
    anchors: dict[str, int] = {}
    full_roots: set[int] = set()
    for i, name in enumerate(table.names):
        identity = name.identity
        if identity is None:
            continue
        full_roots.add(table.log.find(i))
        anchors.setdefault(identity, i)
        if name.role:
            roles.setdefault(identity, Counter())[name.role] += 1
    full: list[NameRecord] = []
    for identity, anchor in anchors.items():
        name = table.names[anchor]
        if name.undecided_in is not None:
            continue  # its story's body alone: nothing across the corpus is scored against it
        if name.entity is not None:
            name = _entity_name(reader, name)
        role_counts = roles.get(identity)
        role = role_counts.most_common(1)[0][0] if role_counts else None
        full.append(NameRecord(len(full), name, role, anchor))
    partial: list[NameRecord] = []
    seen: dict[_PartialKey, int] = {}
    for i, name in enumerate(table.names):
        if not name.is_partial or not name.tokens or table.log.find(i) in full_roots:
            continue
        if name.first_name_only:
            continue  # 'King Salman' alone names someone only where his article says whom
        key = _partial_key(name)
        if key in seen:
            continue
        seen[key] = i
        partial.append(NameRecord(len(full) + len(partial), name, name.role, i))
    return full, partial


# (kind class, words, role, the honorific's gender): 'Mr Ortega' and 'Mrs Ortega' are two records.
_PartialKey = tuple[str, str, str | None, str | None]


def _partial_key(name: ActorName) -> _PartialKey:
    gender = honorific_gender(name.title) if name.kind_class is KindClass.PERSON else None
    return (str(name.kind_class), " ".join(name.tokens), name.role, gender)


def _entity_name(reader: NameReader, name: ActorName) -> ActorName:
    """A known entity is scored under its canonical name, so that 'Nort Korea' meets 'North
    Korea' whichever alias the anchor printed."""
    assert name.entity is not None
    canonical = reader.read(name.entity.name, name.entity.kind)
    return canonical if canonical.entity is not None else name


@dataclass
class _Summary:
    """What a component holds that a merge must not contradict."""

    entities: set[str] = field(default_factory=set)
    given_by_surname: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    # Generational suffixes ('' for none) of full names by surname: Jr. never joins Sr.
    suffixes: dict[str, set[str]] = field(default_factory=dict)
    qualifiers: set[str] = field(default_factory=set)  # states qualifying organisation names
    # Legal forms by organisation form: 'Porsche AG' never joins 'Porsche SE'.
    legal_forms: dict[str, set[str]] = field(default_factory=dict)

    def add(self, name: ActorName) -> None:
        if name.organisation is not None and name.organisation.legal_form is not None:
            found = self.legal_forms.setdefault(name.organisation.form, set())
            found.add(name.organisation.legal_form)
        if name.entity is not None:
            self.entities.add(name.entity.key)
        elif name.elsewhere_of is not None:
            self.entities.add(f"elsewhere:{name.elsewhere_of}")
        elif name.organisation is not None and name.organisation.qualifier:
            self.qualifiers.add(name.organisation.qualifier)
        elif name.kind_class is KindClass.PERSON and name.surname and name.given:
            self.suffixes.setdefault(name.surname, set()).add(name.suffix or "")
            if name.given_is_initials:
                return
            known = self.given_by_surname.setdefault(name.surname, [])
            joined = " ".join(name.given)
            if not any(g == name.given or is_one_typo_apart(" ".join(g), joined) for g in known):
                known.append(name.given)

    def conflict(self, other: _Summary) -> str | None:
        if self.entities and other.entities and not self.entities & other.entities:
            return f"known entities {sorted(self.entities)} and {sorted(other.entities)} differ"
        if self.qualifiers and other.qualifiers and not self.qualifiers & other.qualifiers:
            return f"organisations of {sorted(self.qualifiers)} and {sorted(other.qualifiers)}"
        for form, mine_forms in self.legal_forms.items():
            theirs_forms = other.legal_forms.get(form, set())
            if any(legal_forms_differ(a, b) for a in mine_forms for b in theirs_forms):
                return f"'{form}' printed with different legal forms"
        for surname, mine_suffixes in self.suffixes.items():
            theirs_suffixes = other.suffixes.get(surname)
            if theirs_suffixes and len(mine_suffixes | theirs_suffixes) > 1:
                return f"'{surname}' printed with different generational suffixes"
        for surname, mine in self.given_by_surname.items():
            for theirs in other.given_by_surname.get(surname, ()):
                for given in mine:
                    if not given_names_agree(given, theirs):
                        return (
                            f"'{' '.join(given)} {surname}' and '{' '.join(theirs)} {surname}' "
                            "have given names that disagree"
                        )
        return None

    def absorb(self, other: _Summary) -> None:
        self.entities |= other.entities
        self.qualifiers |= other.qualifiers
        for form, found in other.legal_forms.items():
            self.legal_forms.setdefault(form, set()).update(found)
        for surname, found in other.suffixes.items():
            self.suffixes.setdefault(surname, set()).update(found)
        for surname, givens in other.given_by_surname.items():
            known = self.given_by_surname.setdefault(surname, [])
            known.extend(g for g in givens if g not in known)


def _join_scored_full_names(
    table: ActorTable, records: dict[int, NameRecord], pairs: list[ScoredPair]
) -> None:
    summaries: dict[int, _Summary] = {}
    for i, name in enumerate(table.names):
        if name.identity is not None:
            summaries.setdefault(table.log.find(i), _Summary()).add(name)
    for pair in sorted(pairs, key=lambda p: (-p.match_weight, p.left, p.right)):
        left, right = records[pair.left], records[pair.right]
        root_left, root_right = table.log.find(left.anchor), table.log.find(right.anchor)
        if root_left == root_right:
            continue
        summary_left = summaries.setdefault(root_left, _Summary())
        summary_right = summaries.setdefault(root_right, _Summary())
        if summary_left.conflict(summary_right) is not None:
            continue
        table.log.union(
            right.anchor,
            left.anchor,
            MergeRule.NAME_SIMILARITY,
            pair.match_probability,
            _scored_evidence(left, right, pair),
            match_weight=pair.match_weight,
        )
        merged = table.log.find(left.anchor)
        kept, gone = (summary_left, summary_right)
        kept.absorb(gone)
        summaries[merged] = kept


def _scored_evidence(left: NameRecord, right: NameRecord, pair: ScoredPair) -> tuple[Evidence, ...]:
    evidence: list[Evidence] = []
    for outcome in pair.levels:
        if outcome.comparison == "name":
            detail = f"{outcome.label}: '{left.name.printed}' / '{right.name.printed}'"
        elif outcome.comparison == "role":
            detail = f"{outcome.label}: {left.role or '-'} / {right.role or '-'}"
        else:
            detail = outcome.label
        evidence.append(
            Evidence(what=f"splink {outcome.comparison}", detail=detail, weight=outcome.weight)
        )
    for record in (left, right):
        if record.name.article_state:
            evidence.append(
                Evidence(
                    what="article",
                    detail=f"'{record.name.printed}' is read as {record.name.article_state}'s: "
                    "its article names that state and no other",
                )
            )
    return tuple(evidence)


def _attach_partial_names(
    table: ActorTable,
    records: dict[int, NameRecord],
    partial: list[NameRecord],
    pairs: list[ScoredPair],
    partial_ids: set[int],
) -> None:
    """A partial name joins the single actor it fits; with two candidates it joins neither."""
    candidates: dict[int, dict[int, ScoredPair]] = {}
    for pair in pairs:
        left_partial, right_partial = pair.left in partial_ids, pair.right in partial_ids
        if left_partial == right_partial:
            continue
        part, whole = (pair.left, pair.right) if left_partial else (pair.right, pair.left)
        root = table.log.find(records[whole].anchor)
        best = candidates.setdefault(part, {}).get(root)
        if best is None or pair.match_weight > best.match_weight:
            candidates[part][root] = pair
    members: dict[int, list[int]] = {}  # partial record -> one mention per component with it
    keys = {_partial_key(r.name): r.record_id for r in partial}
    seen: set[tuple[int, int]] = set()
    # A partial name its article already gave a full name ('DOE' beside 'Department of Energy')
    # is that actor's; only the components holding no full name are the record's members.
    full_roots = {table.log.find(i) for i, n in enumerate(table.names) if n.identity is not None}
    for i, name in enumerate(table.names):
        if not name.is_partial or not name.tokens or table.log.find(i) in full_roots:
            continue
        record_id = keys.get(_partial_key(name))
        root = table.log.find(i)
        if record_id is None or (record_id, root) in seen:
            continue
        seen.add((record_id, root))
        members.setdefault(record_id, []).append(i)
    # name -> the honorific's gender -> components no full name fits
    unfitted: dict[tuple[str, str], dict[str | None, list[int]]] = {}
    for record in partial:
        fits = candidates.get(record.record_id, {})
        if len(fits) == 1 and _genders_differ(records, record, next(iter(fits.values()))):
            fits = {}  # 'Mrs Mendes' is not the only 'Carlos Mendes'; no gender picks one of two
        if not fits and not _is_common(table, record.name):
            kind_class, bare, _, gender = _partial_key(record.name)
            by_gender = unfitted.setdefault((kind_class, bare), {})
            by_gender.setdefault(gender, []).extend(members.get(record.record_id, []))
        if len(fits) != 1:
            continue
        pair = next(iter(fits.values()))
        fit = records[pair.right if pair.left == record.record_id else pair.left]
        evidence = (
            *_scored_evidence(record, fit, pair),
            Evidence(
                what="corpus",
                detail=f"no other actor of the corpus fits '{record.name.printed}'",
            ),
        )
        for i in members.get(record.record_id, []):
            table.log.union(
                i,
                fit.anchor,
                MergeRule.UNIQUE_PARTIAL_NAME,
                pair.match_probability,
                evidence,
                match_weight=pair.match_weight,
            )
    for (_, bare), by_gender in unfitted.items():
        evidence = (
            Evidence(
                what="corpus",
                detail=f"no full name in the corpus fits '{bare}'; its bare mentions are taken "
                "as one actor"
                + (", one per gender its honorifics name" if len(by_gender) > 1 else ""),
            ),
        )
        if len(by_gender) == 2 and None in by_gender:
            # 'Ortega' beside 'Mrs Ortega' only: nothing says a second person is meant.
            by_gender = {"": [i for group in by_gender.values() for i in group]}
        for mentions in by_gender.values():
            for i in mentions[1:]:
                table.log.union(
                    i, mentions[0], MergeRule.SAME_NAME, UNFITTED_PARTIAL_SCORE, evidence
                )


def _genders_differ(records: dict[int, NameRecord], part: NameRecord, pair: ScoredPair) -> bool:
    whole = records[pair.right if pair.left == part.record_id else pair.left]
    return genders_differ(part.name, whole.name)


def _attach_given_names(table: ActorTable) -> None:
    """A single word left alone that the corpus prints only among the given names of one person,
    and in nobody's surname ('Prabowo' beside 'Prabowo Subianto', 'Lula' beside 'Luiz Inácio
    Lula da Silva', 'Sheikh Tamim' beside 'Sheikh Tamim bin Hamad Al-Thani'), is that person: the
    name people go by. Two such persons ('Hun' in 'Hun Sen' and 'Hun Manet'), or the word in a
    surname anywhere ('Salman' in 'bin Salman'), and it stays alone."""
    starts: dict[str, dict[int, int]] = {}  # given name -> component -> a full name in it
    surnames: set[str] = set()  # every word of every surname
    for i, name in enumerate(table.names):
        if name.kind_class is not KindClass.PERSON or not name.is_full:
            continue
        if name.surname:
            surnames.update(name.surname.split())
        for given in set(name.given):
            starts.setdefault(given, {}).setdefault(table.log.find(i), i)
    full_roots = {table.log.find(i) for i, n in enumerate(table.names) if n.is_full}
    for i, name in enumerate(table.names):
        if (
            name.kind_class is not KindClass.PERSON
            or not name.is_partial
            or name.given
            or name.surname is None
            or " " in name.surname
            or name.surname in surnames
            or _is_common(table, name)
            or table.log.find(i) in full_roots
        ):
            continue
        found = starts.get(name.surname, {})
        if len(found) != 1:
            continue
        anchor = next(iter(found.values()))
        full = table.names[anchor]
        evidence = (
            Evidence(
                what="corpus",
                detail=f"'{name.printed}' is a given name of '{full.printed}' and of no other "
                "person of the corpus, and in nobody's surname",
            ),
        )
        table.log.union(i, anchor, MergeRule.UNIQUE_PARTIAL_NAME, UNFITTED_PARTIAL_SCORE, evidence)
        full_roots.add(table.log.find(i))


def _is_common(table: ActorTable, name: ActorName) -> bool:
    """A bare family name too common to stand for one person across articles ('Kim')."""
    return name.kind_class is KindClass.PERSON and name.surname in table.common_family_names


@dataclass(frozen=True)
class _Draft:
    proposed_id: str
    name: str
    kind: ActorKind
    title: str | None
    entity_key: str | None


def _draft(table: ActorTable, index: KnowledgeIndex, component: Component) -> _Draft:
    """The canonical form: the known entity, else the most printed full name."""
    names = [table.names[i] for i in component.members]
    mentions = [table.mentions[i] for i in component.members]
    titles = Counter(t for n in names if (t := n.title))
    title = titles.most_common(1)[0][0] if titles else None
    entities = Counter(n.entity.key for n in names if n.entity is not None)
    if entities:
        entity = index.by_key[entities.most_common(1)[0][0]]
        return _Draft(f"{entity.kind}/{entity.key}", entity.name, entity.kind, title, entity.key)
    kind = Counter(m.kind for m in mentions).most_common(1)[0][0]
    candidates = [n for n in names if n.is_full] or [n for n in names if n.is_partial] or names
    counts = Counter(n.printed for n in candidates)
    titled = Counter(n.printed for n in candidates if n.title)
    first = {printed: k for k, printed in reversed(list(enumerate(n.printed for n in names)))}
    # A misprint is printed as often as the name it garbles, but without the title that
    # introduces a person, and after it: the titled, earlier form wins the tie.
    name = min(counts, key=lambda p: (-counts[p], -titled[p], first[p]))
    proposed = f"{kind}/{slug(name)}"
    if not any(n.is_full or (n.is_partial and not _is_common(table, n)) for n in names):
        proposed += f"@{mentions[0].article_id}"  # a name that identifies only in its article
    return _Draft(proposed, name, kind, title, None)
