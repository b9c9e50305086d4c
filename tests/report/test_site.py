"""``newsextract report``: what the pages hold, the errors that say what to run, and escaping.

The pages are read as HTML text here; ``test_browser.py`` opens them in Chromium.
"""

from __future__ import annotations

import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import ReportError
from pipeline.reconcile.quotes import cluster_quotes
from pipeline.report.corpus_view import corpus_links
from pipeline.report.site import MARKER, build_report, environment
from pipeline.store.db import Store
from schemas.clusters import ClaimAssertion, ClaimCluster, Reconciliation
from schemas.mentions import ClaimMention, QuoteMention
from tests.report.conftest import HOSTILE_MODEL

SEED_000 = "000_e9e0939858eebc6d"
BLINKEN_QUOTE = ("There are two immediate and interrelated steps that we must take. First, we "
                 "must address Russia’s growing cooperation with North Korea and Iran")


class _Links(HTMLParser):
    """Every href and src of a page, and every id it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.targets.append(str(values[name]))
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "script":
            self.scripts.append(values)


def parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def seed_report(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "report"
    build_report(seed_store, out)
    return out


def test_every_link_of_every_page_stays_in_the_folder_and_reaches_a_page(
        seed_report: Path) -> None:
    pages = {page.resolve(): parse(page) for page in seed_report.rglob("*.html")}
    assert len(pages) > 100
    for page, parsed in pages.items():
        for target in parsed.targets:
            assert not re.match(r"^[a-z]+:", target), f"{page.name} refers outside: {target}"
            path, _, fragment = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            assert resolved.is_file(), f"{page.relative_to(seed_report)} links to {target}"
            if fragment:
                assert fragment in pages[resolved].ids, f"{target} from {page.name}"


def test_the_index_counts_what_the_store_holds_and_names_the_model_as_recorded(
        seed_store: Path, seed_report: Path) -> None:
    html = (seed_report / "index.html").read_text(encoding="utf-8")
    with sqlite3.connect(seed_store) as db:
        quotes = db.execute("SELECT count(*) FROM quotes").fetchone()[0]
        rejected = db.execute("SELECT count(*) FROM rejected").fetchone()[0]
    assert f"<dt>quotes</dt><dd>{quotes}</dd>" in html
    assert f"<dt>rejected</dt><dd>{rejected}</dd>" in html
    assert "<code>reference-annotations</code> (5 articles)" in html
    assert "<code>extract</code> v1" in html


def test_a_known_quote_is_highlighted_at_its_grounded_offsets(seed_store: Path,
                                                              seed_report: Path) -> None:
    with Store(seed_store) as store:
        (stored,) = [s for s in store.latest_extractions() if s.article_id == SEED_000]
        quote = next(q for q in store.load_result(stored.extraction_id).quotes
                     if q.text == BLINKEN_QUOTE)
    html = (seed_report / "articles" / f"{SEED_000}.html").read_text(encoding="utf-8")
    anchor = f'id="q-{quote.span.start}-{quote.span.end}"'
    assert anchor in html
    assert f'data-refs="obj-q-{quote.span.start}-{quote.span.end}' in html


def test_actor_pages_show_names_with_counts_and_the_merge_reasons(seed_report: Path) -> None:
    page = next(p for p in (seed_report / "actors").glob("*.html")
                if "<h1>North Korea</h1>" in p.read_text(encoding="utf-8"))
    html = page.read_text(encoding="utf-8")
    for name in ("DPRK", "Pyongyang"):
        assert re.search(rf"<td>{name}</td><td class=\"num\">\d+</td>", html), name
    assert "joined by <code>" in html and "known_alias" in html


def test_a_claim_reported_by_four_seeds_shows_each_wording_against_the_canonical(
        seed_report: Path) -> None:
    pages = [p.read_text(encoding="utf-8") for p in (seed_report / "claims").glob("*.html")]
    shared = [html for html in pages if html.count('class="card source"') == 4]
    assert shared, "the seeds report 'Iran has been supplying drones' four times"
    assert any("<ins " in html and "<del " in html for html in shared)


def test_a_reprinted_quote_shows_both_printings_and_the_changed_word(
        hostile_store: Path, tmp_path: Path) -> None:
    build_report(hostile_store, tmp_path / "r")
    (html,) = [text for page in (tmp_path / "r" / "quotes").glob("*.html")
               if "on our pages" in (text := page.read_text(encoding="utf-8"))]
    assert html.count('class="card source"') == 2
    assert '<ins title="printed here, not in the canonical text">pages."' not in html
    assert "pages.</ins>" in html and "pages,</del>" in html
    assert "the canonical text, word for word" in html and "1 word differs" in html


def test_a_store_not_reconciled_yet_says_to_run_reconcile(seed_store: Path,
                                                          tmp_path: Path) -> None:
    db = tmp_path / "unreconciled.db"
    with sqlite3.connect(seed_store) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
        copy.execute("DELETE FROM cluster_members")
        copy.execute("DELETE FROM clusters")
    with pytest.raises(ReportError, match="not reconciled yet; run 'newsextract reconcile"):
        build_report(db, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".out*")), "nothing half-written is left beside --out"


def test_an_empty_store_and_a_missing_store_say_what_to_run(tmp_path: Path) -> None:
    Store(tmp_path / "empty.db").close()
    with pytest.raises(ReportError, match="holds no extraction results; fill it with"):
        build_report(tmp_path / "empty.db", tmp_path / "out")
    result = CliRunner().invoke(app, ["report", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no store at" in result.stderr and "newsextract run" in result.stderr
    assert "Traceback" not in result.output


def test_a_folder_of_other_files_is_refused_and_an_earlier_report_replaced(
        seed_store: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(ReportError, match="not a newsextract report"):
        build_report(seed_store, mine)
    assert (mine / "notes.txt").read_text() == "keep me"
    out = tmp_path / "report"
    build_report(seed_store, out)
    (out / "stale.html").write_text("from an earlier report")
    build_report(seed_store, out)
    assert (out / MARKER).exists() and not (out / "stale.html").exists()


def test_the_cli_writes_the_report_and_says_where(seed_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--db", str(seed_store), "--out",
                                      str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "index.html" in result.stdout
    assert (tmp_path / "r" / "index.html").is_file()


def test_html_in_an_article_and_in_model_output_is_escaped(hostile_store: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "r"
    build_report(hostile_store, out)
    pages = list(out.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>window" not in html and "<img src=x" not in html, page.name
        assert "<svg" not in html and "<b onmouseover" not in html, page.name
        assert all(s.get("src", "").endswith("assets/report.js") for s in parse(page).scripts)
    article = out / "articles" / "hostile-script.html"
    assert "&lt;script&gt;window.__pwned" in article.read_text(encoding="utf-8")
    assert f"<code>{HOSTILE_MODEL}</code>" in article.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def handwritten_report(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handwritten") / "report"
    build_report(hostile_store, out)
    return out


def test_an_article_page_shows_its_outlet_date_and_url(handwritten_report: Path) -> None:
    html = (handwritten_report / "articles" / "audited.html").read_text(encoding="utf-8")
    assert "<h1>Mayor presents the budget</h1>" in html
    assert '<strong class="outlet">The Daily Example</strong>' in html
    assert '<time class="published" datetime="2024-05-06">' in html
    assert 'href="https://example.org/budget"' in html
    index = (handwritten_report / "index.html").read_text(encoding="utf-8")
    assert "<td>The Daily Example</td><td>2024-05-06</td>" in index


def test_a_javascript_url_is_shown_but_never_linked(handwritten_report: Path) -> None:
    html = (handwritten_report / "articles" / "hostile-script.html").read_text(encoding="utf-8")
    assert "<code>javascript:window.__pwned=&#39;url&#39;</code>" in html
    assert 'href="javascript' not in html.lower()


def test_the_quote_audit_flags_an_unsupported_attribution_and_uncovered_speech(
        handwritten_report: Path) -> None:
    html = (handwritten_report / "articles" / "audited.html").read_text(encoding="utf-8")
    cards = re.findall(r'<li class="card quote-card".*?</li>', html, re.S)
    assert len(cards) == 2
    flagged = [card for card in cards if "attribution unsupported" in card]
    assert len(flagged) == 1 and "Every district gets the same share" in flagged[0]
    assert "attribution supported" in next(c for c in cards if c not in flagged)
    assert re.search(r'class="hl [^"]*unsupported[^"]*"[^>]*>Every district', html)
    (uncovered,) = re.findall(r'<li class="card uncovered-card".*?</li>', html, re.S)
    assert "Nobody asked the families in the north of the city about it." in uncovered
    assert re.search(r'class="hl uncovered"[^>]*>Nobody asked', html)


def test_claims_show_how_the_article_presents_them(seed_report: Path) -> None:
    modalities = set()
    for page in (seed_report / "articles").glob("*.html"):
        modalities |= set(re.findall(r'class="badge modality-(\w+)"',
                                     page.read_text(encoding="utf-8")))
    assert {"asserted", "attributed", "denied"} <= modalities


def test_a_denial_links_to_the_claim_it_answers_and_back() -> None:
    def cluster(claim_id: str, statement: str, denies: str | None = None) -> ClaimCluster:
        mention = ClaimMention(article_id="a1", asserted_by=None, statement=statement)
        return ClaimCluster(claim_id=claim_id, statement=statement, mentions=(mention,),
                            assertions=(ClaimAssertion(article_id="a1", asserted_by=None),),
                            denies=denies)

    claim = cluster("claim/drones", "Iran supplies drones to Russia.")
    denial = cluster("claim/denial", "Iran denies supplying drones.", denies="claim/drones")
    links = corpus_links([], Reconciliation(claims=(claim, denial)))
    template = environment().get_template("claim.html.j2")
    denied = template.render(root="../", page="", claim=claim, links=links, denied_by=[denial])
    answers = template.render(root="../", page="", claim=denial, links=links, denied_by=[])
    assert f'by <a href="../{links.claims["claim/denial"]}">Iran denies' in denied
    assert f'answers the claim <a href="../{links.claims["claim/drones"]}">' in answers


def test_a_quote_page_lists_its_printings_by_date_with_outlet_and_the_earliest_marked() -> None:
    words = "We must address Russia's growing cooperation with North Korea and Iran"
    printings = [
        QuoteMention(article_id=a, speaker="Antony Blinken", text=words, outlet=o, published=p)
        for a, o, p in [("c", "Courier", "2024-09-21"), ("a", "Agency", "2024-09-20T04:30:00Z"),
                        ("u", None, None)]
    ]
    [quote] = cluster_quotes(printings)
    links = corpus_links([], Reconciliation(quotes=(quote,)))
    html = environment().get_template("quote.html.j2").render(
        root="../", page="", quote=quote, links=links)
    cards = re.findall(r'<li class="card source">.*?</li>', html, re.S)
    assert [re.search(r'class="provenance">([^<·]*)', c).group(1).strip()  # type: ignore[union-attr]
            for c in cards[:2]] == ["Agency", "Courier"]
    assert ["badge earliest" in c for c in cards] == [True, False, False]
    assert "provenance" not in cards[2]
