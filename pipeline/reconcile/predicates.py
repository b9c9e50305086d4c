"""Read a statement's act from its verb, when the claims vocabulary names none.

The claims vocabulary (``claims.v1.toml``) knows a few predicates by hand; news uses thousands of
verbs. ``predicates.v1.json`` (generated from WordNet by ``scripts/predicates_from_wordnet.py``)
gives each English verb its PLOVER type where the codebook's glosses reach it, its most frequent
WordNet senses and their hypernyms, and whether it ends or reverses an act ('lift', 'scrap').

Two verbs state one act when they are the same verb, share a PLOVER type, share a sense
('closed' / 'shut'), or one sense is a direct kind of the other ('slashed' is a way to 'cut').
A verb that names no act of its own ('slapped', 'staged', 'raised') lends its act to its object
when the object is itself an act ('slapped tariffs', 'staged drills'): a support verb. A verb
of no act that takes an -ing form ('began releasing', 'stopped supplying') lends its act to
that form, and its ending of it. A support
verb that ends or reverses an act ('lifted its ban') never states that act. A participle after
the object ('producing uranium enriched to 60%') states an act of its own on it, which may agree
with the other statement's ('enriched uranium to 60%').
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import ReconcileError
from pipeline.reconcile.knowledge import KNOWLEDGE_DIR

PREDICATES_FILE = KNOWLEDGE_DIR / "predicates.v3.json"
# WordNet's morphy rules for verbs: ending -> replacement.
_DETACH = (("ies", "y"), ("es", "e"), ("es", ""), ("s", ""), ("ed", "e"), ("ed", ""),
           ("ing", "e"), ("ing", ""))  # fmt: skip


@dataclass(frozen=True)
class Verb:
    """One verb of the lexicon, by its lemma."""

    lemma: str
    plover: str | None
    senses: frozenset[str]
    hypernyms: frozenset[str]
    undo: bool
    saying: bool  # a verb of saying ('said', 'told'): the act is in the clause it reports
    gerund: bool = False  # takes a verb's -ing form ('began releasing'): WordNet's frame 33


@dataclass(frozen=True)
class Act:
    """What a statement's predicate does: its verb, and for a support verb ('slapped',
    'raised'), the head of its object when that is an act too ('tariffs', 'ban')."""

    verb: Verb
    head: Verb | None
    undo: bool  # a support verb that ends or reverses its object: 'lifted its ban'
    printed: str  # the words it was read from, for evidence: 'slapped tariffs'
    relative: Verb | None = None  # a participle after the object: 'uranium enriched to 60%'

    @property
    def core(self) -> Verb:
        """The act itself: a support verb's object ('slapped tariffs' is 'tariff'), else the
        verb."""
        return self.head if self.head is not None and self.verb.plover is None else self.verb


class PredicateLexicon:
    """Verb forms -> verbs, from the generated file."""

    def __init__(self, path: Path = PREDICATES_FILE) -> None:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            self.forms: dict[str, str] = document["forms"]
            self.verbs = {
                lemma: Verb(
                    lemma=lemma,
                    plover=entry.get("type"),
                    senses=frozenset(entry["senses"]),
                    hypernyms=frozenset(entry["hypernyms"]),
                    undo=bool(entry.get("undo", False)),
                    saying=bool(entry.get("saying", False)),
                    gerund=bool(entry.get("gerund", False)),
                )
                for lemma, entry in document["verbs"].items()
            }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ReconcileError(f"not a valid predicate lexicon: {exc}", path=path) from exc

    def verb(self, token: str) -> Verb | None:
        """The verb a form is of: listed forms first, then WordNet's own detachment rules
        ('tariffs' -> 'tariff': lemminflect has no table for a verb it does not know)."""
        found = self.verbs.get(self.forms.get(token, token))
        if found is not None:
            return found
        for ending, replacement in _DETACH:
            if token.endswith(ending) and len(token) > len(ending) + 2:
                found = self.verbs.get(token[: -len(ending)] + replacement)
                if found is not None:
                    return found
        return None


@cache
def default_lexicon() -> PredicateLexicon:
    return PredicateLexicon()


def acts_agree(left: Act, right: Act) -> str | None:
    """Why two acts are one (for the merge's evidence), or None: their verbs agree, or both are
    support verbs whose objects agree ('raised tariffs', 'set tariffs')."""
    if left.undo != right.undo:
        return None
    found = verbs_agree(left.verb, right.verb)
    if found is None and (left.core is not left.verb or right.core is not right.verb):
        found = verbs_agree(left.core, right.core)  # 'imposed a ban' / 'banned'
    if found is None:  # 'producing uranium enriched to 60%' / 'enriched uranium to 60%'
        pairs = [(left.relative, right.core), (left.core, right.relative),
                 (left.relative, right.relative)]  # fmt: skip
        found = next(
            (f"{why}, said of the object" for a, b in pairs if a is not None and b is not None
             and (why := verbs_agree(a, b)) is not None),
            None,
        )  # fmt: skip
    return found



def verbs_agree(a: Verb, b: Verb) -> str | None:
    """Why two verbs state one act, or None."""
    if a.lemma == b.lemma:
        return f"the same verb '{a.lemma}'"
    if a.plover is not None and a.plover == b.plover:
        return f"'{a.lemma}' and '{b.lemma}' are both PLOVER {a.plover}"
    if a.senses & b.senses:
        return f"'{a.lemma}' and '{b.lemma}' share a WordNet sense"
    if a.senses & b.hypernyms or b.senses & a.hypernyms:
        return f"'{a.lemma}' and '{b.lemma}': one is a kind of the other (WordNet)"
    return None
