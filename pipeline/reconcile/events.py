"""Compare claims by their events: one proposition is one act of one party on another.

The model coded each claim as an event (source, target, PLOVER type and mode, theme, quantity,
polarity, modality, when); grounding kept only the parts the article prints. Two events state one
proposition when their reconciled source and target actors (a target one leaves out does not
conflict), type and mode (a mode one leaves out does not conflict), polarity and stance agree,
their themes agree (the same head word, or most content words shared), their quantities are equal
when both give a number, and their dates do not conflict. A compound meets its head ("wastewater" /
"water"; its first part must be a WordNet noun). Head words that WordNet makes kin ("oil output" /
"crude production", ``themes``) agree when the words around them agree too, and so do heads a
few hypernym steps apart beside a shared word ("electric cars" / "electric vehicles"). A theme
that is only the noun of the act ("imposed sanctions on") meets an event without a theme whose
statement prints that act as a verb ("sanctioned"): WordNet derives the one from the other.
Nouns of restricting ("export controls on", "curbs on") carry no content of a theme, and a theme
that only names its type's own act as the codebook defines it ("held talks": CONSULT is to hold
talks) is none. Talks are an act of both parties, coded from either side unless both events give
them a direction (a visit), and an organ acts for the whole it is part of (the European
Commission for the EU, by the knowledge file).
Every verdict says which part agreed or which one did not, so that a merge explains itself.

Stance: "asserted" and "reported" are both the proposition stated (who states it is kept in the
cluster's assertions); "hedged" is a possibility and never merges with a statement of fact.

This module judges pairs and proposes a blocking key; the claim clusterer
(``pipeline.reconcile.claims``) decides the clusters.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pydantic

from pipeline.errors import ReconcileError
from pipeline.extract.versions import load_codebook
from pipeline.reconcile.knowledge import default_knowledge_index
from pipeline.reconcile.predicates import PredicateLexicon, default_lexicon
from pipeline.reconcile.speakers import ActorLookup
from pipeline.reconcile.text import fold, lookup_key, words
from pipeline.reconcile.themes import NounKin, distant_kind, kin_of, kinship
from schemas.clusters import ActorCluster, Evidence
from schemas.events import EventVocabulary, Modality, Polarity
from schemas.mentions import ClaimMention
from schemas.records import ClaimEvent

EVENTS_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "events.v7.toml"
# Generated from WordNet by scripts/theme_synonyms_from_wordnet.py; never edited by hand.
SYNONYMS_FILE = EVENTS_FILE.with_name("theme_synonyms.v1.json")
# Every one-word WordNet noun, from the same script: a compound's first part must be one.
NOUNS_FILE = EVENTS_FILE.with_name("theme_nouns.v1.json")
# A compound's parts are words of at least this many letters ('wastewater' = 'waste' + 'water').
MIN_COMPOUND_PART = 3
# Themes with different head words agree only when most of their words are shared (Jaccard):
# "drone factory" is not "combat drones".
MIN_THEME_OVERLAP = 0.5
# Deeds of neighbouring types join only on themes that name one thing: the same head word or
# WordNet synonyms (scores of ``_theme_agreement``), neither overlap nor kin alone.
MIN_NEIGHBOUR_THEME = 0.85
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")  # a year printed: 1800-2099
_SUFFIXES = ("ies", "es", "s")
_NO_THEME = "(no theme)"
# A statement that opens with two capitalised names joined by 'and' ('The US and China agreed').
_NAME = r"[A-Z][\w'.+-]*(?:\s+(?:of\s+)?[A-Z][\w'.+-]*)*"
_JOINT_SUBJECT = re.compile(rf"(?:The\s+)?({_NAME})\s+and\s+(?:the\s+)?({_NAME})\s+[a-z]")


@cache
def load_event_vocabulary(path: Path = EVENTS_FILE) -> EventVocabulary:
    try:
        return EventVocabulary.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, pydantic.ValidationError) as exc:
        raise ReconcileError(f"not a valid event vocabulary: {exc}", path=path) from exc


@cache
def load_theme_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, frozenset[int]]:
    """Each noun (hyphens dropped: 'cease-fire' is 'ceasefire') -> the synonym groups it is in."""
    try:
        groups = json.loads(path.read_text(encoding="utf-8"))["groups"]
    except (OSError, ValueError, KeyError) as exc:
        raise ReconcileError(f"not a valid synonym file: {exc}", path=path) from exc
    senses: dict[str, set[int]] = {}
    for number, group in enumerate(groups):
        for word in group:
            senses.setdefault(word.replace("-", ""), set()).add(number)
    return {word: frozenset(found) for word, found in senses.items()}


@cache
def load_theme_nouns(path: Path = NOUNS_FILE) -> frozenset[str]:
    try:
        return frozenset(json.loads(path.read_text(encoding="utf-8"))["nouns"])
    except (OSError, ValueError, KeyError) as exc:
        raise ReconcileError(f"not a valid noun list: {exc}", path=path) from exc


def compound_of(longer: str, head: str, nouns: frozenset[str]) -> bool:
    """'wastewater' is a compound of 'water' (English compounds are headed on the right): the
    longer word ends with the head and what is left before it is a noun of its own."""
    first = longer[: -len(head)] if longer.endswith(head) else ""
    return (
        len(head) >= MIN_COMPOUND_PART and len(first) >= MIN_COMPOUND_PART and first in nouns
    )


@dataclass(frozen=True)
class EventView:
    """An event ready to compare: parties as knowledge keys or reconciled actor ids, theme as
    content words."""

    source: str | None
    target: str | None
    source_name: str | None
    target_name: str | None
    event_type: str
    mode: str | None
    polarity: Polarity
    hedged: bool
    theme: str | None
    theme_words: frozenset[str]
    theme_head: str | None
    head_senses: frozenset[int]  # synonym groups of the head word
    quantity: tuple[float, str | None] | None
    years: frozenset[int]
    months: frozenset[str]
    # Each content word of the theme with its WordNet kin (``themes``).
    kin: tuple[tuple[str, NounKin], ...] = ()
    # Without a theme: the verbs its statement prints in a past or -ing form, with their WordNet
    # senses ('sanctioned'), which a theme of the other's may name ('sanctions').
    acts: tuple[tuple[str, frozenset[int]], ...] = ()
    # The two parties when the statement opens with them joined by 'and' ("Iran and Saudi Arabia
    # agreed"): an act of both, which a model may code from either side.
    joint: frozenset[str] | None = None
    # Both parties of an act of a mutual type (talks: ``mutual_types``), coded from either side.
    mutual: frozenset[str] | None = None
    directed: bool = False  # a mode of a mutual type that gives it a direction (a visit)
    deed: bool = False  # a type of deeds or kin of one (``deed_types``, ``deed_kin_types``)
    side: str | None = None  # PLOVER's side of its type: 'cooperation', 'conflict' or none
    # The whole the source is an organ of, by the knowledge file ('european-commission': the EU).
    source_whole: str | None = None
    # The restricting word its statement prints ('curbed', 'controls'), if any.
    restricting: str | None = None

    @property
    def block_key(self) -> tuple[str | None, str]:
        """Pairs worth judging share source and type (any type of deeds: ``compare_events``);
        the target is left out because one side
        may name none, and polarity so that a denial meets the claim it answers. An act of two
        parties is blocked by the first of the two, whichever the model coded as its source."""
        deed = "deed" if self.deed else self.event_type  # deeds of neighbouring types meet
        if self.joint is not None:
            return (min(self.joint), deed)
        if self.mutual is not None:
            return (min(self.mutual), deed)
        return (self.source_whole or self.source, deed)  # an organ meets its whole


def singular(word: str) -> str:
    """'drones' -> 'drone', 'supplies' -> 'supply': themes compare by their nouns' singular."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("sses", "shes", "ches", "xes"):
        if word.endswith(suffix):
            return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


