"""Incremental reconcile: articles added after a reconciliation are matched against the stored
clusters, and the result is the one a full run would give (same clusters, same ids)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

import pytest

from pipeline.ingest.articles import Article
from pipeline.reconcile import explanation_text, load_reconciliation
from pipeline.reconcile import incremental as incremental_module
from pipeline.reconcile.incremental import fingerprint, reconcile_store
from pipeline.reconcile.paraphrase import StockPhrases
from pipeline.reconcile.storage import stored_stock
from pipeline.settings import Settings
from pipeline.store.db import CacheKey, InputRef, Store
from pipeline.store.migrations import MIGRATIONS, applied_migrations, m014_cluster_parts
from schemas.clusters import MergeRule
from schemas.extraction import ActorKind, QuoteKind
from schemas.records import (
    Actor,
    Claim,
    ExtractionResult,
    LLMCall,
    MatchKind,
    Mention,
    PromptRef,
    Quote,
    Span,
    Usage,
)

PROMPT = PromptRef(id="extract", version=1, sha256="ab" * 32)
MODEL = "test-model"
KEY = CacheKey(model=MODEL, prompt=PROMPT, schema_sha256="cd" * 32)
REMARK = ("We will hold Russia accountable for every attack on the power grid of Ukraine and we "
          "will keep sending air defence systems until the winter is over")  # fmt: skip
FIRST_HALF = " ".join(REMARK.split()[:12])  # 'We will hold ... of Ukraine'
SECOND_HALF = " ".join(REMARK.split()[13:])  # 'we will keep sending ... over'
OTHER = "The talks in Geneva were frank and long and they will go on next month with new partners"


def _article(article_id: str, speaker: str, remarks: list[str], claims: list[str],
             others: list[str] = ()) -> tuple[Article, ExtractionResult]:  # type: ignore[assignment]
    """An article naming ``speaker`` (and ``others``), quoting ``remarks``, stating ``claims``."""
    text, spans = "", []

    def add(piece: str) -> Span:
        nonlocal text
        span = Span(start=len(text), end=len(text) + len(piece), match=MatchKind.EXACT)
        text += piece
        return span

    add("WASHINGTON — ")
    speaker_span = add(speaker)
    add(" spoke on Monday. ")
    actors = [Actor(actor_id="a0", name=speaker, kind=ActorKind.PERSON,
                    mentions=[Mention(text=speaker, span=speaker_span)])]
    for number, other in enumerate(others, 1):
        actors.append(Actor(actor_id=f"a{number}", name=other, kind=ActorKind.PERSON,
                            mentions=[Mention(text=other, span=add(other))]))
        add(" was there. ")
    quotes = []
    for number, remark in enumerate(remarks):
        add('"')
        spans.append(add(remark))
        add(f'," {speaker} said. ')
        quotes.append(Quote(quote_id=f"q{number}", text=remark, span=spans[-1], speaker_id="a0",
                            speaker=speaker, kind=QuoteKind.DIRECT))
    found = []
    for number, statement in enumerate(claims):
        evidence = add(statement)
        add(" ")
        found.append(Claim(claim_id=f"c{number}", statement=statement, asserted_by_id=None,
                           asserted_by=None, evidence=statement, span=evidence))
    digest = hashlib.sha256(text.encode()).hexdigest()
    call = LLMCall(model=MODEL, mode="tools", prompt=PROMPT, input_sha256=digest,
                   schema_sha256="cd" * 32, request_messages=[], answers=["{}"],
                   reask_errors=[], transport_retries=0, usage=Usage(), latency_ms=0.0)
    result = ExtractionResult(article_id=article_id, content_sha256=digest, model=MODEL,
                              prompt=PROMPT, actors=actors, quotes=quotes, claims=found,
                              rejected=[], call=call)
    return Article(article_id=article_id, text=text, content_sha256=digest), result


def _record(path: Path, articles: list[tuple[Article, ExtractionResult]]) -> None:
    with Store(path) as store:
        run = store.start_run(Settings(model=MODEL), KEY, concurrency=1)
        for article, result in articles:
            store.record_extraction(run, article, result, KEY,
                                    source=InputRef(path=None, article_id=article.article_id))


BASE = [
    _article("a1", "Antony Blinken", [FIRST_HALF, OTHER],
             ["Iran supplied drones to Russia.", "North Korea sent artillery shells to Russia."]),
    _article("a2", "Antony Blinken", [FIRST_HALF], ["Iran supplied drones to Russia."]),
    _article("a3", "Blinken", [SECOND_HALF], ["Iran has supplied drones to Russia."]),
    _article("a4", "Kim Jong Un", ["Our missiles are ready for any war the enemy starts on us"],
             ["China sold fuel to North Korea."], others=["Choe Son Hui"]),
]
ADDED = [
    # The whole remark: both halves, stored as two quotes, are fragments of it.
    _article("a5", "Antony Blinken", [REMARK], ["Iran supplied drones to Russia."]),
    # A reprint, and news no stored cluster holds.
    _article("a6", "Kim Jong Un", ["Our missiles are ready for any war the enemy starts on us"],
             ["Russia delivered tanks to Belarus."], others=["Choe Son-hui"]),
]


def _memberships(path: Path) -> dict[str, dict[str, frozenset[str]]]:
    found: dict[str, dict[str, set[str]]] = {}
    with closing(sqlite3.connect(path)) as db:
        for kind, cluster_id, key in db.execute(
                "SELECT kind, cluster_id, mention_key FROM cluster_members"):
            found.setdefault(kind, {}).setdefault(cluster_id, set()).add(key)
    return {kind: {c: frozenset(m) for c, m in clusters.items()}
            for kind, clusters in found.items()}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(reconciled before the articles were added, then incrementally, then with --full)."""
    folder = tmp_path_factory.mktemp("incremental")
    before, after, full = folder / "before.db", folder / "after.db", folder / "full.db"
    _record(before, BASE)
    with Store(before) as store:
        outcome = reconcile_store(store)
    assert not outcome.incremental
    shutil.copyfile(before, after)
    _record(after, ADDED)
    shutil.copyfile(after, full)
    with Store(after) as store:
        outcome = reconcile_store(store)
    assert outcome.incremental and outcome.articles == len(ADDED)
    with Store(full) as store:
        assert not reconcile_store(store, full=True).incremental
    return before, after, full


