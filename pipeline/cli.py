"""The ``newsextract`` command: parse, call the library, render. Nothing else lives here.

To add a command: a function under ``@app.command()`` taking the shared options below
(``ModelOpt``, ``DbOpt``, ...), building ``Settings`` with ``build_settings`` and rendering with
``pipeline.report.terminal``. ``App`` prints any ``NewsExtractError`` as one clean line and exits 1.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pydantic
import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

from pipeline.audit.signals import ensure_signals, stored_signals
from pipeline.batch.corpus import DEFAULT_CONCURRENCY, DEFAULT_DB, DEFAULT_EXCLUDE, extract_corpus
from pipeline.errors import ConfigurationError, NewsExtractError
from pipeline.ingest.articles import read_article
from pipeline.report.cost import TokenPrices
from pipeline.report.terminal import PageProgress, RunProgress, result_view, run_summary
from pipeline.settings import Settings, StructuredMode
from pipeline.store.db import Store
from pipeline.store.export import ExportFormat, write_csv, write_jsonl

F = TypeVar("F", bound=Callable[..., Any])


def stdout() -> Console:
    return Console()


def stderr() -> Console:
    return Console(stderr=True)


def _reporting_errors(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except NewsExtractError as exc:
            stderr().print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


class App(typer.Typer):
    """A Typer whose commands print ``NewsExtractError`` cleanly (no traceback) and exit 1."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().command(*args, **kwargs)

        def decorator(fn: F) -> F:
            register(_reporting_errors(fn))
            return fn

        return decorator