class EventReader:
    """Reads claim mentions' events against the reconciled actors."""

    def __init__(
        self, actors: Sequence[ActorCluster] = (), *, vocabulary: EventVocabulary | None = None,
        lookup: ActorLookup | None = None,
    ) -> None:
        """``lookup``: ``actors``' ``ActorLookup``, when the caller has one already."""
        self.vocabulary = vocabulary or load_event_vocabulary()
        self.lookup = lookup if lookup is not None else ActorLookup(actors)
        self._fillers = frozenset(self.vocabulary.theme_fillers) | frozenset(
            self.vocabulary.theme_restrictions
        )
        self._mutual = frozenset(self.vocabulary.mutual_types)
        self._restrictions = frozenset(self.vocabulary.theme_restrictions)
        # The verbs WordNet derives from them ('curb' -> to curb, 'restriction' -> to restrict).
        self._restricting = frozenset(
            sense for noun in self._restrictions for sense in kin_of(noun, singular(noun)).verbs
        )
        self._directed = frozenset(self.vocabulary.directed_modes)
        self._units = {
            fold(variant): unit
            for unit, variants in self.vocabulary.units.items()
            for variant in (unit, *variants)
        }
        self._months = frozenset(self.vocabulary.months)
        self._deeds = frozenset(self.vocabulary.deed_types) | frozenset(
            self.vocabulary.deed_kin_types
        )
        self._prepositions = frozenset(self.vocabulary.theme_prepositions)
        sides = {"cooperation": self.vocabulary.cooperation_types,
                 "conflict": self.vocabulary.conflict_types}  # fmt: skip
        self._sides = {kind: side for side, kinds in sides.items() for kind in kinds}
        self._synonyms = load_theme_synonyms()
        self._lexicon = default_lexicon()
        # Each type's own act, as its codebook definition names it before the colon ('hold
        # talks'): a theme of only those words is the act, not what it is done with.
        self._act_words = {
            name: frozenset(singular(w) for w in words(entry.definition.partition(":")[0]))
            for name, entry in load_codebook().types.items()
        }

    def read(self, mention: ClaimMention) -> EventView | None:
        event = mention.event
        if event is None:
            return None
        source, source_name = self._party(mention, event.source, event.source_id)
        target, target_name = self._party(mention, event.target, event.target_id)
        theme = event.theme.text if event.theme else None
        printed = [w for w in words(theme or "") if w not in self._fillers]
        content = [singular(w) for w in printed]
        if content and set(content) <= self._act_words.get(event.event_type, frozenset()):
            printed, content = [], []  # 'held talks' (CONSULT: hold talks) names no theme
        kin = tuple((c, kin_of(p, c)) for p, c in zip(printed, content, strict=True))
        # English noun phrases are headed on the right, before what a preposition adds.
        head = (self._phrase_head(words(theme or "")) or content[-1]) if content else None
        when = fold(event.when.text) if event.when else ""
        return EventView(
            source=source,
            target=target,
            source_name=source_name,
            target_name=target_name,
            event_type=event.event_type,
            mode=event.mode,
            polarity=event.polarity,
            hedged=event.modality is Modality.HEDGED,
            theme=theme,
            theme_words=frozenset(content),
            theme_head=head,
            head_senses=self._synonyms.get(head, frozenset()) if head else frozenset(),
            kin=kin,
            acts=() if content else _acts(self._lexicon, words(mention.statement)),
            quantity=self._quantity(event),
            joint=self._joint(mention, source, target),
            mutual=self._both(event.event_type, source, target),
            directed=event.mode in self._directed,
            deed=event.event_type in self._deeds,
            side=self._sides.get(event.event_type),
            source_whole=self._whole(source),
            restricting=self._restricting_word(words(mention.statement)),
            years=frozenset(int(y) for y in YEAR.findall(when)),
            months=frozenset(w for w in words(when) if w in self._months),
        )

    def _joint(
        self, mention: ClaimMention, source: str | None, target: str | None
    ) -> frozenset[str] | None:
        """Source and target, when the statement opens with the two joined by 'and' ('Kyiv and
        Moscow exchanged prisoners'): each name resolved as the event's parties are."""
        found = _JOINT_SUBJECT.match(mention.statement)
        if found is None or source is None or target is None or source == target:
            return None
        parties = {self._party(mention, name, None)[0] for name in found.groups()}
        return frozenset((source, target)) if parties == {source, target} else None

    def _phrase_head(self, tokens: tuple[str, ...]) -> str | None:
        """The content word before a theme's first preposition ('ban' of 'ban on imports'),
        when one comes before it."""
        head = None
        for token in tokens:
            if token in self._prepositions and head is not None:
                return singular(head)
            if token not in self._fillers:
                head = token
        return None

    def _both(self, event_type: str, source: str | None, target: str | None
              ) -> frozenset[str] | None:  # fmt: skip
        """Both parties of an act of a mutual type (talks), in no order."""
        if event_type not in self._mutual or source is None or target is None or source == target:
            return None
        return frozenset((source, target))

    def _restricting_word(self, tokens: tuple[str, ...]) -> str | None:
        """A noun of restricting, or a verb WordNet derives from one, that the statement prints."""
        for token in tokens:
            if token in self._restrictions:
                return token
            verb = self._lexicon.verb(token)
            if verb is not None and not self._restricting.isdisjoint(int(s) for s in verb.senses):
                return token
        return None

    @staticmethod
    def _whole(key: str | None) -> str | None:
        known = default_knowledge_index().by_key.get(key) if key is not None else None
        return known.part_of if known is not None else None

    def _party(
        self, mention: ClaimMention, name: str | None, local_id: str | None
    ) -> tuple[str | None, str | None]:
        if name is None:
            return None, None
        actor = self.lookup.find(mention.article_id, name, local_id)
        if actor is not None:
            # Two actors the knowledge file knows as one entity are one party, even where
            # reconciliation kept their mentions apart ('Tehran' printed as an organisation).
            return actor.entity_key or actor.actor_id, actor.name
        known = default_knowledge_index().by_name.get(lookup_key(name))
        if known is not None:  # a name the article does not list: 'Tehran' is Iran
            return known.entity.key, known.entity.name
        return "name:" + " ".join(words(name)), name

    def _quantity(self, event: ClaimEvent) -> tuple[float, str | None] | None:
        quantity = event.quantity
        if quantity is None or quantity.value is None:
            return None  # "hundreds" gives no number to compare
        if not quantity.unit:
            return quantity.value, None
        # '1.5 billion USD' is 1.5e9 USD, as another outlet may have written it.
        value, kept = quantity.value, list[str]()
        for word in fold(quantity.unit).split():
            if word in ("a", "an") and kept:  # 'barrels a day' is 'barrels per day'
                word = "per"
            if word in self.vocabulary.scales:
                value *= self.vocabulary.scales[word]
            else:
                kept.append(word)
        if not kept:
            return value, None
        rest = " ".join(kept)
        if rest in self._units:
            return value, self._units[rest]
        return value, " ".join(self._units.get(word, singular(word)) for word in kept)


