"""A synthetic syndicated corpus: stories reprinted by many outlets, each copy edited its own way.

The rules below were written from how wire copy is reprinted, not from the reconciler: an outlet
prints its own first line (masthead) and last line (credit), its own dateline, curly or straight
marks and contractions, may drop a paragraph, trim a quote (its end, its start, or its middle
with an ellipsis), carry a typo, name the speaker by surname or in full, and its extraction may
word a claim in the perfect tense or leave out its place. Words come from Faker's English word
list, names from bench_reconcile's generators, places from Faker's cities.

Each claim also carries the event an extraction with prompt v2 would code (``_event``), coded
per copy the way models differ on one sentence, not the way the event matcher was written: talks
coded from either party's side (a visit only from the side that travels), a transfer coded as aid
or, when it is a sale, as trade cooperation, a mode or a target left out, the theme printed with
its number or left out, the quantity with or without its unit, a claim someone made coded as
reported or asserted. The coding draws on its own random stream (seeded by the claim's id), so
the texts are the same as without events.

Each copy is turned into the ``ExtractionResult`` an extraction would store (spans exact, since
the text is composed here), with the truth of every quote and claim mention: which story element
it prints.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from bench_reconcile import Organization, Person, _organizations, _persons, _typo
from faker import Faker
from faker.providers.lorem.en_US import Provider as EnglishWords

from pipeline.ingest.articles import Article
from schemas.events import Modality
from schemas.extraction import ActorKind, QuoteKind
from schemas.records import (
    Actor,
    Claim,
    ClaimEvent,
    ExtractionResult,
    GroundedPart,
    GroundedQuantity,
    LLMCall,
    MatchKind,
    Mention,
    PromptRef,
    Quote,
    Span,
    Usage,
)

# The bench's own states and their other names (bench_reconcile draws its states from the
# generated world data now; this corpus keeps the short list it was written with).
STATES = (
    ("North Korea", ("DPRK", "N.K.", "Pyongyang", "Democratic People's Republic of Korea")),
    ("South Korea", ("Seoul", "ROK")), ("United States", ("US", "U.S.", "Washington")),
    ("Russia", ("Moscow", "the Kremlin", "Russian Federation")), ("Iran", ("Tehran",)),
    ("China", ("Beijing", "PRC")), ("Ukraine", ("Kyiv",)), ("Syria", ("Damascus",)),
    ("United Kingdom", ("UK", "Britain", "London")), ("France", ("Paris",)),
    ("Germany", ("Berlin",)), ("Japan", ("Tokyo",)), ("Israel", ("Jerusalem",)),
    ("Turkey", ("Ankara",)), ("India", ("New Delhi",)), ("Belarus", ("Minsk",)),
)  # fmt: skip

PROMPT = PromptRef(id="extract", version=1, sha256="5e" * 32)
MODEL = "synthetic-wire"
WORDS = [w for w in EnglishWords.word_list if w.isalpha()]
# Phrases speakers repeat in many remarks: runs of words that are frequent across the corpus.
STOCK = ("we will continue to", "the united states", "it is important that", "we do not",
         "at the end of the day", "we will not", "i think that", "the people of",
         "as i said")  # fmt: skip
CONTRACTIONS = (("we will", "we’ll"), ("do not", "don’t"), ("it is", "it’s"), ("we are", "we’re"))
# (past, participle) of verbs news uses for transfers, and the goods.
VERBS = (("sent", "sent"), ("delivered", "delivered"), ("shipped", "shipped"), ("sold", "sold"),
         ("transferred", "transferred"), ("supplied", "supplied"), ("exported", "exported"),
         ("gave", "given"))  # fmt: skip
GOODS = ("artillery shells", "drones", "tanks", "rifles", "ballistic missiles", "grain", "fuel",
         "fertilizer", "helicopters", "radar systems", "ammunition", "armoured vehicles", "trucks",
         "generators", "medical supplies", "satellite phones", "body armour",
         "cruise missiles")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov")


@dataclass(frozen=True)
class StoryQuote:
    speaker: int  # index into the story's persons
    words: tuple[str, ...]


@dataclass(frozen=True)
class StoryClaim:
    kind: str  # 'transfer' | 'meeting' | 'accusation'
    agent: str
    party: str
    goods: str
    count: str
    place: str
    asserter: int | None  # index into the story's persons; None: the outlet asserts it
    verb: tuple[str, str]


@dataclass(frozen=True)
class Story:
    number: int
    persons: tuple[Person, ...]
    states: tuple[tuple[str, tuple[str, ...]], ...]
    organization: Organization
    city: str
    elements: tuple[StoryQuote | StoryClaim, ...]


@dataclass
class Copy:
    """One article: what the store gets, and the truth of its quotes and claims by mention key."""

    article: Article
    result: ExtractionResult
    truth: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, key, truth)


class Wire:
    """Stories and their reprints, reproducible from ``seed``."""

    def __init__(self, seed: int = 0, *, persons: int = 4000, organizations: int = 400) -> None:
        self.rng = random.Random(seed)
        self.faker = Faker("en_US")
        self.faker.seed_instance(seed)
        self.persons = _persons(self.rng, persons)
        self.organizations = _organizations(self.rng, organizations)
        self.person_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.persons))]
        self.outlets = [self._outlet() for _ in range(600)]
        self.stories = 0

    def _outlet(self) -> str:
        name = self.faker.last_name()
        return f"The {name} {self.rng.choice(('Times', 'Herald', 'Post', 'Courier', 'Daily'))}"

    def story(self) -> Story:
        rng = self.rng
        persons = tuple(dict.fromkeys(
            rng.choices(self.persons, self.person_weights, k=3)))  # fmt: skip
        states = tuple(rng.sample(STATES, 3))
        city = self.faker.city()
        elements: list[StoryQuote | StoryClaim] = []
        for _ in range(11):
            elements.append(StoryQuote(rng.randrange(len(persons)), self._remark()))
        for _ in range(16):
            elements.append(self._claim(persons, states, city))
        rng.shuffle(elements)
        self.stories += 1
        return Story(self.stories, persons, states, rng.choice(self.organizations), city,
                     tuple(elements))  # fmt: skip

    def _remark(self) -> tuple[str, ...]:
        rng = self.rng
        words: list[str] = []
        while len(words) < rng.randint(12, 34):
            if rng.random() < 0.15:
                phrase = rng.choice(STOCK)
                for plain, contracted in CONTRACTIONS:
                    if rng.random() < 0.5:  # how the speaker said it, the same in every copy
                        phrase = f" {phrase} ".replace(f" {plain} ", f" {contracted} ").strip()
                words.extend(phrase.split())
            else:
                words.extend(rng.choices(WORDS, k=rng.randint(2, 5)))
        return tuple(words)

    def _claim(self, persons: tuple[Person, ...], states: tuple[tuple[str, tuple[str, ...]], ...],
               city: str) -> StoryClaim:
        rng = self.rng
        agent, party = rng.sample([s[0] for s in states], 2)
        kind = rng.choice(("transfer", "transfer", "meeting", "accusation"))
        place = city if rng.random() < 0.5 else self.faker.city()
        count = f"{rng.randint(2, 900) * rng.choice((1, 10, 100)):,}"
        asserter = rng.randrange(len(persons)) if rng.random() < 0.6 else None
        return StoryClaim(kind, agent, party, rng.choice(GOODS), count, place, asserter,
                          rng.choice(VERBS))  # fmt: skip

    def copies(self, story: Story, count: int, first_article: int) -> Iterator[Copy]:
        for n in range(count):
            yield self._print(story, first_article + n)

    def _print(self, story: Story, number: int) -> Copy:
        rng = self.rng
        article_id = f"wire{number:07d}"
        outlet = rng.choice(self.outlets)
        curly = rng.random() < 0.5
        printer = _Printer()
        printer.line(f"{outlet} | {rng.choice(('World', 'Politics', 'International', 'News'))}")
        printer.line(f"{story.city.upper()}, {rng.choice(MONTHS)} {rng.randint(1, 28)} ({outlet})"
                     f" {'—' if curly else '--'} ", end="")  # fmt: skip
        actors: list[Actor] = []
        local: dict[str, str] = {}

        def actor(name: str, kind: ActorKind, span: Span, title: str | None = None) -> str:
            actor_id = f"{article_id}/a{len(actors)}"
            actors.append(Actor(actor_id=actor_id, name=name, kind=kind, title=title,
                                mentions=[Mention(text=name, span=span)]))  # fmt: skip
            local[name] = actor_id
            return actor_id

        def alias(actor_id: str, text: str, span: Span) -> None:
            found = next(a for a in actors if a.actor_id == actor_id)
            found.mentions.append(Mention(text=text, span=span))

        surname_of: dict[int, str] = {}
        for k, person in enumerate(story.persons):
            full = rng.choice(person.spellings)
            printer.add(f"{person.title} ")
            span = printer.add(full)
            surname_of[k] = actor(full, ActorKind.PERSON, span, person.title)
            printer.add(", " if k < len(story.persons) - 1 else " met officials of ")
        for k, (state, aliases) in enumerate(story.states):
            state_id = actor(state, ActorKind.COUNTRY, printer.add(state))
            if aliases and rng.random() < 0.5:
                printer.add(" (")
                name = rng.choice(aliases)
                alias(state_id, name, printer.add(name))
                printer.add(")")
            printer.add(", " if k < len(story.states) - 1 else " and the ")
        organization = story.organization
        org_id = actor(organization.name, ActorKind.ORGANIZATION, printer.add(organization.name))
        if organization.acronym and rng.random() < 0.5:  # companies and departments have none
            printer.add(" (")
            alias(org_id, organization.acronym, printer.add(organization.acronym))
            printer.add(")")
        printer.add(".")
        printer.line("")
        quotes: list[Quote] = []
        claims: list[Claim] = []
        truth: list[tuple[str, str, str]] = []
        named: set[int] = set()
        for position, element in enumerate(story.elements):
            if rng.random() < 0.08:  # a dropped paragraph
                continue
            element_truth = f"s{story.number}e{position}"
            if isinstance(element, StoryQuote):
                person = story.persons[element.speaker]
                text = _edit_remark(rng, element.words, curly)
                open_mark, close_mark = ("“", "”") if curly else ('"', '"')
                printer.add(open_mark)
                span = printer.add(text + ("," if rng.random() < 0.3 else ""))
                printer.add(f"{close_mark} ")
                if element.speaker in named or rng.random() < 0.5:
                    speaker_name = person.surname
                    alias(surname_of[element.speaker], speaker_name, printer.add(speaker_name))
                    printer.add(" said.")
                else:
                    speaker_name = next(a.name for a in actors
                                        if a.actor_id == surname_of[element.speaker])
                    printer.add(f"said {speaker_name}.")
                named.add(element.speaker)
                printer.line("")
                quote_id = f"{article_id}/q{len(quotes)}"
                quotes.append(Quote(quote_id=quote_id, text=span_text(printer, span), span=span,
                                    speaker_id=surname_of[element.speaker], speaker=speaker_name,
                                    kind=QuoteKind.DIRECT))  # fmt: skip
                truth.append(("quote", f"{article_id}@{span.start}-{span.end}", element_truth))
            else:
                statement, evidence = _claim_texts(rng, element, story, curly)
                span = printer.add(evidence)
                printer.line("")
                asserter = (story.persons[element.asserter]
                            if element.asserter is not None else None)  # fmt: skip
                claim_id = f"{article_id}/c{len(claims)}"
                claims.append(Claim(
                    claim_id=claim_id, statement=statement,
                    asserted_by_id=surname_of[element.asserter] if asserter is not None else None,
                    asserted_by=next(a.name for a in actors
                                     if a.actor_id == surname_of[element.asserter])
                    if element.asserter is not None else None,
                    evidence=span_text(printer, span), span=span,
                    event=_event(random.Random(claim_id), element, span_text(printer, span),
                                 span.start, local),
                ))  # fmt: skip
                truth.append(("claim", f"{article_id}@{span.start}-{span.end}", element_truth))
        printer.line(rng.choice((f"© 2026 {outlet}. All rights reserved.",
                                 f"Reporting by {self.faker.name()}; editing by "
                                 f"{self.faker.name()} for {outlet}.")))  # fmt: skip
        text = printer.text()
        digest = hashlib.sha256(text.encode()).hexdigest()
        article = Article(article_id=article_id, text=text, content_sha256=digest)
        call = LLMCall(
            model=MODEL, mode="tools", prompt=PROMPT, input_sha256=digest,
            schema_sha256="cd" * 32,
            request_messages=[{"role": "system", "content": "Extract actors, quotes, claims."},
                              {"role": "user", "content": text}],
            answers=['{"synthetic": true}'], reask_errors=[], transport_retries=0,
            usage=Usage(), latency_ms=0.0,
        )  # fmt: skip
        result = ExtractionResult(
            article_id=article_id, content_sha256=digest, model=MODEL, prompt=PROMPT,
            actors=actors, quotes=quotes, claims=claims, rejected=[], call=call,
        )
        return Copy(article, result, truth)


class _Printer:
    """Builds an article's text and hands back the span of each piece written."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0

    def add(self, piece: str) -> Span:
        start = self._length
        self._parts.append(piece)
        self._length += len(piece)
        return Span(start=start, end=self._length, match=MatchKind.EXACT)

    def line(self, piece: str, *, end: str = "\n\n") -> None:
        self.add(piece + end)

    def text(self) -> str:
        return "".join(self._parts)


