"""Benchmark actor reconciliation at 10k, 100k and 1M synthetic mentions, scored per kind.

    python bench/bench_reconcile.py                      # 10k, 100k, 1M
    python bench/bench_reconcile.py --sizes 10000 50000  # other sizes

Each size runs in a fresh subprocess, so that its peak memory (``ru_maxrss`` of that process: the
generated mentions, the reconciler and DuckDB in process) is its own. Printed per size: the time of
``reconcile_actors`` alone, peak memory, the memory the generated input held before reconciling,
the distinct names scored by Splink and the pairs it kept, pairwise precision and recall against
the generator's truth, and the growth of time against the growth of size.

The corpus imitates what ``mentions_from_results`` gives for news: one mention per distinct name of
an actor in an article, about 17 per article, actors drawn by popularity (a few very
popular, a long tail), persons introduced with a title ('Russian Foreign Minister Ana Petrova')
then named by surname, sometimes by a descriptor ('the minister') or initials ('A. Petrova');
surnames by a shifted Zipf law (the commonest borne by about 0.4% of persons); Korean names family
name first with hyphenation variants ('Kim Jong-un', 'Kim Jong Un'); typos in
about 3% of full names; states by name, abbreviation or capital ('DPRK', 'Pyongyang', 'the North'),
organizations by name then acronym, some with typos; some stories name a person by surname only.

Names are drawn from the generated world data (every state of ``countries.v2.toml`` with its
names and capitals, every organisation of ``organisations.v2.toml`` with its abbreviations,
printed with or without 'the'), and varied by rules of this file that the matcher was not written
from: honorifics, fathers and sons ('Jr.' / 'Sr.'), letter-group transliterations ('ph'/'f',
'k'/'q'), companies with and without a legal form, 'Department of X' / 'X Department'. Precision
and recall are printed for all mentions and per kind (persons, countries, organisations).
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import random
import resource
import string
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.reconcile import reconcile_actors
from pipeline.reconcile.knowledge import WORLD_FILES
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


def _words(text: str) -> list[str]:
    return text.split()


GIVEN = _words(
    "Anna Antony Robert Linda Maria Jorge Olaf Ana Sergei Ali Jens Richard Pat Yuri Andrew John "
    "Emma Lucas Sofia David Elena Marco Pierre Hassan Fatima Omar Ivan Olga Kenji Priya Rahul Li "
    "Chen Aisha Ahmed Carlos Lucia Miguel Isabel Pablo Thomas Sarah Laura Peter Paul Mark James "
    "Helen Nadia Viktor Dmitri Irina Tomas Jan Eva Karl Greta Hans Ingrid Lars Nils Astrid Erik "
    "Mateo Valentina Diego Camila Rafael Beatriz Joao Rosa Amir Leila Reza Samir Yasmin Kofi Ama "
    "Kwame Abena Chidi Ngozi Tunde Zainab Musa Halima Oleksandr Oksana Taras Mykola Natalia Boris"
)
SYLLABLES = _words(
    "ka ro mi tan vel or ber lin sto den gar hol mar pet kov ski son ez ley wick ford ham ton "
    "bur shaw ov ova enko uk ich ian ani dze adze ez ero ino etti ucci ard ault eau ier man ner "
    "ger berg stein feld ström qvist sen holm dahl vik nes rud lund ali abi uma ola ade eke obi"
)
KOREAN_FAMILY = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon")
KOREAN_SYLLABLES = _words("jong un yo il min ho seo yeon ji hye sung chul dae jun woo")
ROLES = (
    ("Foreign Minister", "minister"), ("Defence Minister", "minister"), ("President", "president"),
    ("Secretary of State", "secretary"), ("Ambassador to the UN", "ambassador"),
    ("Deputy Ambassador", "ambassador"), ("spokesman", "spokesman"), ("Prime Minister", None),
    ("Interior Minister", "minister"), ("National Security Adviser", "aide"),
    ("Chief of Staff", None), ("General", "general"),
)  # fmt: skip
DEMONYMS = ("US", "Russian", "Chinese", "Iranian", "French", "German", "British", "Japanese", "")
HONORIFICS = ("Mr.", "Ms.", "Dr.", "Mrs.")
LEGAL_FORMS = ("Inc.", "Corp.", "Corporation", "AG", "plc", "S.A.", "Ltd.", "Co., Ltd.")
COMPANY_WORDS = _words("Motors Electronics Energy Holdings Steel Airlines Shipping Mining Foods")
DEPARTMENT_SUBJECTS = _words("Justice Agriculture Energy Labor Commerce Transport Education")
# Spelling variants of one name transliterated by two outlets, the bench's own, not the matcher's.
TRANSLITERATIONS = (("ph", "f"), ("k", "q"), ("ou", "u"), ("y", "i"), ("ee", "i"), ("dh", "d"))


def _world(kind: str) -> list[tuple[str, tuple[str, ...]]]:
    """(name, other names) of every entity of the generated knowledge file of this kind."""
    path = next(p for p in WORLD_FILES if p.name.startswith(f"{kind}.v"))  # the files in use
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        (e["name"], tuple(e.get("aliases", [])) + tuple(e.get("capitals", [])))
        for e in data["entity"]
    ]
ORG_FIRST = _words(
    "International National Global European Regional United Federal Central Independent"
)
ORG_MIDDLE = _words(
    "Crisis Energy Atomic Food Health Trade Security Maritime Aviation Refugee Climate Water "
    "Labour Finance Monetary Nuclear Space Transport Development Justice Press Election"
)
ORG_LAST = _words(
    "Group Agency Council Commission Organization Institute Fund Bureau Office Authority"
)


@dataclass(frozen=True)
class Person:
    truth: str
    spellings: tuple[str, ...]  # 'Kim Jong-un', 'Kim Jong un'
    given: str
    surname: str
    title: str
    head: str | None  # the noun of 'the minister'
    korean: bool


@dataclass(frozen=True)
class Organization:
    truth: str
    name: str
    acronym: str
    others: tuple[str, ...] = ()  # other printings: 'Toyota', 'Justice Department'
    kind: str = "synthetic"  # or world, company, department


def _surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()


def _typo(rng: random.Random, name: str) -> str:
    """One edit inside a word of four letters or more, never the first letter."""
    words = name.split()
    candidates = [k for k, w in enumerate(words) if len(w) >= 5]
    if not candidates:
        return name
    k = rng.choice(candidates)
    word = words[k]
    at = rng.randrange(2, len(word) - 1)
    edit = rng.choice(("swap", "drop", "double", "replace"))
    if edit == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif edit == "drop":
        word = word[:at] + word[at + 1 :]
    elif edit == "double":
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at] + rng.choice(string.ascii_lowercase) + word[at + 1 :]
    words[k] = word
    return " ".join(words)


def _persons(rng: random.Random, count: int) -> list[Person]:
    surnames = [_surname(rng) for _ in range(max(50, count // 3))]
    # Shifted Zipf: the commonest surname is borne by about 0.4% of persons, as 'Smith' or 'Wang'
    # among the people international news names; Korean family names come on top of that.
    weights = [1 / (rank + 50) for rank in range(len(surnames))]
    persons: list[Person] = []
    seen: set[tuple[str, str]] = set()
    while len(persons) < count:
        if rng.random() < 0.05:
            surname, korean = rng.choice(KOREAN_FAMILY), True
            first, second = rng.sample(KOREAN_SYLLABLES, 2)
            given = f"{first.capitalize()}-{second}"
            spellings: tuple[str, ...] = (
                f"{surname} {given}",
                f"{surname} {given.replace('-', ' ')}",
            )
        else:
            given, surname, korean = rng.choice(GIVEN), rng.choices(surnames, weights)[0], False
            spellings = (f"{given} {surname}",)
            if rng.random() < 0.05:  # one name transliterated two ways by different outlets
                variant = _transliterate(rng, surname)
                if variant != surname:
                    spellings = (f"{given} {surname}", f"{given} {variant}")
        if (given, surname) in seen:
            continue
        seen.add((given, surname))
        role, head = rng.choice(ROLES)
        title = f"{rng.choice(DEMONYMS)} {role}".strip()
        if not korean and rng.random() < 0.02:
            # Father and son: the same name but for the generational suffix, two actors.
            for suffix in ("Jr.", "Sr."):
                persons.append(
                    Person(f"p{len(persons)}", (f"{given} {surname} {suffix}",), given, surname,
                           title, head, korean)
                )  # fmt: skip
            continue
        persons.append(Person(f"p{len(persons)}", spellings, given, surname, title, head, korean))
    return persons


def _transliterate(rng: random.Random, surname: str) -> str:
    lower = surname.lower()
    found = [(a, b) for a, b in TRANSLITERATIONS if a in lower[1:]]
    if not found:
        return surname
    a, b = rng.choice(found)
    return (lower[0] + lower[1:].replace(a, b, 1)).capitalize()


def _organizations(rng: random.Random, count: int) -> list[Organization]:
    organizations: list[Organization] = []
    seen: set[str] = set()
    while len(organizations) < count:
        name = f"{rng.choice(ORG_FIRST)} {rng.choice(ORG_MIDDLE)} {rng.choice(ORG_LAST)}"
        if rng.random() < 0.5:
            name = f"{name} of {_surname(rng)}"
        if name in seen:
            continue
        seen.add(name)
        acronym = "".join(w[0] for w in name.split() if w != "of").upper()
        organizations.append(Organization(f"o{len(organizations)}", name, acronym))
    for name, others in _world("organisations"):
        abbreviations = [o for o in others if o.isupper()]
        longer = tuple(o for o in others if not o.isupper())
        acronym = rng.choice(abbreviations) if abbreviations else ""
        organizations.append(
            Organization(f"o{len(organizations)}", name, acronym, longer, "world")
        )
    for _ in range(max(5, count // 4)):
        head = _surname(rng)
        full = f"{head} {rng.choice(COMPANY_WORDS)}"
        if full in seen:
            continue
        seen.add(full)
        printed = (f"{full} {rng.choice(LEGAL_FORMS)}", head)
        organizations.append(Organization(f"o{len(organizations)}", full, "", printed, "company"))
    for subject in DEPARTMENT_SUBJECTS:
        state = rng.choice(("US", "British", "Canadian"))
        name = f"{state} Department of {subject}"
        organizations.append(
            Organization(f"o{len(organizations)}", name, "", (f"{subject} Department",
                         f"the {subject} Department"), "department")
        )  # fmt: skip
    return organizations


def generate(size: int, seed: int = 0) -> tuple[list[ActorMention], list[str]]:
    """``size`` actor mentions and, for each, the actor it truly names."""
    rng = random.Random(seed)
    persons = _persons(rng, max(20, size // 25))
    organizations = _organizations(rng, max(10, size // 250))
    rng.shuffle(organizations)  # popularity is not the order they were made in
    states = [(name, others) for name, others in _world("countries") if others]
    person_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(persons))]
    org_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(organizations))]
    mentions: list[ActorMention] = []
    truth: list[str] = []
    named: set[str] = set()

    def emit(article: str, name: str, kind: ActorKind, actor: str) -> None:
        """One mention per distinct name and article, as mentions_from_results gives them: a
        name two actors of the article share ('Smith') is one printed name, and the extraction
        gives it to one of them (here the first)."""
        if name in named:
            return
        named.add(name)
        mentions.append(ActorMention(article_id=article, name=name, kind=kind))
        truth.append(actor)

    article_number = 0
    while len(mentions) < size:
        article = f"art{article_number:07d}"
        article_number += 1
        named.clear()
        chosen = rng.choices(range(len(persons)), person_weights, k=5)
        for person in (persons[k] for k in dict.fromkeys(chosen)):
            if rng.random() < 0.03:  # a story that names the person by surname only
                emit(article, person.surname, ActorKind.PERSON, person.truth)
                continue
            full = rng.choice(person.spellings)
            if rng.random() < 0.03:
                full = _typo(rng, full)
            elif rng.random() < 0.03 and not person.korean:
                full = f"{person.given[0]}. {person.surname}"
            titled = rng.random() < 0.7
            if not titled and not person.korean and rng.random() < 0.2:
                full = f"{rng.choice(HONORIFICS)} {full}"
            emit(article, f"{person.title} {full}" if titled else full, ActorKind.PERSON,
                 person.truth)  # fmt: skip
            if rng.random() < 0.8:
                emit(article, person.surname, ActorKind.PERSON, person.truth)
            if titled and person.head and rng.random() < 0.1:  # 'the minister', once introduced
                emit(article, f"the {person.head}", ActorKind.PERSON, person.truth)
        for state, aliases in rng.sample(states, 3):
            emit(article, state, ActorKind.COUNTRY, f"s-{state}")
            for alias in rng.sample(aliases, min(len(aliases), rng.randint(0, 2))):
                emit(article, alias, ActorKind.COUNTRY, f"s-{state}")
        (organization,) = rng.choices(organizations, org_weights, k=1)
        name = organization.name
        if organization.others and rng.random() < 0.5:
            name = rng.choice(organization.others)
        elif organization.kind == "synthetic" and rng.random() < 0.02:
            name = _typo(rng, name)
        emit(article, name, ActorKind.ORGANIZATION, organization.truth)
        if organization.acronym and rng.random() < 0.5:
            the = "the " if organization.kind == "world" and rng.random() < 0.5 else ""
            emit(article, the + organization.acronym, ActorKind.ORGANIZATION, organization.truth)
    return mentions[:size], truth[:size]


def pairwise_precision_recall(predicted: list[str], truth: list[str]) -> tuple[float, float]:
    """From cluster sizes, in linear time: pairs are counted, never listed."""

    def pairs(counts: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter(zip(predicted, truth, strict=True)))
    return both / max(1, pairs(Counter(predicted))), both / max(1, pairs(Counter(truth)))


class _ScoredPairsCount(logging.Handler):
    """Reads the linkage module's debug line: how many name records, how many pairs kept."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.pairs = self.records = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("scored") and isinstance(record.args, tuple):
            pairs, records = record.args
            self.pairs, self.records = int(str(pairs)), int(str(records))


