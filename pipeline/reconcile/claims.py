"""Cluster claims: the same proposition asserted in several articles is one cluster.

A statement is read into a proposition: its predicate (by the vocabulary file: 'supplying',
'provision' and 'sent' are all ``supply``), its agent (the party before an active predicate, after
'by' in a passive, after 'from' in a converse such as 'received'), the other parties, the objects
(the words right after the predicate, or after its 'with': 'combat drones'), and whether it is
hedged ('may send') or negated ('denies'). A statement the vocabulary names no predicate of is
read by its verb (``predicates``: WordNet verbs and PLOVER types). Parties are the knowledge
file's entities (names, aliases, capitals, demonyms) and, when given, the reconciled actors; a name
the article itself lists as an actor stands for that actor ('Brussels' printed as an organisation
is the EU).

Two claims state one proposition when predicate, agent, hedge and negation agree, they share
another party, and they share an object word: "Iran has been supplying combat drones to Russia"
and "Iran provides drones to Russia" do; "Iran transferred ballistic missiles to Russia",
"Iran may send missiles" and "Russia supplied drones to Iran" do not. Without a known predicate,
content words must overlap by the settings' Jaccard.

At corpus scale: the same statement word for word (identical syndicated copies) is collapsed to one
text first and read once; distinct statements are compared only within their block (predicate,
agent, hedge, negation) with those sharing an object word, and join by complete linkage bounded
per cluster (every one of a cluster's first members must agree), so one broad claim cannot chain
two narrow ones and the cost never grows with the square of a block. The verifier and the block
are parameters: another comparator (events, relations) plugs in there.

The clusters are a function of the distinct statements alone, never of the order mentions come in
or of how many copies print each: statements are judged in the order of their words, and agreeing
pairs join clusters strongest first. (Letting statements join one by one in input order, the most
printed first, made 'Iran provides drones to Russia' join whichever of 'supplying combat drones'
and 'helped build a drone factory' came first: the seeds reprinted 3,000 times split a cluster.)
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import logging
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.errors import ReconcileError
from pipeline.reconcile.blocking import BlockingStats, FeatureTable
from pipeline.reconcile.distinct import Distinct, collapse, join_copies
from pipeline.reconcile.events import (
    YEAR,
    EventReader,
    EventView,
    answered_denials,
    compare_events,
    load_event_vocabulary,
    load_theme_synonyms,
    singular,
    theme_features,
    with_theme,
)
from pipeline.reconcile.graph import MergeLog, split_components
from pipeline.reconcile.ids import assign_ids
from pipeline.reconcile.knowledge import (
    KnowledgeIndex,
    default_knowledge_index,
    load_claim_vocabulary,
    load_inflections,
    load_linkage_settings,
)
from pipeline.reconcile.opposites import opposed
from pipeline.reconcile.predicates import (
    Act,
    PredicateLexicon,
    Verb,
    acts_agree,
    default_lexicon,
)
from pipeline.reconcile.references import ArticleActors
from pipeline.reconcile.representatives import ClusterKeys, stored_key
from pipeline.reconcile.speakers import ActorLookup
from pipeline.reconcile.text import cased_words, fold, lookup_key, words
from schemas.clusters import ActorCluster, ClaimAssertion, ClaimCluster, Evidence, MergeRule
from schemas.extraction import ActorKind
from schemas.knowledge import (
    ClaimLinkage,
    ClaimVocabulary,
    Inflections,
    Knowledge,
    LinkageSettings,
)
from schemas.mentions import ClaimMention

_SUFFIXES = ("ings", "ing", "ions", "ion", "ies", "ied", "ed", "es", "s", "y", "e")
# Words that end the object phrase after a predicate.
# fmt: off
_BOUNDARIES = frozenset({
    "to", "from", "for", "since", "in", "at", "by", "as", "while", "because", "after", "before",
    "which", "that", "who", "when", "where", "into", "on", "against", "over", "through", "during",
    "around", "near", "across", "off", "within", "under", "amid", "toward", "towards", "above",
    "below", "beyond", "despite", "until",
})
# fmt: on
_MAX_OBJECT_WORDS = 6
# A comma between digits is a thousands separator ('52,400 rifles'), not a clause break.
_CLAUSE_COMMA = re.compile(r"(?<!\d),|,(?!\d)")  # not a thousands separator ('2,550 phones')
_CLAUSE_BREAK = re.compile(rf"{_CLAUSE_COMMA.pattern}|[;:()\[\]]|\s[-–—]\s")
_MAX_PARTY_WORDS = 6
_MAX_REPORTER_WORDS = 8  # '..., Japan's Defense Ministry said': who reports it, in a few words
_NOT_PLACES = frozenset({ActorKind.PERSON, ActorKind.ORGANIZATION})
_BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been", "being"})
_ARTICLES = frozenset({"the", "a", "an"})
# A quantity a claim turns on: a share, a sum or a scaled count ("60 percent", "$2.8 billion").
# Bare numbers are left out: "batch 38", "Shahed-136" and "since 2022" name things and times.
# A count of things counts too ("1,200 shells", "253 drones": a number before a word, not glued to
# a name, not a year).
_QUANTITY = re.compile(
    r"[$€£]\s?\d+(?:\.\d+)?(?:\s(?:million|billion|trillion))?"
    r"|\d+(?:\.\d+)?\s?(?:%|percent\b|per cent\b|(?:million|billion|trillion)\b)"
    r"|(?<![\w-])(?!(?:19|20)\d\d\b)\d+(?:\.\d+)?(?=\s+[^\W\d])",
    re.IGNORECASE,
)

_NUMBER = re.compile(r"\d+(?:\.\d+)?")

logger = logging.getLogger(__name__)


# A number printed with a thousands separator: never a year.
_THOUSANDS = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,]|\.\d)")


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
    hedged: bool  # a possibility or an intent, not a fact
    negated: bool
    party_names: tuple[tuple[str, str], ...]  # (key, printed) for evidence
    numbers: frozenset[str] = frozenset()  # quantities: '60%' and '90%' never merge
    act: Act | None = None  # read by the verb lexicon when the vocabulary names no predicate
    object_senses: frozenset[int] = frozenset()  # WordNet synonym groups of the object words
    # Where it happened: the parties after a place preposition that the evidence prints too.
    places: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()  # years and months printed: 'in 2023' is not 'in 2024'
    months: frozenset[str] = frozenset()
    intended: bool = False  # hedged as a party's will or plan ('will send'), not a possibility


class ClaimReader:
    """Reads statements against the vocabulary, the knowledge file and the reconciled actors."""

    def __init__(
        self,
        vocabulary: ClaimVocabulary,
        index: KnowledgeIndex,
        actors: Sequence[ActorCluster] = (),
        *,
        inflections: Inflections | None = None,
        lexicon: PredicateLexicon | None = None,
        lookup: ActorLookup | None = None,
    ) -> None:
        """``lookup``: ``actors``' ``ActorLookup``, when the caller has one already (its maps
        hold every actor mention: at 100k articles ~0.2 GB each)."""
        self.lexicon = lexicon
        self.vocabulary_words = frozenset(
            word for p in vocabulary.predicate for word in (*p.words, *p.converse)
        ) | frozenset(
            form
            for form, word in (inflections.forms if inflections is not None else {}).items()
        )
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
        forms = inflections.forms if inflections is not None else {}
        for form, word in forms.items():  # 'given' for 'give': a stem cannot reach them
            if stem(word) in self.predicates:
                self.predicates.setdefault(stem(form), self.predicates[stem(word)])
        hedges, negations = set(vocabulary.hedges), set(vocabulary.negations)
        intents = set(vocabulary.intents)
        self.possibilities = frozenset(
            stem(w) for w in [*hedges, *(f for f, w in forms.items() if w in hedges)]
        )
        self.intents = frozenset(
            stem(w) for w in [*intents, *(f for f, w in forms.items() if w in intents)]
        )
        # Both keep a statement from stating a fact, and neither is an act or a content word.
        self.hedges = self.possibilities | self.intents
        self.negations = frozenset(
            stem(w) for w in [*negations, *(f for f, w in forms.items() if w in negations)]
        )
        self.stopwords = frozenset(vocabulary.stopwords)
        # Collective and quantity nouns ('a package of sanctions'): the events vocabulary's.
        events = load_event_vocabulary()
        self.fillers = frozenset(events.theme_fillers) - self.stopwords
        self.scales = events.scales
        self.place_prepositions = frozenset(events.place_prepositions)
        self.months = frozenset(events.months)
        self.units = {
            variant: unit for unit, variants in events.units.items() for variant in variants
        }
        # Symbols printed before a number ('$50 million').
        self.unit_symbols = {v: u for v, u in self.units.items() if not v.isalnum() and v != "%"}
        self.parties: dict[tuple[str, ...], tuple[str, str]] = {}  # words -> (key, name)
        for name, known_name in index.by_name.items():
            self.parties[tuple(name.split())] = (known_name.entity.key, known_name.entity.name)
        for demonym, entity in index.by_demonym.items():
            self.parties[tuple(demonym.split())] = (entity.key, entity.name)
            self.parties[(*demonym.split()[:-1], demonym.split()[-1] + "s")] = (
                entity.key,
                entity.name,
            )
        self.lookup = lookup if lookup is not None else ActorLookup(actors)
        self.article_actors = ArticleActors(actors, index)
        # A person or a body is who acts, not where: 'accused Israel at the ICJ' places nothing.
        self.nowhere = {
            known.entity.key for known in index.by_name.values() if known.entity.kind in _NOT_PLACES
        }
        for cluster in actors:
            key = cluster.entity_key or cluster.actor_id
            if cluster.kind in _NOT_PLACES:
                self.nowhere.add(key)
            for name in {cluster.name, *cluster.names}:
                folded = tuple(lookup_key(name).split())
                if folded:
                    self.parties.setdefault(folded, (key, cluster.name))

    def read(
        self, statement: str, article_id: str | None = None, *, evidence: str | None = None
    ) -> Proposition:
        """``article_id``: whose actor list resolves the names it prints; ``evidence``: the
        article's words, which must print a place for the statement to be placed there (none:
        the statement's own)."""
        statement = self._without_reporter(statement)
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
        if article_id is not None:
            parties = [self._as_listed(article_id, tokens, party) for party in parties]
        parties = sorted(parties + self._unknown_parties(statement, clauses, parties))
        in_party = {k for start, end, _, _ in parties for k in range(start, end)}
        stems = [stem(t) for t in tokens]
        predicate_at = next(
            (
                k
                for k, s in enumerate(stems)
                if s in self.predicates and k not in in_party and not self._other_verb(tokens[k])
            ),
            None,
        )
        predicate, converse = (
            self.predicates[stems[predicate_at]] if predicate_at is not None else (None, False)
        )
        act: Act | None = None
        verb_at = predicate_at
        read = self._act(tokens, stems, in_party, ends, predicate_at)
        if read is not None:
            # A support verb's act is read at its object ('accepted Sweden's bid'), its agent
            # before the verb: Turkey accepted, though Sweden bid.
            predicate_at, verb_at, act = read
            predicate = "act:undo" if act.undo else "act"
            converse = False
        elif predicate_at is not None and self._undone(tokens, in_party, predicate_at):
            predicate = f"undo:{predicate}"  # 'lifted its sanctions' is not sanctioning
            converse = False
        agent = self._agent(tokens, parties, verb_at, converse)
        if agent is None and article_id is not None and verb_at is not None:
            described = self._described(article_id, tokens, parties, verb_at)
            if described is not None:
                agent = described[2]
                parties.append(described)
        content = frozenset(
            stems[k]
            for k, token in enumerate(tokens)
            if k not in in_party and token not in self.stopwords and not token.isdigit()
        )
        objects = (
            # A support verb's object head is what the claim is about: 'slapped tariffs'.
            self._clause_words(tokens, stems, in_party, predicate_at - (act.head is not None), ends)
            if act is not None and predicate_at is not None
            else self._objects(tokens, stems, in_party, predicate_at, ends)
        )
        if act is not None and verb_at is not None and self._passive(tokens, verb_at):
            # 'The ambassador was expelled by Peru': what is acted on stands before the verb.
            objects = frozenset(
                stems[k] for k in range(verb_at) if k not in in_party
                and self._is_content(tokens[k], stems[k])
            ) or objects
        synonyms = load_theme_synonyms()
        return Proposition(
            places=self._places(tokens, parties, evidence),
            years=frozenset(int(year) for year in YEAR.findall(statement)),
            months=self._months(statement),
            object_senses=frozenset(
                group
                for k, token in enumerate(tokens)
                if stems[k] in objects
                for group in synonyms.get(singular(token), frozenset())
            ),
            act=act,
            predicate=predicate,
            agent=agent,
            others=frozenset(key for _, _, key, _ in parties if key != agent),
            objects=objects,
            content=content - self.hedges - self.negations,
            hedged=any(s in self.hedges for s in stems),
            # 'will send' is no 'may send'; 'will likely send' is a possibility
            intended=any(s in self.intents for s in stems)
            and not any(s in self.possibilities for s in stems),
            negated=any(s in self.negations for s in stems),
            party_names=tuple(dict.fromkeys((key, name) for _, _, key, name in parties)),
            numbers=frozenset(
                self._quantity(match.group(), match.string[match.end() :])
                for match in _QUANTITY.finditer(statement.replace(",", ""))
            )
            # '1,920 missiles' is a count, though '1920' alone would read as a year.
            | frozenset(q.replace(",", "") for q in _THOUSANDS.findall(statement)),
        )

    def _without_reporter(self, statement: str) -> str:
        """The statement without a last clause that only says who reports it ('..., the Joint
        Chiefs of Staff said', '..., according to Japan's government'): its parties are the
        source, neither the agent nor another party of the act."""
        commas = [m.start() for m in _CLAUSE_COMMA.finditer(statement)]
        if not commas or not statement[: commas[-1]].strip():
            return statement
        head, said = statement[: commas[-1]], words(statement[commas[-1] + 1 :])
        if not said or len(said) > _MAX_REPORTER_WORDS:
            return statement
        if said[:2] == ("according", "to"):
            return head
        # A past form ('said', 'told', 'added'): 'phones' and 'says' may be nouns' plurals.
        last = said[-1]
        verb = self.lexicon.verb(last) if self.lexicon is not None else None
        past = verb is not None and last != verb.lemma and not last.endswith("s")
        return head if verb is not None and verb.saying and past else statement

    def _places(
        self,
        tokens: tuple[str, ...],
        parties: list[tuple[int, int, str, str]],
        evidence: str | None,
    ) -> frozenset[str]:
        """The parties a place preposition puts the claim in ('near Port Ellison', 'in the
        Donbas'), unless known as a person or a body, each printed in the evidence as well: a
        place the model wrote but the article does not print places nothing. Without evidence
        the statement is all that is printed."""
        printed = f" {' '.join(words(evidence) if evidence is not None else tokens)} "
        found = set()
        for start, end, key, _ in parties:
            at = start - 1
            while at > 0 and tokens[at] in _ARTICLES:
                at -= 1
            if at >= 0 and tokens[at] in self.place_prepositions and key not in self.nowhere and (
                f" {' '.join(tokens[start:end])} " in printed
            ):
                found.add(key)
        return frozenset(found)

    def _months(self, statement: str) -> frozenset[str]:
        """Month names capitalized past the first word ('in March'): 'may send' is no month."""
        return frozenset(
            word.casefold() for word in cased_words(statement)[1:]
            if word[:1].isupper() and word.casefold() in self.months
        )

    def _quantity(self, printed: str, after: str) -> str:
        """One spelling per quantity, so that equal ones compare equal: '$50 million' and '50
        million dollars' are '50000000 USD', '60 per cent' is '60%'. Units and scale words are
        the events vocabulary's."""
        folded = " ".join(printed.casefold().replace("per cent", "%").replace("percent", "%")
                          .split()).replace(" %", "%")  # fmt: skip
        found = _NUMBER.search(folded)
        if found is None:
            return folded
        unit = next((u for symbol, u in self.unit_symbols.items() if symbol in folded), None)
        unit = "%" if folded.endswith("%") else unit
        value = float(found.group())
        for word in folded[found.end() :].split():
            value *= self.scales.get(word, 1.0)
        following = after.split()[:1]
        if unit is None and following:
            unit = self.units.get(following[0].casefold().strip(".,;:"))
        # 2.8 * 1e9 is 2800000000.0000005 in binary: a sum is shown to its unit.
        whole = round(value)
        shown = str(whole) if abs(value - whole) <= 1e-9 * max(1.0, abs(value)) else f"{value:g}"
        return shown + "%" if unit == "%" else f"{shown} {unit}" if unit else shown

    def _other_verb(self, token: str) -> bool:
        """A form of a verb the vocabulary does not list, whose stem only looks like one of its
        words: 'treated' is 'treat', not 'treaty'."""
        if self.lexicon is None or token in self.vocabulary_words:
            return False
        lemma = self.lexicon.forms.get(token)
        return lemma is not None and lemma not in self.vocabulary_words

    def _as_listed(
        self, article_id: str, tokens: tuple[str, ...], party: tuple[int, int, str, str]
    ) -> tuple[int, int, str, str]:
        """A party as the article's reconciled actor of that printed name, if it lists one."""
        start, end, key, _ = party
        printed = " ".join(tokens[start:end])
        cluster = self.lookup.find(article_id, printed, None)
        if cluster is None:
            seated = self.article_actors.seated(article_id, printed, key)
            return party if seated is None else (start, end, *seated)
        return start, end, cluster.entity_key or cluster.actor_id, cluster.name

    def _described(
        self,
        article_id: str,
        tokens: tuple[str, ...],
        parties: list[tuple[int, int, str, str]],
        predicate_at: int,
    ) -> tuple[int, int, str, str] | None:
        """The agent a statement names by what it is ('The bloc approved...'): its subject is
        'the' and words up to a function word, one a noun of a kind of actor (the last such),
        and the article lists one actor of that kind the statement does not name."""
        if tokens[:1] != ("the",) or any(start < predicate_at for start, _, _, _ in parties):
            return None
        found = None
        for k in range(1, predicate_at):
            if tokens[k] in self.stopwords:
                break
            kind = self.article_actors.kind_of(tokens[k]) or self.article_actors.kind_of(
                singular(tokens[k])
            )
            if kind is not None:
                found = (k, kind)
        if found is None:
            return None
        named = {key for _, _, key, _ in parties}
        party = self.article_actors.described(article_id, found[1], named)
        return None if party is None else (found[0], found[0] + 1, *party)

    def _act(
        self,
        tokens: tuple[str, ...],
        stems: list[str],
        in_party: set[int],
        ends: frozenset[int],
        vocabulary_at: int | None,
    ) -> tuple[int, int, Act] | None:
        """The act by the verb lexicon, where it is read and where its verb stands. Before the
        vocabulary's predicate: a verb with a PLOVER type ('banned all seafood imports'), or a
        support verb whose object it is ('slapped new sanctions'). Without one: the first verb
        that does not report another clause ('said', unless it is the only one), or the -ing
        form it takes ('began releasing'). A support verb keeps the head of its object
        ('tariffs'). A verb and the next word are one phrasal verb when WordNet lists them as
        one ('shot down', 'pulled out'): the act is read at its last word."""
        if self.lexicon is None:
            return None
        found: list[tuple[int, Verb]] = []
        last: dict[int, int] = {}  # a phrasal verb's first word -> its particle
        for k, token in enumerate(tokens[:vocabulary_at]):
            if k in in_party or token in self.stopwords or k - 1 in last:
                continue
            if not self._is_content(token, stems[k]) and not (
                self._other_verb(token) and stems[k] not in self.hedges | self.negations
            ):
                continue
            verb = self.lexicon.verb(token)
            if k + 1 < len(tokens) and tokens[k + 1] in _BE_FORMS:
                verb = None  # 'Ugandan sugar was banned': a word before 'was' is its subject
            if verb is not None:
                if k + 1 < len(tokens) and k + 1 not in in_party and k + 1 not in ends:
                    phrasal = self.lexicon.verbs.get(f"{verb.lemma}_{tokens[k + 1]}")
                    if phrasal is not None:
                        verb, last[k] = phrasal, k + 1
                found.append((k, verb))
        if vocabulary_at is not None:
            for k, verb in found:
                read_at = last.get(k, k)
                printed = " ".join(tokens[k : read_at + 1])
                if verb.saying:
                    continue  # 'Kim said Iran sent drones': 'said' reports the predicate's clause
                if verb.plover is not None:
                    return read_at, k, Act(verb, None, False, printed)
                at = self._object_head(tokens, stems, in_party, read_at + 1, ends)
                if at == vocabulary_at:
                    return None  # 'slapped new sanctions': the vocabulary's predicate is the act
                head = self.lexicon.verb(tokens[at]) if at is not None else None
                if at is not None and head is not None:
                    return at, k, Act(verb, head, verb.undo, f"{printed} {tokens[at]}")
            return None
        found = [(k, v) for k, v in found if not v.saying] or found[:1]
        if not found:
            return None
        k, verb = found[0]
        undo = False
        if (verb.gerund and verb.plover is None and len(found) > 1 and found[1][0] == k + 1
                and tokens[k + 1].endswith("ing")):  # fmt: skip
            undo = verb.undo  # 'stopped supplying' ends the supplying
            k, verb = found[1]
        read_at = last.get(k, k)
        printed = " ".join(tokens[k : read_at + 1])
        if verb.plover is not None:
            return read_at, k, Act(verb, None, undo, printed)
        at = self._object_head(tokens, stems, in_party, read_at + 1, ends)
        head = self.lexicon.verb(tokens[at]) if at is not None else None
        if at is None or head is None:
            relative = self._relative(tokens, at, ends) if at is not None else None
            return read_at, k, Act(verb, None, undo, printed, relative)
        return at, k, Act(verb, head, verb.undo or undo, f"{printed} {tokens[at]}")

    def _object_head(
        self,
        tokens: tuple[str, ...],
        stems: list[str],
        in_party: set[int],
        start: int,
        ends: frozenset[int],
    ) -> int | None:
        """Where the head of a verb's object stands: the last word of the phrase right after it
        ('new sanctions', 'military drills'), past a quantity noun ('a package of sanctions')."""
        head = None
        for k in range(start, len(tokens)):
            if k in ends and head is not None:
                break
            token = tokens[k]
            if k in in_party or token in _BOUNDARIES or token == "with":
                if head is not None:
                    break
                continue
            if token == "of" and head is not None:
                break  # 'a test of a missile' is a test; 'a package of' has no head yet
            if token == "of" or token in self.stopwords or token.isdigit():
                continue
            if head is not None and token in self.fillers:
                break  # 'sanctions package': the package is of sanctions
            if head is not None and self._participle(token):
                break  # 'uranium enriched to 60%': a reduced relative follows the head
            head = k if token not in self.fillers else head
            if stems[k] in self.predicates and not self._other_verb(token):
                break  # the vocabulary's predicate heads it: 'a package of sanctions'
        return head

    @staticmethod
    def _passive(tokens: tuple[str, ...], verb_at: int) -> bool:
        """A be-form right before the verb and 'by' after it: 'was expelled by Peru'."""
        return any(t in _BE_FORMS for t in tokens[max(0, verb_at - 2) : verb_at]) and (
            "by" in tokens[verb_at + 1 :]
        )

    def _participle(self, token: str) -> bool:
        """A verb's -ed or -en form ('enriched', 'taken'), not its lemma."""
        if self.lexicon is None or not token.endswith(("ed", "en")):
            return False
        lemma = self.lexicon.forms.get(token)
        return lemma is not None and lemma != token

    def _relative(
        self, tokens: tuple[str, ...], head_at: int, ends: frozenset[int]
    ) -> Verb | None:
        """The participle right after an object's head ('uranium enriched to 60%'), unless
        it names an agent of its own ('drones launched by Kyiv')."""
        at = head_at + 1
        if self.lexicon is None or at >= len(tokens) or at in ends:
            return None
        if not self._participle(tokens[at]) or "by" in tokens[at + 1 : at + 4]:
            return None
        return self.lexicon.verb(tokens[at])

    def _undone(self, tokens: tuple[str, ...], in_party: set[int], predicate_at: int) -> bool:
        """A verb that ends or reverses an act right before the predicate: 'lifted sanctions'."""
        if self.lexicon is None:
            return False
        for k in range(max(0, predicate_at - 3), predicate_at):
            verb = self.lexicon.verb(tokens[k]) if k not in in_party else None
            if verb is not None and verb.undo and tokens[k] not in self.stopwords:
                return True
        return False

    def _clause_words(
        self,
        tokens: tuple[str, ...],
        stems: list[str],
        in_party: set[int],
        predicate_at: int,
        ends: frozenset[int],
    ) -> frozenset[str]:
        """What a lexicon predicate is about: the content words after it, to the clause's end."""
        found = []
        for k in range(predicate_at + 1, len(tokens)):
            if k in ends:
                break
            token = tokens[k]
            if k not in in_party and token not in self.fillers and (
                self._is_content(token, stems[k]) or k == predicate_at + 1
            ):
                found.append(stems[k])
        return frozenset(found)

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
            before = [p for p in parties if p[1] <= predicate_at]
            # "Drones were supplied to Russia by Iran": a passive. "Air defences downed drones
            # launched by Kyiv": a reduced relative, whose 'by' names the agent of another act.
            passive = converse or not before or any(
                token in _BE_FORMS for token in tokens[max(0, predicate_at - 2) : predicate_at]
            )
            after = [p for p in parties if p[0] > predicate_at] if passive else []
            for start, _, key, _ in after:
                at = start - 1
                while at > 0 and tokens[at] in _ARTICLES:
                    at -= 1  # 'by the EU'
                if at >= 0 and tokens[at] == marker:
                    return key
            if before and not converse:
                return _nearest(before, tokens)
            return None  # 'The bloc approved sanctions against the Kremlin': no agent printed
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
        if not found:  # 'supplied 7,100 fuel': a vocabulary word as the object
            found = self._phrase(tokens, stems, in_party, predicate_at + 1, ends, vocabulary=True)
        if not found:
            found = [stems[predicate_at]]  # 'slapped new sanctions on Russia': the act is named
        return frozenset(found)

    def _phrase(
        self,
        tokens: tuple[str, ...],
        stems: list[str],
        in_party: set[int],
        start: int,
        ends: frozenset[int],
        *,
        vocabulary: bool = False,
    ) -> list[str]:
        """``vocabulary``: a vocabulary word counts as an object word too ('supplied fuel').
        A quantity's unit is no object word ('8,360 tonnes of fuel' is about fuel), nor a verb
        whose own object follows ('accused France of hiding rifles' is about rifles)."""
        found: list[str] = []
        unit: list[str] = []  # a quantity's unit ('tonnes of'), dropped for what follows it
        first = last = -1  # where the first and the last object word stand
        for k in range(start, len(tokens)):
            if k in ends and (found or unit):
                break
            token = tokens[k]
            if k in in_party or token == "with":
                if found:
                    break
                continue
            if token == "of" and not found:
                continue  # 'provision of drones', 'hundreds of missiles'
            if token == "of" and found and first > 0 and tokens[first - 1].isdigit():
                unit, found = found, []  # '8,360 tonnes of helicopters', '2 million barrels of'
                continue
            if k == start and token in _BOUNDARIES:
                continue  # 'agreed to a ceasefire': the verb's own preposition
            if token in _BOUNDARIES or token == "of" or (token == "and" and len(found) >= 4):
                break
            if token in self.fillers:
                continue  # 'its 12th sanctions package': the package is of sanctions
            if tokens[k - 1] in _BE_FORMS and self._participle(token):
                continue  # 'sanctions were imposed on': the passive's verb, no object
            if self._is_content(token, stems[k]) or (
                vocabulary and token not in self.stopwords and not token.isdigit()
            ):
                if not found:
                    first = k
                elif self._gerund(tokens[last]):
                    found.pop()  # 'hiding 400 rifles': what is hidden is the object
                found.append(stems[k])
                last = k
                if len(found) >= _MAX_OBJECT_WORDS:
                    break
        # Nothing after a unit: a vocabulary word may stand there ('tonnes of fuel'), else the
        # unit is all there is.
        return found or (unit if vocabulary else [])

    def _gerund(self, token: str) -> bool:
        return token.endswith("ing") and self.lexicon is not None and (
            self.lexicon.verb(token) is not None)

    def _is_content(self, token: str, stemmed: str) -> bool:
        return (
            token not in self.stopwords
            and not token.isdigit()
            and stemmed not in self.predicates
            and stemmed not in self.hedges
            and stemmed not in self.negations
        )


