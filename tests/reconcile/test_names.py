"""Reading a printed actor name: title split off, alias or capital resolved, parts named."""

from __future__ import annotations

import pytest

from pipeline.reconcile.knowledge import default_knowledge_index
from pipeline.reconcile.names import NameReader, given_names_agree, is_one_typo_apart
from pipeline.reconcile.organisations import is_mixed_case_acronym
from pipeline.reconcile.text import lookup_key, words
from schemas.extraction import ActorKind

P, C, ORG = ActorKind.PERSON, ActorKind.COUNTRY, ActorKind.ORGANIZATION


@pytest.fixture(scope="module")
def reader() -> NameReader:
    return NameReader(default_knowledge_index())


@pytest.mark.parametrize(
    ("printed", "name", "given", "surname", "role"),
    [
        pytest.param("US Secretary of State Antony Blinken", "Antony Blinken", ("antony",),
                     "blinken", "secretary-of-state", id="title-before-name"),
        pytest.param("White House National Security Council Coordinator for Strategic "
                     "Communications John Kirby", "John Kirby", ("john",), "kirby", "coordinator",
                     id="long-title"),
        pytest.param("Secretary-General of the UN Antonio Guterres", "Antonio Guterres",
                     ("antonio",), "guterres", "secretary-general", id="hyphenated-role"),
        pytest.param("NATO Secretary General Jens Stoltenberg", "Jens Stoltenberg", ("jens",),
                     "stoltenberg", "secretary-general", id="same-role-other-spelling"),
        pytest.param("Deputy US Ambassador Robert Wood", "Robert Wood", ("robert",), "wood",
                     "deputy-ambassador", id="modifier-is-part-of-the-role"),
        pytest.param("Treasury Secretary Scott Bessent", "Scott Bessent", ("scott",), "bessent",
                     "secretary", id="unknown-word-before-role"),
        pytest.param("North Korean leader Kim Jong-un", "Kim Jong-un", ("jong", "un"), "kim",
                     "leader", id="family-name-first"),
        pytest.param("Iran's Supreme Leader Ayatollah Ali Khamenei", "Ali Khamenei", ("ali",),
                     "khamenei", "supreme-leader", id="possessive-and-honorific-role"),
        pytest.param("Mr. Wood", "Wood", (), "wood", None, id="honorific"),
        pytest.param("US Chief of Staff Ana Senka", "Ana Senka", ("ana",), "senka",
                     "chief-of-staff", id="of-inside-a-role"),
        pytest.param("Secretary of State", "Secretary of State", (), None, "secretary-of-state",
                     id="role-alone"),
        pytest.param("Jack White", "Jack White", ("jack",), "white", None,
                     id="title-word-as-surname"),
        pytest.param("A. Blinken", "A. Blinken", ("a",), "blinken", None, id="initial"),
        pytest.param("NOAA Administrator Delia Marsh", "Delia Marsh", ("delia",), "marsh", None,
                     id="an-abbreviated-organisation-and-a-title-nameparser-knows"),
        pytest.param("Ruth Judge Harlow", "Ruth Judge Harlow", ("ruth", "judge"), "harlow", None,
                     id="a-title-word-after-a-given-name-is-a-name"),
    ],
)  # fmt: skip
def test_person_names_are_read_into_parts(
    reader: NameReader, printed: str, name: str, given: tuple[str, ...], surname: str, role: str
) -> None:
    read = reader.read(printed, P)
    assert (read.printed, read.given, read.surname, read.role) == (name, given, surname, role)


def test_a_title_given_apart_is_read_as_the_role(reader: NameReader) -> None:
    read = reader.read("Antony Blinken", P, "U.S. Secretary of State")
    assert read.role == "secretary-of-state"
    assert read.role_head == "secretary"


@pytest.mark.parametrize(
    ("printed", "head"),
    [
        pytest.param("the secretary", "secretary", id="the-secretary"),
        pytest.param("The Secretary of State", "secretary", id="secretary-of-state"),
        pytest.param("the secretary-general", "secretary-general", id="secretary-general"),
        pytest.param("the spokeswoman", "spokesman", id="spokeswoman"),
    ],
)
def test_a_role_without_a_name_is_a_descriptor(reader: NameReader, printed: str, head: str) -> None:
    read = reader.read(printed, P)
    assert read.is_descriptor and read.role_head == head
    assert read.identity is None


