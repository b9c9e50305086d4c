"""Read an organisation's printed name into the forms outlets vary it by.

'US Department of Justice', 'the Justice Department' and 'Department of Justice' are one
department: '<head> of <X>' reads '<X> <head>', and a leading state ('US', 'Chinese') is its
qualifier, kept so that the Chinese and the Russian foreign ministries never meet; a department
without its state is the one department of that name, but a league or a bank is not. 'Toyota Motor
Corporation', 'Toyota Motor Corp.' and 'Toyota' are one company: cleanco sets the legal form aside,
and the company's first word is the short form news uses, unless that word is a state: 'Saudi
Aramco' is 'Aramco', the name less its state, and 'Kuwait Petroleum Corporation' is not 'Kuwait'.
A state is read by its key however printed ('U.S. Steel' / 'United States Steel Corp.').
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cleanco import basename, matches, typesources  # type: ignore[import-untyped]  # no stubs

from pipeline.errors import ReconcileError
from pipeline.reconcile.knowledge import KNOWLEDGE_DIR, load_numbers
from pipeline.reconcile.text import words

ORGANISATION_NAMES_FILE = KNOWLEDGE_DIR / "organisation_names.v2.toml"


@lru_cache(maxsize=1)
def _organisation_names() -> dict[str, frozenset[str]]:
    path = ORGANISATION_NAMES_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return {key: frozenset(str(word) for word in data[key]) for key in ("heads", "group_words")}
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise ReconcileError(f"cannot read the organisation name rules: {exc}", path=path) from exc


def organisation_heads() -> frozenset[str]:
    return _organisation_names()["heads"]


@dataclass(frozen=True, slots=True)
class OrganisationForm:
    form: str  # 'justice department', 'toyota motor', 'united-states steel' (a state by its key)
    bare: str  # the form without its state qualifier
    qualifier: str | None  # the key of the state that qualifies it: 'united-states'
    company_head: str | None  # a company's first word, when a legal form was printed: 'toyota'
    # The kind of legal form printed, by cleanco's types ('Corporation' for 'AG', 'Corp.' and
    # 'Corporation') or, for a form cleanco gives no type, its words ('se'); None for none.
    legal_form: str | None = None
    # The form less its last group words ('rio tinto' of 'Rio Tinto Group', 'hsbc' of 'HSBC
    # Holdings plc'), when it printed any; compared whole, never as a company's first word.
    group_core: str | None = None


@lru_cache(maxsize=1)
def _legal_types() -> list[tuple[str, str]]:
    return list(typesources())


def legal_form_kind(name: str, stripped: str) -> str | None:
    """The legal form ``name`` prints beyond ``stripped``, as 'cleanco types|words': 'Porsche AG'
    -> 'Corporation|ag', 'Porsche SE' -> '|se' (cleanco types no 'SE'), 'Porsche' -> None."""
    printed, kept = lookup_words(name), lookup_words(stripped)
    if printed == kept:
        return None
    types = " ".join(sorted(matches(name, _legal_types())))
    return f"{types}|{' '.join(printed[len(kept) :])}"


def legal_forms_differ(left: str, right: str) -> bool:
    """Two legal forms of two companies: no word in common and not of one cleanco type ('AG' /
    'SE', 'KGaA' / 'Co.'); 'Corp.' / 'Corporation' and 'Co., Ltd.' / 'Co.' are one form."""
    left_type, _, left_words = left.partition("|")
    right_type, _, right_words = right.partition("|")
    if set(left_words.split()) & set(right_words.split()):
        return False
    return not (left_type and left_type == right_type)


def without_legal_form(name: str) -> tuple[str, bool]:
    """'Samsung Electronics Co., Ltd.' -> ('Samsung Electronics', True)."""
    stripped = name
    for _ in range(3):  # 'Co., Ltd.': cleanco takes one legal form at a time
        shorter = basename(stripped)
        if not shorter or shorter == stripped:
            break
        stripped = shorter
    return stripped, lookup_words(stripped) != lookup_words(name)


# Capitals, each lower-case letter between two of them ('BoE', 'DfT') or the last one.
_MIXED_CASE = re.compile(r"[A-Z](?:[A-Z0-9]|[a-z](?=[A-Z0-9]))*[a-z]?")


def is_mixed_case_acronym(word: str) -> bool:
    """'BoE', 'DoJ', 'KfW', 'AfD': two capitals or more, every lower-case letter a small word's
    initial between capitals, or the last letter. Not 'McCain', 'FedEx', 'YouTube', 'Pemex'."""
    if word.isupper() or not _MIXED_CASE.fullmatch(word):
        return False
    return sum(char.isupper() for char in word) >= 2


def is_syllabic_short_form(short: str, content: tuple[str, ...]) -> bool:
    """Whether a one-word name is the first letters of each of the content words of a longer
    one, in order, two or more of each: 'pemex' of 'petroleos mexicanos', 'petrobras' of
    'petroleo brasileiro'."""
    if len(content) < 2 or len(short) < 5:
        return False

    def fits(rest: str, at: int) -> bool:
        if at == len(content):
            return not rest
        word = content[at]
        return any(
            rest.startswith(word[:cut]) and fits(rest[cut:], at + 1)
            for cut in range(min(len(word), len(rest)), 1, -1)
        )

    return fits(short, 0)


def lookup_words(text: str) -> tuple[str, ...]:
    found = words(text)
    return found[1:] if len(found) > 1 and found[0] == "the" else found


def read_organisation(
    name: str,
    *,
    function_words: frozenset[str],
    state_of: dict[str, str],
) -> OrganisationForm:
    """``state_of`` maps a folded state name or demonym ('us', 'chinese') to the state's key."""
    stripped, had_legal_form = without_legal_form(name)
    numbers = load_numbers()  # 'Group of Twenty' is 'Group of 20'
    tokens = [numbers.get(token, token) for token in lookup_words(stripped)]
    heads = organisation_heads()
    if len(tokens) > 2 and tokens[0] in heads and tokens[1] == "of":
        tokens = [*tokens[2:], tokens[0]]
    for at in range(len(tokens) - 2):
        if tokens[at] in heads and tokens[at + 1] == "of" and at > 0:
            tokens = [*tokens[:at], *tokens[at + 2 :], tokens[at]]
            break
    qualifier = None
    bare = tokens
    for width in (3, 2, 1):
        lead = " ".join(tokens[:width])
        if len(tokens) > width and lead in state_of:
            qualifier, bare = state_of[lead], tokens[width:]
            break
    content = [t for t in tokens if t not in function_words]
    bare_content = [t for t in bare if t not in function_words]
    if qualifier is not None:
        # 'Kuwait Petroleum Corp.' is not 'Kuwait'; 'Saudi Aramco' is 'Aramco': the name less
        # its state, when one word is left.
        company_head = bare_content[0] if len(bare_content) == 1 else None
    else:
        company_head = content[0] if had_legal_form and len(content) > 1 else None
    # 'US Justice Department' is the 'Justice Department' of an American article, but the
    # 'Indian Premier League' is not the 'Premier League': only a body of a state's government
    # (a head of organisation_names) is printed without its state.
    state_body = bool(bare_content) and bare_content[-1] in heads
    if qualifier is not None:
        # 'U.S. Steel' and 'United States Steel Corp.': the state by its key, however printed.
        content = [qualifier, *bare_content]
    return OrganisationForm(
        form=" ".join(content),
        bare=" ".join(bare_content if state_body or qualifier is None else content),
        qualifier=qualifier,
        company_head=company_head,
        legal_form=legal_form_kind(name, stripped) if had_legal_form else None,
        group_core=_without_group_words(content),
    )