def _acts(
    lexicon: PredicateLexicon, tokens: tuple[str, ...]
) -> tuple[tuple[str, frozenset[int]], ...]:
    """The verbs printed in a form of their own ('sanctioned', 'struck', 'shelling'; not
    'sanctions', which a noun's plural spells too), but no verb of saying ('said')."""
    found = []
    for token in dict.fromkeys(tokens):
        verb = lexicon.verb(token)
        if verb is not None and not verb.saying and verb.lemma != token and not token.endswith("s"):
            found.append((token, frozenset(int(sense) for sense in verb.senses)))
    return tuple(found)


@dataclass(frozen=True)
class Verdict:
    """Whether two events state one proposition, and the parts that decided it."""

    same: bool
    evidence: tuple[Evidence, ...]
    score: float = 0.0

    @property
    def reason(self) -> str:
        return "; ".join(f"{e.what}: {e.detail}" for e in self.evidence)


def _disagree(what: str, detail: str) -> Verdict:
    return Verdict(False, (Evidence(what=what, detail=detail),))


def compare_events(
    left: EventView, right: EventView, *, ignore_polarity: bool = False, one_act: str | None = None
) -> Verdict:
    """One proposition, or the first part that differs. ``ignore_polarity`` finds the claim a
    denial answers. ``one_act``, when given, says why the two statements print one act (the
    statement readers' predicates or verbs agree): then two types of deeds may differ, as models
    code one export curb as SANCTION or COERCE and one launch as ASSAULT or MOBILIZE, if their
    themes name one thing (the same head word or WordNet synonyms) and every other part agrees.
    Without ``one_act``, a word of restricting both statements print ('curbed' / 'curbs on')
    or a quantity both state (``_one_quantity``) is that witness. A deed meets
    the types a rendering of it may be coded with too (a commitment to it, a concession, an act
    of no type: ``deed_kin_types``), never another type of words (a threat, a demand), a type of
    PLOVER's other side (cooperation / conflict), nor a mode of its own type another mode."""
    joint = left.joint is not None and left.joint == right.joint
    # Talks are of both parties: coded from either side they are one act, unless both give it a
    # direction (a visit by one to the other).
    mutual = (
        not joint and left.mutual is not None and left.mutual == right.mutual
        and left.event_type == right.event_type and not (left.directed and right.directed)
    )  # fmt: skip
    if joint or mutual:  # both print one act of the two: who is coded as its source does not matter
        right = dataclasses.replace(right, source=left.source, target=left.target,
                                    source_name=left.source_name, target_name=left.target_name)
    if (left.source, left.target) == (right.target, right.source) and left.source != left.target:
        return _disagree("direction", f"reversed: {_who(left)} vs {_who(right)}")
    # An organ acts for its whole: 'Brussels' (the EU) fined what the European Commission fined.
    organ = left.source != right.source and None not in (left.source, right.source) and (
        left.source_whole == right.source or right.source_whole == left.source
    )
    if left.source != right.source and not organ:
        return _disagree("source", f"{left.source_name or '-'} vs {right.source_name or '-'}")
    # A target one side leaves out does not conflict: 'Israel agreed to a ceasefire' is the
    # ceasefire 'with Hamas'; two targets named differ.
    if left.target != right.target and left.target is not None and right.target is not None:
        return _disagree("target", f"{left.target_name or '-'} vs {right.target_name or '-'}")
    # A mode one side leaves out does not conflict: 'attacked' is ASSAULT, 'attacked with
    # drones' ASSAULT/drone.
    neighbours = left.event_type != right.event_type
    if neighbours and one_act is None and left.restricting and right.restricting:
        # 'curbed exports' / 'tightened curbs on exports' (COERCE / SANCTION): one restricting
        one_act = f"both print a restriction ('{left.restricting}', '{right.restricting}')"
    # One number stated by both is evidence enough that the themes name one thing, if they agree
    # at all ('oil production' / 'output', kin in WordNet, cut 'by 2 million barrels per day').
    # So it is beside a statement witness too: two witnesses are no weaker than one.
    quantity = _one_quantity(left, right) if neighbours else None
    counted = quantity is not None
    one_act = one_act or quantity
    # A type of cooperation and one of conflict are never one act, however alike the rest.
    sides_apart = None not in (left.side, right.side) and left.side != right.side
    if (neighbours and (sides_apart or not (left.deed and right.deed and one_act is not None))) or (
        not neighbours and left.mode is not None and right.mode is not None
        and left.mode != right.mode
    ):  # fmt: skip
        return _disagree("event", f"{_act(left)} vs {_act(right)}")
    if not ignore_polarity and left.polarity is not right.polarity:
        return _disagree("polarity", f"{left.polarity.value} vs {right.polarity.value}")
    if left.hedged != right.hedged:
        return _disagree("modality", "one is hedged, the other stated")
    theme = _theme_agreement(left, right) or (_counted_theme(left, right) if counted else None)
    if theme is None and _one_quantity(left, right) is not None:
        theme = _kin_words(left, right)
    if theme is None or (neighbours and not counted and theme[0] < MIN_NEIGHBOUR_THEME):
        return _disagree("theme", f"{left.theme!r} vs {right.theme!r}")
    if left.quantity is not None and right.quantity is not None and _quantities_differ(left, right):
        return _disagree("quantity", f"{_number(left.quantity)} vs {_number(right.quantity)}")
    if left.years and right.years and not left.years & right.years:
        return _disagree("when", f"years {sorted(left.years)} vs {sorted(right.years)}")
    if left.months and right.months and not left.months & right.months:
        return _disagree("when", f"{sorted(left.months)} vs {sorted(right.months)}")
    evidence = [
        Evidence(what="source", detail=f"{left.source_name} and {left.target_name}, printed so "
                                       "in both: an act of the two") if joint else
        Evidence(what="source", detail=f"{left.source_name} and {left.target_name}: "
                                       f"{left.event_type} is an act of both, coded from either "
                                       "side") if mutual else
        Evidence(what="source", detail=f"{left.source_name} and {right.source_name}: one is an "
                                       "organ of the other (knowledge file)") if organ else
        Evidence(what="source", detail=left.source_name or "none named"),
        Evidence(what="target", detail=left.target_name or right.target_name or "none named"
                 if left.target == right.target
                 else f"{left.target_name or right.target_name}, the other names none"),
        Evidence(what="event", detail=f"{_act(left)} and {_act(right)}, deeds of one act: "
                 f"{one_act}" if neighbours else f"both {_act(left)}" if left.mode == right.mode
                 else f"{_act(left)} and {_act(right)}: one names no mode"),
        Evidence(what="polarity", detail=f"both {left.polarity.value}"),
        Evidence(what="modality", detail="both hedged" if left.hedged else "both stated"),
        Evidence(what="theme", detail=theme[1]),
    ]
    if left.quantity is not None and right.quantity is not None:
        evidence.append(Evidence(what="quantity", detail=f"both {_number(left.quantity)}"))
    if (left.years or left.months) and (right.years or right.months):
        evidence.append(Evidence(what="when", detail="no conflicting dates"))
    return Verdict(True, tuple(evidence), score=theme[0])