@dataclass(frozen=True)
class ClaimText:
    """One distinct statement (its words, case and typography set aside), read once.

    ``weight`` is how many mentions state exactly these words."""

    statement: str  # its first printing
    proposition: Proposition
    weight: int
    event: EventView | None = None  # its first printing's event, when it was coded as one


ClaimVerdict = tuple[float, tuple[Evidence, ...]]
ClaimVerifier = Callable[[ClaimText, ClaimText], ClaimVerdict | None]
"""Judges one candidate pair of distinct statements of one block: (score, evidence) or None.
Verifiers are tried in order; the first verdict counts as agreement."""
BlockKey = Callable[[Proposition], Hashable | None]
"""The block a proposition is compared within; None keeps it to itself (and its copies)."""
Features = Callable[[Proposition], Iterable[Hashable]]
"""What two propositions of a block must share to be compared at all."""


def events_first(statement_checks: list[ClaimVerifier]) -> ClaimVerifier:
    """Two claims coded as events are judged by their events alone (``compare_events``); two
    statement-only claims by ``statement_checks``; one of each never joins."""

    # One check alone is called as it is: this judges every candidate pair.
    statements: ClaimVerifier = (
        statement_checks[0]
        if len(statement_checks) == 1
        else lambda left, right: _verify(statement_checks, left, right)
    )

    def verify(left: ClaimText, right: ClaimText) -> ClaimVerdict | None:
        if opposite_acts(left.proposition, right.proposition):
            return None  # 'raised rates' / 'cut rates': one event type and theme, two acts
        if left.event is not None and right.event is not None:
            if placed_apart(left.proposition, right.proposition):
                return None  # the events name no place; their grounded statements do
            one_act = printed_act(left.proposition, right.proposition)
            verdict = compare_events(left.event, right.event, one_act=one_act)
            bare = not left.event.theme_words, not right.event.theme_words
            if not verdict.same and verdict.evidence[0].what == "theme" and bare[0] != bare[1]:
                return _theme_left_out(left, right, statements, one_act)
            return (verdict.score, verdict.evidence) if verdict.same else None
        if left.event is not None or right.event is not None:
            return None
        return statements(left, right)

    return verify


