"""The leaderboard's query (one form shared by the page, its CSV and the API), and the form
of a figure typed by hand."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from hcsm.directory.filters import CountryField, RegionField
from hcsm.directory.models import Organization
from hcsm.directory.platforms import PLATFORMS

from .models import Metric
from .selectors import MAX_PAGES, BoardQuery
from .services import InvalidFigure, manual_figure_day_check

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


_GROUPED = re.compile(r"^[0-9]{1,3}(?:([, \u00a0\u202f_'])[0-9]{3})?(?:\1[0-9]{3})*$")


def parse_whole_number(text: str) -> int:
    """A typed count: digits, optionally grouped in thousands by commas, spaces or
    apostrophes (12,345 · 12 345 · 12'345). A dot, a decimal, a sign, an exponent or letters
    are refused: "1.234" could mean 1234 or 1.234."""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= 20:
        return int(text)
    if len(text) <= 30 and _GROUPED.match(text):
        return int(re.sub(r"[^0-9]", "", text))
    raise forms.ValidationError(
        "Type a whole number, e.g. 12345 or 12,345 (no decimals, signs or letters)."
    )


class ManualFigureForm(forms.Form):
    """One figure typed by staff: which account, which day, which metric, how much. The rules
    (a listed account of this organization, no future day, sane values) are the service's."""

    account = forms.TypedChoiceField(coerce=int, label="Account")
    day = forms.DateField(
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The day the figure is for (YYYY-MM-DD), today at the latest.",
        error_messages={"invalid": "Give the day as YYYY-MM-DD, e.g. 2026-11-30."},
    )
    metric = forms.ChoiceField(choices=Metric.choices, initial=Metric.FOLLOWERS)
    value = forms.CharField(
        max_length=30,
        label="Value",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="A whole number, as the platform shows it (12,345).",
    )

    def __init__(self, *args: Any, accounts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = accounts  # type: ignore[attr-defined]
        self.fields["day"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        try:
            manual_figure_day_check(day)
        except InvalidFigure as exc:
            raise forms.ValidationError(exc.message) from None
        return day

    def clean_value(self) -> int:
        return parse_whole_number(self.cleaned_data["value"])

    def figure(self) -> dict[str, Any]:
        """The arguments of ``services.manual_figure_record``, as the API's serializer gives
        them."""
        data = self.cleaned_data
        return {"account_id": data["account"], "day": data["day"], "metric": data["metric"],
                "value": data["value"]}  # fmt: skip