@pytest.mark.parametrize(
    ("printed", "kind", "key", "resolution"),
    [
        pytest.param("DPRK", C, "north-korea", "alias", id="abbreviation"),
        pytest.param("N.K.", C, "north-korea", "alias", id="dotted-abbreviation"),
        pytest.param("Democratic People’s Republic of Korea", C, "north-korea", "alias",
                     id="full-name-curly-apostrophe"),
        pytest.param("Pyongyang", C, "north-korea", "capital", id="capital"),
        pytest.param("Pyongyang", ORG, "north-korea", "capital", id="capital-as-government"),
        pytest.param("The United States", C, "united-states", "name", id="leading-the"),
        pytest.param("Seoul", C, "south-korea", "capital", id="other-korea"),
    ],
)  # fmt: skip
def test_known_names_resolve_to_their_entity(
    reader: NameReader, printed: str, kind: ActorKind, key: str, resolution: str
) -> None:
    read = reader.read(printed, kind)
    assert read.entity is not None and read.entity.key == key
    assert read.resolution == resolution
    assert read.identity == f"entity:{key}"


def test_a_person_named_like_a_capital_is_no_state(reader: NameReader) -> None:
    assert reader.read("Washington", P).entity is None


def test_contextual_names_wait_for_their_article(reader: NameReader) -> None:
    read = reader.read("the North", C)
    assert read.entity is None and [e.key for e in read.contextual] == ["north-korea"]
    assert read.identity is None
    both = reader.read("Security Council", ORG)
    assert len(both.contextual) == 2


def test_unknown_acronyms_are_partial_and_long_names_have_initials(reader: NameReader) -> None:
    assert reader.read("NRFC", ORG).is_acronym and reader.read("NRFC", ORG).is_partial
    assert reader.read("Northern Rivers Fishing Cooperative", ORG).acronym == "nrfc"
    assert reader.read("Ministry of Foreign Affairs", ORG).acronym == "mfa"
    assert not reader.read("Reuters", ORG).is_acronym


@pytest.mark.parametrize(
    ("left", "right", "agree"),
    [
        pytest.param(("antony",), ("anthony",), True, id="typo"),
        pytest.param(("a",), ("antony",), True, id="initial"),
        pytest.param(("j", "f"), ("john",), True, id="initials-and-first-name"),
        pytest.param(("john", "f"), ("john",), True, id="middle-initial"),
        pytest.param(("jong", "un"), ("jong", "il"), False, id="kim-jong-il"),
        pytest.param(("robert",), ("manhole",), False, id="different"),
        pytest.param(("a",), ("robert",), False, id="other-initial"),
        pytest.param(("jill",), ("joe",), False, id="short-names"),
    ],
)
def test_given_names_agree_only_when_one_person_could_bear_both(
    left: tuple[str, ...], right: tuple[str, ...], agree: bool
) -> None:
    assert given_names_agree(left, right) is agree
    assert given_names_agree(right, left) is agree


@pytest.mark.parametrize(
    ("left", "right", "typo"),
    [("blinken", "blinkin", True), ("wood", "good", False), ("kim", "kin", False),
     ("putin", "puitn", True), ("kowalski", "kowalsky", True), ("wood", "woods", True),
     ("amir", "samir", False)],
)  # fmt: skip
def test_one_typo_apart(left: str, right: str, typo: bool) -> None:
    assert is_one_typo_apart(left, right) is typo


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("N.K.", "NK"),
        ("Kim Jong-un", "Kim Jong Un"),
        ("Russia’s", "Russia's"),
        ("José", "Jose"),
        ("U.S.", "US"),
    ],
)
def test_words_set_typography_aside(left: str, right: str) -> None:
    assert words(left) == words(right)


def test_lookup_key_sets_a_leading_the_aside() -> None:
    assert lookup_key("The Kremlin") == lookup_key("Kremlin") == "kremlin"
    assert lookup_key("the") == "the"


@pytest.mark.parametrize(
    ("word", "acronym"),
    [
        pytest.param("BoE", True, id="a-small-words-initial-between-capitals"),
        pytest.param("KfW", True, id="a-foreign-small-word"),
        pytest.param("TfL", True, id="capitals-either-side"),
        pytest.param("CDs", True, id="a-trailing-lower-case-letter"),
        pytest.param("ICG", False, id="capitals-only-are-read-as-before"),
        pytest.param("McCain", False, id="a-surname"),
        pytest.param("FedEx", False, id="a-company-of-two-words"),
        pytest.param("Pemex", False, id="one-capital"),
    ],
)
def test_mixed_case_acronyms_are_capitals_with_small_words_initials(
    word: str, acronym: bool
) -> None:
    assert is_mixed_case_acronym(word) is acronym


def test_a_mixed_case_acronym_is_read_as_an_unknown_acronym(reader: NameReader) -> None:
    name = reader.read("the BoL", ActorKind.ORGANIZATION)
    assert name.is_acronym and name.is_partial and name.compact == "bol"
