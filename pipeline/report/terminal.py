"""What the CLI shows: results with their spans lit up in the article, run progress, summaries.

Rendering only: every function takes what the library returned and gives rich renderables, so a new
command (eval, reconcile, explain) reuses these pieces and stays a few lines long.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from types import TracebackType

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from pipeline.batch.corpus import ArticleOutcome, CorpusReport
from pipeline.report.cost import TokenPrices, usage_line
from pipeline.store.db import Outcome, StoredExtraction
from pipeline.store.signals import SignalSummary
from schemas.records import ExtractionResult
from schemas.signals import TrustSignals

MENTION_STYLE = "bold cyan"
QUOTE_STYLE = "green"
EVIDENCE_STYLE = "underline yellow"
UNCOVERED_STYLE = "reverse red"
OUTCOME_STYLES = {Outcome.EXTRACTED: "green", Outcome.CACHED: "cyan",
                  Outcome.DUPLICATE: "cyan", Outcome.FAILED: "bold red"}


def highlighted_article(text: str, result: ExtractionResult, *,
                        signals: TrustSignals | None = None) -> Text:
    """The article with every grounded span styled: names, quotes, claim evidence, and the
    quoted speech no stored quote covers."""
    article = Text(text)
    for passage in signals.audit.uncovered if signals is not None else []:
        article.stylize(UNCOVERED_STYLE, passage.span.start, passage.span.end)
    for claim in result.claims:
        article.stylize(EVIDENCE_STYLE, claim.span.start, claim.span.end)
    for quote in result.quotes:
        article.stylize(QUOTE_STYLE, quote.span.start, quote.span.end)
    for actor in result.actors:
        for mention in actor.mentions:
            article.stylize(MENTION_STYLE, mention.span.start, mention.span.end)
    return article


def _span(start: int, end: int) -> str:
    return f"{start}–{end}"


def actors_table(result: ExtractionResult) -> Table:
    table = Table(title="Actors", title_justify="left", expand=True)
    for column in ("id", "name", "kind", "title", "mentions"):
        table.add_column(column, overflow="fold")
    for actor in result.actors:
        counted = Counter(m.text for m in actor.mentions)
        mentions = ", ".join(f"{text} ×{n}" if n > 1 else text for text, n in counted.items())
        table.add_row(actor.actor_id.rsplit("/", 1)[-1], actor.name, actor.kind.value,
                      actor.title or "", mentions)
    return table


def quotes_table(result: ExtractionResult) -> Table:
    table = Table(title="Quotes", title_justify="left", expand=True)
    for column in ("id", "speaker", "kind", "span", "text"):
        table.add_column(column, overflow="fold")
    for quote in result.quotes:
        table.add_row(quote.quote_id.rsplit("/", 1)[-1], quote.speaker, quote.kind.value,
                      f"{_span(quote.span.start, quote.span.end)} {quote.span.match.value}",
                      Text(quote.text, style=QUOTE_STYLE))
    return table


def claims_table(result: ExtractionResult) -> Table:
    table = Table(title="Claims", title_justify="left", expand=True)
    for column in ("id", "asserted by", "statement", "span", "evidence"):
        table.add_column(column, overflow="fold")
    for claim in result.claims:
        table.add_row(claim.claim_id.rsplit("/", 1)[-1], claim.asserted_by or "(the outlet)",
                      claim.statement,
                      f"{_span(claim.span.start, claim.span.end)} {claim.span.match.value}",
                      Text(claim.evidence, style=EVIDENCE_STYLE))
    return table


def rejected_table(result: ExtractionResult) -> Table:
    table = Table(title="Rejected (not stored as grounded)", title_justify="left", expand=True)
    for column in ("kind", "reason", "detail"):
        table.add_column(column, overflow="fold")
    for rejected in result.rejected:
        table.add_row(rejected.kind.value, rejected.reason.value, rejected.detail)
    return table


def call_summary(result: ExtractionResult, *, prices: TokenPrices | None = None) -> Text:
    call = result.call
    return Text(
        f"model {result.model} · prompt {result.prompt.id} v{result.prompt.version} "
        f"({result.prompt.sha256[:12]}) · {call.attempts} answer(s), "
        f"{len(call.reask_errors)} re-ask(s), {call.transport_retries} transport retry(ies) · "
        f"{call.latency_ms:,.0f} ms\n{usage_line(call.usage, prices=prices)}",
        style="dim",
    )


def result_view(text: str, result: ExtractionResult, *, stored: StoredExtraction | None = None,
                paths: Sequence[str] = (), signals: TrustSignals | None = None,
                prices: TokenPrices | None = None) -> RenderableType:
    """One article's extraction: where it came from, the lit-up text, then every object, and
    the trust signals when given."""
    header = Text(result.article_id, style="bold")
    if stored is not None:
        header.append(f"  extraction {stored.extraction_id}, {stored.created_at}", style="dim")
    parts: list[RenderableType] = [header, call_summary(result, prices=prices)]
    if result.chunks:
        cached = sum(chunk.cached for chunk in result.chunks)
        parts.append(Text(f"sent in {len(result.chunks)} chunks ({cached} from the cache)",
                          style="dim"))
    if any(p.title or p.outlet or p.url or p.published for p in result.publications):
        parts.append(publications_table(result))
    if paths:
        parts.append(Text("read from " + ", ".join(paths), style="dim"))
    legend = Text.assemble(("name", MENTION_STYLE), "  ", ("quote", QUOTE_STYLE), "  ",
                           ("claim evidence", EVIDENCE_STYLE))
    if signals is not None:
        legend.append_text(Text.assemble("  ", ("uncovered quoted speech", UNCOVERED_STYLE)))
    parts.append(Panel(highlighted_article(text, result, signals=signals), subtitle=legend,
                       expand=True))
    parts += [actors_table(result), quotes_table(result), claims_table(result)]
    if result.rejected:
        parts.append(rejected_table(result))
    if signals is not None:
        from pipeline.report.signals import signals_view

        parts.append(signals_view(result, signals))
    return Group(*parts)


def publications_table(result: ExtractionResult) -> Table:
    """Where and when the text was published, earliest first."""
    table = Table(title="Published", title_justify="left", expand=True)
    for column in ("outlet", "published", "title", "url", "id"):
        table.add_column(column, overflow="fold")
    for publication in result.publications:
        table.add_row(publication.outlet or "–", publication.published or "–",
                      publication.title or "–", publication.url or "–", publication.article_id)
    return table


class _RateColumn(ProgressColumn):
    """Articles a second over the recent window (rich's own speed estimate)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f}/s" if speed else "–/s", style="progress.data.speed")


class RunProgress:
    """A ``ProgressListener`` drawing a bar: the bar counts articles sent to the model, so that
    rate and ETA are those of model work; cache hits and duplicates are counted as skipped."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.counts: Counter[Outcome] = Counter()
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[green]{task.fields[done]} done[/] · [red]{task.fields[failed]} failed[/]"
                       " · [cyan]{task.fields[skipped]} skipped[/]"),
            _RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> RunProgress:
        self.progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.progress.stop()

    def started(self, total: int) -> None:
        self.task = self.progress.add_task("extracting", total=total, done=0, failed=0,
                                           skipped=0)

    def finished(self, outcome: ArticleOutcome) -> None:
        self.counts[outcome.outcome] += 1
        if self.task is None:
            return
        task = self.progress.tasks[self.task]
        task.fields.update(
            done=self.counts[Outcome.EXTRACTED],
            failed=self.counts[Outcome.FAILED],
            skipped=self.counts[Outcome.CACHED] + self.counts[Outcome.DUPLICATE],
        )
        if outcome.sent_to_model:
            self.progress.update(self.task, advance=1)
        else:
            self.progress.update(self.task, total=(task.total or 1) - 1)
        if outcome.outcome is Outcome.FAILED:
            self.console.print(f"[red]✗[/] {escape(outcome.source.label)}: "
                               f"{escape(outcome.message)}")


def run_summary(report: CorpusReport, *, db: str,
                prices: TokenPrices | None = None) -> RenderableType:
    """The counts of a run, the tokens it was billed (and their cost, given prices), then each
    failure with its message."""
    table = Table(title=f"Run {report.run_id} → {db}", title_justify="left")
    table.add_column("outcome")
    table.add_column("articles", justify="right")
    for outcome in Outcome:
        table.add_row(Text(outcome.value, style=OUTCOME_STYLES[outcome]),
                      str(report.count(outcome)))
    table.add_row(Text("total", style="bold"), str(len(report.outcomes)), end_section=True)
    sent = report.sent
    rate = f", {sent / report.elapsed_s:.1f} articles/s" if sent and report.elapsed_s else ""
    table.caption = f"{report.elapsed_s:.1f}s{rate}" + (
        f"; {report.rate_limit_pauses} rate-limit pause(s)" if report.rate_limit_pauses else "")
    parts: list[RenderableType] = [table]
    if sent:
        parts.append(Text(f"{sent} article(s) sent: "
                          + usage_line(report.usage, articles=sent, prices=prices)))
    if report.signals is not None and report.signals.articles:
        parts.append(signals_line(report.signals))
    if report.failures:
        failed = Table(title="Failed", title_justify="left", expand=True)
        failed.add_column("input", overflow="fold")
        failed.add_column("error")
        failed.add_column("message", overflow="fold")
        for item in report.failures:
            failed.add_row(item.source.label, type(item.error).__name__ if item.error else "",
                           item.message)
        parts.append(failed)
    return Group(*parts)


def signals_line(summary: SignalSummary) -> Text:
    """The run's trust signals in one line; details are in 'newsextract audit'."""
    coverage = f"{summary.coverage:.0%}" if summary.coverage is not None else "n/a"
    line = Text("Quote audit: ", style="bold")
    line.append(f"{coverage} of quoted speech covered by stored quotes "
                f"({summary.covered_chars}/{summary.speech_chars} characters, "
                f"{summary.articles} articles); ")
    line.append(f"{summary.uncovered_passages} uncovered passage(s)",
                style="yellow" if summary.uncovered_passages else "")
    line.append(", ")
    line.append(f"{summary.unsupported_quotes} quote(s) with unsupported attribution",
                style="yellow" if summary.unsupported_quotes else "")
    line.append(" (see 'newsextract audit').")
    return line


class PageProgress:
    """A ``ReportProgress`` drawing a bar of pages written, for ``newsextract report``."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
            MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console, transient=True,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> PageProgress:
        self.progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.progress.stop()

    def started(self, total: int) -> None:
        self.task = self.progress.add_task("writing pages", total=total)

    def advanced(self, page: str) -> None:
        if self.task is not None:
            self.progress.update(self.task, advance=1)