def _one_quantity(left: EventView, right: EventView) -> str | None:
    """Why two events of neighbouring types state one act when their statements' words do not
    say so: both state the same quantity ('by 2 million barrels per day', '230 prisoners'), a
    number two renderings of different acts seldom share. Only a number counts, as quantities
    are compared; every other part must still agree."""
    if left.quantity is None or right.quantity is None or _quantities_differ(left, right):
        return None
    return f"both state {_number(left.quantity)}"


def _kin_words(left: EventView, right: EventView) -> tuple[float, str] | None:
    """Beside one quantity both state, themes agree on two different words WordNet makes kin, one
    of them a head ('oil production' / 'output target', cut by 2 million barrels per day): the
    number says they count one thing, the kin words that they name it. A word both print is no
    such evidence ('Russian oil' / 'Russian gas')."""
    for lw, lk in left.kin:
        for rw, rk in right.kin:
            if lw == rw or (lw != left.theme_head and rw != right.theme_head):
                continue
            how = kinship(lk, rk)
            if how is not None:
                return 0.7, f"'{lw}' and '{rw}': {how} (WordNet), beside one quantity"
    return None


def _counted_theme(left: EventView, right: EventView) -> tuple[float, str] | None:
    """Themes that both print what the quantity they share counts ('prisoners of war' /
    'prisoner exchange', 230 prisoners): they name the things counted."""
    unit = left.quantity[1] if left.quantity is not None else None
    if unit is None or unit not in left.theme_words or unit not in right.theme_words:
        return None
    return 0.7, f"both print '{unit}', what the quantity both state counts"