def _theme_left_out(
    left: ClaimText, right: ClaimText, statements: ClaimVerifier, one_act: str | None
) -> ClaimVerdict | None:
    """A theme one coding leaves out is unknown, not a disagreement: the events agree if they
    agree with the other's theme lent to the bare one (every other part as it was coded) and
    the statements agree by the statement path (one predicate, agent and hedge, the same other
    parties, object words and numbers), so a bare event never joins two claims of two objects."""
    assert left.event is not None and right.event is not None
    if proposition_block(left.proposition) is None or (
        proposition_block(left.proposition) != proposition_block(right.proposition)
    ):
        return None
    bare, themed = (left.event, right.event) if right.event.theme_words else (
        right.event, left.event)  # fmt: skip
    lent = compare_events(with_theme(bare, themed), themed, one_act=one_act)
    if not lent.same:
        return None
    witness = statements(left, right)
    if witness is None:
        return None
    evidence = tuple(
        Evidence(what="theme", detail=f"{themed.theme!r}, the other coding names none; the "
                                      "statements agree (" + "; ".join(
                                          f"{e.what}: {e.detail}" for e in witness[1]) + ")")
        if e.what == "theme" else e
        for e in lent.evidence
    )
    return min(lent.score, witness[0]), evidence


def opposite_acts(left: Proposition, right: Proposition) -> bool:
    """Statements whose verbs WordNet makes antonyms ('raised' / 'lowered', 'approved' /
    'rejected', through hypernyms: 'cut' is a kind of 'decrease'; ``opposites``), both negated
    alike: 'refused to ratify' is 'blocked', not its opposite."""
    if left.act is None or right.act is None or left.negated != right.negated:
        return False
    return opposed(left.act.verb.lemma, right.act.verb.lemma)


