"""Long documents in chunks: split at paragraph, line or sentence ends, with an overlap.

A model's output budget runs out long before its context: a hearing transcript holds more quotes
than one answer can list. Each chunk is sent as its own call; consecutive chunks share an overlap
(a quote cut by one boundary stands whole in the next chunk), and the merge deduplicates what the
overlap finds twice. Offsets: ``text[chunk.start:chunk.end] == chunk.text``, start inclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where a chunk may end, best first: a blank line, a line break, a sentence end, a space.
_BOUNDARIES = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+"),
    re.compile(r"\s+"),
)
# A chunk ends at the best boundary in its last part; this is how far back it may look.
_LOOK_BACK = 0.5


@dataclass(frozen=True)
class Chunk:
    """``text[start:end]`` of the whole document."""

    start: int
    end: int
    text: str

    def __len__(self) -> int:
        return self.end - self.start


def split_text(text: str, *, max_chars: int, overlap_chars: int = 0) -> list[Chunk]:
    """Chunks of at most ``max_chars`` covering ``text``; each after the first starts at a
    boundary about ``overlap_chars`` before the previous one's end. One chunk when it fits."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    overlap_chars = max(0, min(overlap_chars, max_chars // 3))
    chunks: list[Chunk] = []
    start = 0
    while True:
        if len(text) - start <= max_chars:
            chunks.append(Chunk(start, len(text), text[start:]))
            return chunks
        earliest = start + int(max_chars * _LOOK_BACK)
        end = _boundary_before(text, start + max_chars, earliest=earliest)
        chunks.append(Chunk(start, end, text[start:end]))
        following = _boundary_after(text, end - overlap_chars, latest=end) if overlap_chars else end
        start = following if following > start else end


def split_in_two(text: str, chunk: Chunk, *, overlap_chars: int = 0) -> list[Chunk]:
    """The chunk as two halves at the boundary nearest its middle, sharing an overlap."""
    half = len(chunk) // 2 + min(overlap_chars, len(chunk) // 4) // 2 + 1
    parts = split_text(chunk.text, max_chars=max(half, 1), overlap_chars=overlap_chars)
    if len(parts) > 2:  # the middle had no boundary close enough: cut as the first split did
        parts = [parts[0], Chunk(parts[1].start, len(chunk.text), chunk.text[parts[1].start:])]
    return [Chunk(chunk.start + p.start, chunk.start + p.end, p.text) for p in parts]


def _boundary_before(text: str, limit: int, *, earliest: int) -> int:
    """The end of the best boundary in ``text[earliest:limit]`` (the latest of its kind)."""
    window = text[earliest:limit]
    for pattern in _BOUNDARIES:
        ends = [match.end() for match in pattern.finditer(window) if match.end() < len(window)]
        if ends:
            return earliest + ends[-1]
    return limit  # no boundary at all (one endless word): cut


def _boundary_after(text: str, position: int, *, latest: int) -> int:
    """The start of the text after the best boundary in ``text[position:latest]`` (the earliest
    of its kind, so that the overlap is as long as asked), or ``latest``."""
    position = max(position, 0)
    window = text[position:latest]
    for pattern in _BOUNDARIES:
        match = pattern.search(window)
        if match is not None and match.end() < len(window):
            return position + match.end()
    return latest