def _quantities_differ(left: EventView, right: EventView) -> bool:
    if left.quantity is None or right.quantity is None:
        return False
    (lv, lu), (rv, ru) = left.quantity, right.quantity
    # Units agree when one's words are among the other's: '% purity' is a '%'.
    units_differ = bool(lu and ru and not (
        set(lu.split()) <= set(ru.split()) or set(ru.split()) <= set(lu.split())
    ))
    return not math.isclose(lv, rv, rel_tol=1e-9) or units_differ


def _theme_agreement(left: EventView, right: EventView) -> tuple[float, str] | None:
    """(score, why) when the themes agree: both absent, the same head word, synonyms, a
    compound of the other's head ('treated wastewater' / 'treated water'), or overlap."""
    if not left.theme_words and not right.theme_words:
        return 0.8, "neither names a theme"
    if not left.theme_words or not right.theme_words:
        return _theme_naming_the_act(*((left, right) if left.theme_words else (right, left)))
    shared = left.theme_words & right.theme_words
    run_together = _run_together(left, right) or _run_together(right, left)
    if run_together is not None:
        return 0.9, run_together
    if left.theme_head == right.theme_head:
        return 0.9 + 0.1 * len(shared) / len(left.theme_words | right.theme_words), (
            f"same head word '{left.theme_head}' ({left.theme!r}, {right.theme!r})"
        )
    if left.head_senses & right.head_senses:
        return 0.85, f"synonyms '{left.theme_head}' and '{right.theme_head}' (WordNet)"
    if left.theme_head and right.theme_head:
        nouns = load_theme_nouns()
        for longer, head in ((left.theme_head, right.theme_head),
                             (right.theme_head, left.theme_head)):  # fmt: skip
            if compound_of(longer, head, nouns):
                return 0.8, f"'{longer}' is a compound of '{head}' (WordNet nouns)"
    if len(shared) / len(left.theme_words | right.theme_words) >= MIN_THEME_OVERLAP:
        return 0.7, f"shared words: {', '.join(sorted(shared))}"
    return _kin_heads(left, right)


