"""The quotation-mark audit: which quoted passages the stored quotes cover (recall without gold).

Every passage the tokenizer finds gets a kind by rule: two words or fewer is a scare quote
('everything', "in desperation"); a passage right after a word such as "titled", "report" or "book"
(the vocabulary's ``title_cues``), or printed in title case, is the name of a work; the rest is
speech. Speech that the stored quotes (direct or indirect: a mixed quote's fragment sits inside an
indirect one) leave less than half covered is reported as uncovered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.audit.quotemarks import QuoteTokenizer, RawPassage
from pipeline.audit.text import find_phrases
from schemas.records import Quote
from schemas.signals import PassageKind, QuoteAudit, QuotedPassage, QuoteMarks, TextSpan

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_TITLE_MAX_WORDS = 10
_TITLE_CUE_WINDOW = 3  # words before the opening mark where a title cue counts
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for",
                          "with", "by", "from", "vs", "v"})


def audit_quotes(text: str, quotes: Sequence[Quote], marks: QuoteMarks) -> QuoteAudit:
    """Every quoted passage of ``text``, its kind, and how much of it ``quotes`` cover."""
    passages = [
        _judged(text, raw, quotes, marks) for raw in QuoteTokenizer(marks).passages(text)
    ]
    return QuoteAudit(passages=tuple(passages))


def _judged(text: str, raw: RawPassage, quotes: Sequence[Quote], marks: QuoteMarks
            ) -> QuotedPassage:
    kind, rule = classify(text, raw, marks)
    covered = [0] * (raw.end - raw.start)
    ids: list[str] = []
    for quote in quotes:
        low, high = max(raw.start, quote.span.start), min(raw.end, quote.span.end)
        if low < high:
            ids.append(quote.quote_id)
            for k in range(low - raw.start, high - raw.start):
                covered[k] = 1
    return QuotedPassage(
        span=TextSpan.of(text, raw.start, raw.end), kind=kind, opening=raw.opening,
        closing=raw.closing, rule=rule, covered_chars=sum(covered), quote_ids=tuple(ids),
    )


def classify(text: str, raw: RawPassage, marks: QuoteMarks) -> tuple[PassageKind, str]:
    """The passage's kind and the rule that gave it."""
    words = _WORD.findall(text[raw.start : raw.end])
    if len(words) <= marks.scare_max_words:
        return PassageKind.SCARE_QUOTE, f"{marks.scare_max_words} words or fewer"
    lead = text[max(0, raw.start - 60) : raw.start - 1]
    # Only words of the same stretch of text count: not past a sentence end or another quote.
    lead = lead[max(lead.rfind(c) for c in ".!?;:“”\"‘’\n") + 1 :]
    lead_words = _WORD.findall(lead)[-_TITLE_CUE_WINDOW:]
    if lead_words:
        window_start = raw.start - 1 - len(lead) + lead.rfind(lead_words[0])
        cue = find_phrases(text, marks.title_cues, window_start, raw.start - 1)
        if cue:
            return PassageKind.TITLE, f"after '{cue[-1].phrase}'"
    if _title_case(words) and text[raw.end - 1] not in ".!?":
        return PassageKind.TITLE, "printed in title case"
    return PassageKind.SPEECH, "speech"


def _title_case(words: list[str]) -> bool:
    if len(words) > _TITLE_MAX_WORDS:
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)