@pytest.mark.parametrize("kind", ["actor", "quote", "claim"])
def test_an_incremental_run_gives_the_clusters_and_ids_of_a_full_run(
    stores: tuple[Path, Path, Path], kind: str
) -> None:
    _, after, full = stores
    assert _memberships(after)[kind] == _memberships(full)[kind]


def _indexes(path: Path) -> set[tuple[str, str, str]]:
    with closing(sqlite3.connect(path)) as db:
        return set(db.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
                              "AND sql IS NOT NULL"))


def test_a_full_save_leaves_the_indexes_of_a_fresh_store(stores: tuple[Path, Path, Path],
                                                         tmp_path: Path) -> None:
    """A full save sets the clusters' indexes aside while it writes and makes them again: the
    store ends with every index a fresh one has, each as its migration wrote it, and in use."""
    before, after, full = stores
    fresh = tmp_path / "fresh.db"
    Store(fresh).close()
    expected = _indexes(fresh)
    assert any(table == "cluster_members" for _, table, _ in expected)
    for path in (before, after, full):
        assert _indexes(path) == expected
    with closing(sqlite3.connect(full)) as db:
        plan = " ".join(row[-1] for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM cluster_members WHERE article_id = 'a1'"))
    assert "cluster_members_article" in plan


def test_a_new_printing_that_joins_two_stored_quotes_merges_them_under_the_larger_id(
    stores: tuple[Path, Path, Path],
) -> None:
    before, after, _ = stores
    stored = _memberships(before)["quote"]
    first = next(c for c, keys in stored.items() if len(keys) == 2)  # FIRST_HALF, twice
    second = next(c for c, keys in stored.items() if any(k.startswith("a3@") for k in keys))
    now = _memberships(after)["quote"]
    assert second not in now  # retired: merged into the larger
    assert now[first] >= stored[first] | stored[second]
    with Store(after) as store:
        reconciliation = load_reconciliation(store)
    assert reconciliation is not None
    (merged,) = [q for q in reconciliation.quotes if q.quote_id == first]
    assert {m.article_id for m in merged.mentions} == {"a1", "a2", "a3", "a5"}
    # Every member explained: the stored merges, and the fragments that join through the new one.
    rules = {merge.rule for merge in merged.merges}
    assert MergeRule.FRAGMENT in rules
    assert "a3" in explanation_text(merged) and "a5" in explanation_text(merged)


def test_untouched_clusters_keep_their_rows(stores: tuple[Path, Path, Path]) -> None:
    """Only changed clusters are written: a stored claim no new article states keeps the row of
    the reconciliation that made it. A changed one is updated in place (its stored member rows
    are not rewritten), and the run's article count is the store's."""
    _, after, _ = stores
    with closing(sqlite3.connect(after)) as db:
        runs = {label: (row_run, changed) for label, row_run, changed in db.execute(
            "SELECT label, reconciliation_id, changed_in FROM clusters WHERE kind = 'claim'")}
        first, second = (row[0] for row in db.execute(
            "SELECT id FROM reconciliations ORDER BY id"))
        counted = db.execute("SELECT articles FROM reconciliations WHERE id = ?", (second,))
        articles = db.execute("SELECT count(DISTINCT article_id) FROM cluster_members")
        assert counted.fetchone() == articles.fetchone()
    assert runs["North Korea sent artillery shells to Russia."] == (first, first)
    assert runs["Iran supplied drones to Russia."][1] == second
    assert runs["Russia delivered tanks to Belarus."][1] == second


def test_a_run_with_nothing_new_changes_nothing(stores: tuple[Path, Path, Path],
                                                tmp_path: Path) -> None:
    _, after, _ = stores
    again = tmp_path / "again.db"
    shutil.copyfile(after, again)
    with Store(again) as store:
        outcome = reconcile_store(store)
    assert outcome.incremental and outcome.articles == 0
    assert _memberships(again) == _memberships(after)


def test_a_reconciliation_stored_by_other_code_forces_a_full_run(
    stores: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    before, _, _ = stores
    grown = tmp_path / "grown.db"
    shutil.copyfile(before, grown)
    _record(grown, ADDED)
    with closing(sqlite3.connect(grown)) as db:
        db.execute("UPDATE reconciliations SET fingerprint = 'made by an older newsextract'")
        db.commit()
    with Store(grown) as store:
        outcome = reconcile_store(store)
    assert not outcome.incremental and "changed" in outcome.why


def test_the_fingerprint_follows_the_data_files(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    vocabulary = tmp_path / "pipeline" / "knowledge" / "claims.v1.toml"
    vocabulary.parent.mkdir(parents=True)
    vocabulary.write_text("hedges = ['may']\n")
    monkeypatch.setattr(incremental_module, "_ROOT", tmp_path)
    before = fingerprint()
    vocabulary.write_text("hedges = ['may', 'might']\n")
    assert fingerprint() != before
    assert fingerprint(model="other") != fingerprint()


def test_only_the_stored_claims_a_new_one_can_meet_are_read_again(
    stores: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new claim is compared only with claims of its block sharing an object word (or its
    words): the stored clusters found by those keys are the only ones read back."""
    before, _, _ = stores
    again = tmp_path / "again.db"
    shutil.copyfile(before, again)
    _record(again, ADDED)
    read: list[str] = []
    load = incremental_module.load_representatives

    def recording(store: Store, kind: str, **only: object) -> object:
        found = list(load(store, kind, **only))  # type: ignore[arg-type]
        read.extend(found_id for found_id, _, _, _ in found if kind == "claim")
        return iter(found)

    monkeypatch.setattr(incremental_module, "load_representatives", recording)
    with Store(again) as store:
        assert reconcile_store(store).incremental
    with closing(sqlite3.connect(before)) as db:
        label = dict(db.execute("SELECT cluster_id, label FROM clusters WHERE kind = 'claim'"))
    assert {label[cluster_id] for cluster_id in read} == {"Iran supplied drones to Russia."}


def test_an_incremental_run_learns_stock_phrases_from_the_new_quotes_only_and_keeps_the_stored(
    stores: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full run's stock phrases (learnt from every quote) are stored; the next run adds
    what the new quotes show, without reading the stored printings for it."""
    before, _, _ = stores
    with Store(before) as store:
        stored = stored_stock(store)
    assert stored is not None
    assert stored.ngrams == StockPhrases.learn(
        remark for _, result in BASE for remark in (q.text for q in result.quotes)).ngrams
    again = tmp_path / "again.db"
    shutil.copyfile(before, again)
    planted = ("at", "the", "end")  # as if the stored corpus had made it stock
    with closing(sqlite3.connect(again)) as db:
        db.execute("UPDATE reconciliations SET stock_phrases = ?",
                   (json.dumps({"width": 3, "ngrams": [planted]}),))
        db.commit()
    _record(again, ADDED)
    read: list[str] = []
    learn = StockPhrases.learn.__func__  # type: ignore[attr-defined]

    def recording(cls: type[StockPhrases], texts: Iterable[str]) -> StockPhrases:
        texts = list(texts)
        read.extend(texts)
        return learn(cls, texts)  # type: ignore[no-any-return]

    monkeypatch.setattr(StockPhrases, "learn", classmethod(recording))
    with Store(again) as store:
        assert reconcile_store(store).incremental
        kept = stored_stock(store)
    assert set(read) == {q.text for _, result in ADDED for q in result.quotes}
    assert kept is not None and planted in kept.ngrams


def test_a_stored_cluster_that_only_gains_members_is_not_read_whole(
    stores: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reprint of a stored remark extends its cluster by one more part: only clusters that
    merge with another are read whole. The extended cluster loads as a full run builds it."""
    before, _, full = stores
    again = tmp_path / "again.db"
    shutil.copyfile(before, again)
    _record(again, ADDED)
    read: list[str] = []
    load = incremental_module.load_clusters

    def recording(store: Store, kind: str, cluster_ids: object) -> object:
        found = load(store, kind, cluster_ids)  # type: ignore[arg-type]
        read.extend(c.quote_id for c in found if kind == "quote")  # type: ignore[union-attr]
        return found

    monkeypatch.setattr(incremental_module, "load_clusters", recording)
    with Store(again) as store:
        assert reconcile_store(store).incremental
        grown = load_reconciliation(store)
    with Store(full) as store:
        whole = load_reconciliation(store)
    assert grown is not None and whole is not None
    (kim,) = [q for q in grown.quotes if q.speaker == "Kim Jong Un"]
    assert {m.article_id for m in kim.mentions} == {"a4", "a6"}
    assert kim.quote_id not in read  # extended: one more part
    assert len(read) == 2  # the two halves that the whole remark merges
    (kim_full,) = [q for q in whole.quotes if q.speaker == "Kim Jong Un"]
    assert (kim.quote_id, kim.mentions, kim.merges) == (
        kim_full.quote_id, kim_full.mentions, kim_full.merges)
    with closing(sqlite3.connect(again)) as db:
        parts = db.execute("SELECT first FROM cluster_parts WHERE cluster_id = ? ORDER BY first",
                           (kim.quote_id,)).fetchall()
    assert parts == [(0,), (1,)]


def test_a_store_of_whole_cluster_bodies_is_migrated_into_parts(
    stores: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """m014 moves each stored body's members, merges and assertions into its first part: the
    clusters load back as they were."""
    _, after, _ = stores
    with Store(after) as store:
        stored = load_reconciliation(store)
    assert stored is not None
    old = tmp_path / "old.db"
    with closing(sqlite3.connect(old, isolation_level=None)) as db:
        applied_migrations(db)
        for fn in MIGRATIONS[: MIGRATIONS.index(m014_cluster_parts)]:
            db.execute("BEGIN")
            fn(db)
            db.execute("INSERT INTO migrations VALUES (?, '2026-12-01')", (fn.__name__,))
            db.execute("COMMIT")
        db.execute("INSERT INTO reconciliations (id, created_at, articles, actor_clusters, "
                   "quote_clusters, claim_clusters) VALUES (1, '2026-12-01', 6, 0, 0, 0)")
        for kind, clusters in (("actor", stored.actors), ("quote", stored.quotes),
                               ("claim", stored.claims)):
            db.executemany(
                "INSERT INTO clusters (reconciliation_id, kind, cluster_id, position, label, "
                "mentions, articles, body) VALUES (1, ?, ?, 0, '', 0, 0, ?)",
                [(kind, c.model_dump()[f"{kind}_id"], c.model_dump_json()) for c in clusters])
    with Store(old) as store:
        migrated = load_reconciliation(store)
    assert migrated is not None
    for kind in ("actors", "quotes", "claims"):
        key = lambda c: c.model_dump_json()  # noqa: E731
        assert sorted(map(key, getattr(migrated, kind))) == sorted(map(key, getattr(stored, kind)))


NAMESAKE_BASE = [
    _article("n1", "Lee Jae-myung", ["Martial law will never return to this country while I am "
                                     "president, whatever the opposition says"], []),
    _article("n2", "Lee Jae-yong", ["Our chip plants will run at full capacity until the end of "
                                    "next year"], []),
]
NAMESAKE_ADDED = [
    # A bare 'Mr Lee' stays his own actor (two Lees, a common family name); his words are the
    # president's.
    _article("n3", "Mr Lee", ["martial law will never return to this country while I am "
                              "president"], []),
]


@pytest.fixture(scope="module")
def namesake_stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the namesakes' store reconciled incrementally after the bare name's article, --full)."""
    folder = tmp_path_factory.mktemp("namesakes")
    after, full = folder / "after.db", folder / "full.db"
    _record(after, NAMESAKE_BASE)
    with Store(after) as store:
        reconcile_store(store)
    _record(after, NAMESAKE_ADDED)
    shutil.copyfile(after, full)
    with Store(after) as store:
        assert reconcile_store(store).incremental
    with Store(full) as store:
        reconcile_store(store, full=True)
    return after, full


def test_a_new_quote_joins_a_stored_one_across_speakers_whose_names_fit_as_a_full_run_does(
    namesake_stores: tuple[Path, Path],
) -> None:
    after, full = namesake_stores
    assert _memberships(after)["quote"] == _memberships(full)["quote"]
    assert _memberships(after)["actor"] == _memberships(full)["actor"]
    with Store(after) as store:
        reconciliation = load_reconciliation(store)
    assert reconciliation is not None
    (joined,) = [q for q in reconciliation.quotes if len(q.mentions) == 2]
    assert {m.article_id for m in joined.mentions} == {"n1", "n3"}
    assert "can be one person's names" in explanation_text(joined)