def _joined_head(view: EventView) -> str | None:
    """The head and the word before it written as one ('cyber attacks': 'cyberattack')."""
    printed = [word for word, _ in view.kin]
    if len(printed) < 2 or printed[-1] != view.theme_head:
        return None
    return printed[-2] + printed[-1]


def _run_together(split: EventView, whole: EventView) -> str | None:
    """Why one theme's head is the other's last two words run together ('cyberattacks' /
    'cyber attacks', 'cyber-attacks'), or None."""
    joined = _joined_head(split)
    if joined is None or joined != whole.theme_head:
        return None
    return f"'{whole.theme_head}' is '{split.theme}' written as one word"


def _theme_naming_the_act(themed: EventView, bare: EventView) -> tuple[float, str] | None:
    """A theme that is only the noun of the act the other's statement prints as a verb ('imposed
    sanctions on' / 'sanctioned'; WordNet derives the one from the other) is no theme of its own."""
    head = themed.theme_head
    if head is None or themed.theme_words != {head}:
        return None
    verbs = dict(themed.kin)[head].verbs
    printed = next((token for token, senses in bare.acts if senses & verbs), None)
    if printed is None:
        return None
    return 0.8, f"{themed.theme!r} names the act the other prints as '{printed}' (WordNet)"


def _kin_heads(left: EventView, right: EventView) -> tuple[float, str] | None:
    """Head words WordNet makes kin ('output' / 'production'), when the words around them, if
    both themes have some, share one or are kin too ('oil' / 'crude'): 'treated wastewater' is
    no 'industrial waste', though wastewater is a kind of waste."""
    lh, rh = left.theme_head, right.theme_head
    if lh is None or rh is None:
        return None
    left_kin, right_kin = dict(left.kin)[lh], dict(right.kin)[rh]
    how = kinship(left_kin, right_kin)
    around_left = [(w, k) for w, k in left.kin if w != lh]
    around_right = [(w, k) for w, k in right.kin if w != rh]
    if how is None:
        return _distant_heads(lh, rh, left_kin, right_kin, {w for w, _ in around_left},
                              {w for w, _ in around_right})  # fmt: skip
    if around_left and around_right and not any(
        lw == rw or kinship(lk, rk) is not None
        for lw, lk in around_left
        for rw, rk in around_right
    ):
        return None
    return 0.75, f"'{lh}' and '{rh}': {how} (WordNet)"


