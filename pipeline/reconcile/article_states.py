"""A state body printed without its state belongs to the one state its article names.

'Foreign Ministry' in a story that names China and no other state is China's foreign ministry,
and in a story that names only Russia, Russia's: the two never join on their shared name, as
'Chinese Foreign Ministry' and 'Russian Foreign Ministry' do not. In a story of several states it
is the one of them its story, else the corpus, prints that body with ('Kazakhstan's Foreign
Ministry' beside 'Foreign Ministry' in a story of Kazakhstan and Russia); failing that it is that
story's body alone, never another story's (a Kyrgyz and a Kazakh story's 'Foreign Ministry'),
when the corpus prints that body for two states or more; for one state or none, and where the
article names no state, the body stays unqualified, as printed: the one body of that name.
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
    """``names`` with each unqualified state body read as its article's state's, or as its
    article's alone when the state is undecided among several the corpus prints it for."""
    states: dict[str, set[str]] = {}
    printed: dict[str, dict[str, set[str]]] = {}  # bare form -> article -> states printed with
    for mention, name in zip(mentions, names, strict=True):
        if name.entity is not None and name.entity.kind is ActorKind.COUNTRY:
            states.setdefault(mention.article_id, set()).add(name.entity.key)
        organisation = name.organisation
        if organisation is not None and organisation.qualifier is not None:
            by_article = printed.setdefault(organisation.bare, {})
            by_article.setdefault(mention.article_id, set()).add(organisation.qualifier)
    read: list[ActorName] = []
    for mention, name in zip(mentions, names, strict=True):
        found = states.get(mention.article_id, set())
        organisation = name.organisation
        if (
            found
            and name.kind_class is KindClass.NAMED
            and name.entity is None
            and organisation is not None
            and is_state_body_without_state(organisation)
        ):
            by_article = printed.get(organisation.bare, {})
            state = _state_of(found, by_article, mention.article_id)
            if state is None and len(set().union(*by_article.values())) > 1:
                name = replace(name, undecided_in=mention.article_id)
            elif state is not None:
                name = replace(
                    name,
                    article_state=state,
                    organisation=replace(
                        organisation, form=f"{state} {organisation.form}", qualifier=state
                    ),
                )
        read.append(name)
    return read


def _state_of(found: set[str], printed: dict[str, set[str]], article: str) -> str | None:
    """The one state of ``found`` (the article's) that the body is: the only one, else the only
    one its article, then the corpus, prints it with (``printed``, by article); else None."""
    if len(found) == 1:
        return next(iter(found))
    for candidates in (printed.get(article, set()), set().union(*printed.values())):
        among = candidates & found
        if len(among) == 1:
            return next(iter(among))
    return None
