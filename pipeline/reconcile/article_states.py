"""A state body printed without its state belongs to the one state its article names.

'Foreign Ministry' in a story that names China and no other state is China's foreign ministry,
and in a story that names only Russia, Russia's: the two never join on their shared name, as
'Chinese Foreign Ministry' and 'Russian Foreign Ministry' do not. Where the article names no
state, the body stays unqualified, as printed; where it names several, the body is one of
those states' ('kazakhstan or russia'), so it never joins a body of another state, nor one of
a story naming other states (two stories' 'Foreign Ministry' of Kazakhstan beside Russia and of
Kyrgyzstan beside Tajikistan), as it did when read as printed.
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
    """``names`` with each unqualified state body read as its article's state's: the one state
    it names, or of several the one whose body of that name the article prints with its state
    ('Estonian Defence Ministry' beside 'Defence Ministry' in a story of the three Baltic
    states), else the one the corpus prints it for; else one of its states, undecided."""
    states: dict[str, set[str]] = {}
    qualified: dict[str, dict[str, set[str]]] = {}  # bare form -> article -> states
    for mention, name in zip(mentions, names, strict=True):
        if name.entity is not None and name.entity.kind is ActorKind.COUNTRY:
            states.setdefault(mention.article_id, set()).add(name.entity.key)
        organisation = name.organisation
        if organisation is not None and organisation.qualifier is not None:
            by_article = qualified.setdefault(organisation.bare, {})
            by_article.setdefault(mention.article_id, set()).add(organisation.qualifier)
    corpus_states = {
        bare: set().union(*by_article.values()) for bare, by_article in qualified.items()
    }
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
            state = _state_of(
                found,
                qualified.get(organisation.bare, {}).get(mention.article_id, set()),
                corpus_states.get(organisation.bare, set()),
            )
            name = replace(
                name,
                article_state=state,
                organisation=replace(
                    organisation, form=f"{state} {organisation.form}", qualifier=state
                ),
            )
        read.append(name)
    return read


def _state_of(found: set[str], in_article: set[str], in_corpus: set[str]) -> str:
    """The state (or 'a or b', undecided) of a body its article prints without one, ``found``
    the article's states, ``in_article`` and ``in_corpus`` the states its article and the
    corpus print that body with (the corpus's gathered once: per mention it grew with the
    corpus)."""
    if len(found) == 1:
        return next(iter(found))
    for candidates in (in_article, in_corpus):
        among = candidates & found
        if len(among) == 1:
            return next(iter(among))
    return " or ".join(sorted(found))
