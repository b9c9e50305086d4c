"""Join the names one article uses for one actor, where only the article can tell.

"Blinken" is Antony Blinken in an article that names him, and nobody in particular elsewhere; "the
secretary" is whoever the article's one secretary is; "the North" is North Korea where the article
names North Korea. Each pass joins a mention only to the single candidate the article offers: two
candidates mean the article is ambiguous to this reading, and nothing is joined.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from pipeline.reconcile.graph import MergeLog
from pipeline.reconcile.knowledge import Resolution
from pipeline.reconcile.names import ActorName, KindClass, given_names_agree
from schemas.clusters import Evidence, MergeRule
from schemas.knowledge import ActorLinkage
from schemas.mentions import ActorMention

SHORT_FORM_SCORE = 0.97
DESCRIPTOR_SCORE = 0.9
CONTEXTUAL_SCORE = 0.95
ACRONYM_SCORE = 0.95


@dataclass
class ActorTable:
    """Mentions, their read names and the merge log, by global index."""

    mentions: Sequence[ActorMention]
    names: Sequence[ActorName]
    log: MergeLog
    knowledge_source: str
    common_family_names: frozenset[str]


def resolve_within_articles(
    table: ActorTable, by_article: dict[str, list[int]], linkage: ActorLinkage
) -> None:
    """Run every in-article pass over every article with more than one mention."""
    for article_id, indices in by_article.items():
        if len(indices) < 2:
            continue
        names = [table.names[i] for i in indices]
        if any(n.kind_class is KindClass.PERSON and n.surname for n in names):
            _join_misprints(table, article_id, indices, linkage)
        if any(n.is_partial for n in names):
            _join_short_forms(table, article_id, indices)
        if any(n.is_descriptor for n in names):
            _join_descriptors(table, article_id, indices)
        if any(n.contextual and n.entity is None for n in names):
            _join_contextual(table, article_id, indices)
        if any(n.is_acronym for n in names):
            _join_acronyms(table, article_id, indices)


def _groups(table: ActorTable, indices: list[int]) -> dict[int, list[int]]:
    """The article's mentions by the component they are in now."""
    groups: dict[int, list[int]] = {}
    for i in indices:
        groups.setdefault(table.log.find(i), []).append(i)
    return groups


def _full_persons(table: ActorTable, group: list[int]) -> Iterator[int]:
    for i in group:
        name = table.names[i]
        if name.kind_class is KindClass.PERSON and name.is_full and name.surname:
            yield i


def _has_named(table: ActorTable, group: list[int]) -> bool:
    """Whether the group holds a name (full or partial), not only descriptors or context."""
    return any(table.names[i].is_full or table.names[i].is_partial for i in group)


def _join_misprints(
    table: ActorTable, article_id: str, indices: list[int], linkage: ActorLinkage
) -> None:
    """Two persons of one article share a surname, one comes with a title and the other with
    none: the untitled one is a misprint of the other, for a news article introduces every new
    person with a title or a role. Family names too common to tell ('Kim') are left apart."""
    by_surname: dict[str, dict[int, list[int]]] = {}
    groups = _groups(table, indices)
    for root, group in groups.items():
        for i in _full_persons(table, group):
            surname = table.names[i].surname
            assert surname is not None
            by_surname.setdefault(surname, {}).setdefault(root, []).append(i)
    for surname, by_root in by_surname.items():
        if len(by_root) != 2 or surname in table.common_family_names:
            continue
        (root_a, full_a), (root_b, full_b) = by_root.items()
        a, b = full_a[0], full_b[0]
        name_a, name_b = table.names[a], table.names[b]
        if given_names_agree(name_a.given, name_b.given):
            continue  # typo or initials: scored across the corpus like any such pair
        titled_a = any(table.names[i].title for i in groups[root_a])
        titled_b = any(table.names[i].title for i in groups[root_b])
        if titled_a == titled_b:
            continue
        suspect, anchor = (b, a) if titled_a else (a, b)
        suspect_name, anchor_name = table.names[suspect], table.names[anchor]
        similarity = Indel.normalized_similarity(
            " ".join(suspect_name.given), " ".join(anchor_name.given)
        )
        score = linkage.misprint_score + (1 - linkage.misprint_score) * similarity
        table.log.union(
            suspect,
            anchor,
            MergeRule.MISPRINT_IN_ARTICLE,
            score,
            (
                Evidence(what="article", detail=f"both printed in article {article_id}"),
                Evidence(
                    what="surname",
                    detail=f"'{surname}' in '{suspect_name.printed}' and "
                    f"'{anchor_name.printed}'; no other person of the article has it",
                ),
                Evidence(
                    what="title",
                    detail=f"'{suspect_name.printed}' comes with no title, while "
                    f"'{anchor_name.printed}' is introduced as "
                    f"'{_title_of(table, groups, anchor)}'",
                ),
                Evidence(
                    what="given names",
                    detail=f"'{' '.join(suspect_name.given)}' and "
                    f"'{' '.join(anchor_name.given)}' differ (similarity {similarity:.2f})",
                ),
            ),
        )