def printed_act(left: Proposition, right: Proposition) -> str | None:
    """Why two statements print one act, read from their words alone (a second witness when two
    events' types differ): one predicate of the claims vocabulary, or verbs that agree."""
    if left.negated != right.negated:
        return None
    if left.predicate is not None and left.predicate == right.predicate and left.act is None:
        return f"both statements read as '{left.predicate}'"
    if left.act is not None and right.act is not None:
        return acts_agree(left.act, right.act)
    return None


def event_block(view: EventView) -> Hashable:
    """Source, event type and polarity: events that differ in any never join."""
    return ("event", *view.block_key, view.polarity)


def proposition_verifier(settings: ClaimLinkage) -> ClaimVerifier:
    """The default verifier: other parties and object words agree (``_judge``)."""

    def verify(left: ClaimText, right: ClaimText) -> ClaimVerdict | None:
        return _judge(left.proposition, right.proposition, settings)

    return verify


def proposition_block(proposition: Proposition) -> Hashable | None:
    """Predicate, agent, hedge (a possibility or an intent) and negation: claims that differ in
    any never join."""
    if proposition.agent is None:
        return None
    return (proposition.predicate, proposition.agent, proposition.hedged, proposition.intended,
            proposition.negated)  # fmt: skip


def proposition_features(proposition: Proposition) -> frozenset[str]:
    """Object words and their WordNet synonym groups (content words without a known predicate
    or object): ``_judge`` needs one shared."""
    if proposition.predicate and proposition.objects:
        return proposition.objects | {f"synonyms:{g}" for g in proposition.object_senses}
    return proposition.content