def _distant_heads(
    lh: str, rh: str, lk: NounKin, rk: NounKin, around_left: set[str], around_right: set[str]
) -> tuple[float, str] | None:
    """Head words one of which is a kind of the other further up ('electric cars' / 'electric
    vehicles'), when both themes print a word around them and share one: a kind that far is no
    evidence alone ('vehicles' are tanks and bicycles too). The shared word also blocks them."""
    how = distant_kind(lk, rk)
    shared = around_left & around_right
    if how is None or not shared:
        return None
    return 0.72, f"'{lh}' and '{rh}': {how} (WordNet), both {', '.join(sorted(shared))}"


def _who(view: EventView) -> str:
    return f"{view.source_name or '-'} -> {view.target_name or '-'}"


def _act(view: EventView) -> str:
    return view.event_type + (f"/{view.mode}" if view.mode else "")


def _number(quantity: tuple[float, str | None]) -> str:
    value, unit = quantity
    shown = f"{value:g}"
    return f"{shown} {unit}" if unit else shown


def theme_features(view: EventView) -> frozenset[str]:
    """What two events of a block must share to be compared: a theme word (or both none, or
    one none and the other's the noun of a verb), a WordNet sense or kin of a head word, the
    head a compound ends in ('airstrike': 'strike'), or the number of its quantity (beside which
    any kin words agree: ``_kin_words``)."""
    counted = (f"quantity:{view.quantity[0]:g}",) if view.quantity is not None else ()
    return _theme_features(view).union(counted)


