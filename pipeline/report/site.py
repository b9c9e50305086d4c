"""``newsextract report``: the store as a static site, one folder that opens from ``file://``.

Pages (paths relative to the output folder):

    index.html              counts, the models and prompts as recorded, tables of everything
    articles/<id>.html      the text with grounded spans highlighted, every object, the rejected
    actors/<id>.html        a canonical actor: names, articles, quotes, claims, its merge tree
    quotes/<id>.html        a quote cluster: every printing side by side, diffed against the
    claims/<id>.html        canonical text; likewise a claim cluster
    assets/                 the stylesheet and the one script (table sort, highlight cards)

Nothing refers outside the folder: no CDN, no web font, no request. Templates autoescape, and
every page carries a Content-Security-Policy that allows only the folder's own script and
stylesheet, so a ``<script>`` printed in an article (or returned by a model) is shown as text
and could not run even if it were not escaped. The site is written into a temporary folder
beside ``out`` and moved into place at the end: an interrupted run leaves the old report whole.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import jinja2

from pipeline.audit.vocabulary import default_vocabulary
from pipeline.errors import ReportError
from pipeline.reconcile.sources import dated_order
from pipeline.report.article_view import article_view
from pipeline.report.corpus_view import (
    actor_names,
    claims_by_asserter,
    corpus_links,
    load_corpus,
    mentions_by_article,
    quotes_by_speaker,
    run_info,
)
from pipeline.report.diff import changed_words, word_diff
from pipeline.report.highlight import fragments_html
from pipeline.report.merge_view import merge_nodes
from pipeline.store.db import Store
from pipeline.store.signals import load_signals
from schemas.clusters import ActorCluster, ClaimCluster, QuoteCluster
from schemas.records import ExtractionResult
from schemas.signals import TrustSignals

logger = logging.getLogger(__name__)

# A file that marks a folder as a report of ours: only such a folder is ever replaced.
MARKER = ".newsextract-report"
ASSETS = ("report.css", "report.js")


class ReportProgress(Protocol):
    """Told how many pages there are, then of each page written."""

    def started(self, total: int) -> None: ...

    def advanced(self, page: str) -> None: ...


class _Silent:
    def started(self, total: int) -> None:
        pass

    def advanced(self, page: str) -> None:
        pass


@dataclass(frozen=True)
class ReportSummary:
    """What was written, for the CLI to print."""

    out: Path
    articles: int
    actors: int
    quotes: int
    claims: int
    pages: int
    elapsed_s: float


def environment() -> jinja2.Environment:
    """Templates from the package, autoescaped, and an error for any name a template misspells."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(word_diff=word_diff, changed_words=changed_words, merge_nodes=merge_nodes,
                       fragments_html=fragments_html, dated_order=dated_order)
    env.filters["shorten"] = _shorten
    env.filters["web_url"] = web_url
    return env


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None: autoescaping keeps a 'javascript:' URL
    from breaking out of its attribute, not from running when clicked."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def _shorten(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _check_out(out: Path) -> None:
    """``out`` may be new, empty, or an earlier report; anything else is the user's and stays."""
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out} is a file; give a folder to write the report into",
                          path=out)
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ReportError(f"--out {out} already holds files that are not a newsextract report; "
                          "give a new or empty folder", path=out)


