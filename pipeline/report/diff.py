"""Word-level differences between a printed variant and the canonical text of its cluster.

Words are compared as printed (a curly quote against a straight one counts), since the point of
the view is to show what each outlet changed; the whitespace after a word travels with it so the
pieces join back into the variant or the canonical text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

_WORD = re.compile(r"\S+\s*|\s+")


class DiffOp(StrEnum):
    SAME = "same"
    ADDED = "added"  # printed by the variant, not in the canonical text
    MISSING = "missing"  # in the canonical text, not printed by the variant


@dataclass(frozen=True)
class DiffPiece:
    op: DiffOp
    text: str


def word_diff(canonical: str, variant: str) -> list[DiffPiece]:
    """The variant as pieces: SAME and ADDED join into ``variant``, SAME and MISSING into
    ``canonical``."""
    old = _WORD.findall(canonical)
    new = _WORD.findall(variant)
    matcher = difflib.SequenceMatcher(
        a=[w.strip() for w in old], b=[w.strip() for w in new], autojunk=False
    )
    pieces: list[DiffPiece] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(DiffPiece(DiffOp.SAME, "".join(new[b0:b1])))
            continue
        if a1 > a0:
            pieces.append(DiffPiece(DiffOp.MISSING, "".join(old[a0:a1])))
        if b1 > b0:
            pieces.append(DiffPiece(DiffOp.ADDED, "".join(new[b0:b1])))
    return pieces


def changed_words(pieces: list[DiffPiece]) -> int:
    """How many words differ: a word replaced counts once, as do a word added or dropped."""
    count, missing = 0, 0
    for piece in pieces:
        words = len(piece.text.split())
        if piece.op is DiffOp.MISSING:
            missing = words
            count += words
        elif piece.op is DiffOp.ADDED:
            count += max(0, words - missing)  # the part of a replacement beyond the dropped words
            missing = 0
        else:
            missing = 0
    return count
