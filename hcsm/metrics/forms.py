"""The leaderboard's query: one form shared by the page, its CSV and the API."""

from __future__ import annotations

from typing import Any

from django import forms

from hcsm.directory.filters import CountryField, RegionField
from hcsm.directory.models import Organization
from hcsm.directory.platforms import PLATFORMS

from .selectors import MAX_PAGES, BoardQuery

BOARDS = [
    ("followers", "Most followers"),
    ("growth", "Most growth (30 days)"),
    ("score", "Weighted score"),
]


class BoardForm(forms.Form):
    board = forms.ChoiceField(label="Rank by", choices=BOARDS, required=False)
    platform = forms.ChoiceField(
        label="Platform",
        choices=[("", "All platforms")] + [(p.slug, p.name) for p in PLATFORMS.values()],
        required=False,
    )
    country = CountryField(label="Country", required=False, max_length=100)
    region = RegionField(label="Region (ISO 3166-2)", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind", choices=[("", "All kinds"), *Organization.Kind.choices], required=False
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGES, required=False)

    def query(self) -> BoardQuery:
        data: dict[str, Any] = self.cleaned_data
        return BoardQuery(
            board=data.get("board") or "followers",
            platform=data.get("platform") or "",
            country=data.get("country") or "",
            region=data.get("region") or "",
            kind=data.get("kind") or "",
            page=data.get("page") or 1,
        )

    def error_list(self) -> list[str]:
        return [
            f"{self.fields[name].label if name in self.fields else name}: {' '.join(errors)}"
            for name, errors in self.errors.items()
        ]