def cluster_claims(
    claims: Iterable[ClaimMention],
    *,
    actors: Sequence[ActorCluster] = (),
    previous: Mapping[str, str] | None = None,
    knowledge: Knowledge | None = None,
    vocabulary: ClaimVocabulary | None = None,
    linkage: LinkageSettings | None = None,
    verifiers: Sequence[ClaimVerifier] | None = None,
    block: BlockKey = proposition_block,
    features: Features = proposition_features,
    stats: BlockingStats | None = None,
    keys: ClusterKeys | None = None,
    queries: ClusterKeys | None = None,
) -> list[ClaimCluster]:
    """One cluster per proposition, largest first; ``actors`` name the asserters and parties.

    The same statement word for word is one text, read once, and its mentions are one cluster
    whatever else they agree with. Distinct statements are compared within their ``block`` with
    those sharing one of their ``features`` (object words by default; ``blocking``); a statement
    joins a cluster only if a verifier accepts it against each of the cluster's first
    ``max_representatives`` members (complete linkage, bounded per cluster), so one broad claim
    cannot chain two narrow ones. ``keys``, when given, receives each cluster's lookup keys (the
    words, block and features of each of its texts: ``representatives``), ``queries`` the keys
    of the stored clusters it may meet (with the default verifier).
    """
    items = list(claims)
    index = KnowledgeIndex(knowledge) if knowledge is not None else default_knowledge_index()
    lookup = ActorLookup(actors)  # one for the readers and the assertions
    reader = ClaimReader(
        vocabulary or load_claim_vocabulary(),
        index,
        actors,
        inflections=load_inflections(),
        lexicon=default_lexicon(),
        lookup=lookup,
    )
    settings = (linkage or load_linkage_settings()).claims
    check = events_first(
        list(verifiers) if verifiers is not None else [proposition_verifier(settings)]
    )
    events = EventReader(actors, lookup=lookup)
    distinct = collapse(words(claim.statement) for claim in items)
    log = MergeLog(len(items))
    join_copies(distinct, log, MergeRule.SAME_STATEMENT, _same_statement_evidence)
    standing = [_standing_for(items, d.members) for d in distinct]
    texts = [
        ClaimText(
            statement=claim.statement,
            proposition=reader.read(claim.statement, claim.article_id, evidence=claim.evidence),
            weight=d.weight,
            event=events.read(claim),
        )
        for claim, d in zip(standing, distinct, strict=True)
    ]
    del standing
    # Texts by their words: the order every choice below falls back on, whatever the input order.
    rank = [0] * len(distinct)
    for position, number in enumerate(sorted(range(len(distinct)), key=lambda n: distinct[n].key)):
        rank[number] = position
    found = FeatureTable(
        max_candidates=settings.max_candidates,
        stats=stats if stats is not None else BlockingStats(),
    )
    blocked: list[int] = []
    for number, text in enumerate(texts):
        key = block(text.proposition) if text.event is None else event_block(text.event)
        proposition = text.proposition
        # Each text is indexed (unblocked ones alone in a block of their own), so that numbers
        # agree with ``texts``.
        own = sorted(
            features(proposition) if text.event is None else _event_features(text, reader),
            key=repr,
        )
        found.add(key if key is not None else ("alone", number), own)
        if key is not None:
            blocked.append(number)
    _bounded_complete_linkage(sorted(blocked, key=rank.__getitem__), texts, distinct, found, log,
                              check, settings.max_representatives, rank)
    text_of = [0] * len(items)
    for number, d in enumerate(distinct):
        for member in d.members:
            text_of[member] = number
    # Components by their first text in word order: ids and denials never follow the input order.
    components = sorted(
        split_components(log), key=lambda c: min(rank[text_of[i]] for i in c.members)
    )
    medoids = [_medoid(sorted({text_of[i] for i in c.members}), texts, rank) for c in components]
    ids = assign_ids(
        [_proposed_id(texts[m].statement) for m in medoids],
        [[items[i].key for i in c.members] for c in components],
        previous,
    )
    denied = answered_denials(
        # The medoid's event first: it stands for its cluster.
        [[texts[text_of[i]].event for i in sorted(c.members, key=lambda i: text_of[i] != m)]
         for c, m in zip(components, medoids, strict=True)],
        [[_place(items[i]) for i in c.members] for c in components],
    )
    clusters = [
        ClaimCluster(
            claim_id=claim_id,
            statement=texts[medoid].statement,
            mentions=tuple(items[i] for i in component.members),
            assertions=tuple(_assertion(items[i], lookup) for i in component.members),
            merges=component.merges,
            denies=ids[denied[n]] if n in denied else None,
        )
        for n, (component, claim_id, medoid) in enumerate(
            zip(components, ids, medoids, strict=True)
        )
    ]
    for out, query in ((keys, False), (queries, True)):
        if out is None:
            continue
        for cluster, component in zip(clusters, components, strict=True):
            out.setdefault(cluster.claim_id, set()).update(_lookup_keys(
                found, texts, distinct, sorted({text_of[i] for i in component.members}),
                query=query))
    return sorted(clusters, key=lambda c: (-len(c.mentions), c.claim_id))


