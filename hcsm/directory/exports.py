"""Streamed exports of the list for the current filter: constant memory, stable ids, and safe
to open in a spreadsheet (cells that would start a formula are prefixed with a quote)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from .models import (
    Organization,
    OrganizationCountry,
    OrganizationRegion,
    SocialAccount,
    account_status_text,
)
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
    "parent_id",  # the listed id of the health system it is part of
    "url",
    "updated_at",
]
_ORG_COLUMNS = [f for f in FIELDS if f not in ("countries", "regions", "url")]
_FORMULA = frozenset("=+-@\t\r\n|")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA else text


def _fetch(qs: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset as the driver returns them, without the ORM's
    per-row converters (a third of the export's time at 100,000 rows)."""
    return list(_stream(qs))


def _stream(qs: QuerySet[Any]) -> Iterator[tuple[Any, ...]]:
    """``_fetch``, a batch at a time: a server-side cursor on PostgreSQL (the client-side one
    would hold the whole result), SQLite's own stepping elsewhere."""
    sql, params = qs.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            yield from rows


def _names(raw: Any) -> list[str]:
    if raw in ("[]", None):
        return []
    return json.loads(raw) if isinstance(raw, str) else list(raw)


def _timestamp(raw: str) -> str:
    """ISO 8601, as ``datetime.isoformat`` writes it, from the column cast to text: SQLite's
    UTC 'YYYY-MM-DD HH:MM:SS[.ffffff]', or PostgreSQL's in the connection's zone, which Django
    sets to UTC ('…[.fff]+00', trailing zeros trimmed). Casting spares a date parser per row."""
    text = raw.replace(" ", "T", 1).removesuffix("+00")
    if len(text) > 26 or "+" in text or text.count("-") > 2:  # another zone: parse it
        return datetime.fromisoformat(raw).astimezone(UTC).isoformat()
    if "." in text:
        whole, fraction = text.split(".", 1)
        text = f"{whole}.{fraction:0<6}"
    return text + "+00:00"


ACCOUNT_FIELDS = ("platform", "handle", "url", "label", "status", "status_since", "status_detail")
# The CSV's last column: the accounts that are not active, as the list shows them.
STATUS_COLUMN = "account_status"


def export_records(qs: QuerySet[Organization], site_url: str) -> Iterator[tuple[Any, ...]]:
    """Organizations of ``qs`` in id order, each a tuple of its FIELDS then its accounts as
    ACCOUNT_FIELDS tuples (``status_since`` as ISO text or None); CHUNK at a time: four
    queries per chunk whatever the filter, with the filter as a subquery (never a list of
    thousands of ids, which the drivers are slow to send), so memory stays flat. Tuples, not
    dicts: this runs 100,000 times."""
    base = qs.order_by()
    last = 0
    while True:
        orgs = _fetch(
            base.filter(id__gt=last)
            .order_by("id")
            .annotate(updated_text=Cast("updated_at", TextField()))
            .values_list(*_ORG_COLUMNS[:-1], "updated_text")[:CHUNK]
        )
        if not orgs:
            return
        first, last = orgs[0][0], orgs[-1][0]
        wanted = {row[0] for row in orgs}
        # Related rows by the chunk's id range: an index range scan, no per-id probes. Rows of
        # organizations outside the filter are skipped here; over a whole export the ranges
        # never overlap, so each related table is read at most once, whatever the filter.
        in_range = {"organization_id__gte": first, "organization_id__lte": last}
        countries: dict[int, list[str]] = defaultdict(list)
        regions: dict[int, list[str]] = defaultdict(list)
        accounts: dict[int, list[tuple[str, ...]]] = defaultdict(list)
        for oid, code in _stream(
            OrganizationCountry.objects.filter(**in_range)
            .order_by("organization_id", "position", "code")
            .values_list("organization_id", "code")
        ):
            if oid in wanted:
                countries[oid].append(code)
        for oid, code in _stream(
            OrganizationRegion.objects.filter(**in_range)
            .order_by("organization_id", "position", "code")
            .values_list("organization_id", "code")
        ):
            if oid in wanted:
                regions[oid].append(code)
        for row in _stream(
            SocialAccount.objects.filter(**in_range)
            .order_by("organization_id", "platform", "id")
            .values_list("organization_id", *ACCOUNT_FIELDS)
        ):
            if row[0] in wanted:
                # The raw cursor gives a date (PostgreSQL) or its text (SQLite): text for both.
                since = row[6]
                if since is not None and type(since) is not str:
                    row = (*row[:6], since.isoformat(), row[7])
                accounts[row[0]].append(row[1:])
        for oid, slug, name, other, kind, city, website, wikidata, ccn, parent, updated in orgs:
            yield (
                oid,
                slug,
                name,
                _names(other),
                kind,
                countries.get(oid, []),
                regions.get(oid, []),
                city,
                website,
                wikidata,
                ccn,
                "" if parent is None else parent,
                f"{site_url}/list/{slug}/",
                _timestamp(updated),
                accounts.get(oid, []),
            )


def export_rows(qs: QuerySet[Organization], site_url: str) -> Iterator[dict[str, Any]]:
    """``export_records`` as dicts, for the JSON export and the API's readers."""
    for *values, accounts in export_records(qs, site_url):
        row = dict(zip(FIELDS, values, strict=True))
        row["parent_id"] = row["parent_id"] or None
        row["accounts"] = [dict(zip(ACCOUNT_FIELDS, a, strict=True)) for a in accounts]
        yield row


class _Lines(list[str]):
    """A file-like target for csv.writer that keeps the lines for one batch."""

    def write(self, value: str) -> None:
        self.append(value)


BATCH = 500  # rows a streamed piece: one piece per row made the server's overhead dominate


def csv_stream(records: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """``export_records`` as CSV: one column per field, then one per platform holding its
    account URLs, then ``account_status``: the accounts not active (``X (Twitter) MayoClinic:
    not found since 2026-11-30 | …``); every cell defused."""
    out = _Lines()
    writer = csv.writer(out)
    writer.writerow([*FIELDS, *PLATFORMS, STATUS_COLUMN])
    yield "\ufeff" + out.pop()  # the BOM, so spreadsheet programs read UTF-8
    platforms = list(PLATFORMS)
    no_accounts = [""] * (len(platforms) + 1)
    for n, (*values, accounts) in enumerate(records, 1):
        cells = [" | ".join(v) if type(v) is list else str(v) for v in values]
        if accounts:
            by_platform: dict[str, list[str]] = {}
            statuses = []
            for platform, handle, url, _label, status, since, detail in accounts:
                by_platform.setdefault(platform, []).append(url)
                if status != "active":
                    text = account_status_text(status, since, detail)
                    statuses.append(f"{PLATFORMS[platform].name} {handle}: {text}")
            cells += [" ".join(by_platform[p]) if p in by_platform else "" for p in platforms]
            cells.append(" | ".join(statuses))
        else:
            cells += no_accounts
        # safe_cell, inlined: this loop runs for every cell of the whole list.
        writer.writerow(["'" + c if c[:1] in _FORMULA else c for c in cells])
        if n % BATCH == 0:
            yield "".join(out)
            out.clear()
    if out:
        yield "".join(out)


def json_stream(rows: Iterable[dict[str, Any]], meta: dict[str, Any]) -> Iterator[str]:
    yield '{"meta": ' + json.dumps(meta) + ', "organizations": [\n'
    piece: list[str] = []
    for n, row in enumerate(rows):
        piece.append(("" if n == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
        if len(piece) == BATCH:
            yield "".join(piece)
            piece.clear()
    yield "".join(piece) + "\n]}\n"
