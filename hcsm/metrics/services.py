"""All writes of the metrics app: snapshots (bulk), account statuses, derived stats and scores,
registry matches.

Snapshots are written only through ``snapshots_ingest``, per chunk: the chunk's accounts are
locked once (they stand in for the foreign key the snapshots no longer have; rows of missing
accounts are dropped), and the rows go straight into ``metrics_snapshot`` (COPY on PostgreSQL,
``executemany`` on SQLite) inside a savepoint: the fast path, no speculative insertion, no
correction pass. If any row meets a day already taken, the unique index refuses it, the
savepoint is rolled back and the chunk (and every later chunk of that ingest) is staged in a
temporary table and moved with ``INSERT ... ON CONFLICT DO NOTHING``, so a day already taken
keeps its first value. A staged value that differs from the stored one is recorded as a
``SnapshotCorrection`` (once), never applied.
"""

from __future__ import annotations

import json
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from hcsm.core.errors import DomainError
from hcsm.directory.models import (
    AccountStatus,
    Organization,
    OrganizationChange,
    SocialAccount,
    account_status_text,
)
from hcsm.directory.platforms import PLATFORMS

from .connectors.base import AccountRef, ConnectorError
from .models import (
    AccountStats,
    ManualEntry,
    Metric,
    OrganizationScore,
    RefreshBatch,
    RegistryMatch,
    Snapshot,
    Source,
)

STAGE_CHUNK = 200_000  # rows per chunk: one lock query, one COPY (or one staged INSERT)
STATS_CHUNK = 2_000  # accounts per stats query


class SnapshotRow(NamedTuple):
    """One figure to store. A named tuple rather than a frozen dataclass: building one is
    about three times cheaper, which counts at millions of rows."""

    account_id: int
    day: date
    metric: str
    value: int
    source: str
    taken_at: datetime


@dataclass
class IngestResult:
    rows: int = 0
    inserted: int = 0
    corrections: int = 0
    dropped: int = 0  # rows of accounts that do not exist (deleted meanwhile)
    accounts: set[int] = field(default_factory=set)
    seconds: float = 0.0

    @property
    def already_taken(self) -> int:
        return self.rows - self.inserted - self.dropped


class InvalidSnapshot(DomainError):
    code = "invalid_snapshot"


_METRICS = frozenset(Metric.values)
_SOURCES = frozenset(Source.values)
_MAX_VALUE = 2**62


def _check(row: SnapshotRow) -> None:
    if row.metric not in _METRICS:
        raise InvalidSnapshot(f"Unknown metric “{row.metric}”; use one of {Metric.values}.")
    if row.source not in _SOURCES:
        raise InvalidSnapshot(f"Unknown source “{row.source}”.")
    if type(row.value) is not int or row.value < 0:
        raise InvalidSnapshot(f"A {row.metric} figure must be a whole number of 0 or more.")
    if row.value > _MAX_VALUE:
        raise InvalidSnapshot(f"{row.value} is too large to be a {row.metric} figure.")


