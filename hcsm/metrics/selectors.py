"""Reads of the metrics app: an organization's figures, the leaderboards, the adoption figures.

Leaderboards read the derived ``AccountStats`` / ``OrganizationScore`` tables through their
indexes. Adoption figures are computed from a few grouped queries and cached; the cache key
contains a fingerprint of every input (snapshots, accounts, matches, registry, organizations),
so any write to them makes the next read compute afresh — no explicit invalidation to forget.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hcsm.directory.models import (
    Organization,
    OrganizationCountry,
    OrganizationRegion,
    RegistryEntry,
    SocialAccount,
)
from hcsm.directory.platforms import PLATFORMS

from .models import (
    AccountStats,
    ManualEntry,
    Metric,
    OrganizationScore,
    RefreshBatch,
    RegistryMatch,
    Snapshot,
    SnapshotCorrection,
    Source,
)

CHART_DAYS = 365
PAGE_SIZE = 50
MAX_PAGES = 20
ADOPTION_PLATFORMS = ["facebook", "x", "youtube", "instagram", "linkedin", "bluesky", "tiktok"]


# One organization ---------------------------------------------------------------------------


@dataclass
class AccountFigures:
    account: SocialAccount
    stats: AccountStats | None
    series: list[tuple[date, int]] = field(default_factory=list)


def organization_metrics(org: Organization, *, days: int = CHART_DAYS) -> list[AccountFigures]:
    """Per account of ``org``: latest figures, 30/365-day change, followers over ``days``.
    Two queries whatever the number of accounts."""
    accounts = list(
        SocialAccount.objects.filter(organization=org)
        .select_related("stats")
        .order_by("platform", "id")
    )
    since = timezone.localdate() - timedelta(days=days)
    series: dict[int, list[tuple[date, int]]] = defaultdict(list)
    if accounts:
        for account_id, day, value in (
            Snapshot.objects.filter(
                account__in=[a.pk for a in accounts], metric=Metric.FOLLOWERS, day__gte=since
            )
            .order_by("account_id", "day")
            .values_list("account_id", "day", "value")
        ):
            series[account_id].append((day, value))
    return [AccountFigures(a, getattr(a, "stats", None), series.get(a.pk, [])) for a in accounts]


def sparkline_svg(
    points: list[tuple[date, int]], *, label: str, width: int = 220, height: int = 48
) -> str:
    """A small line chart as inline SVG (no JavaScript), at most 120 points."""
    from django.utils.html import escape

    if len(points) < 2:
        return ""
    step = max(1, len(points) // 120)
    shown = points[::step]
    if shown[-1] != points[-1]:
        shown.append(points[-1])
    lo, hi = min(v for _, v in shown), max(v for _, v in shown)
    first, last = shown[0][0], shown[-1][0]
    span_days = max(1, (last - first).days)
    span_values = max(1, hi - lo)
    coords = " ".join(
        f"{2 + (d - first).days / span_days * (width - 4):.1f},"
        f"{height - 2 - (v - lo) / span_values * (height - 4):.1f}"
        for d, v in shown
    )
    title = escape(f"{label}: {points[0][1]:,} on {first} to {points[-1][1]:,} on {last}")
    return (
        f'<svg class="sparkline" role="img" aria-label="{title}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{title}</title>"
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{coords}"/>'
        "</svg>"
    )


# Leaderboards -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardQuery:
    board: str = "followers"  # followers | growth | score
    platform: str = ""
    country: str = ""
    region: str = ""
    kind: str = ""
    page: int = 1


@dataclass
class BoardRow:
    position: int
    organization: Organization
    account: SocialAccount | None
    followers: int
    growth_30d: int | None
    score: float | None = None
    rank: int | None = None


@dataclass
class Board:
    query: BoardQuery
    rows: list[BoardRow]
    has_next: bool


def _org_filter(qs: QuerySet, q: BoardQuery) -> QuerySet:
    """Filters on the organization as EXISTS probes, never a join: the board's own index then
    drives the query (ORDER BY ... LIMIT reads a few rows) on both databases, statistics or
    not; the organizations of the page are fetched afterwards by primary key."""
    org = OuterRef("organization_id")
    published = Organization.objects.filter(pk=org, status=Organization.Status.PUBLISHED)
    if q.kind:
        published = published.filter(kind=q.kind)
    qs = qs.filter(Exists(published))
    if q.country:
        qs = qs.filter(Exists(OrganizationCountry.objects.filter(organization=org, code=q.country)))
    if q.region:
        qs = qs.filter(Exists(OrganizationRegion.objects.filter(organization=org, code=q.region)))
    if q.platform:
        qs = qs.filter(
            Exists(SocialAccount.objects.filter(organization=org, platform=q.platform))
            if qs.model is OrganizationScore
            else Q(platform=q.platform)
        )
    return qs


def leaderboard(q: BoardQuery, *, page_size: int = PAGE_SIZE) -> Board:
    """One page of a board: one query for the ranked rows, one for their organizations (and
    one for their accounts)."""
    offset = (q.page - 1) * page_size
    rows: list[BoardRow] = []
    if q.board == "score":
        scores = list(
            _org_filter(OrganizationScore.objects.all(), q).order_by("rank", "organization_id")[
                offset : offset + page_size + 1
            ]
        )
        orgs = Organization.objects.in_bulk([s.organization_id for s in scores[:page_size]])
        for n, s in enumerate(scores[:page_size], start=offset + 1):
            rows.append(
                BoardRow(
                    n, orgs[s.organization_id], None, s.followers, s.growth_30d, s.score, s.rank
                )
            )
        found = len(scores)
    else:
        qs = _org_filter(AccountStats.objects.all(), q)
        if q.board == "growth":
            qs = qs.filter(growth_30d__isnull=False).order_by("-growth_30d", "account_id")
        else:
            qs = qs.order_by("-followers", "account_id")
        stats = list(qs[offset : offset + page_size + 1])
        shown = stats[:page_size]
        orgs = Organization.objects.in_bulk([s.organization_id for s in shown])
        accounts = SocialAccount.objects.in_bulk([s.account_id for s in shown])
        for n, s in enumerate(shown, start=offset + 1):
            rows.append(
                BoardRow(
                    n, orgs[s.organization_id], accounts[s.account_id], s.followers, s.growth_30d
                )
            )
        found = len(stats)
    return Board(q, rows, has_next=found > page_size and q.page < MAX_PAGES)


def organization_rank(org: Organization) -> tuple[int, int] | None:
    """(rank, ranked organizations) for the badge, or None when not ranked yet."""
    score = OrganizationScore.objects.filter(organization=org).values_list("rank", flat=True)
    rank = score.first()
    if rank is None:
        return None
    return rank, OrganizationScore.objects.count()


# Adoption -----------------------------------------------------------------------------------


@dataclass
class Share:
    key: str
    label: str
    total: int
    present: int
    by_platform: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.present / self.total if self.total else 0.0

    @property
    def percent(self) -> str:
        return f"{100 * self.share:.1f}"


@dataclass
class Adoption:
    include_parent: bool
    registry_total: int
    present: int
    by_platform: list[Share]
    by_state: list[Share]
    by_type: list[Share]
    by_ownership: list[Share]
    accounts_by_year: list[dict[str, Any]]  # {"year", platform: count, ..., "yoy": {...}}
    followers_by_year: list[dict[str, Any]]
    platforms: list[str]
    pending_review: int

    @property
    def share(self) -> float:
        return self.present / self.registry_total if self.registry_total else 0.0


# Every write that can change the adoption figures moves one of these. Directory services
# record every change to a listing (created, edited, merged, hidden, published; accounts added
# or removed) as an OrganizationChange, so its newest id covers the organizations and their
# accounts; the others cover snapshots, matches and the registry. One round trip, each part an
# index lookup or a count of a small table.
_FINGERPRINT = """
SELECT (SELECT MAX(id) FROM metrics_snapshot),
       (SELECT MAX(id) FROM directory_socialaccount),
       (SELECT MAX(id) FROM directory_organizationchange),
       (SELECT COUNT(*) FROM metrics_registrymatch),
       (SELECT MAX(updated_at) FROM metrics_registrymatch),
       (SELECT COUNT(*) FROM directory_registryentry),
       (SELECT MAX(updated_at) FROM directory_registryentry)