def _replace(staging: Path, out: Path) -> None:
    old: Path | None = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{time.time_ns()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_report(db: Path | str, out: Path | str, *, model: str | None = None,
                 prompt_version: int | None = None,
                 progress: ReportProgress | None = None) -> ReportSummary:
    """Write the report of the store ``db`` into the folder ``out`` (replacing an earlier one).

    The newest result of each article is shown (``model`` and ``prompt_version`` narrow the
    choice, as for ``reconcile``), with the store's latest reconciliation.
    """
    began = time.perf_counter()
    db, out = Path(db), Path(out)
    if not db.is_file():
        raise ReportError(f"no store at {db}; fill one with 'newsextract run PATH --db {db}'",
                          path=db)
    _check_out(out)
    progress = progress or _Silent()
    env = environment()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.writing-", dir=out.parent))
    try:
        with Store(db) as store:
            extractions, reconciliation = load_corpus(store, model=model,
                                                      prompt_version=prompt_version)
            info = run_info(store, extractions)
            links = corpus_links(extractions, reconciliation)
            total = (len(extractions) + len(reconciliation.actors) + len(reconciliation.quotes)
                     + len(reconciliation.claims) + 1)
            progress.started(total)
            write = _writer(env, staging, progress)
            rows = []
            shown: set[str] = set()
            for stored in extractions:
                result = store.load_result(stored.extraction_id)
                text = store.article_text(stored.content_sha256)
                view = article_view(stored, result, text, links,
                                    paths=store.paths(stored.content_sha256),
                                    signals=_signals(store, stored.extraction_id, text, result))
                page = links.articles[stored.article_id]
                if stored.article_id in shown:
                    # Two texts under one id: the newest wins the page, both stay in the index.
                    logger.warning("two texts are named %s; the page shows %s",
                                   stored.article_id, stored.content_sha256[:12])
                shown.add(stored.article_id)
                write(page, "article.html.j2", view=view, links=links)
                rows.append(view)
            speakers = quotes_by_speaker(reconciliation.quotes)
            asserters = claims_by_asserter(reconciliation.claims)
            for actor in reconciliation.actors:
                write(links.actors[actor.actor_id], "actor.html.j2", actor=actor,
                      names=actor_names(actor), by_article=mentions_by_article(actor),
                      quotes=speakers.get(actor.actor_id, []),
                      claims=asserters.get(actor.actor_id, []), links=links)
            for quote in reconciliation.quotes:
                write(links.quotes[quote.quote_id], "quote.html.j2", quote=quote, links=links)
            denials: dict[str, list[ClaimCluster]] = {}
            for claim in reconciliation.claims:
                if claim.denies:
                    denials.setdefault(claim.denies, []).append(claim)
            for claim in reconciliation.claims:
                write(links.claims[claim.claim_id], "claim.html.j2", claim=claim, links=links,
                      denied_by=denials.get(claim.claim_id, []))
            write("index.html", "index.html.j2", info=info, articles=rows,
                  reconciliation=reconciliation, links=links, db=db.name,
                  counts=_counts(rows, reconciliation.actors, reconciliation.quotes,
                                 reconciliation.claims))
        assets = staging / "assets"
        assets.mkdir()
        for name in ASSETS:
            source = resources.files("pipeline.report") / "static" / name
            (assets / name).write_bytes(source.read_bytes())
        (staging / MARKER).write_text(f"written by newsextract report from {db.name}\n",
                                      encoding="utf-8")
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ReportSummary(out, len(extractions), len(reconciliation.actors),
                         len(reconciliation.quotes), len(reconciliation.claims), total,
                         time.perf_counter() - began)


def _signals(store: Store, extraction_id: int, text: str, result: ExtractionResult
             ) -> TrustSignals:
    """The stored trust signals, or computed here (not stored: the report only reads) when the
    store has none of the current vocabulary; 'newsextract audit' stores them."""
    stored = load_signals(store, extraction_id)
    if stored is not None and stored.vocabulary == default_vocabulary().version:
        return stored
    # Here: the rules load dateparser, which a store with its signals never needs.
    from pipeline.audit.signals import trust_signals

    return trust_signals(text, result, reference_date=result.reference_date)


def _counts(rows: list[Any], actors: tuple[ActorCluster, ...], quotes: tuple[QuoteCluster, ...],
            claims: tuple[ClaimCluster, ...]) -> dict[str, int]:
    return {
        "articles": len(rows),
        "actors": len(actors),
        "quotes": sum(len(v.quotes) for v in rows),
        "claims": sum(len(v.claims) for v in rows),
        "rejected": sum(len(v.rejected) for v in rows),
        "uncovered speech": sum(len(v.uncovered) for v in rows),
        "unsupported attributions": sum(v.unsupported for v in rows),
        "quote clusters": len(quotes),
        "claim clusters": len(claims),
    }


def _writer(env: jinja2.Environment, root: Path, progress: ReportProgress
            ) -> Callable[..., None]:
    def write(page: str, template: str, **context: Any) -> None:
        depth = page.count("/")
        html = env.get_template(template).render(root="../" * depth, page=page, **context)
        target = root / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        progress.advanced(page)

    return write

