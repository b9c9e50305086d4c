"""Acronyms as outlets print them, and the one organisation of the corpus each stands for.

'ICG' and 'G20' are acronyms by their capitals; so are 'BoE', 'DoJ', 'TfL' and 'KfW', where
lower-case letters stand for the small words of the expansion ('Bank of England', 'Transport for
London', 'Kreditanstalt für Wiederaufbau'), or a last lower-case letter ends the word. An acronym
that its own article does not expand joins, across the corpus, the one organisation whose
initials it is, by any of the ways outlets form them (content words, every word, an abbreviation
inside the name counted whole); beside two such organisations it joins neither.
"""

from __future__ import annotations

from pipeline.reconcile.in_article import ActorTable, printed_initials
from pipeline.reconcile.names import ActorName, KindClass
from pipeline.reconcile.organisations import is_mixed_case_acronym
from schemas.clusters import Evidence, MergeRule

ACROSS_CORPUS_SCORE = 0.85


def acronym_keys(name: ActorName) -> frozenset[str]:
    """What an acronym may be the initials of: every letter ('boe'), and for a mixed-case one
    its capitals alone ('be': 'Bank of England' by its content words)."""
    keys = {name.compact}
    bare = "".join(char for char in name.printed if char.isalnum())
    if bare.casefold().startswith("the") and len(bare) > 3 and bare[3].isupper():
        bare = bare[3:]
    if is_mixed_case_acronym(bare):
        keys.add("".join(char for char in bare if not char.islower()).casefold())
    return frozenset(keys)


def attach_acronyms_across_corpus(table: ActorTable) -> None:
    """An acronym whose actor holds no full name after every other pass joins the one actor of
    the corpus holding an organisation name of those initials (its content words', or as
    ``printed_initials`` forms them), printed as the same kind of actor."""
    names = table.names
    log = table.log
    full_roots = {log.find(i) for i, name in enumerate(names) if name.is_full}
    by_initials: dict[str, dict[int, int]] = {}
    initials_of: dict[str, frozenset[str]] = {}
    for i, name in enumerate(names):
        if (
            name.kind_class is not KindClass.NAMED
            or not name.is_full
            or not name.acronym
            or name.undecided_in is not None  # its story's body, no other story's
        ):
            continue
        spelt = initials_of.get(name.printed)
        if spelt is None:
            spelt = initials_of[name.printed] = frozenset(
                {name.acronym, *printed_initials(name.printed)}
            )
        root = log.find(i)
        for initials in spelt:
            by_initials.setdefault(initials, {}).setdefault(root, i)
    joined: dict[tuple[str, object], int | None] = {}  # (acronym, kind) -> its anchor, or none
    for i, name in enumerate(names):
        if not name.is_acronym or log.find(i) in full_roots:
            continue
        key = (name.printed, name.actor_kind)
        if key not in joined:
            fits: dict[int, int] = {}
            for initials in acronym_keys(name):
                for expansion in by_initials.get(initials, {}).values():
                    if None in (kind := names[expansion].actor_kind, name.actor_kind) or (
                        kind == name.actor_kind
                    ):
                        fits.setdefault(log.find(expansion), expansion)
            joined[key] = next(iter(fits.values())) if len(fits) == 1 else None
        found = joined[key]
        if found is None:
            continue
        evidence = table.evidence(_evidence, name.printed, names[found].printed)
        log.union(i, found, MergeRule.UNIQUE_PARTIAL_NAME, ACROSS_CORPUS_SCORE, evidence)


def _evidence(acronym: str, expansion: str) -> tuple[Evidence, ...]:
    return (
        Evidence(
            what="initials",
            detail=f"'{acronym}' are the initials of '{expansion}', the only organisation of "
            "the corpus whose initials they are",
        ),
    )