KINDS = ("person", "country", "organization")


def run_one(size: int, seed: int) -> dict[str, Any]:
    """Generate, then time reconcile_actors alone; runs in the child process."""
    mentions, truth = generate(size, seed)
    gc.collect()
    input_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scored = _ScoredPairsCount()
    linkage_log = logging.getLogger("pipeline.reconcile.linkage")
    linkage_log.setLevel(logging.DEBUG)
    linkage_log.addHandler(scored)
    started = time.perf_counter()
    clusters = reconcile_actors(mentions)
    seconds = time.perf_counter() - started
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    by_identity = {id(m): c.actor_id for c in clusters for m in c.mentions}
    predicted = [by_identity[id(m)] for m in mentions]
    precision, recall = pairwise_precision_recall(predicted, truth)
    per_kind = {}
    for kind in (ActorKind.PERSON, ActorKind.COUNTRY, ActorKind.ORGANIZATION):
        chosen = [k for k, m in enumerate(mentions) if m.kind is kind]
        per_kind[str(kind)] = pairwise_precision_recall(
            [predicted[k] for k in chosen], [truth[k] for k in chosen]
        )
    return {
        "size": size,
        "seconds": seconds,
        "peak_mib": peak_rss,
        "input_mib": input_rss,
        "clusters": len(clusters),
        "actors": len(set(truth)),
        "records": scored.records,
        "pairs": scored.pairs,
        "precision": precision,
        "recall": recall,
        "per_kind": per_kind,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(run_one(args.child, args.seed)))
        return
    print(f"bench_reconcile {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {_machine()}")
    header = (
        f"{'mentions':>10} {'seconds':>8} {'peak MiB':>9} {'input MiB':>9} {'names':>8} "
        f"{'pairs':>9} {'clusters':>9} {'actors':>8} {'P':>6} {'R':>6} {'time x':>7} {'size x':>7}"
    )
    print(header)
    previous: dict[str, Any] | None = None
    rows: list[dict[str, Any]] = []
    for size in args.sizes:
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(size),
             "--seed", str(args.seed)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if child.returncode != 0:
            print(f"{size:>10} failed:\n{child.stderr[-2000:]}")
            break
        row = json.loads(child.stdout.strip().splitlines()[-1])
        growth = (
            f"{row['seconds'] / previous['seconds']:>7.1f} {row['size'] / previous['size']:>7.1f}"
            if previous
            else f"{'':>7} {'':>7}"
        )
        print(
            f"{row['size']:>10,} {row['seconds']:>8.1f} {row['peak_mib']:>9.0f} "
            f"{row['input_mib']:>9.0f} {row['records']:>8,} {row['pairs']:>9,} "
            f"{row['clusters']:>9,} {row['actors']:>8,} {row['precision']:>6.3f} "
            f"{row['recall']:>6.3f} {growth}",
            flush=True,
        )
        previous = row
        rows.append(row)
    print("time: reconcile_actors only; peak: ru_maxrss of the fresh process (input included)")
    print(f"\n{'mentions':>10} " + " ".join(f"{k + ' P':>14} {k + ' R':>14}" for k in KINDS))
    for row in rows:
        print(f"{row['size']:>10,} " + " ".join(
            f"{row['per_kind'][k][0]:>14.3f} {row['per_kind'][k][1]:>14.3f}" for k in KINDS
        ))  # fmt: skip


def _machine() -> str:
    import os

    load = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


if __name__ == "__main__":
    main()
