"""Stores to report on: the seeds as the reference server's cassette answers them, and a hostile
article whose text and model output are HTML that must never run.

The seed store replays the cassette of ``tests/batch/test_corpus.py`` (the reference server, model
``reference-annotations``, recorded as such), then reconciles for real; built once a session.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import vcr

from pipeline.batch.corpus import extract_corpus
from pipeline.extract.assemble import assemble
from pipeline.extract.grounding import GroundingIndex
from pipeline.ingest.articles import Article
from pipeline.reconcile import mentions_from_results, reconcile_corpus, save_reconciliation
from pipeline.settings import Settings, StructuredMode
from pipeline.store.db import CacheKey, InputRef, Store
from schemas.articles import Publication
from schemas.extraction import ArticleExtraction
from schemas.records import ExtractionResult, LLMCall, PromptRef, Usage
from tests.conftest import REFERENCE_MODEL, ROOT, ModelProfile, seed_paths, settings_for

SEED_CASSETTE = (ROOT / "tests" / "cassettes" / "batch" / "test_corpus"
                 / "test_every_seed_is_extracted_grounded_and_stored.yaml")
HOSTILE_MODEL = "handwritten-fixture"  # no model and no server wrote it: the report says so

HOSTILE_TEXT = (
    "Officials said <script>window.__pwned = 'script'</script> was printed in the story.\n"
    '"We will not allow <img src=x onerror="window.__pwned=\'img\'"> on our pages," said '
    "Maria <b onmouseover=\"window.__pwned='b'\">Lopez</b>.\n"
    "Lopez added that a <svg onload=window.__pwned='svg'> tag stays text.\n"
)
# Trust signals to show: one quote nothing attributes, one passage of speech no quote covers.
AUDITED_TEXT = (
    "Ana Ruiz, the mayor, presented the budget on Monday.\n\n"
    '"We will close the gap by June," Ruiz told reporters.\n\n'
    'A resident said: "Nobody asked the families in the north of the city about it."\n\n'
    'Elsewhere in the hall: "Every district gets the same share this year."\n'
)
# Another outlet's copy of the remark, its punctuation changed: the quote page must diff the two.
REPRINT_TEXT = (
    "Maria <b onmouseover=\"window.__pwned='b'\">Lopez</b> told reporters: \"We will not allow "
    "<img src=x onerror=\"window.__pwned='img'\"> on our pages.\"\n"
)


def reconcile_store(path: Path) -> None:
    with Store(path) as store:
        results = list(store.results())
        save_reconciliation(store, reconcile_corpus(mentions_from_results(results)))


def extract_seeds(folder: Path) -> Path:
    """The five seeds extracted into ``folder/seeds.db`` from the recorded cassette."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    for path in seed_paths():
        shutil.copy(path, corpus / path.name)
    replay = vcr.VCR(record_mode="none", match_on=["method", "path", "body"],
                     decode_compressed_response=True)
    db = folder / "seeds.db"
    with replay.use_cassette(str(SEED_CASSETTE)):
        report = extract_corpus(
            [corpus], settings=settings_for(ModelProfile(REFERENCE_MODEL, StructuredMode.TOOLS)),
            db=db)
    assert report.ok, [o.message for o in report.failures]
    return db


def store_handwritten(db: Path, article: Article, answer: dict[str, Any], *,
                      publication: dict[str, str] | None = None) -> ExtractionResult:
    """``answer`` grounded in ``article`` and stored as a run would store it, with what a feed
    said of the article (``publication``: outlet, url, published, title)."""
    grounded = assemble(ArticleExtraction.model_validate(answer), GroundingIndex(article.text),
                        article_id=article.article_id)
    assert grounded.quotes, grounded.rejected
    published = (Publication(article_id=article.article_id, **publication) if publication
                 else None)
    prompt = PromptRef(id="extract", version=1, sha256="0" * 64)
    call = LLMCall(model=HOSTILE_MODEL, mode="tools", prompt=prompt,
                   input_sha256=article.content_sha256, schema_sha256="0" * 64,
                   request_messages=[], answers=[], reask_errors=[], usage=Usage(),
                   latency_ms=0.0)
    result = ExtractionResult(
        article_id=article.article_id, content_sha256=article.content_sha256,
        model=HOSTILE_MODEL, prompt=prompt, actors=grounded.actors, quotes=grounded.quotes,
        claims=grounded.claims, rejected=grounded.rejected, call=call)
    key = CacheKey(model=HOSTILE_MODEL, prompt=prompt, schema_sha256="0" * 64)
    with Store(db) as store:
        run = store.start_run(Settings(model=HOSTILE_MODEL, base_url="http://127.0.0.1:9/v1"),
                              key, concurrency=1)
        store.record_extraction(run, article, result, key,
                                source=InputRef(path=None, article_id=article.article_id,
                                                publication=published))
        store.finish_run(run)
    return result


def store_hostile_articles(db: Path) -> None:
    """An article whose text, names, quote and claim carry HTML, a reprint of its quote, and an
    article whose trust signals flag a quote and a missed passage."""
    store_handwritten(db, Article.from_text(AUDITED_TEXT, article_id="audited"), {
        "actors": [{"name": "Ana Ruiz", "kind": "person", "aliases": ["Ruiz"]}],
        "quotes": [{"text": "We will close the gap by June,", "speaker": "Ruiz",
                    "kind": "direct", "cue": "told reporters"},
                   {"text": "Every district gets the same share this year.",
                    "speaker": "Ana Ruiz", "kind": "direct"}],
    }, publication={"title": "Mayor presents the budget", "outlet": "The Daily Example",
                    "url": "https://example.org/budget", "published": "2024-05-06"})
    store_handwritten(db, Article.from_text(HOSTILE_TEXT, article_id="hostile<script>"), {
        "actors": [{"name": "Maria <b onmouseover=\"window.__pwned='b'\">Lopez</b>",
                    "kind": "person", "aliases": ["Lopez"]}],
        "quotes": [{"text": "We will not allow <img src=x onerror=\"window.__pwned='img'\"> "
                            "on our pages,", "speaker": "Lopez", "kind": "direct",
                    "cue": "said"}],
        "claims": [{"statement": "<script>window.__pwned = 'statement'</script> is text.",
                    "asserted_by": None,
                    "evidence": "Officials said <script>window.__pwned = 'script'</script> "
                                "was printed in the story."}],
    }, publication={"title": "<script>window.__pwned = 'title'</script>",
                    "url": "javascript:window.__pwned='url'"})
    store_handwritten(db, Article.from_text(REPRINT_TEXT, article_id="reprint"), {
        "actors": [{"name": "Maria <b onmouseover=\"window.__pwned='b'\">Lopez</b>",
                    "kind": "person"}],
        "quotes": [{"text": "We will not allow <img src=x onerror=\"window.__pwned='img'\"> "
                            "on our pages.",
                    "speaker": "Maria <b onmouseover=\"window.__pwned='b'\">Lopez</b>",
                    "kind": "direct",
                    "cue": "told reporters"}],
    })


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, extracted from the cassette and reconciled; do not write to it."""
    db = extract_seeds(tmp_path_factory.mktemp("seeds"))
    reconcile_store(db)
    return db


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "hostile.db"
    store_hostile_articles(db)
    reconcile_store(db)
    return db
