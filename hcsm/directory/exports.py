"""Streamed exports of the list for the current filter: constant memory, stable ids, and safe
to open in a spreadsheet (cells that would start a formula are prefixed with a quote)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from .models import Organization, OrganizationCountry, OrganizationRegion, SocialAccount
from .platforms import PLATFORMS

CHUNK = 5000
FIELDS = [
    "id",
    "slug",
    "name",
    "other_names",
    "kind",
    "countries",
    "regions",
    "city",
    "website",
    "wikidata",
    "ccn",
    "url",
    "updated_at",
]
_ORG_COLUMNS = [f for f in FIELDS if f not in ("countries", "regions", "url")]
_FORMULA = frozenset("=+-@\t\r\n|")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA else text


def export_rows(qs: QuerySet[Organization], site_url: str) -> Iterator[dict[str, Any]]:
    """Organizations of ``qs`` in id order as plain dicts, CHUNK at a time: four queries per
    chunk whatever the filter, with the filter as a subquery (never a list of thousands of
    ids, which the drivers are slow to send), so memory stays flat."""
    base = qs.order_by()
    last = 0
    while True:
        orgs = list(base.filter(id__gt=last).order_by("id").values(*_ORG_COLUMNS)[:CHUNK])
        if not orgs:
            return
        first, last = orgs[0]["id"], orgs[-1]["id"]
        in_chunk = base.filter(id__gte=first, id__lte=last).values("id")
        countries: dict[int, list[str]] = defaultdict(list)
        regions: dict[int, list[str]] = defaultdict(list)
        accounts: dict[int, list[dict[str, str]]] = defaultdict(list)
        for oid, code in (
            OrganizationCountry.objects.filter(organization_id__in=in_chunk)
            .order_by("position", "code")
            .values_list("organization_id", "code")
        ):
            countries[oid].append(code)
        for oid, code in (
            OrganizationRegion.objects.filter(organization_id__in=in_chunk)
            .order_by("position", "code")
            .values_list("organization_id", "code")
        ):
            regions[oid].append(code)
        for oid, platform, handle, url, label in (
            SocialAccount.objects.filter(organization_id__in=in_chunk)
            .order_by("platform", "id")
            .values_list("organization_id", "platform", "handle", "url", "label")
        ):
            accounts[oid].append(
                {"platform": platform, "handle": handle, "url": url, "label": label}
            )
        for org in orgs:
            oid = org["id"]
            org["countries"] = countries.get(oid, [])
            org["regions"] = regions.get(oid, [])
            org["url"] = f"{site_url}/list/{org['slug']}/"
            org["updated_at"] = org["updated_at"].isoformat()
            org["accounts"] = accounts.get(oid, [])
            yield org


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read UTF-8
    yield writer.writerow([*FIELDS, *PLATFORMS])
    for row in rows:
        by_platform: dict[str, list[str]] = {}
        for acc in row["accounts"]:
            by_platform.setdefault(acc["platform"], []).append(acc["url"])
        cells = [
            " | ".join(v) if isinstance(v, list) else str(v) for v in map(row.__getitem__, FIELDS)
        ]
        cells += [" ".join(by_platform[p]) if p in by_platform else "" for p in PLATFORMS]
        # safe_cell, inlined: this loop runs for every cell of the whole list.
        yield writer.writerow(["'" + c if c[:1] in _FORMULA else c for c in cells])


def json_stream(rows: Iterable[dict[str, Any]], meta: dict[str, Any]) -> Iterator[str]:
    yield '{"meta": ' + json.dumps(meta) + ', "organizations": [\n'
    first = True
    for row in rows:
        yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]}\n"
