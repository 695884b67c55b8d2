"""Normalising a draft for matching while keeping every offset true to what the person typed.

Zero-width characters and soft hyphens are dropped and each remaining character is NFKC-folded
(full-width letters, ligatures, look-alike digits); hyphens and en dashes become "-".
``NormalizedText.span`` maps a span of the normalised text back to the original, so findings
always point into the text as pasted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Hyphens, the figure and en dash and the minus sign; not the em dash, which separates words
# ("call 555-0101\u2014she knows") where these join them
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2212")
# ... and the emoji variation selector and keycap mark: "9\ufe0f\u20e37\ufe0f\u20e3" is "97"
INVISIBLE = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\ufe0f\u20e3"
)


@dataclass(frozen=True)
class NormalizedText:
    original: str
    text: str
    origin: tuple[int, ...]  # origin[i] = index in ``original`` of normalised character i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalised characters ``start:end`` (end exclusive)."""
        if not self.origin:
            return 0, 0
        start = min(max(start, 0), len(self.origin) - 1)
        end = min(max(end, start + 1), len(self.origin))
        return self.origin[start], self.origin[end - 1] + 1


def normalize(original: str) -> NormalizedText:
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(original):
        if char in INVISIBLE:
            continue
        folded = unicodedata.normalize("NFKC", char) if ord(char) > 127 else char
        if char == "\u00a0":
            folded = " "
        elif char in DASHES:
            folded = "-"  # "555–0138" with an en dash is the same number
        for piece in folded:
            out.append(piece)
            origin.append(index)
    return NormalizedText(original=original, text="".join(out), origin=tuple(origin))