def _theme_features(view: EventView) -> frozenset[str]:
    if not view.theme_words:
        return frozenset({_NO_THEME})
    head = view.theme_head
    if head is None:
        return view.theme_words
    nouns = load_theme_nouns()
    ends = range(MIN_COMPOUND_PART, len(head))
    compounded = (head[k:] for k in ends if compound_of(head, head[k:], nouns))
    kin = dict(view.kin)[head]
    # A theme of a head alone may name the act a theme-less event prints as its verb.
    bare = (_NO_THEME,) if view.theme_words == {head} and kin.verbs else ()
    joined = _joined_head(view)  # meets the theme that writes it as one word
    return view.theme_words.union(kin.features(), compounded, bare, (joined,) if joined else ())


Place = tuple[str, int]  # (article_id, where the evidence starts; -1 when unknown)


def answered_denials(
    clusters: Sequence[Sequence[EventView | None]], places: Sequence[Sequence[Place]]
) -> dict[int, int]:
    """For each cluster of denials, the cluster of the claim it answers (index to index).

    The answered claim is an affirmed event that agrees on every part but polarity (a denial that
    names no theme, "denied the allegations", takes the claim's). Among those, the claim its own
    article states last before the denial comes first, as a reader takes it; then the claim its
    articles print most, then the most printed.
    """
    answered: dict[int, int] = {}
    for n, views in enumerate(clusters):
        denial = views[0] if views else None
        if denial is None or denial.polarity is not Polarity.DENIED:
            continue
        candidates = []
        for m, others in enumerate(clusters):
            other = others[0] if others else None
            if other is None or other.polarity is not Polarity.AFFIRMED:
                continue
            verdict = compare_events(
                denial if denial.theme_words else with_theme(denial, other),
                other,
                ignore_polarity=True,
            )
            if verdict.same:
                before = max(
                    (start for article, start in places[m] for a, at in places[n]
                     if article == a and start <= at),
                    default=-1,
                )  # fmt: skip
                shared = len({a for a, _ in places[n]} & {a for a, _ in places[m]})
                candidates.append((before, shared, len(others), -m, m))
        if candidates:
            answered[n] = max(candidates)[-1]
    return answered


def with_theme(view: EventView, other: EventView) -> EventView:
    """``view`` with the theme of ``other``: a denial without a theme ('denied the allegations')
    denies whatever the claim supplied, and a theme one coding left out is the other's if the
    statements agree (``claims``)."""
    return dataclasses.replace(view, theme=other.theme, theme_words=other.theme_words,
                               theme_head=other.theme_head, head_senses=other.head_senses,
                               kin=other.kin)
