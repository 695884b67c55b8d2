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

CHUNK = 2000
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
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def export_rows(qs: QuerySet[Organization], site_url: str) -> Iterator[dict[str, Any]]:
    """Organizations of ``qs`` as plain dicts, CHUNK at a time (4 queries per chunk)."""
    ids_qs = qs.order_by("id").values_list("id", flat=True)
    last = 0
    while True:
        ids = list(ids_qs.filter(id__gt=last)[:CHUNK])
        if not ids:
            return
        last = ids[-1]
        orgs = (
            Organization.objects.filter(id__in=ids)
            .order_by("id")
            .values(
                "id",
                "slug",
                "name",
                "other_names",
                "kind",
                "city",
                "website",
                "wikidata",
                "ccn",
                "updated_at",
            )
        )
        countries: dict[int, list[str]] = defaultdict(list)
        regions: dict[int, list[str]] = defaultdict(list)
        accounts: dict[int, list[dict[str, str]]] = defaultdict(list)
        for oid, code in (
            OrganizationCountry.objects.filter(organization_id__in=ids)
            .order_by("position", "code")
            .values_list("organization_id", "code")
        ):
            countries[oid].append(code)
        for oid, code in (
            OrganizationRegion.objects.filter(organization_id__in=ids)
            .order_by("position", "code")
            .values_list("organization_id", "code")
        ):
            regions[oid].append(code)
        for oid, platform, handle, url, label in (
            SocialAccount.objects.filter(organization_id__in=ids)
            .order_by("platform", "id")
            .values_list("organization_id", "platform", "handle", "url", "label")
        ):
            accounts[oid].append(
                {"platform": platform, "handle": handle, "url": url, "label": label}
            )
        for org in orgs:
            oid = org["id"]
            yield {
                **org,
                "countries": countries[oid],
                "regions": regions[oid],
                "url": f"{site_url}/list/{org['slug']}/",
                "updated_at": org["updated_at"].isoformat(),
                "accounts": accounts[oid],
            }


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read UTF-8
    yield writer.writerow([*FIELDS, *PLATFORMS])
    for row in rows:
        by_platform: dict[str, list[str]] = defaultdict(list)
        for acc in row["accounts"]:
            by_platform[acc["platform"]].append(acc["url"])
        yield writer.writerow(
            [safe_cell(" | ".join(row[f]) if isinstance(row[f], list) else row[f]) for f in FIELDS]
            + [safe_cell(" ".join(by_platform.get(p, []))) for p in PLATFORMS]
        )


def json_stream(rows: Iterable[dict[str, Any]], meta: dict[str, Any]) -> Iterator[str]:
    yield '{"meta": ' + json.dumps(meta) + ', "organizations": [\n'
    first = True
    for row in rows:
        yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]}\n"