def _without_group_words(content: list[str]) -> str | None:
    """'alibaba group holding' -> 'alibaba'; None when no group word ends the form, or nothing
    would be left before them."""
    group_words = _organisation_names()["group_words"]
    end = len(content)
    while end > 1 and content[end - 1] in group_words:
        end -= 1
    return " ".join(content[:end]) if end < len(content) else None


def is_state_body_without_state(form: OrganisationForm) -> bool:
    """'Foreign Ministry', 'Ministry of Health': a body of a state's government (its last word a
    head of organisation_names) printed without the state it belongs to."""
    return (
        form.qualifier is None
        and form.bare == form.form
        and (form.form.rpartition(" ")[2] in organisation_heads())
    )


def ambiguous_company_heads(forms: Iterable[OrganisationForm]) -> frozenset[str]:
    """Company first words that stand for two companies of the corpus, so a short form printed
    with it is neither's: 'Siemens' where the corpus prints 'Siemens AG' and 'Siemens Energy AG',
    'Porsche' beside 'Porsche AG' and 'Porsche Automobil Holding SE'. A company is a form printed
    with a legal form, told apart by that form ('Porsche AG' / 'Porsche SE')."""
    longer: dict[str, set[str]] = {}
    forms = list(forms)
    for form in forms:
        if form.company_head is not None:
            longer.setdefault(form.company_head, set()).add(form.form)
    legal: dict[str, set[str]] = {}
    for form in forms:
        if form.legal_form is not None and form.form in longer:
            legal.setdefault(form.form, set()).add(form.legal_form)
    # 'Tata Group' is a company 'tata' beside 'Tata Motors Ltd', as 'Tata Ltd' would be.
    grouped: dict[str, set[str]] = {}
    for form in forms:
        if form.group_core is not None and form.group_core in longer:
            grouped.setdefault(form.group_core, set()).add(form.form)
    shared = set()
    for head, found in longer.items():
        printed = legal.get(head, set())
        companies = (
            len(found)
            + bool(printed)
            + any(legal_forms_differ(a, b) for a in printed for b in printed)
            + bool(grouped.get(head, set()) - found)
        )
        if companies > 1:
            shared.add(head)
    return frozenset(shared)