def _chunks(rows: Iterable[SnapshotRow], size: int) -> Iterator[list[SnapshotRow]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


_KEY = itemgetter(0, 2, 1)  # account_id, metric, day: the unique index's order


def _scan(chunk: list[SnapshotRow]) -> tuple[set[int], bool]:
    """Check every row; return the chunk's accounts and whether it is already in index order.
    One pass over unpacked tuples (attribute access costs twice as much at 200,000 rows)."""
    ids: set[int] = set()
    add = ids.add
    in_order, last = True, None
    for r in chunk:
        a, d, m, v, s, _ = r
        if m not in _METRICS or s not in _SOURCES or type(v) is not int or not 0 <= v <= _MAX_VALUE:
            _check(r)
        add(a)
        if in_order:
            key = (a, m, d)
            if last is not None and key < last:
                in_order = False
            last = key
    return ids, in_order


def _lock_accounts(cursor, ids: list[int]) -> set[int]:  # type: ignore[no-untyped-def]
    """Those of ``ids`` that exist, each held against deletion until the transaction ends.

    This replaces the foreign key (dropped in migration 0003: it checked and locked the account
    once per inserted row). On PostgreSQL ``FOR KEY SHARE`` is the lock the foreign key took: a
    DELETE of a locked account waits for the ingest to commit, and its AFTER DELETE trigger
    (same migration) then removes the snapshots the ingest wrote; an account deleted first
    is simply not returned, and its rows are dropped. On SQLite the ingest's IMMEDIATE
    transaction holds the database's only write lock, so no account can go in between."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT id FROM directory_socialaccount WHERE id = ANY(%s) ORDER BY id FOR KEY SHARE",
            [ids],
        )
    else:
        cursor.execute(
            "SELECT id FROM directory_socialaccount WHERE id IN (SELECT value FROM json_each(%s))",
            [json.dumps(ids)],
        )
    return {i for (i,) in cursor.fetchall()}


# The two tables rows are written to: the snapshots (fast path) and the staging table.
_COLUMNS = "(account_id, day, metric, value, source, taken_at)"
_COPY = {t: f"COPY {t} {_COLUMNS} FROM STDIN" for t in ("metrics_snapshot", "metrics_stage")}
_INSERT_ROWS = {
    t: f"INSERT INTO {t} {_COLUMNS} VALUES (%s, %s, %s, %s, %s, %s)"  # noqa: S608 (constants)
    for t in ("metrics_snapshot", "metrics_stage")
}


# COPY text blocks (PostgreSQL) or executemany parameters (SQLite).
Encoded = list[str] | list[tuple[object, ...]]


def _encode(rows: Sequence[SnapshotRow]) -> Encoded:
    """The rows as they are sent: COPY text blocks on PostgreSQL, parameter tuples on SQLite.
    Encoded once per chunk, so a chunk that falls back to the staging table is not encoded
    twice."""
    times: dict[datetime, str] = {}
    days: dict[date, str] = {}
    if connection.vendor == "postgresql":
        # COPY text format: metric and source are checked choice values and the rest are
        # numbers and ISO dates, so nothing needs escaping.
        blocks: list[str] = []
        for start in range(0, len(rows), 10_000):
            block = []
            append = block.append
            for a, d, m, v, s, t in rows[start : start + 10_000]:
                if (ts := times.get(t)) is None:
                    ts = times[t] = t.isoformat()
                if (ds := days.get(d)) is None:
                    ds = days[d] = d.isoformat()
                append(f"{a}\t{ds}\t{m}\t{v}\t{s}\t{ts}\n")
            blocks.append("".join(block))
        return blocks
    adapt, values = connection.ops.adapt_datetimefield_value, []
    times_sqlite: dict[datetime, object] = {}
    for a, d, m, v, s, t in rows:  # most rows of a batch share a day and a time
        if (tv := times_sqlite.get(t)) is None:
            tv = times_sqlite[t] = adapt(t)
        if (ds := days.get(d)) is None:
            ds = days[d] = d.isoformat()
        values.append((a, ds, m, v, s, tv))
    return values


def _write(cursor, table: str, encoded: Encoded) -> None:  # type: ignore[no-untyped-def]
    """COPY (PostgreSQL) or ``executemany`` (SQLite) rows from ``_encode`` into ``table``."""
    if connection.vendor == "postgresql":
        with connection.wrap_database_errors, cursor.cursor.copy(_COPY[table]) as copy:
            for block in encoded:
                copy.write(block)
    else:
        cursor.executemany(_INSERT_ROWS[table], encoded)


def _stage(cursor, encoded: Encoded) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "postgresql":
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS metrics_stage (account_id bigint, day date, "
            "metric varchar(10), value bigint, source varchar(10), taken_at timestamptz) "
            "ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE metrics_stage")
    else:
        cursor.execute("DROP TABLE IF EXISTS temp.metrics_stage")
        cursor.execute(
            "CREATE TEMP TABLE metrics_stage (account_id integer, day date, metric text, "
            "value integer, source text, taken_at datetime)"
        )
    _write(cursor, "metrics_stage", encoded)


# The slow path, from the first chunk that meets a day already taken: staged rows go in with
# ON CONFLICT DO NOTHING (in the unique index's order), then the correction pass. Every staged
# row's account is locked and exists (see _lock_accounts), so no join to the accounts.
_INSERT = """
INSERT INTO metrics_snapshot (account_id, day, metric, value, source, taken_at)
SELECT st.account_id, st.day, st.metric, st.value, st.source, st.taken_at
FROM metrics_stage st
ORDER BY st.account_id, st.metric, st.day
ON CONFLICT (account_id, metric, day) DO NOTHING
"""
# The sort of a 200,000-row chunk needs about 25 MB; with the stock 4 MB it spills to disk.
_PG_SETTINGS = ("SET LOCAL work_mem = '64MB'",)
# Only when the ingest owns its transaction: a crash loses at most this last commit, and
# running the same (idempotent) ingest again restores it. See docs/operations.md.
_PG_OWN_TRANSACTION = ("SET LOCAL synchronous_commit = off",)
# A correlated lookup per staged row (an index probe on both databases), rather than a join
# the planner may turn into a scan of every snapshot.
_CORRECT = """
INSERT INTO metrics_snapshotcorrection (snapshot_id, value, source, taken_at)
SELECT x.snapshot_id, x.value, x.source, x.taken_at FROM (
  SELECT (SELECT s.id FROM metrics_snapshot s
          WHERE s.account_id = st.account_id AND s.metric = st.metric AND s.day = st.day
            AND s.value <> st.value) AS snapshot_id,
         st.value, st.source, st.taken_at
  FROM metrics_stage st
) x
WHERE x.snapshot_id IS NOT NULL
ON CONFLICT (snapshot_id, value, source) DO NOTHING
"""


def snapshots_ingest(*, rows: Iterable[SnapshotRow], refresh_stats: bool = True) -> IngestResult:
    """Store many snapshots at once. Days already taken keep their value (a different value is
    recorded as a correction); rows for accounts that no longer exist are dropped (counted in
    ``dropped``). With ``refresh_stats`` the derived stats and scores of the touched accounts
    are rebuilt."""
    started = time.monotonic()
    result = IngestResult()
    own_transaction = not connection.in_atomic_block
    alive: set[int] = set()  # accounts locked by this ingest
    gone: set[int] = set()  # accounts found missing
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in _PG_SETTINGS + (_PG_OWN_TRANSACTION if own_transaction else ()):
                cursor.execute(statement)
        fast = True  # until a chunk meets a day already taken
        for chunk in _chunks(rows, STAGE_CHUNK):
            ids, in_order = _scan(chunk)
            result.rows += len(chunk)
            result.accounts |= ids
            if new := ids - alive - gone:
                found = _lock_accounts(cursor, sorted(new))
                alive |= found
                gone |= new - found
            if gone and not ids.isdisjoint(gone):
                kept = [r for r in chunk if r[0] in alive]
                result.dropped += len(chunk) - len(kept)
                chunk = kept
            if not in_order:  # index order: consecutive rows land on the same index pages
                chunk.sort(key=_KEY)
            if not chunk:
                continue
            encoded = _encode(chunk)
            if fast:
                try:
                    with transaction.atomic():
                        _write(cursor, "metrics_snapshot", encoded)
                except IntegrityError:  # a day already taken (or twice in the input)
                    fast = False
                else:
                    result.inserted += len(chunk)
                    continue
            _stage(cursor, encoded)
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE metrics_stage")
            cursor.execute(_INSERT)
            inserted = max(cursor.rowcount, 0)
            result.inserted += inserted
            if inserted < len(chunk):  # some rows met a day already taken
                cursor.execute(_CORRECT)
                result.corrections += max(cursor.rowcount, 0)
        if connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS temp.metrics_stage")
    if refresh_stats and result.inserted:
        stats_refresh(account_ids=sorted(result.accounts))
    result.seconds = time.monotonic() - started
    return result


# Account statuses ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusUpdate:
    account_id: int
    status: str  # AccountStatus value
    detail: str = ""  # the new handle of a renamed account
    uid: str = ""  # the platform's own id for the account, when the answer gave it


STATUS_ACTOR = "metrics:refresh"  # OrganizationChange.actor_label of a recorded status change


def status_line(account: SocialAccount, status: str, detail: str, since: date | None) -> str:
    """``X (Twitter) MayoClinic: renamed to MayoClinicNew since 2026-11-30``: one account's
    status as the history shows it."""
    what = account_status_text(status, since, detail) or "active"
    return f"{PLATFORMS[account.platform].name} {account.handle}: {what}"


_STATUS_FIELDS = (
    "id",
    "organization_id",
    "platform",
    "handle",
    "status",
    "status_since",
    "status_detail",
    "platform_uid",
)


def _accounts_for_status(ids: Iterable[int]) -> list[SocialAccount]:
    return list(SocialAccount.objects.filter(pk__in=ids).only(*_STATUS_FIELDS).order_by("pk"))


def _lock_organizations(ids: set[int]) -> None:
    """The locking rule of a status change: the organizations first, in id order, then their
    accounts, as ``organization_update`` and ``account_rename_accept`` do. Inserting an
    ``OrganizationChange`` needs a share lock on its organization; taken after the account
    rows, it would wait for an edit of the listing that waits for those rows: a deadlock."""
    if ids:
        list(
            Organization.objects.select_for_update(no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def account_statuses_record(*, updates: Iterable[StatusUpdate], day: date) -> int:
    """Record what the platform said about each account. Only a change of status (or of the
    new name) is written, dated ``day``, together with one ``OrganizationChange`` per
    organization concerned (so the history shows it and the list's version moves: the grid's
    cached pages are rendered again). The platform's id is stored the first time an answer
    gives it (no change is recorded for that: nothing shown changes). Returns how many
    accounts changed status. Call it before other writes of the same transaction (see
    ``_lock_organizations``)."""
    wanted = {u.account_id: u for u in updates}
    if not wanted:
        return 0
    for u in wanted.values():
        if u.status not in AccountStatus.values:
            raise DomainError(f"Unknown account status “{u.status}”.")

    def differs(account: SocialAccount) -> bool:
        u = wanted[account.pk]
        return (account.status, account.status_detail) != (u.status, u.detail[:300])

    changed: list[SocialAccount] = []
    learned: list[SocialAccount] = []
    lines: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"old": [], "new": []})
    with transaction.atomic():
        accounts = _accounts_for_status(wanted)
        touched = {a.organization_id for a in accounts if differs(a)}
        if touched:
            _lock_organizations(touched)
            accounts = _accounts_for_status(wanted)  # as they are once the listings are ours
        for account in accounts:
            u = wanted[account.pk]
            uid = u.uid.strip()[:100]
            if uid and not account.platform_uid:
                account.platform_uid = uid
                learned.append(account)
            if not differs(account) or account.organization_id not in touched:
                continue  # unchanged, or moved to a listing we did not lock: next run
            detail = u.detail[:300]
            change = lines[account.organization_id]
            change["old"].append(
                status_line(account, account.status, account.status_detail, account.status_since)
            )
            change["new"].append(status_line(account, u.status, detail, day))
            account.status, account.status_detail, account.status_since = u.status, detail, day
            changed.append(account)
        SocialAccount.objects.bulk_update(
            changed, ["status", "status_detail", "status_since"], batch_size=500
        )
        SocialAccount.objects.bulk_update(learned, ["platform_uid"], batch_size=500)
        OrganizationChange.objects.bulk_create(
            [
                OrganizationChange(
                    organization_id=org_id,
                    action=OrganizationChange.Action.STATUS,
                    changes={"account_status": change},
                    actor_label=STATUS_ACTOR,
                )
                for org_id, change in sorted(lines.items())
            ],
            batch_size=500,
        )
    return len(changed)


# Derived stats and scores -------------------------------------------------------------------


# A change "over 30 days" compares with the latest figure taken 30 to 45 days before; over
# 365 days, 365 to 395 days before. With no figure in that window the change is unknown
# (shown as "—"), rather than a change over some other span passed off as 30 days.
WINDOWS = {30: 15, 365: 30}


def _latest(metric: str, *, before: date | None = None, slack: int = 0) -> Subquery:
    qs = Snapshot.objects.filter(account=OuterRef("pk"), metric=metric)
    if before is not None:
        qs = qs.filter(day__lte=before, day__gte=before - timedelta(days=slack))
    return qs.order_by("-day")


def stats_refresh(*, account_ids: Sequence[int] | None = None, rescore: bool = True) -> int:
    """Rebuild ``AccountStats`` of these accounts (all when None) from their snapshots, then
    the organization scores. Each figure is one indexed lookup per account."""
    if account_ids is None:
        account_ids = list(SocialAccount.objects.values_list("pk", flat=True).order_by("pk"))
    written = 0
    for start in range(0, len(account_ids), STATS_CHUNK):
        chunk = account_ids[start : start + STATS_CHUNK]
        followers = _latest(Metric.FOLLOWERS)
        rows = list(
            SocialAccount.objects.filter(pk__in=chunk)
            .annotate(
                f_day=Subquery(followers.values("day")[:1]),
                f_value=Subquery(followers.values("value")[:1]),
                posts=Subquery(_latest(Metric.POSTS).values("value")[:1]),
                views=Subquery(_latest(Metric.VIEWS).values("value")[:1]),
            )
            .values("pk", "organization_id", "platform", "f_day", "f_value", "posts", "views")
        )
        by_day: dict[date, list[int]] = defaultdict(list)
        for r in rows:
            if r["f_day"] is not None:
                by_day[r["f_day"]].append(r["pk"])
        past: dict[int, tuple[int | None, int | None]] = {}
        for day, ids in by_day.items():
            for r in (
                SocialAccount.objects.filter(pk__in=ids)
                .annotate(
                    v30=Subquery(
                        _latest(
                            Metric.FOLLOWERS, before=day - timedelta(days=30), slack=WINDOWS[30]
                        ).values("value")[:1]
                    ),
                    v365=Subquery(
                        _latest(
                            Metric.FOLLOWERS,
                            before=day - timedelta(days=365),
                            slack=WINDOWS[365],
                        ).values("value")[:1]
                    ),
                )
                .values("pk", "v30", "v365")
            ):
                past[r["pk"]] = (r["v30"], r["v365"])
        stats = []
        for r in rows:
            if r["f_day"] is None:
                continue
            v30, v365 = past.get(r["pk"], (None, None))
            stats.append(
                AccountStats(
                    account_id=r["pk"],
                    organization_id=r["organization_id"],
                    platform=r["platform"],
                    day=r["f_day"],
                    followers=r["f_value"],
                    followers_30d=v30,
                    followers_365d=v365,
                    growth_30d=None if v30 is None else r["f_value"] - v30,
                    growth_365d=None if v365 is None else r["f_value"] - v365,
                    posts=r["posts"],
                    views=r["views"],
                )
            )
        with transaction.atomic():
            AccountStats.objects.filter(pk__in=chunk).delete()
            AccountStats.objects.bulk_create(stats, batch_size=1000)
        written += len(stats)
    if rescore:
        scores_recompute()
    return written


def leaderboard_weights() -> dict[str, float]:
    """The published weights: per platform, and ``growth`` for the 30-day growth."""
    return dict(settings.HCSM_LEADERBOARD_WEIGHTS)


def organization_score(
    followers_by_platform: dict[str, int], growth_30d: int, weights: dict[str, float]
) -> float:
    """Σ weight(platform) × log10(1 + followers on it) + weight(growth) × log10(1 + growth),
    growth counting only gains. Logarithms so one giant account does not decide everything."""
    total = sum(
        weights.get(p, weights.get("other", 0.0)) * math.log10(1 + max(f, 0))
        for p, f in followers_by_platform.items()
    )
    return round(total + weights.get("growth", 0.0) * math.log10(1 + max(growth_30d, 0)), 6)


def adoption_warm() -> None:
    """Compute the adoption figures now (both variants), so the first reader after a refresh
    does not wait for them."""
    from . import selectors

    fingerprint = selectors.adoption_fingerprint()
    for include_parent in (False, True):
        selectors.adoption_figures(include_parent=include_parent, fingerprint=fingerprint)


def scores_recompute() -> int:
    """Rebuild every ``OrganizationScore`` and the overall rank (competition ranking: equal
    scores share a rank) from ``AccountStats`` of published organizations."""
    weights = leaderboard_weights()
    followers: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    growth: dict[int, int] = defaultdict(int)
    for org_id, platform, f, g in (
        AccountStats.objects.filter(organization__status=Organization.Status.PUBLISHED)
        .values_list("organization_id", "platform", "followers", "growth_30d")
        .iterator(chunk_size=10_000)
    ):
        followers[org_id][platform] += f
        growth[org_id] += g or 0
    scored = sorted(
        (
            (organization_score(by_p, growth[org_id], weights), org_id)
            for org_id, by_p in followers.items()
        ),
        key=lambda item: (-item[0], item[1]),
    )
    now = timezone.now()
    objs, rank, previous = [], 0, None
    for position, (score, org_id) in enumerate(scored, start=1):
        if score != previous:
            rank, previous = position, score
        objs.append(
            OrganizationScore(
                organization_id=org_id,
                followers=sum(followers[org_id].values()),
                growth_30d=growth[org_id],
                score=score,
                rank=rank,
                computed_at=now,
            )
        )
    with transaction.atomic():
        OrganizationScore.objects.all().delete()
        OrganizationScore.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


# Registry matches ---------------------------------------------------------------------------


def registry_match_decide(*, match_id: int, confirm: bool, staff) -> RegistryMatch:  # type: ignore[no-untyped-def]
    """Staff confirm or reject an uncertain match. Deciding twice says so and changes nothing."""
    with transaction.atomic():
        try:
            match = RegistryMatch.objects.select_for_update().get(pk=match_id)
        except RegistryMatch.DoesNotExist:
            raise DomainError(
                "That match no longer exists; reload the review list.", code="not_found"
            ) from None
        if match.status in (RegistryMatch.Status.CONFIRMED, RegistryMatch.Status.REJECTED):
            raise DomainError(
                f"This match was already {match.get_status_display().lower()}; nothing changed.",
                code="already_decided",
            )
        match.status = RegistryMatch.Status.CONFIRMED if confirm else RegistryMatch.Status.REJECTED
        match.decided_by = staff
        match.decided_at = timezone.now()
        match.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return match


# Refreshing from the platforms --------------------------------------------------------------


def connector_for(platform: str, **kwargs):  # type: ignore[no-untyped-def]
    from .connectors import CONNECTORS

    return CONNECTORS[platform](**kwargs)


def refresh_due_accounts(*, platform: str, day: date, organization_id: int | None = None):  # type: ignore[no-untyped-def]
    """Accounts of ``platform`` not yet taken from the API on ``day``, nor marked not found,
    suspended or renamed that day, nor already waiting in a pending batch."""
    qs = SocialAccount.objects.filter(
        platform=platform, organization__status=Organization.Status.PUBLISHED
    )
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    taken = Snapshot.objects.filter(account=OuterRef("pk"), day=day, source=Source.API)
    qs = qs.exclude(Exists(taken)).exclude(~Q(status=AccountStatus.ACTIVE) & Q(status_since=day))
    waiting: set[int] = set()
    for ids in RefreshBatch.objects.filter(
        platform=platform, day=day, status=RefreshBatch.Status.PENDING
    ).values_list("account_ids", flat=True):
        waiting.update(ids)
    return [pk for pk in qs.order_by("pk").values_list("pk", flat=True) if pk not in waiting]


def refresh_plan(
    *, day: date, platforms: Sequence[str], organization_id: int | None = None
) -> tuple[list[RefreshBatch], dict[str, str]]:
    """Cut the due accounts of each platform into provider batches (``RefreshBatch`` rows,
    pending). Platforms that cannot run are returned with the reason and get no batch."""
    skipped: dict[str, str] = {}
    batches: list[RefreshBatch] = []
    with transaction.atomic():
        for platform in platforms:
            connector = connector_for(platform)
            reason = connector.skip_reason()
            if reason:
                skipped[platform] = reason
                continue
            due = refresh_due_accounts(platform=platform, day=day, organization_id=organization_id)
            number = (
                RefreshBatch.objects.filter(platform=platform, day=day).aggregate(n=Max("number"))[
                    "n"
                ]
                or 0
            )
            for start in range(0, len(due), connector.batch_size):
                number += 1
                batches.append(
                    RefreshBatch.objects.create(
                        platform=platform,
                        day=day,
                        number=number,
                        account_ids=due[start : start + connector.batch_size],
                    )
                )
    return batches, skipped


def refresh_batch_run(*, batch_id: int, connector=None) -> RefreshBatch | None:  # type: ignore[no-untyped-def]
    """Run one provider batch. Claimed with a conditional update (a batch runs once); accounts
    already taken that day are skipped, so running the accounts of a killed batch again
    writes nothing twice. Returns None when the batch was not pending."""
    claimed = RefreshBatch.objects.filter(pk=batch_id, status=RefreshBatch.Status.PENDING).update(
        status=RefreshBatch.Status.RUNNING
    )
    if claimed != 1:
        return None
    batch = RefreshBatch.objects.get(pk=batch_id)
    used = (
        RefreshBatch.objects.filter(platform=batch.platform, day=batch.day).aggregate(
            n=Sum("requests")
        )["n"]
        or 0
    )
    if connector is None:
        connector = connector_for(batch.platform)
    connector.budget = max(0, min(connector.budget, connector.daily_budget - used))
    due = set(batch.account_ids) - _taken_or_marked(batch.platform, batch.day, batch.account_ids)
    refs = [
        AccountRef(a.pk, a.handle, a.key, a.platform_uid)
        for a in SocialAccount.objects.filter(pk__in=due).order_by("pk")
    ]
    status, message, fetched = RefreshBatch.Status.DONE, "", []
    if refs:
        try:
            fetched = connector.fetch(refs)
        except ConnectorError as exc:
            status, message = RefreshBatch.Status.FAILED, str(exc)
    now = timezone.now()
    rows = [
        SnapshotRow(f.account_id, batch.day, metric, value, Source.API, now)
        for f in fetched
        for metric, value in (
            (Metric.FOLLOWERS, f.followers),
            (Metric.POSTS, f.posts),
            (Metric.VIEWS, f.views),
        )
        if value is not None
    ]
    problems: dict[str, int] = defaultdict(int)
    for f in fetched:
        if f.status != AccountStatus.ACTIVE:
            problems[f.status] += 1
    with transaction.atomic():
        # Statuses first: they lock the listings they change before any account row is touched.
        account_statuses_record(
            updates=[StatusUpdate(f.account_id, f.status, f.detail, f.uid) for f in fetched],
            day=batch.day,
        )
        ingest = snapshots_ingest(rows=rows, refresh_stats=False)
        RefreshBatch.objects.filter(pk=batch.pk).update(
            status=status,
            requests=connector.requests,
            taken=len({r.account_id for r in rows}),
            problems=dict(problems),
            message=message,
            finished_at=now,
        )
    if ingest.inserted:
        stats_refresh(account_ids=sorted(ingest.accounts), rescore=False)
    batch.refresh_from_db()
    return batch


STALE_RUNNING = timedelta(hours=2)  # a batch running this long had its worker killed


def refresh_day_finished(*, day: date) -> bool:
    """No batch of ``day`` is pending or (recently) running. Checked by each batch after its
    own commit, so of batches finishing together at least the last one sees them all done."""
    recent = timezone.now() - STALE_RUNNING
    return not RefreshBatch.objects.filter(
        Q(status=RefreshBatch.Status.PENDING)
        | Q(status=RefreshBatch.Status.RUNNING, created_at__gte=recent),
        day=day,
    ).exists()


def _taken_or_marked(platform: str, day: date, ids: Sequence[int]) -> set[int]:
    taken = set(
        Snapshot.objects.filter(account_id__in=ids, day=day, source=Source.API).values_list(
            "account_id", flat=True
        )
    )
    marked = set(
        SocialAccount.objects.filter(pk__in=ids, status_since=day)
        .exclude(status=AccountStatus.ACTIVE)
        .values_list("pk", flat=True)
    )
    return taken | marked


# Registry matching ---------------------------------------------------------------------------

AUTO_CONFIDENCE = 0.9  # at or above: counted without review; below: staff confirm or reject
_NAME_NOISE = {"the", "inc", "llc", "of", "and", "at", "a"}
_NAME_SYNONYMS = {"st": "saint", "ctr": "center", "centre": "center", "med": "medical",
                  "hosp": "hospital", "mt": "mount", "univ": "university"}  # fmt: skip
_GENERIC = {"hospital", "medical", "center", "health", "healthcare", "system", "regional",
            "clinic", "community", "memorial"}  # fmt: skip


def name_tokens(name: str) -> tuple[str, ...]:
    """``St. Mary's Hospital & Medical Ctr`` -> ``('saint', 'marys', 'hospital', 'medical',
    'center')``: case, punctuation and common abbreviations folded."""
    from hcsm.directory.validation import fold

    text = fold(name).replace("&", " and ").replace("'", "").replace("\u2019", "")
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    return tuple(_NAME_SYNONYMS.get(w, w) for w in words if w not in _NAME_NOISE)


def _distinctive(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in tokens if t not in _GENERIC)


@dataclass(frozen=True)
class MatchProposal:
    entry_id: int
    organization_id: int
    method: str
    confidence: float


def registry_match_candidates() -> list[MatchProposal]:
    """Every listed organization against the CMS registry. CCN first (certain); otherwise the
    folded name with the city (0.95), the distinctive words of the name with the city (0.8),
    or the folded name within the state (0.7)."""
    from hcsm.directory.models import RegistryEntry

    entries = list(
        RegistryEntry.objects.filter(source=RegistryEntry.Source.CMS).values_list(
            "id", "registry_id", "name", "city", "region"
        )
    )
    by_ccn = {ccn: pk for pk, ccn, *_ in entries}
    by_name_city: dict[tuple, list[int]] = defaultdict(list)
    by_core_city: dict[tuple, list[int]] = defaultdict(list)
    by_name_state: dict[tuple, list[int]] = defaultdict(list)
    for pk, _, name, city, region in entries:
        tokens, place = name_tokens(name), city.casefold().strip()
        by_name_city[(tokens, place)].append(pk)
        if core := _distinctive(tokens):
            by_core_city[(core, place)].append(pk)
        by_name_state[(tokens, region)].append(pk)
    proposals: dict[tuple[int, int], MatchProposal] = {}

    def propose(entry_id: int, org_id: int, method: str, confidence: float) -> None:
        current = proposals.get((entry_id, org_id))
        if current is None or current.confidence < confidence:
            proposals[(entry_id, org_id)] = MatchProposal(entry_id, org_id, method, confidence)

    orgs = Organization.objects.filter(status=Organization.Status.PUBLISHED).prefetch_related(
        "regions"
    )
    for org in orgs.only("id", "name", "other_names", "city", "ccn").iterator(chunk_size=2000):
        if org.ccn and org.ccn in by_ccn:
            propose(by_ccn[org.ccn], org.pk, RegistryMatch.Method.CCN, 1.0)
            continue
        place = org.city.casefold().strip()
        regions = [r.code for r in org.regions.all()]
        for name in [org.name, *org.other_names]:
            tokens = name_tokens(str(name))
            if not tokens:
                continue
            if place:
                for pk in by_name_city.get((tokens, place), []):
                    propose(pk, org.pk, RegistryMatch.Method.NAME_CITY, 0.95)
                core = _distinctive(tokens)
                for pk in by_core_city.get((core, place), []) if core else []:
                    propose(pk, org.pk, RegistryMatch.Method.NAME_CITY, 0.8)
            for region in regions:
                for pk in by_name_state.get((tokens, region), []):
                    propose(pk, org.pk, RegistryMatch.Method.NAME_STATE, 0.7)
    return list(proposals.values())


def registry_matches_refresh() -> dict[str, int]:
    """Recompute the automatic and pending matches; staff decisions are never touched."""
    proposals = registry_match_candidates()
    with transaction.atomic():
        decided = set(
            RegistryMatch.objects.filter(
                status__in=[RegistryMatch.Status.CONFIRMED, RegistryMatch.Status.REJECTED]
            ).values_list("entry_id", "organization_id")
        )
        RegistryMatch.objects.filter(
            status__in=[RegistryMatch.Status.AUTO, RegistryMatch.Status.PENDING]
        ).delete()
        fresh = [
            RegistryMatch(
                entry_id=p.entry_id,
                organization_id=p.organization_id,
                method=p.method,
                confidence=p.confidence,
                status=RegistryMatch.Status.AUTO
                if p.confidence >= AUTO_CONFIDENCE
                else RegistryMatch.Status.PENDING,
            )
            for p in proposals
            if (p.entry_id, p.organization_id) not in decided
        ]
        RegistryMatch.objects.bulk_create(fresh, batch_size=1000)
    return {
        "auto": sum(m.status == RegistryMatch.Status.AUTO for m in fresh),
        "pending": sum(m.status == RegistryMatch.Status.PENDING for m in fresh),
        "kept": len(decided),
    }


# Figures typed by hand ----------------------------------------------------------------------


# The earliest day a typed figure may be for (a year 0202 or 1026 is a typo), and the largest
# value of each metric: more followers or posts than people on Earth, or views beyond what the
# biggest channels have, is a slip of the keyboard rather than a figure.
MANUAL_EARLIEST = date(2000, 1, 1)
MANUAL_MAX = {Metric.FOLLOWERS: 10**10, Metric.POSTS: 10**10, Metric.VIEWS: 10**13}


class InvalidFigure(DomainError):
    """A typed figure broke a rule; ``field`` names the input it is about."""

    code = "invalid_figure"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ManualFigure:
    """What became of a typed figure: ``stored``, ``same`` (the day already held that value)
    or ``correction`` (the day held another value, which stays; the typed one is kept beside
    it as a ``SnapshotCorrection`` for staff)."""

    outcome: str
    account: SocialAccount
    day: date
    metric: str
    value: int
    stored_value: int
    stored_source: str

    @property
    def message(self) -> str:
        what = f"{Metric(self.metric).label.lower()} of {self.account.handle} on {self.day}"
        if self.outcome == "stored":
            return f"Saved: {self.value:,} {what}."
        if self.outcome == "same":
            return f"The {what} were already {self.stored_value:,}; nothing changed."
        return (
            f"The {what} were already recorded as {self.stored_value:,} (from "
            f"{Source(self.stored_source).label.lower()}), and that figure stays. Your "
            f"{self.value:,} was recorded as a correction for staff to review; it did not "
            "replace the stored figure."
        )


def manual_figure_day_check(day: object) -> None:
    """The day rule of a typed figure (also run by the form, to show it beside other errors)."""
    if type(day) is not date:
        raise InvalidFigure("Give the day as YYYY-MM-DD, e.g. 2026-11-30.", field="day")
    today = timezone.localdate()
    if day > today:
        raise InvalidFigure(
            f"{day} is in the future; a figure is for a day that has come (today, {today}, at "
            "the latest).",
            field="day",
        )
    if day < MANUAL_EARLIEST:
        raise InvalidFigure(f"{day} is before {MANUAL_EARLIEST.year}; check the year.", field="day")


def manual_figure_record(
    *,
    organization: Organization,
    account_id: int,
    day: date,
    metric: str,
    value: int,
    actor: object = None,
) -> ManualFigure:
    """Store one figure typed by staff for an account of ``organization``, through
    ``snapshots_ingest`` with source *manual*. A day already taken keeps its value (the
    ingest's rule); the result says what is stored."""
    if type(account_id) is not int:
        raise InvalidFigure("Choose one of the organization's accounts.", field="account")
    account = SocialAccount.objects.filter(pk=account_id, organization=organization).first()
    if account is None:
        raise InvalidFigure(
            f"That is not an account of {organization.name}; choose one of its accounts.",
            field="account",
        )
    manual_figure_day_check(day)
    if metric not in MANUAL_MAX:
        raise InvalidFigure(
            f"Choose followers, posts or views (not “{str(metric)[:40]}”).", field="metric"
        )
    if type(value) is not int or value < 0:
        raise InvalidFigure("Type a whole number of 0 or more, e.g. 12345.", field="value")
    if value > MANUAL_MAX[metric]:
        raise InvalidFigure(
            f"{value:,} is more {Metric(metric).label.lower()} than any account has; check for "
            "a typo.",
            field="value",
        )
    now = timezone.now()
    with transaction.atomic():  # the figure and who typed it, together or not at all
        result = snapshots_ingest(
            rows=[SnapshotRow(account.pk, day, metric, value, Source.MANUAL, now)]
        )
        stored_value, stored_source = Snapshot.objects.values_list("value", "source").get(
            account_id=account.pk, metric=metric, day=day
        )
        if result.inserted:
            outcome = ManualEntry.Outcome.STORED
        elif stored_value == value:
            outcome = ManualEntry.Outcome.SAME
        else:
            outcome = ManualEntry.Outcome.CORRECTION
        ManualEntry.objects.create(
            account=account,
            day=day,
            metric=metric,
            value=value,
            outcome=outcome,
            entered_by=actor if getattr(actor, "pk", None) else None,
            entered_at=now,
        )
    return ManualFigure(outcome, account, day, metric, value, stored_value, stored_source)
