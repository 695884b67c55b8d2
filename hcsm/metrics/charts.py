"""Server-rendered SVG: the US tile-grid map of adoption shares and the rank badge. No
JavaScript; every chart is shown beside a table with the same numbers."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import escape

# (column, row) of each state in a 12 x 8 tile grid, the usual layout of tile-grid maps.
TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (11, 0),
    "VT": (10, 1), "NH": (11, 1),
    "WA": (1, 2), "ID": (2, 2), "MT": (3, 2), "ND": (4, 2), "MN": (5, 2), "IL": (6, 2),
    "WI": (7, 2), "MI": (8, 2), "NY": (9, 2), "RI": (10, 2), "MA": (11, 2),
    "OR": (1, 3), "NV": (2, 3), "WY": (3, 3), "SD": (4, 3), "IA": (5, 3), "IN": (6, 3),
    "OH": (7, 3), "PA": (8, 3), "NJ": (9, 3), "CT": (10, 3),
    "CA": (1, 4), "UT": (2, 4), "CO": (3, 4), "NE": (4, 4), "MO": (5, 4), "KY": (6, 4),
    "WV": (7, 4), "VA": (8, 4), "MD": (9, 4), "DE": (10, 4),
    "AZ": (2, 5), "NM": (3, 5), "KS": (4, 5), "AR": (5, 5), "TN": (6, 5), "NC": (7, 5),
    "SC": (8, 5), "DC": (9, 5),
    "OK": (4, 6), "LA": (5, 6), "MS": (6, 6), "AL": (7, 6), "GA": (8, 6),
    "HI": (0, 7), "TX": (4, 7), "FL": (9, 7), "PR": (11, 7),
}  # fmt: skip
# Five shades from light to dark, with the text colour that keeps contrast on each.
SHADES = [
    ("#eff3ff", "#000"),
    ("#bdd7e7", "#000"),
    ("#6baed6", "#000"),
    ("#3182bd", "#fff"),
    ("#08519c", "#fff"),
]
NO_DATA = ("#d9d9d9", "#000")


def shade(share: float) -> tuple[str, str]:
    return SHADES[min(int(share * len(SHADES)), len(SHADES) - 1)]


def us_tile_map(
    shares: dict[str, tuple[float, str]], *, href: Callable[[str], str], tile: int = 44
) -> str:
    """``shares`` maps a state code (``MN``) to (share 0..1, label for the tooltip)."""
    width, height = 12 * tile + 4, 8 * tile + 4
    parts = [
        f'<svg class="tile-map" role="group" aria-labelledby="map-title" viewBox="0 0 {width} '
        f'{height}" width="100%" style="max-width:{width}px" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="map-title">Share of registry hospitals with a social media presence, by '
        "state (the table beside the map has the same figures)</title>"
    ]
    for state, (col, row) in TILES.items():
        x, y = 2 + col * tile, 2 + row * tile
        if state in shares:
            value, label = shares[state]
            fill, ink = shade(value)
            text = f"{label}: {100 * value:.1f}%"
        else:
            fill, ink = NO_DATA
            text = f"{state}: no registry hospitals"
        parts.append(
            f'<a href="{escape(href(state))}" aria-label="{state} {escape(text)}">'
            f"<g><title>{escape(text)}</title>"
            f'<rect x="{x}" y="{y}" width="{tile - 3}" height="{tile - 3}" rx="3" '
            f'fill="{fill}"/><text x="{x + (tile - 3) / 2}" y="{y + tile / 2 + 1}" '
            f'text-anchor="middle" font-size="13" font-family="sans-serif" fill="{ink}">'
            f"{state}</text></g></a>"
        )
    parts.append("</svg>")
    return "".join(parts)


def badge_svg(left: str, right: str) -> str:
    """A flat badge like those of the press rankings: ``HCSM rank | #12 of 5,321``."""
    lw, rw = 10 + 7 * len(left), 10 + 7 * len(right)
    left, right = escape(left), escape(right)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{lw + rw}" height="20" role="img" '
        f'aria-label="{left}: {right}"><title>{left}: {right}</title>'
        f'<rect width="{lw}" height="20" fill="#444"/>'
        f'<rect x="{lw}" width="{rw}" height="20" fill="#08519c"/>'
        '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{lw / 2}" y="14" text-anchor="middle">{left}</text>'
        f'<text x="{lw + rw / 2}" y="14" text-anchor="middle">{right}</text></g></svg>'
    )
