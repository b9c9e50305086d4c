"""Test pages: a seed's lines as the paragraphs of a page full of debris (pages/wrapper.html)."""

from __future__ import annotations

import html
import string
from pathlib import Path

WRAPPER = Path(__file__).with_name("pages") / "wrapper.html"
# Strings of the wrapper's navigation, banner, share widget, sidebar, scripts and footer.
DEBRIS = ("Subscribe for 1 euro a month", "Accept all cookies", "Share on Facebook",
          "Email this article", "Most read", "Ten recipes", "dataLayer", "pageview",
          "All rights reserved", "Careers", "display: flex")


def page_wrapping(seed: Path, *, slug: str = "story") -> str:
    """The seed's first line as headline and title, every other non-blank line a paragraph."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    paragraphs = "\n      ".join(f"<p>{html.escape(line)}</p>" for line in lines[1:]
                                  if line.strip())
    return string.Template(WRAPPER.read_text(encoding="utf-8")).substitute(
        title=html.escape(lines[0]), slug=slug, paragraphs=paragraphs)