"""


def adoption_fingerprint() -> str:
    """The first three parts (snapshots, accounts, listings) are all the growth tables depend
    on; they lead the string, separated by "|" from the rest."""
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT)
        row = cursor.fetchone()
    return f"{row[:3]!r}|{row[3:]!r}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def adoption_figures(*, include_parent: bool = False, fingerprint: str | None = None) -> Adoption:
    """Cached under a fingerprint of the inputs (see module docstring)."""
    fingerprint = fingerprint or adoption_fingerprint()
    key = f"metrics:adoption:v1:{include_parent}:{_digest(fingerprint)}"
    figures = cache.get(key)
    if figures is None:
        # A staff decision on a match does not recompute the growth tables.
        growth_key = f"metrics:adoption-growth:v1:{_digest(fingerprint.split('|')[0])}"
        growth = cache.get(growth_key)
        if growth is None:  # the same for both parent variants: computed once
            growth = (_with_yoy(_accounts_by_year()), _with_yoy(_followers_by_year()))
            cache.set(growth_key, growth, 24 * 3600)
        figures = _adoption(include_parent=include_parent, growth=growth)
        cache.set(key, figures, 24 * 3600)
    return figures


def _adoption(*, include_parent: bool, growth: tuple[list, list]) -> Adoption:
    entries = list(
        RegistryEntry.objects.filter(source=RegistryEntry.Source.CMS).values_list(
            "id", "region", "facility_type", "ownership"
        )
    )
    matched: dict[int, set[int]] = defaultdict(set)  # entry -> organizations
    for entry_id, org_id, parent_id in RegistryMatch.objects.filter(
        status__in=RegistryMatch.COUNTED, organization__status=Organization.Status.PUBLISHED
    ).values_list("entry_id", "organization_id", "organization__parent_id"):
        matched[entry_id].add(org_id)
        if include_parent and parent_id:
            matched[entry_id].add(parent_id)
    org_ids = set().union(*matched.values()) if matched else set()
    platforms_of: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(org_ids), 5000):
        chunk = list(org_ids)[start : start + 5000]
        for org_id, platform in (
            SocialAccount.objects.filter(
                organization_id__in=chunk, organization__status=Organization.Status.PUBLISHED
            )
            .values_list("organization_id", "platform")
            .distinct()
        ):
            platforms_of[org_id].add(platform)

    overall = Share("all", "All registry hospitals", 0, 0)
    platform_counts: dict[str, int] = defaultdict(int)
    states: dict[str, Share] = {}
    types: dict[str, Share] = {}
    owners: dict[str, Share] = {}
    for entry_id, region, facility_type, ownership in entries:
        present: set[str] = set()
        for org_id in matched.get(entry_id, ()):
            present |= platforms_of.get(org_id, set())
        groups = [
            overall,
            states.setdefault(region or "?", Share(region or "?", _state_label(region), 0, 0)),
            types.setdefault(
                facility_type or "?", Share(facility_type or "?", facility_type or "Unknown", 0, 0)
            ),
            owners.setdefault(
                ownership or "?", Share(ownership or "?", ownership or "Unknown", 0, 0)
            ),
        ]
        for g in groups:
            g.total += 1
            if present:
                g.present += 1
            for p in present:
                g.by_platform[p] = g.by_platform.get(p, 0) + 1
        for p in present:
            platform_counts[p] += 1
    by_platform = [
        Share(p, PLATFORMS[p].name if p in PLATFORMS else p, overall.total, n)
        for p, n in sorted(platform_counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    shown = [p for p in ADOPTION_PLATFORMS if p in platform_counts] + [
        s.key for s in by_platform if s.key not in ADOPTION_PLATFORMS
    ]
    return Adoption(
        include_parent=include_parent,
        registry_total=overall.total,
        present=overall.present,
        by_platform=by_platform,
        by_state=sorted(states.values(), key=lambda s: s.key),
        by_type=sorted(types.values(), key=lambda s: -s.total),
        by_ownership=sorted(owners.values(), key=lambda s: -s.total),
        accounts_by_year=growth[0],
        followers_by_year=growth[1],
        platforms=shown[:8],
        pending_review=RegistryMatch.objects.filter(status=RegistryMatch.Status.PENDING).count(),
    )


def _state_label(region: str) -> str:
    from hcsm.directory.validation import region_name

    return region_name(region) if region else "Unknown"


def _accounts_by_year() -> dict[int, dict[str, int]]:
    """Accounts of published organizations by the year first listed, cumulative."""
    from django.db.models.functions import ExtractYear

    per_year: dict[int, dict[str, int]] = defaultdict(dict)
    for platform, year, n in (
        SocialAccount.objects.filter(organization__status=Organization.Status.PUBLISHED)
        .annotate(year=ExtractYear("added_at"))
        .values_list("platform", "year")
        .annotate(n=Count("id"))
        .order_by("year")
    ):
        per_year[year][platform] = n
    running: dict[str, int] = defaultdict(int)
    out: dict[int, dict[str, int]] = {}
    for year in sorted(per_year):
        for platform, n in per_year[year].items():
            running[platform] += n
        out[year] = dict(running)
    return out


# Each account's last figure within each year, found by one index probe per account and year
# (the unique index is account, metric, day) rather than a window over every snapshot: at
# 10 million snapshots the window took 15 s on PostgreSQL and 43 s on SQLite.
_SPAN = """
SELECT MIN((SELECT s.day FROM metrics_snapshot s WHERE s.account_id = a.id AND s.metric = %s
            ORDER BY s.day LIMIT 1)),
       MAX((SELECT s.day FROM metrics_snapshot s WHERE s.account_id = a.id AND s.metric = %s
            ORDER BY s.day DESC LIMIT 1))
