"""Whether one person's name is a shorter printing of another's, as Spanish and Arabic names vary.

'Pedro Sánchez' is 'Pedro Sánchez Pérez-Castejón' without his second surname; 'López Obrador' is
'Andrés Manuel López Obrador' without his given names; 'Mohammed bin Salman' is 'Mohammed bin
Salman Al Saud' without the family name, and 'Tamim Al Thani' is 'Tamim bin Hamad Al Thani'
without the father's name (nasab); 'Hun Manet' is 'Samdech Hun Manet' without an honorific no
title list holds, a leading word that is nobody's given name. The particles are nameparser's
('bin', 'ibn', 'al', 'de'...);
'el' and 'al' are one article ('el-Sisi' / 'al-Sisi'). Whether two such names are one person is
for the caller to decide: only where nobody else of the article, or of the corpus, fits.
"""

from __future__ import annotations

from enum import StrEnum

from nameparser.config import CONSTANTS

from pipeline.reconcile.given_names import is_given_name

# A family name or a second surname is one or two words ('Al Saud', 'Pérez-Castejón').
_MAX_TAIL = 2
_ARTICLES = {"el": "al"}


class Shortening(StrEnum):
    """How the shorter name leaves words of the longer out."""

    TAIL = "tail"  # its last words: a second surname, a family name
    NASAB = "nasab"  # a 'bin X' inside it, and perhaps its last words
    GIVEN = "given"  # its given names: 'López Obrador', both surnames alone
    HONORIFIC = "honorific"  # a leading word that is nobody's given name: 'Samdech', 'Daw'


def _folded(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_ARTICLES.get(t, t) for t in tokens)


def _is_particle(token: str) -> bool:
    return token in CONSTANTS.prefixes or f"{token}-" in CONSTANTS.prefixes


def shortening(short: tuple[str, ...], long: tuple[str, ...]) -> Shortening | None:
    """How ``short`` (folded name words) shortens ``long``, or None when it does not."""
    short, long = _folded(short), _folded(long)
    if len(short) < 2 or len(long) <= len(short):
        return None
    extra = len(long) - len(short)
    if extra <= 2 and long[extra:] == short and not any(
        is_given_name(word) or _is_particle(word) for word in long[:extra]
    ):
        return Shortening.HONORIFIC
    if len(short) == 2 and len(long) >= 4 and long[-2:] == short and not _is_particle(short[0]):
        return Shortening.GIVEN
    if short[0] != long[0]:
        return None
    at, nasab = 0, False
    for token in short:
        while at < len(long) and long[at] != token:
            # only a particle and the name after it may be passed over: 'bin Hamad'
            if not (_is_particle(long[at]) and at + 1 < len(long)) or at == 0:
                return None
            at += 2
            nasab = True
        if at >= len(long):
            return None
        at += 1
    tail = list(long[at:])
    while len(tail) > _MAX_TAIL and _is_particle(tail[0]):
        tail = tail[2:]  # '... bin Sultan Al Nahyan': the father's name, then the family's
        nasab = True
    if len(tail) > _MAX_TAIL or (tail and _is_particle(tail[-1])):
        return None
    return Shortening.NASAB if nasab else Shortening.TAIL
