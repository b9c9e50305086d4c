"""The trust signals on the terminal: one article's (for 'show') and a corpus audit ('audit')."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from schemas.records import ExtractionResult
from schemas.signals import AttributionStatus, ClaimModality, Modality, PassageKind, TrustSignals

_MODALITY_STYLES = {Modality.DENIED: "bold red", Modality.NEGATED: "red",
                    Modality.HEDGED: "yellow", Modality.ATTRIBUTED: "cyan",
                    Modality.ASSERTED: ""}


def _coverage(signals: TrustSignals) -> str:
    share = signals.audit.coverage
    return f"{share:.0%}" if share is not None else "n/a"


def signals_view(result: ExtractionResult, signals: TrustSignals) -> RenderableType:
    """Uncovered passages, attribution of each quote, modality and dates of each claim."""
    audit = signals.audit
    counts = {kind: sum(1 for p in audit.passages if p.kind is kind) for kind in PassageKind}
    head = Text.assemble(
        ("Trust signals", "bold"),
        f"  quoted speech covered: {_coverage(signals)} "
        f"({audit.covered_chars}/{audit.speech_chars} characters); passages: "
        f"{counts[PassageKind.SPEECH]} speech, {counts[PassageKind.SCARE_QUOTE]} scare quotes, "
        f"{counts[PassageKind.TITLE]} titles",
    )
    parts: list[RenderableType] = [head]
    if audit.uncovered:
        parts.append(uncovered_table([(result.article_id, signals)]))
    quotes = {q.quote_id: q for q in result.quotes}
    attribution = Table(title="Attribution", title_justify="left", expand=True)
    for column in ("quote", "speaker", "status", "reference", "cue", "why"):
        attribution.add_column(column, overflow="fold")
    for item in signals.attributions:
        quote = quotes.get(item.quote_id)
        supported = item.status is AttributionStatus.SUPPORTED
        attribution.add_row(
            item.quote_id.rsplit("/", 1)[-1], quote.speaker if quote else "",
            Text(item.status.value, style="green" if supported else "bold yellow"),
            f"{item.speaker.text} ({item.reference.value})" if item.speaker and item.reference
            else "", item.cue.text if item.cue else "", item.reason or "")
    parts.append(attribution)
    claims = Table(title="Claims: modality and dates", title_justify="left", expand=True)
    for column in ("claim", "modality", "cues", "dates"):
        claims.add_column(column, overflow="fold")
    dates: dict[str, list[str]] = {}
    for date in signals.dates:
        dates.setdefault(date.claim_id, []).append(
            f"{date.span.text} → {date.value or 'unresolved'}")
    for modality in signals.modalities:
        claims.add_row(
            modality.claim_id.rsplit("/", 1)[-1],
            _modality_cell(modality),
            ", ".join(f"{c.span.text} ({c.modality.value})" for c in modality.cues),
            "; ".join(dates.get(modality.claim_id, [])))
    parts.append(claims)
    if signals.reference_date is None and signals.dates:
        parts.append(Text("No published date: relative dates are left unresolved.", style="dim"))
    return Group(*parts)


def uncovered_table(articles: Sequence[tuple[str, TrustSignals]]) -> Table:
    table = Table(title="Quoted speech no stored quote covers", title_justify="left",
                  expand=True)
    for column in ("article", "span", "covered", "passage"):
        table.add_column(column, overflow="fold")
    for article_id, signals in articles:
        for passage in signals.audit.uncovered:
            table.add_row(article_id, f"{passage.span.start}–{passage.span.end}",
                          f"{passage.coverage:.0%}", passage.span.text)
    return table


def audit_view(articles: Sequence[tuple[str, TrustSignals]]) -> RenderableType:
    """Per article: quoted speech covered, passages by kind, uncovered and unsupported counts;
    then every uncovered passage; then the corpus figure."""
    table = Table(title="Quotation-mark audit", title_justify="left", expand=True)
    for column in ("article", "covered", "speech", "scare quotes", "titles", "uncovered",
                   "unsupported quotes", "non-asserted claims"):
        table.add_column(column, justify="right" if column != "article" else "left")
    speech = covered = 0
    for article_id, signals in articles:
        audit = signals.audit
        kinds = [p.kind for p in audit.passages]
        speech += audit.speech_chars
        covered += audit.covered_chars
        table.add_row(
            article_id, _coverage(signals), str(kinds.count(PassageKind.SPEECH)),
            str(kinds.count(PassageKind.SCARE_QUOTE)), str(kinds.count(PassageKind.TITLE)),
            str(len(audit.uncovered)), str(len(signals.unsupported)),
            str(sum(1 for m in signals.modalities if m.modality is not Modality.ASSERTED)))
    share = f"{covered / speech:.0%}" if speech else "n/a"
    table.caption = (f"Corpus: {share} of quoted speech covered ({covered}/{speech} characters, "
                     f"{len(articles)} articles)")
    parts: list[RenderableType] = [table]
    if any(signals.audit.uncovered for _, signals in articles):
        parts.append(uncovered_table(articles))
    return Group(*parts)


def _modality_cell(modality: ClaimModality) -> Text:
    """The rule's modality; where the model read the claim otherwise, both, flagged."""
    cell = Text(modality.modality.value, style=_MODALITY_STYLES[modality.modality])
    if modality.disagrees and modality.model_modality is not None:
        cell.append(f" ≠ model: {modality.model_modality.value}", style="bold yellow")
    return cell