app = App(
    name="newsextract",
    help="Turn news articles into validated, source-grounded actors, quotes and claims.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,  # a traceback means a bug of ours: show it plainly
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Options shared by commands. Those that hold configuration also read an environment variable;
# None means "not given": Settings then reads the environment and its own defaults.
ModelOpt = Annotated[str | None, typer.Option(
    "--model", envvar="NEWSEXTRACT_MODEL", show_default=False,
    help="Model name sent with every request, e.g. gpt-5-mini, gpt-4.1-mini, or what your "
         "server serves. Default: gpt-5-mini.")]
BaseUrlOpt = Annotated[str | None, typer.Option(
    "--base-url", envvar="OPENAI_BASE_URL", show_default=False,
    help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1. Default: OpenAI's API.")]
ModeOpt = Annotated[StructuredMode | None, typer.Option(
    "--mode", envvar="NEWSEXTRACT_MODE", show_default=False, case_sensitive=False,
    help="How the response schema reaches the model: tools (OpenAI, vLLM, most servers), "
         "json_schema (OpenAI structured outputs), json (schema in the prompt, JSON object "
         "answer), json_object_schema (json, plus the schema as a grammar: llama-cpp-python). "
         "Default: json_schema for OpenAI and Azure OpenAI, tools elsewhere.")]
PromptVersionOpt = Annotated[int | None, typer.Option(
    "--prompt-version", envvar="NEWSEXTRACT_PROMPT_VERSION", min=1, show_default=False,
    help="Version N of prompts/extract/vN.md. Default: the newest.")]
DbOpt = Annotated[Path, typer.Option(
    "--db", envvar="NEWSEXTRACT_DB", dir_okay=False,
    help="The SQLite store: results, LLM calls and runs; also the cache.")]
ConcurrencyOpt = Annotated[int, typer.Option(
    "--concurrency", "-j", envvar="NEWSEXTRACT_CONCURRENCY", min=1,
    help="Requests in flight at once. A 429 from the endpoint pauses all of them.")]
VerboseOpt = Annotated[int, typer.Option(
    "--verbose", "-v", count=True, help="Log more: -v what happens, -vv debug.")]
ChunkCharsOpt = Annotated[int | None, typer.Option(
    "--chunk-chars", envvar="NEWSEXTRACT_CHUNK_CHARS", min=500, show_default=False,
    help="Articles longer than this are sent in chunks of at most this many characters (split "
         "at paragraph or sentence ends, overlapping by NEWSEXTRACT_CHUNK_OVERLAP_CHARS, 600), "
         "one call each, merged. Default: 8000.")]
PriceOpt = Annotated[str | None, typer.Option(
    "--price-per-mtok", envvar="NEWSEXTRACT_PRICE_PER_MTOK", metavar="IN,OUT[,CACHED]",
    show_default=False,
    help="Prices per million prompt, completion (and cached prompt) tokens, e.g. 0.25,2,0.025: "
         "prints the cost from the tokens billed. No price is built in.")]
FilterModelOpt = Annotated[str | None, typer.Option(
    "--model", show_default=False,
    help="Only results of this model. Default: the newest of any model.")]
FilterPromptOpt = Annotated[int | None, typer.Option(
    "--prompt-version", min=1, show_default=False,
    help="Only results of this prompt version. Default: the newest of any version.")]


def build_settings(*, model: str | None = None, base_url: str | None = None,
                   mode: StructuredMode | None = None,
                   prompt_version: int | None = None,
                   chunk_chars: int | None = None) -> Settings:
    """Settings from the options given, the environment for the rest."""
    given: dict[str, Any] = {"model": model, "base_url": base_url, "mode": mode,
                             "prompt_version": prompt_version, "chunk_chars": chunk_chars}
    try:
        return Settings(**{name: value for name, value in given.items() if value is not None})
    except pydantic.ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: "
                             f"{e['msg'].removeprefix('Value error, ')}" for e in exc.errors())
        raise ConfigurationError(f"invalid settings: {problems}") from exc


def configure_logging(verbose: int) -> None:
    """The only place handlers are set: warnings by default, -v info, -vv debug (all libraries)."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logger = logging.getLogger() if verbose >= 2 else logging.getLogger("pipeline")
    for handler in list(logger.handlers):
        if isinstance(handler, RichHandler):
            logger.removeHandler(handler)
    logger.addHandler(RichHandler(console=stderr(), show_path=False, markup=False))
    logger.setLevel(level)
    # instructor logs each failed attempt at ERROR; newsextract says the same once, with what to
    # do, so its lines are kept for -vv (Python's last-resort handler would print them).
    logging.getLogger("instructor").setLevel(logging.DEBUG if verbose >= 2 else logging.CRITICAL)


def open_existing_store(db: Path) -> Store:
    """For commands that read: a missing file is a usage error, not a new empty store."""
    if not db.exists():
        raise typer.BadParameter(f"no store at {db}; fill one with 'newsextract run PATH'",
                                 param_hint="--db")
    return Store(db)


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(
        help="Article files (.txt, .md, .html, .htm), feeds (.jsonl, .csv with a header: id, "
             "text or html, url, outlet, published, title, language), or folders searched "
             "recursively for articles.",
        metavar="PATH", show_default=False)],
    db: DbOpt = DEFAULT_DB,
    concurrency: ConcurrencyOpt = DEFAULT_CONCURRENCY,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    prompt_version: PromptVersionOpt = None,
    chunk_chars: ChunkCharsOpt = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", "-x", metavar="GLOB", show_default=False,
        help="Skip files under PATHS whose name (or path under PATHS, when the pattern has a "
             "'/') matches; repeatable. README.* is always skipped; a file named in PATHS is "
             "never skipped.")] = None,
    price_per_mtok: PriceOpt = None,
    verbose: VerboseOpt = 0,
) -> None:
    """Every article under PATHS, extracted into the store.

    Articles already extracted with the same model, prompt and schema are not sent again, so a
    run that was stopped (even killed) picks up where it was. The same text under two names is
    sent once. A bad file is reported and the run goes on; the exit status is 1 if any failed.
    """
    configure_logging(verbose)
    prices = TokenPrices.parse(price_per_mtok) if price_per_mtok else None
    settings = build_settings(model=model, base_url=base_url, mode=mode,
                              prompt_version=prompt_version, chunk_chars=chunk_chars)
    with RunProgress(stderr()) as progress:
        report = extract_corpus(paths, settings=settings, db=db, concurrency=concurrency,
                                progress=progress, collect_results=False,
                                exclude=[*DEFAULT_EXCLUDE, *(exclude or [])])
    stdout().print(run_summary(report, db=str(db), prices=prices))
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def show(
    article: Annotated[str, typer.Argument(
        help="Article id (the file name without suffix), a path given to 'run', or the first "
             "8+ hex digits of the content hash.", metavar="ARTICLE", show_default=False)],
    db: DbOpt = DEFAULT_DB,
    model: FilterModelOpt = None,
    prompt_version: FilterPromptOpt = None,
    price_per_mtok: PriceOpt = None,
) -> None:
    """Show one article's grounded actors, quotes and claims, spans lit up in its text, what
    was rejected and why, and the tokens its call was billed."""
    prices = TokenPrices.parse(price_per_mtok) if price_per_mtok else None
    with open_existing_store(db) as store:
        hashes = store.resolve(article)
        if not hashes:
            raise typer.BadParameter(f"no article {article!r} in {db}", param_hint="ARTICLE")
        if len(hashes) > 1:
            paths = sorted(path for sha in hashes for path in store.paths(sha))
            raise typer.BadParameter(
                f"{article!r} names {len(hashes)} different texts ({', '.join(paths)}); "
                "give a path or a hash prefix", param_hint="ARTICLE")
        found = store.latest_extractions(content_sha256s=hashes, model=model,
                                         prompt_version=prompt_version)
        if not found:
            raise typer.BadParameter(
                f"{article!r} is in {db} but has no extraction"
                + (" matching the filters" if model or prompt_version else
                   " (it failed; see the run_articles table)"), param_hint="ARTICLE")
        stored = found[0]
        result = store.load_result(stored.extraction_id)
        text = store.article_text(stored.content_sha256)
        paths = store.paths(stored.content_sha256)
        signals = ensure_signals(store, [stored.extraction_id])[stored.extraction_id]
    stdout().print(result_view(text, result, stored=stored, paths=paths, signals=signals,
                               prices=prices))


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="jsonl: one whole result a line (rejected items included); csv: one row per actor, "
             "mention, quote, claim and rejected item, then each trust signal (quoted "
             "passage, attribution, modality, date), with offsets.")] = ExportFormat.JSONL,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, show_default=False,
        help="File to write. Default: standard output.")] = None,
    db: DbOpt = DEFAULT_DB,
    model: FilterModelOpt = None,
    prompt_version: FilterPromptOpt = None,
) -> None:
    """Write the newest result of every article in the store, as JSON Lines or CSV."""
    with open_existing_store(db) as store:
        results = store.results(model=model, prompt_version=prompt_version)
        write = write_jsonl if format is ExportFormat.JSONL else functools.partial(
            write_csv, signals=functools.partial(stored_signals, store))
        if output is None:
            write(results, sys.stdout)
            sys.stdout.flush()
        else:
            try:
                out = output.open("w", encoding="utf-8", newline="")
            except OSError as exc:
                raise typer.BadParameter(
                    f"cannot write {output}: {exc.strerror}"
                    + (f" (no folder {output.parent})" if not output.parent.is_dir() else ""),
                    param_hint="--output") from None
            with out:
                count = write(results, out)
            stderr().print(f"{count} result(s) written to {escape(str(output))}")


@app.command()
def audit(
    db: DbOpt = DEFAULT_DB,
    json_: Annotated[bool, typer.Option(
        "--json", help="Print every article's trust signals as JSON Lines (one TrustSignals "
                       "object a line, with the extraction id) instead of tables.")] = False,
    recompute: Annotated[bool, typer.Option(
        "--recompute", help="Compute the signals again even where they are stored.")] = False,
    model: FilterModelOpt = None,
    prompt_version: FilterPromptOpt = None,
) -> None:
    """Trust signals of the store's newest results, computed without a model.

    Per article: the passages printed inside quotation marks that no stored quote covers (with
    offsets), the share of quoted speech covered, scare quotes and titles counted apart, quotes
    whose attribution the text does not support, and claims that are hedged, attributed,
    negated or denied. Signals missing from the store (results older than them) are computed
    and stored.
    """
    from pipeline.report.signals import audit_view

    with open_existing_store(db) as store:
        found = store.latest_extractions(model=model, prompt_version=prompt_version)
        signals = ensure_signals(store, [s.extraction_id for s in found], recompute=recompute)
    if json_:
        for stored in found:
            body = signals[stored.extraction_id].model_dump(mode="json")
            sys.stdout.write(json.dumps({"extraction_id": stored.extraction_id, **body},
                                        ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    stdout().print(audit_view([(s.article_id, signals[s.extraction_id]) for s in found]))


@app.command()
def reconcile(
    db: DbOpt = DEFAULT_DB,
    model: FilterModelOpt = None,
    prompt_version: FilterPromptOpt = None,
    limit: Annotated[int, typer.Option(
        "--limit", "-n", min=1,
        help="Rows shown per kind (actors, quotes, claims), largest clusters first.")] = 20,
    full: Annotated[bool, typer.Option(
        "--full", help="Recompute every cluster from all mentions, instead of matching only the "
             "articles added since the last run against the stored clusters.")] = False,
    spark_master: Annotated[str | None, typer.Option(
        "--spark", envvar="NEWSEXTRACT_SPARK_MASTER", metavar="MASTER", show_default=False,
        help="Score actor names on Spark instead of in-process DuckDB: 'local[2]', or a "
             "cluster's master URL (spark://host:7077, yarn). Needs the 'spark' extra and "
             "Java.")] = None,
    verbose: VerboseOpt = 0,
) -> None:
    """Reconcile the store's newest results: one actor, one quote, one claim across articles.

    The clusters are saved in the store (tables clusters and cluster_members), for 'explain'
    and for the next run. The next run is incremental: only articles added since are read,
    and their mentions are matched against each stored cluster's representatives (its
    distinct names, printings, first statements) and each other. Clusters they join keep
    their id; a new mention that joins two stored clusters merges them (the larger's id
    stays); clusters they do not touch are left as they are. Stored clusters never split and
    keep their canonical form in an incremental run. --full recomputes everything (ids are
    still kept); a full run is automatic when the reconciliation code, its data files or
    these options changed, or an article was extracted again.
    """
    configure_logging(verbose)
    # Here, not at the top: Splink and DuckDB load only for the commands that reconcile.
    from pipeline.reconcile import summary_table
    from pipeline.reconcile.incremental import reconcile_store
    from pipeline.reconcile.storage import load_largest

    with open_existing_store(db) as store:
        if not store.latest_extractions(model=model, prompt_version=prompt_version):
            raise typer.BadParameter(f"{db} holds no results to reconcile", param_hint="--db")
        backend = None
        if spark_master:
            from pipeline.reconcile.spark import spark_backend

            backend = spark_backend(spark_master)
        outcome = reconcile_store(store, full=full, model=model, prompt_version=prompt_version,
                                  splink_backend=backend)
        largest, counts = load_largest(store, limit)
    stdout().print(summary_table(largest, limit=limit, counts=counts))
    how = "incremental" if outcome.incremental else "full"
    stderr().print(f"{how} reconciliation ({outcome.why}): "
                   + ", ".join(f"{outcome.changed.get(kind, 0)} {kind} clusters written"
                               for kind in ("actor", "quote", "claim"))
                   + "".join(f", {n} {kind} ids merged away"
                             for kind, n in outcome.retired.items() if n),
                   highlight=False, soft_wrap=True)


@app.command()
def explain(
    name: Annotated[str, typer.Argument(
        help="Any name an article printed (e.g. 'Pyongyang', 'Blinken') or a cluster id "
             "(e.g. 'country/north-korea').", metavar="NAME", show_default=False)],
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Why each member is in the actor NAME: the rule or comparison, its evidence and score."""
    from pipeline.reconcile import explain_actor, load_reconciliation

    with open_existing_store(db) as store:
        reconciliation = load_reconciliation(store)
    if reconciliation is None:
        raise typer.BadParameter(
            f"{db} has no reconciliation yet; run 'newsextract reconcile' first",
            param_hint="--db")
    stdout().print(explain_actor(reconciliation.actors, name))


@app.command()
def report(
    db: DbOpt = DEFAULT_DB,
    out: Annotated[Path, typer.Option(
        "--out", "-o", file_okay=False,
        help="Folder to write the site into; an earlier report there is replaced, any other "
             "non-empty folder is refused.")] = Path("report"),
    model: FilterModelOpt = None,
    prompt_version: FilterPromptOpt = None,
    verbose: VerboseOpt = 0,
) -> None:
    """Write a static HTML report of the store: open OUT/index.html in a browser.

    Articles with their actors, quotes and claims highlighted where they are printed, canonical
    actors with the reasons for every merge, quote and claim clusters side by side. One folder,
    no network: it opens from file:// and can be zipped and shared. Run 'reconcile' first.
    """
    configure_logging(verbose)
    from pipeline.report.site import build_report

    with PageProgress(stderr()) as progress:
        summary = build_report(db, out, model=model, prompt_version=prompt_version,
                               progress=progress)
    stdout().print(
        f"{summary.pages} pages ({summary.articles} articles, {summary.actors} actors, "
        f"{summary.quotes} quote and {summary.claims} claim clusters) written to "
        f"{escape(str(summary.out))}/ in {summary.elapsed_s:.1f}s; open "
        f"{escape(str(summary.out / 'index.html'))}", highlight=False)


@app.command(name="eval")
def evaluate(
    seeds: Annotated[Path, typer.Option(
        "--seeds", file_okay=False, exists=True,
        help="Folder of articles with their gold annotations in gold/*.json.")] = Path("seeds"),
    prompt_versions: Annotated[list[int] | None, typer.Option(
        "--prompt-version", "-p", min=1, envvar="NEWSEXTRACT_PROMPT_VERSION",
        help="Prompt version(s) to score, one row each; repeatable (-p 1 -p 2). "
             "Default: the newest.", show_default=False)] = None,
    all_versions: Annotated[bool, typer.Option(
        "--all-versions", help="Score every version in prompts/extract/.")] = False,
    db: DbOpt = DEFAULT_DB,
    concurrency: ConcurrencyOpt = DEFAULT_CONCURRENCY,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    verbose: VerboseOpt = 0,
) -> None:
    """Score a model and prompt version(s) against the gold annotations of the seed articles.

    Precision, recall and F1 for actors, quotes (span overlap over 30% and 80% of the gold
    characters, and speaker accuracy) and claims (evidence overlap and asserting actor). An
    article the model never answers validly counts as everything missed. Answers go to the store
    like those of 'run', so scoring again an unchanged prompt costs no call.
    """
    configure_logging(verbose)
    from pipeline.evaluate import evaluate_prompt, score_table, versions_to_score

    prompts_dir = build_settings(model=model, base_url=base_url, mode=mode).prompts_dir
    rows = []
    failed = False
    for version in versions_to_score(prompt_versions or (), all_versions=all_versions,
                                     prompts_dir=prompts_dir):
        settings = build_settings(model=model, base_url=base_url, mode=mode,
                                  prompt_version=version)
        with RunProgress(stderr()) as progress:
            evaluation = evaluate_prompt(seeds, settings=settings, db=db,
                                         concurrency=concurrency, progress=progress)
        for outcome in evaluation.failures:
            stderr().print(
                f"[red]failed:[/] {escape(outcome.source.label)}: {escape(outcome.message)}"
            )
        failed = failed or bool(evaluation.failures)
        rows.append(evaluation.row)
    stdout().print(score_table(rows, title=f"Scores against {seeds / 'gold'}"))
    if failed:
        raise typer.Exit(1)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="One article file (.txt, .md, .html or .htm).",
                                         metavar="FILE", show_default=False)],
    json_: Annotated[bool, typer.Option(
        "--json", help="Print the result as JSON instead of tables.")] = False,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    prompt_version: PromptVersionOpt = None,
    chunk_chars: ChunkCharsOpt = None,
    verbose: VerboseOpt = 0,
) -> None:
    """One article, extracted and printed; nothing is stored."""
    configure_logging(verbose)
    settings = build_settings(model=model, base_url=base_url, mode=mode,
                              prompt_version=prompt_version, chunk_chars=chunk_chars)
    article = read_article(file, max_chars=settings.max_article_chars)
    from pipeline.extract.article import extract_article  # loads openai: only for this command

    result = extract_article(article.text, article_id=article.article_id, settings=settings)
    if json_:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        stdout().print(result_view(article.text, result, paths=[str(file)]))


if __name__ == "__main__":
    app()