def _title_of(table: ActorTable, groups: dict[int, list[int]], anchor: int) -> str:
    group = groups[table.log.find(anchor)]
    return next((t for i in group if (t := table.names[i].title)), "")


def _join_short_forms(table: ActorTable, article_id: str, indices: list[int]) -> None:
    """'Blinken' or 'A. Blinken' joins the one person of the article it can shorten."""
    groups = _groups(table, indices)
    by_surname: dict[str, dict[int, int]] = {}  # surname -> root -> a full mention
    for root, group in groups.items():
        for i in _full_persons(table, group):
            surname = table.names[i].surname
            assert surname is not None
            by_surname.setdefault(surname, {}).setdefault(root, i)
    for group in groups.values():
        if any(table.names[i].is_full for i in group):
            continue
        for i in group:
            name = table.names[i]
            if not name.is_partial or name.kind_class is not KindClass.PERSON:
                continue
            assert name.surname is not None
            candidates = {
                r: full
                for r, full in by_surname.get(name.surname, {}).items()
                if given_names_agree(name.given, table.names[full].given)
            }
            if len(candidates) != 1:
                continue
            full = next(iter(candidates.values()))
            full_name = table.names[full]
            table.log.union(
                i,
                full,
                MergeRule.SHORT_FORM,
                SHORT_FORM_SCORE,
                (
                    Evidence(
                        what="article",
                        detail=f"'{name.printed}' and '{full_name.printed}' are both printed "
                        f"in article {article_id}",
                    ),
                    Evidence(
                        what="surname",
                        detail=f"'{full_name.printed}' is the article's only person "
                        f"'{name.printed}' can shorten",
                    ),
                ),
            )
            break


def _join_descriptors(table: ActorTable, article_id: str, indices: list[int]) -> None:
    """'the secretary' joins the one person of the article whose role has that head."""
    groups = _groups(table, indices)
    for root, group in groups.items():
        if _has_named(table, group):
            continue
        descriptor = next((i for i in group if table.names[i].is_descriptor), None)
        if descriptor is None:
            continue
        head = table.names[descriptor].role_head
        candidates: dict[int, int] = {}
        for other_root, other in groups.items():
            if other_root == root or not _has_named(table, other):
                continue
            holder = next((i for i in other if table.names[i].role_head == head), None)
            if holder is not None:
                candidates[other_root] = next((i for i in other if table.names[i].is_full), holder)
        if len(candidates) != 1:
            continue
        anchor = next(iter(candidates.values()))
        role_holder = _title_of(table, groups, anchor)
        table.log.union(
            descriptor,
            anchor,
            MergeRule.DESCRIPTOR,
            DESCRIPTOR_SCORE,
            (
                Evidence(
                    what="role",
                    detail=f"'{table.names[descriptor].printed}' refers to a {head}; the only "
                    f"{head} of article {article_id} is '{table.names[anchor].printed}' "
                    f"('{role_holder}')",
                ),
            ),
        )


def _join_contextual(table: ActorTable, article_id: str, indices: list[int]) -> None:
    """'the North' joins North Korea where the article also names North Korea, and only one of
    the entities the name can stand for."""
    present: dict[str, int] = {}
    for i in indices:
        name = table.names[i]
        if name.entity is not None:
            known = present.get(name.entity.key)
            if known is None or (
                name.resolution is Resolution.NAME
                and table.names[known].resolution is not Resolution.NAME
            ):
                present[name.entity.key] = i  # explain against the entity's own name
    for i in indices:
        name = table.names[i]
        if not name.contextual or name.entity is not None:
            continue
        named_here = [entity for entity in name.contextual if entity.key in present]
        if len(named_here) != 1:
            continue
        entity = named_here[0]
        anchor = present[entity.key]
        table.log.union(
            i,
            anchor,
            MergeRule.CONTEXTUAL_ALIAS,
            CONTEXTUAL_SCORE,
            (
                Evidence(
                    what="knowledge",
                    detail=f"'{name.printed}' stands for {entity.name} where the article also "
                    f"names it ({table.knowledge_source})",
                ),
                Evidence(
                    what="article",
                    detail=f"article {article_id} names it as '{table.names[anchor].printed}'",
                ),
            ),
        )


def _join_acronyms(table: ActorTable, article_id: str, indices: list[int]) -> None:
    """'ICG' joins the one organization of the article whose initials it is."""
    by_initials: dict[str, dict[int, int]] = {}
    for i in indices:
        name = table.names[i]
        if name.acronym and name.is_full:
            by_initials.setdefault(name.acronym, {}).setdefault(table.log.find(i), i)
    for i in indices:
        if not table.names[i].is_acronym:
            continue
        candidates = by_initials.get(table.names[i].compact, {})
        if len(candidates) != 1:
            continue
        anchor = next(iter(candidates.values()))
        table.log.union(
            i,
            anchor,
            MergeRule.ACRONYM_IN_ARTICLE,
            ACRONYM_SCORE,
            (
                Evidence(
                    what="initials",
                    detail=f"'{table.names[i].printed}' are the initials of "
                    f"'{table.names[anchor].printed}', the only such name in article "
                    f"{article_id}",
                ),
            ),
        )