def _event_features(text: ClaimText, reader: ClaimReader) -> frozenset[str]:
    """``theme_features``; an event without a theme also meets the themes its statement prints
    (singular, as themes are read): a theme the coding left out (``_theme_left_out``). Only
    bare events gain features, so themed pairs cost nothing more."""
    assert text.event is not None
    own = theme_features(text.event)
    if text.event.theme_words:
        return own
    printed = (w for w in words(text.statement) if w not in reader.stopwords and not w.isdigit())
    return own.union(singular(w) for w in printed)


def _lookup_keys(found: FeatureTable, texts: list[ClaimText],
                 distinct: list[Distinct[tuple[str, ...]]], numbers: Iterable[int], *,
                 query: bool) -> Iterator[int]:
    """The keys a text is stored under, or (``query``) those it looks others up by: its words
    (a copy collapses with it), and each (block, feature) it was indexed with (another text's
    candidates share one), stored also with its quantities, since ``_judge`` never accepts two
    statements stating different ones. A text stating some looks up those and none."""
    for number in numbers:
        yield stored_key("words", distinct[number].key)
        block, own = found.features(number)
        if isinstance(block, tuple) and block[:1] == ("alone",):
            continue  # unblocked: compared with nothing
        quantities = tuple(sorted(texts[number].proposition.numbers))
        for feature in own:
            if not query:
                yield stored_key(block, feature)
                yield stored_key(block, feature, quantities)
            elif quantities and texts[number].event is None:
                yield stored_key(block, feature, quantities)
                yield stored_key(block, feature, ())
            else:
                yield stored_key(block, feature)


