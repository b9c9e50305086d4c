"""A state body printed without its state belongs to the one state its article names.

'Foreign Ministry' in a story that names China and no other state is China's foreign ministry,
and in a story that names only Russia, Russia's: the two never join on their shared name, as
'Chinese Foreign Ministry' and 'Russian Foreign Ministry' do not. Where the article names no
state or several, the body stays unqualified, as printed.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.reconcile.names import ActorName, KindClass
from pipeline.reconcile.organisations import is_state_body_without_state
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention


def qualify_by_article_state(
    mentions: list[ActorMention], names: list[ActorName]
) -> list[ActorName]:
    """``names`` with each unqualified state body read as its article's one state's."""
    states: dict[str, set[str]] = {}
    for mention, name in zip(mentions, names, strict=True):
        if name.entity is not None and name.entity.kind is ActorKind.COUNTRY:
            states.setdefault(mention.article_id, set()).add(name.entity.key)
    read: list[ActorName] = []
    for mention, name in zip(mentions, names, strict=True):
        found = states.get(mention.article_id, set())
        organisation = name.organisation
        if (
            len(found) == 1
            and name.kind_class is KindClass.NAMED
            and name.entity is None
            and organisation is not None
            and is_state_body_without_state(organisation)
        ):
            (state,) = found
            name = replace(
                name,
                article_state=state,
                organisation=replace(
                    organisation, form=f"{state} {organisation.form}", qualifier=state
                ),
            )
        read.append(name)
    return read
