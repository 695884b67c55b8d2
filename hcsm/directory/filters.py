"""The list's filters, shared by the grid page, the exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from .models import Organization, OrganizationCountry, OrganizationRegion
from .platforms import PLATFORMS
from .services import PLATFORM_BITS
from .validation import clean_country, clean_region, fold

ORDERINGS = {
    "name": ("sort_name", "id"),
    "country": ("primary_country", "sort_name", "id"),
    "newest": ("-created_at", "-id"),
    "accounts": ("-account_count", "sort_name", "id"),
}
ORDERING_CHOICES = [
    ("name", "Name"),
    ("country", "Country"),
    ("newest", "Newest"),
    ("accounts", "Most accounts"),
]


def text_match(word: str) -> Q:
    """Organizations whose names, other names or handles contain ``word`` (already folded).

    On SQLite, words of three or more characters are looked up in the trigram FTS5 table
    (migration 0002) and the exact test runs on those candidates only; on PostgreSQL the
    pg_trgm index serves the LIKE itself.
    """
    exact = Q(search_text__contains=word)
    if connection.vendor != "sqlite" or len(word) < 3 or "%" in word:
        return exact
    # In this LIKE "_" matches any character: a superset, narrowed by ``exact``.
    candidates = RawSQL(
        "SELECT rowid FROM directory_organization_fts WHERE search_text LIKE %s", [f"%{word}%"]
    )
    return Q(pk__in=candidates) & exact


class CountryField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return clean_country(value) if value else ""


class RegionField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return clean_region(value) if value else ""


class CountryFilter(django_filters.CharFilter):
    field_class = CountryField


class RegionFilter(django_filters.CharFilter):
    field_class = RegionField


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        max_length=100,
        help_text="Names, other names and handles",
    )
    country = CountryFilter(method="filter_country", label="Country", max_length=60)
    region = RegionFilter(method="filter_region", label="Region", max_length=10)
    kind = django_filters.ChoiceFilter(
        choices=Organization.Kind.choices, label="Kind", empty_label="Any kind"
    )
    platform = django_filters.ChoiceFilter(
        choices=[(p.slug, p.name) for p in PLATFORMS.values()],
        method="filter_platform",
        label="Has an account on",
        empty_label="Any platform",
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES, method="filter_ordering", label="Sort by", empty_label=None
    )

    class Meta:
        model = Organization
        fields = ["q", "country", "region", "kind", "platform", "ordering"]

    def filter_q(self, qs: QuerySet[Organization], name: str, value: str) -> QuerySet[Organization]:
        for word in fold(value).split()[:6]:
            qs = qs.filter(text_match(word))
        return qs

    def filter_country(
        self, qs: QuerySet[Organization], name: str, value: str
    ) -> QuerySet[Organization]:
        return qs.filter(
            pk__in=OrganizationCountry.objects.filter(code=value).values("organization_id")
        )

    def filter_region(
        self, qs: QuerySet[Organization], name: str, value: str
    ) -> QuerySet[Organization]:
        return qs.filter(
            pk__in=OrganizationRegion.objects.filter(code=value).values("organization_id")
        )

    def filter_platform(
        self, qs: QuerySet[Organization], name: str, value: str
    ) -> QuerySet[Organization]:
        bit = PLATFORM_BITS[value]
        return qs.alias(has_platform=F("platform_mask").bitand(bit)).filter(has_platform=bit)

    def filter_ordering(
        self, qs: QuerySet[Organization], name: str, value: str
    ) -> QuerySet[Organization]:
        return qs.order_by(*ORDERINGS.get(value or "name", ORDERINGS["name"]))

    @property
    def qs(self) -> QuerySet[Organization]:
        qs = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("ordering"):
            qs = qs.order_by(*ORDERINGS["name"])
        return qs


def filter_errors(filterset: OrganizationFilter) -> list[str]:
    """Readable messages for invalid filter values, e.g. 'Country: “XX” is not ...'."""
    out = []
    for name, errors in filterset.form.errors.items():
        label = filterset.form.fields[name].label if name in filterset.form.fields else name
        for e in errors:
            out.append(f"{label}: {e}")
    return out