_MEDOID_SAMPLE = 64  # the medoid is sought among the most printed statements of a cluster


def _bounded_complete_linkage(
    order: list[int],
    texts: list[ClaimText],
    distinct: list[Distinct[tuple[str, ...]]],
    found: FeatureTable,
    log: MergeLog,
    check: ClaimVerifier,
    representatives: int,
    rank: list[int],
) -> None:
    """Join the texts of ``order`` (by ``rank``) into clusters of statements that all agree.

    First the pairs worth judging are judged, a bounded number per text (``_judge_pairs``).
    Then, strongest agreement first (ties by rank), each agreeing pair joins its two clusters
    if every one of either cluster's first ``representatives`` members (by rank) agrees with
    every one of the other's. Neither step looks at the input order or at weights, so the
    clusters are those of the distinct texts alone."""
    agreed = _judge_pairs(order, texts, found, check, representatives, rank)

    def agree(left: int, right: int) -> bool:
        pair = (left, right) if rank[left] < rank[right] else (right, left)
        if pair in agreed:
            return True
        found.stats.verified_pairs += 1
        return check(texts[pair[0]], texts[pair[1]]) is not None

    root = {number: number for number in order}
    members = {number: [number] for number in order}  # root -> its first members by rank

    def find(number: int) -> int:
        while root[number] != number:
            root[number] = root[root[number]]
            number = root[number]
        return number

    for left, right in sorted(agreed, key=lambda p: (-agreed[p], rank[p[0]], rank[p[1]])):
        a, b = find(left), find(right)
        if a == b or not all(agree(x, y) for x in members[a] for y in members[b]):
            continue
        verdict = check(texts[left], texts[right])  # again, for its evidence
        found.stats.verified_pairs += 1
        if verdict is None:  # a verifier that changed its mind: nothing to explain the join
            continue
        found.stats.accepted_pairs += 1
        rule = MergeRule.SAME_PROPOSITION if texts[left].event is None else MergeRule.SAME_EVENT
        log.union(distinct[right].first, distinct[left].first, rule, verdict[0], verdict[1])
        root[b] = a
        members[a] = list(heapq.merge(members[a], members.pop(b), key=rank.__getitem__))[
            :representatives
        ]


def _judge_pairs(
    order: list[int],
    texts: list[ClaimText],
    found: FeatureTable,
    check: ClaimVerifier,
    representatives: int,
    rank: list[int],
) -> dict[tuple[int, int], float]:
    """The agreeing pairs (lower rank first) -> score, among the pairs a first, provisional
    clustering judges: each text, in ``order``, against the first ``representatives`` members of
    each cluster its candidates are in; it joins the one it agrees with best, if it agrees with
    every one of them, else founds one. The cost stays bounded per cluster; the pairs judged
    hold both of the clusters a text could have joined, so the final step can pick."""
    cap = found.max_candidates
    cluster_at = [-1] * len(rank)  # rank of a text judged -> founding text of its cluster
    members: dict[int, list[int]] = {}  # founding text -> its first members
    agreed: dict[tuple[int, int], float] = {}
    # (block, feature) -> ranks of the texts judged so far, ascending (``order`` is by rank).
    # Only those can be in a cluster, so a text's candidates are the first ``cap`` by rank of
    # these postings' union: the same ones the whole index ranked by ``rank`` would give, found
    # in the first ``cap`` of each posting instead of all of it.
    earlier: dict[tuple[Hashable, Hashable], list[int]] = {}
    for number in order:
        block, features = found.features(number)
        postings = [earlier.setdefault((block, feature), []) for feature in features]
        shared = [posting for posting in postings if posting]
        if len(shared) == 1:
            ranks = shared[0][:cap]
            capped = len(shared[0]) > cap
        else:
            union = sorted(set().union(*(posting[:cap] for posting in shared)))
            ranks = union[:cap]
            capped = len(union) > cap
        found.stats.candidate_pairs += len(ranks)
        if capped:
            found.stats.capped_texts += 1
            logger.info("text %d shares its features with more than %d earlier texts; the first "
                        "%d by rank are compared", number, cap, cap)  # fmt: skip
        best: tuple[float, int] | None = None  # (score, cluster)
        tried: set[int] = set()
        for other in ranks:
            cluster = cluster_at[other]
            if cluster in tried:
                continue
            tried.add(cluster)
            scores = []
            for member in members[cluster]:  # each ranked before ``number``: judged already
                verdict = check(texts[member], texts[number])
                found.stats.verified_pairs += 1
                if verdict is not None:
                    agreed[(member, number)] = verdict[0]
                    scores.append(verdict[0])
            if len(scores) == len(members[cluster]) and (best is None or max(scores) > best[0]):
                best = (max(scores), cluster)
        cluster = best[1] if best is not None else number
        cluster_at[rank[number]] = cluster
        members.setdefault(cluster, [])
        if len(members[cluster]) < representatives:
            members[cluster].append(number)
        for posting in postings:
            posting.append(rank[number])
    return agreed


def _verify(checks: list[ClaimVerifier], left: ClaimText, right: ClaimText) -> ClaimVerdict | None:
    for check in checks:
        verdict = check(left, right)
        if verdict is not None:
            return verdict
    return None