FROM directory_socialaccount a JOIN directory_organization o ON o.id = a.organization_id
WHERE o.status = %s
"""
_YEAR_TOTALS = """
SELECT a.platform,
       SUM((SELECT s.value FROM metrics_snapshot s
            WHERE s.account_id = a.id AND s.metric = %s AND s.day >= %s AND s.day <= %s
            ORDER BY s.day DESC LIMIT 1))
FROM directory_socialaccount a JOIN directory_organization o ON o.id = a.organization_id
WHERE o.status = %s
GROUP BY a.platform
"""


def _followers_by_year() -> dict[int, dict[str, int]]:
    """Total followers per platform at each year's last snapshot of each account (accounts of
    published organizations; an account without a figure in a year counts nothing that year)."""
    published = Organization.Status.PUBLISHED
    out: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_SPAN, [Metric.FOLLOWERS, Metric.FOLLOWERS, published])
        first, last = cursor.fetchone()
        if first is None:
            return out
        first, last = (d if isinstance(d, date) else date.fromisoformat(d) for d in (first, last))
        for year in range(first.year, last.year + 1):
            cursor.execute(
                _YEAR_TOTALS,
                [
                    Metric.FOLLOWERS,
                    connection.ops.adapt_datefield_value(date(year, 1, 1)),
                    connection.ops.adapt_datefield_value(date(year, 12, 31)),
                    published,
                ],
            )
            totals = {platform: int(n) for platform, n in cursor.fetchall() if n is not None}
            if totals:
                out[year] = totals
    return out


def _with_yoy(by_year: dict[int, dict[str, int]]) -> list[dict[str, Any]]:
    rows, previous = [], None
    for year in sorted(by_year):
        values = by_year[year]
        yoy = {}
        for p, v in values.items():
            before = previous.get(p) if previous else None
            yoy[p] = None if not before else round(100 * (v - before) / before, 1)
        rows.append({"year": year, "values": values, "total": sum(values.values()), "yoy": yoy})
        previous = values
    return rows


# Staff --------------------------------------------------------------------------------------


def refresh_status(day: date) -> dict[str, Any]:
    """Today's batches per platform, and accounts by status."""
    batches: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    failures: dict[str, str] = {}
    for b in RefreshBatch.objects.filter(day=day).order_by("finished_at"):
        batches[b.platform][b.status] += 1
        batches[b.platform]["requests"] += b.requests
        batches[b.platform]["taken"] += b.taken
        if b.message:
            failures[b.platform] = b.message
    statuses: dict[str, dict[str, int]] = defaultdict(dict)
    for platform, status, n in (
        SocialAccount.objects.values_list("platform", "status").annotate(n=Count("id")).order_by()
    ):
        statuses[platform][status] = n
    return {
        "batches": batches,
        "failures": failures,
        "statuses": statuses,
        "corrections": SnapshotCorrection.objects.count(),
    }


def pending_matches() -> QuerySet[RegistryMatch]:
    return (
        RegistryMatch.objects.filter(status=RegistryMatch.Status.PENDING)
        .select_related("entry", "organization")
        .order_by("-confidence", "entry__registry_id", "id")
    )


# Figures typed by hand ----------------------------------------------------------------------


def manual_figures_recent(org: Organization, *, limit: int = 20) -> list[ManualEntry]:
    """The latest figures typed by hand for ``org``'s accounts, newest first, with who typed
    them and what became of each."""
    return list(
        ManualEntry.objects.filter(account__organization=org)
        .select_related("account", "entered_by")
        .order_by("-entered_at", "-id")[:limit]
    )


def manual_corrections_recent(org: Organization, *, limit: int = 20) -> list[SnapshotCorrection]:
    """Typed figures that met a day already taken with another value: kept, not applied."""
    return list(
        SnapshotCorrection.objects.filter(snapshot__account__organization=org, source=Source.MANUAL)
        .select_related("snapshot__account")
        .order_by("-taken_at", "-id")[:limit]
    )