def span_text(printer: _Printer, span: Span) -> str:
    return printer.text()[span.start : span.end]


def _edit_remark(rng: random.Random, words: tuple[str, ...], curly: bool) -> str:
    """The remark as one outlet prints it: trimmed, cut, typo'd, contracted or whole."""
    chosen = list(words)
    roll = rng.random()
    if roll < 0.08 and len(chosen) > 12:  # trimmed end
        chosen = chosen[: rng.randint(int(len(chosen) * 0.55), len(chosen) - 2)]
    elif roll < 0.12 and len(chosen) > 12:  # trimmed start
        chosen = chosen[rng.randint(2, int(len(chosen) * 0.45)) :]
    text = " ".join(chosen)
    if roll >= 0.12 and roll < 0.16 and len(chosen) > 14:  # middle cut with an ellipsis
        cut = rng.randint(5, len(chosen) - 8)
        text = " ".join(chosen[:cut]) + (" … " if curly else " ... ") + " ".join(chosen[cut + 3 :])
    if not curly:  # the speaker's contractions ('we’ll') as the outlet's keyboard types them
        text = text.replace("’", "'")
    if rng.random() < 0.02:
        text = _typo(rng, text)
    return text[0].upper() + text[1:]


def _claim_texts(rng: random.Random, claim: StoryClaim, story: Story, curly: bool
                 ) -> tuple[str, str]:
    """(the statement the extraction words, the article's sentence stating it)."""
    past, participle = claim.verb
    perfect = rng.random() < 0.12
    placeless = rng.random() < 0.1
    where = "" if placeless else f" near {claim.place}"
    if claim.kind == "transfer":
        verb = f"has {participle}" if perfect else past
        statement = f"{claim.agent} {verb} {claim.count} {claim.goods} to {claim.party}{where}."
        core = f"{claim.agent} had {participle} {claim.count} {claim.goods} to {claim.party}"
    elif claim.kind == "meeting":
        verb = "has held talks" if perfect else "held talks"
        statement = (f"{claim.agent} {verb} with {claim.party} on {claim.count} tonnes of "
                     f"{claim.goods}{where}.")  # fmt: skip
        core = (f"{claim.agent} held talks with {claim.party} about {claim.count} tonnes of "
                f"{claim.goods}")  # fmt: skip
    else:
        verb = "has accused" if perfect else "accused"
        statement = (f"{claim.agent} {verb} {claim.party} of hiding {claim.count} "
                     f"{claim.goods}{where}.")  # fmt: skip
        core = f"{claim.agent} accused {claim.party} of hiding {claim.count} {claim.goods}"
    apostrophe = "’" if curly else "'"
    if claim.asserter is not None:
        person = story.persons[claim.asserter]
        evidence = f"{person.surname} said {core} near {claim.place}{apostrophe}s outskirts."
    else:
        evidence = f"{core} near {claim.place}, officials said."
    return statement, evidence[0].upper() + evidence[1:]


