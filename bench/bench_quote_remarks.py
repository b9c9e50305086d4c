"""Quotes of speakers who say many remarks, clustered in process: pairwise P/R, wrong merges.

    python bench/bench_quote_remarks.py                       # 1,000 stories, 10 persons
    python bench/bench_quote_remarks.py --stories 4200 --persons 4000

What bench_syndicated shows only at 100k articles, cheaply: a speaker with thousands of distinct
remarks, each strung from Faker's words and the generator's stock phrases ('at the end of the
day'), so that two remarks share runs of stock phrases by chance. Stories come from
``syndicated.Wire`` and are printed ``--copies`` times each (its edits: cuts, typos, marks);
quotes are clustered by the corpus verifiers (``paraphrase.corpus_verifiers``) with the speaker
keyed by surname, as the store's reconciliation would without actors. Printed: pairwise
precision and recall against the generator's truth, CPU time, and each merge that joined two
different remarks, by rule, with its evidence.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from syndicated import Wire

from pipeline.reconcile import cluster_quotes
from pipeline.reconcile.knowledge import load_linkage_settings
from pipeline.reconcile.paraphrase import corpus_candidates, corpus_verifiers
from schemas.mentions import QuoteMention


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--persons", type=int, default=10)
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=10, help="wrong merges to print")
    args = parser.parse_args()
    wire = Wire(args.seed, persons=args.persons)
    quotes: list[QuoteMention] = []
    truth: list[str] = []
    for number in range(args.stories):
        story = wire.story()
        for copy in wire.copies(story, args.copies, number * args.copies):
            found = {f"{copy.article.article_id}@{q.span.start}-{q.span.end}": q
                     for q in copy.result.quotes}  # fmt: skip
            for kind, key, element in copy.truth:
                if kind == "quote":
                    quote = found[key]
                    quotes.append(QuoteMention(article_id=copy.article.article_id,
                                               speaker=quote.speaker.split()[-1], text=quote.text))
                    truth.append(element)  # fmt: skip
    started = time.process_time()
    settings = load_linkage_settings().quotes
    clusters = cluster_quotes(
        quotes,
        verifiers=corpus_verifiers((q.text for q in quotes), settings),
        candidates=corpus_candidates(),
    )
    cpu = time.process_time() - started
    truth_of = {id(q): t for q, t in zip(quotes, truth, strict=True)}
    label = {id(m): c.quote_id for c in clusters for m in c.mentions}
    predicted = [label[id(q)] for q in quotes]

    def pairs(groups: list[object]) -> int:
        return sum(n * (n - 1) // 2 for n in Counter(groups).values())

    both = pairs(list(zip(predicted, truth, strict=True)))
    precision, recall = both / max(pairs(list(predicted)), 1), both / max(pairs(list(truth)), 1)
    print(f"{len(quotes)} quote mentions of {len(set(truth))} remarks, {args.persons} persons: "
          f"{len(clusters)} clusters, P {precision:.4f} / R {recall:.4f}, {cpu:.1f} s CPU")
    wrong: Counter[str] = Counter()
    for cluster in clusters:
        for merge in cluster.merges:
            left, right = cluster.mentions[merge.mention], cluster.mentions[merge.anchor]
            if truth_of[id(left)] != truth_of[id(right)]:
                wrong[merge.rule.value] += 1
                if sum(wrong.values()) <= args.show:
                    print(f"  {merge.rule.value}: {merge.evidence[-1].detail}")
    print(f"merges joining two remarks, by rule: {dict(wrong) or 'none'}")


if __name__ == "__main__":
    main()