def _standing_for(items: Sequence[ClaimMention], members: Sequence[int]) -> ClaimMention:
    """The mention that stands for one statement's copies (its printing, its event): the first by
    mention key, whatever order the copies come in. Copies may differ in case and marks, and
    may be coded as events apart."""
    if len(members) == 1:
        return items[members[0]]
    return items[min(members, key=lambda i: items[i].key)]


def _same_statement_evidence(text: Distinct[tuple[str, ...]]) -> Evidence:
    return Evidence(
        what="statement", detail=f"the same {len(text.key)} words once case and typography are "
        "set aside",
    )


def _place(claim: ClaimMention) -> tuple[str, int]:
    """Where a claim stands: its article, and where its evidence starts (-1 when unknown)."""
    return claim.article_id, claim.span.start if claim.span is not None else -1


def placed_apart(left: Proposition, right: Proposition) -> bool:
    """Both claims are placed, and neither's place is among the other's parties: 'near Port
    Ellison' is not 'near Westmore', but 'in Belarus' is where 'troops to Belarus' are."""
    if not left.places or not right.places:
        return False
    return not left.places & (right.others | {right.agent}) and not right.places & (
        left.others | {left.agent}
    )


def dated_apart(left: Proposition, right: Proposition) -> bool:
    """Both print a year (or a month) and no one is shared."""
    return bool(
        (left.years and right.years and not left.years & right.years)
        or (left.months and right.months and not left.months & right.months)
    )


def _judge(
    left: Proposition, right: Proposition, settings: ClaimLinkage
) -> tuple[float, tuple[Evidence, ...]] | None:
    if left.others and right.others and not left.others & right.others:
        return None
    if placed_apart(left, right) or dated_apart(left, right):
        return None
    if left.numbers and right.numbers and left.numbers != right.numbers:
        return None  # "enriched to 60 percent" is not "enriched to 90 percent"
    if left.predicate is None or right.predicate is None or not (left.objects or right.objects):
        if left.predicate != right.predicate:
            return None
        overlap = _jaccard(left.content, right.content)
        if overlap < settings.min_unclassified_overlap:
            return None
        return overlap, (
            *([Evidence(what="predicate", detail=f"both say '{left.predicate}'")]
              if left.predicate else []),
            Evidence(what="agent", detail=_party(left, left.agent)),
            Evidence(what="content", detail=f"content words overlap {overlap:.0%}"),
            *_quantity_evidence(left, right),
        )
    act = None
    if left.act is not None or right.act is not None:
        if left.act is None or right.act is None:
            return None
        act = acts_agree(left.act, right.act)
        if act is None:
            return None
    shared = left.objects & right.objects
    if len(shared) < settings.min_shared_objects and left.object_senses & right.object_senses:
        shared = frozenset({"(WordNet synonyms)"})  # 'a truce' / 'a ceasefire'
    if len(shared) < settings.min_shared_objects:
        return None
    score = 0.6 + 0.4 * _jaccard(left.objects, right.objects)
    modality = ("intended" if left.intended else "possible" if left.hedged
                else "stated as fact") + (
        ", denied" if left.negated else ""
    )
    said = (
        f"'{left.act.printed}' and '{right.act.printed}': {act}"
        if act is not None and left.act is not None and right.act is not None
        else f"both say '{left.predicate}'"
    )
    return score, (
        Evidence(what="predicate", detail=said),
        Evidence(what="agent", detail=_party(left, left.agent)),
        Evidence(
            what="other party",
            detail=", ".join(_party(left, k) for k in sorted(left.others & right.others))
            or "none named",
        ),
        Evidence(what="object", detail=f"shared words: {', '.join(sorted(shared))}"),
        Evidence(what="modality", detail=f"both {modality}"),
        *_quantity_evidence(left, right),
    )


def _quantity_evidence(left: Proposition, right: Proposition) -> list[Evidence]:
    shared = sorted(left.numbers & right.numbers)
    return [Evidence(what="quantity", detail=f"both state {', '.join(shared)}")] if shared else []


def _first_known(parties: list[tuple[int, int, str, str]]) -> str:
    """The first party the knowledge file or the actors know, else the first at all."""
    return next((key for _, _, key, _ in parties if not key.startswith("name:")), parties[0][2])


def _nearest(before: list[tuple[int, int, str, str]], tokens: tuple[str, ...]) -> str:
    """The party closest before the predicate ('Netanyahu's office denied Israel had agreed'),
    or of the parties it is coordinated with ('Israel and Hamas agreed') the same one in either
    order; a party the knowledge file or the actors know before an unknown name."""
    known = [p for p in before if not p[2].startswith("name:")] or before
    at = last = len(known) - 1
    while at > 0 and known[at - 1][1] + 1 == known[at][0] and tokens[known[at - 1][1]] == "and":
        at -= 1
    # An act of the coordinated parties, printed in either order ('Saudi Arabia and Iran
    # agreed' / 'Iran and Saudi Arabia agreed'): the same one of them stands for both.
    return min(party[2] for party in known[at : last + 1])


def _party(proposition: Proposition, key: str | None) -> str:
    return next((name for k, name in proposition.party_names if k == key), key or "-")


def _jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    union = left | right
    return len(left & right) / len(union) if union else 0.0


def _medoid(numbers: list[int], texts: list[ClaimText], rank: list[int]) -> int:
    """The statement whose content is closest to all the others, weighted by how often each is
    printed (the most printed on ties, then the first by its words); sought among the most
    printed few."""
    sample = sorted(numbers, key=lambda n: (-texts[n].weight, rank[n]))[:_MEDOID_SAMPLE]
    return max(
        sample,
        key=lambda i: (
            sum(
                texts[j].weight
                * _jaccard(texts[i].proposition.content, texts[j].proposition.content)
                for j in sample
            ),
            texts[i].weight,
            -len(texts[i].proposition.content),
            -rank[i],
        ),
    )


def _proposed_id(statement: str) -> str:
    return "claim/" + hashlib.sha256(" ".join(words(statement)).encode()).hexdigest()[:12]


_ASSERTION_FIELDS = set(ClaimAssertion.model_fields)


def _assertion(claim: ClaimMention, lookup: ActorLookup) -> ClaimAssertion:
    actor = (
        lookup.find(claim.article_id, claim.asserted_by, claim.asserted_by_local_id)
        if claim.asserted_by is not None
        else None
    )
    # Built without validation: every field comes from a validated mention or actor; one per
    # mention, a million of them at corpus scale.
    return ClaimAssertion.model_construct(
        _ASSERTION_FIELDS,
        article_id=claim.article_id,
        asserted_by=actor.name if actor is not None else claim.asserted_by,
        asserted_by_id=actor.actor_id if actor is not None else None,
        evidence=claim.evidence,
        span=claim.span,
    )