def _event(rng: random.Random, claim: StoryClaim, evidence: str, start: int,
           local: dict[str, str]) -> ClaimEvent:  # fmt: skip
    """The event of one copy's claim, its parts grounded in the evidence (at ``start``)."""

    def part(text: str) -> GroundedPart:
        at = start + evidence.index(text)
        return GroundedPart(text=text, span=Span(start=at, end=at + len(text),
                                                 match=MatchKind.EXACT))  # fmt: skip

    source, target = claim.agent, claim.party
    value = float(claim.count.replace(",", ""))
    counted = f"{claim.count} {claim.goods}"
    unit: str | None = claim.goods.split()[-1]
    mode = None
    if claim.kind == "transfer":
        sale = claim.verb[0] in ("sold", "exported")
        event_type = "COOPERATE" if sale and rng.random() < 0.3 else "AID"
    elif claim.kind == "meeting":
        event_type = "CONSULT"
        counted, unit = f"{claim.count} tonnes", "t"
        if rng.random() < 0.5:  # talks are of both: either side may be coded as the source
            source, target = target, source
        elif rng.random() < 0.3:
            mode = "visit"  # only from the side that travels, so no copy reverses a visit
    else:
        event_type = "ACCUSE"
        mode = "allege" if rng.random() < 0.7 else None
    roll = rng.random()
    theme = part(counted if roll < 0.1 and claim.kind != "meeting" else claim.goods)
    if roll > 0.97:
        theme = None  # the model left the theme out
    if claim.kind != "meeting" and rng.random() < 0.1:
        target = None
    quantity = part(counted)
    asserted = claim.asserter is None or rng.random() < 0.2
    return ClaimEvent(
        event_type=event_type, mode=mode, codebook="plover.v2",
        source=source, source_id=local[source],
        target=target, target_id=local[target] if target is not None else None,
        theme=theme,
        quantity=GroundedQuantity(**quantity.model_dump(), value=value,
                                  unit=unit if rng.random() < 0.7 else None),
        modality=Modality.ASSERTED if asserted else Modality.REPORTED,
    )  # fmt: skip


def reprints(rng: random.Random) -> int:
    """How many outlets reprint one story: most a few, some hundreds (heavy tail)."""
    roll = rng.random()
    if roll < 0.40:
        return 1
    if roll < 0.70:
        return rng.randint(2, 5)
    if roll < 0.90:
        return rng.randint(6, 30)
    if roll < 0.99:
        return rng.randint(31, 200)
    return rng.randint(201, 1500)


def corpus(articles: int, *, seed: int = 0, first_article: int = 0,
           wire: Wire | None = None) -> Iterator[Copy]:
    """``articles`` copies of as many stories as it takes."""
    wire = wire or Wire(seed)
    made = 0
    while made < articles:
        story = wire.story()
        count = min(reprints(wire.rng), articles - made)
        yield from wire.copies(story, count, first_article + made)
        made += count
