"""Precision and recall of the trust-signal rules against the seeds' gold, in one command.

    python bench/signals_vs_gold.py [--seeds seeds] [--failures]

No model and no store: the gold itself is the extraction the rules judge (see
``pipeline.audit.scoring``). Modality is scored against the hand labels of the gold claims in
tests/audit/data/claim_modality.seeds.v1.json. Dates are counted with each article's printed
date as reference where the gold has none (000-002, 004: none; 003 prints 'Fri Jun 28 2024').
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from pipeline.audit.scoring import (
    SignalScores,
    Tally,
    score_attribution_items,
    score_modality_items,
    score_signals,
)
from pipeline.evaluate import load_gold_dir

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "audit" / "data" / "claim_modality.seeds.v1.json"
HELD_OUT = ROOT / "tests" / "audit" / "data" / "claim_modality.heldout.v1.json"
HELD_OUT_QUOTES = ROOT / "tests" / "audit" / "data" / "attribution.heldout.v1.json"
HELD_OUT_QUOTES_2 = ROOT / "tests" / "audit" / "data" / "attribution.heldout2.v1.json"


def _flagged(scores: SignalScores) -> str:
    flagged = scores.wrong_speakers - scores.attribution.false_positives
    return f"    wrong speakers flagged unsupported: {flagged}/{scores.wrong_speakers}"


def _pr(tally: Tally) -> str:
    def number(value: float | None) -> str:
        return f"{value:.2f}" if value is not None else "  - "

    return (f"P {number(tally.precision)}  R {number(tally.recall)}  "
            f"(tp {tally.true_positives}, fp {tally.false_positives}, "
            f"fn {tally.false_negatives})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--failures", action="store_true", help="List where each rule failed.")
    args = parser.parse_args()
    golds = load_gold_dir(args.seeds)
    texts = {aid: (args.seeds / g.article).read_text(encoding="utf-8")
             for aid, g in golds.items()}
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["labels"]
    printed = {aid: dt.date(2024, 6, 28) for aid in golds if aid.startswith("003_")}
    started = time.perf_counter()
    scores = score_signals(texts, golds, modality_labels=labels, reference_dates=printed)
    elapsed = time.perf_counter() - started
    print(f"Trust signals vs {args.seeds / 'gold'} ({len(golds)} articles, {elapsed:.2f}s)")
    audit = scores.audit
    recall = scores.audit_recall or 0.0
    print(f"  audit: speech passages inside gold quotes: P {audit.precision or 0.0:.2f} "
          f"({audit.true_positives}/{audit.true_positives + audit.false_positives}); "
          f"gold direct quotes found as speech: R {recall:.2f} "
          f"({scores.gold_direct_found}/{scores.gold_direct})")
    for verdict, count in sorted(scores.non_speech.items()):
        print(f"    non-speech passages, {verdict}: {count}")
    print(f"  attribution, supported vs right speaker:       {_pr(scores.attribution)}")
    print(_flagged(scores))
    print(f"    speech cue agrees with the gold cue: {scores.cue_agrees}/{scores.cues_compared}")
    quotes = score_attribution_items(
        json.loads(HELD_OUT_QUOTES.read_text(encoding="utf-8"))["items"])
    print(f"  attribution on held-out news passages:        {_pr(quotes.attribution)}")
    print(_flagged(quotes))
    scores.failures += quotes.failures
    second = score_attribution_items(
        json.loads(HELD_OUT_QUOTES_2.read_text(encoding="utf-8"))["items"])
    print(f"  attribution on a second held-out set:         {_pr(second.attribution)}")
    print(_flagged(second))
    scores.failures += second.failures
    print(f"  modality, accuracy {scores.modality_right}/{scores.modality_total}")
    for modality, tally in scores.modality.items():
        print(f"    {modality.value:<10} {_pr(tally)}")
    held_out = score_modality_items(
        [tuple(item) for item in json.loads(HELD_OUT.read_text(encoding="utf-8"))["items"]])
    print(f"  modality on held-out news sentences, accuracy "
          f"{held_out.modality_right}/{held_out.modality_total}")
    for modality, tally in held_out.modality.items():
        print(f"    {modality.value:<10} {_pr(tally)}")
    scores.failures += held_out.failures
    print(f"  dates in gold evidence: {scores.dates_found} found, {scores.dates_resolved} "
          "resolved (absolute, or relative with a reference date)")
    if args.failures:
        print("Failures:")
        for failure in scores.failures:
            print("  " + failure)


if __name__ == "__main__":
    main()
