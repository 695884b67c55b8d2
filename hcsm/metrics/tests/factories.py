"""Test data for metrics: organizations through the directory's services, snapshots through
``snapshots_ingest``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hcsm.directory.models import SocialAccount
from hcsm.directory.tests.factories import make_org
from hcsm.metrics.services import SnapshotRow, snapshots_ingest

TAKEN = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


def row(account_id: int, day: date, value: int, metric: str = "followers", source: str = "api"):  # type: ignore[no-untyped-def]
    return SnapshotRow(account_id, day, metric, value, source, TAKEN)


def series(account: SocialAccount, *, end: date, values: list[int], step: int = 1) -> None:
    """Followers of ``account`` on ``end``, ``end - step``, ... (oldest first in ``values``)."""
    n = len(values)
    snapshots_ingest(
        rows=[
            row(account.pk, end - timedelta(days=step * (n - 1 - i)), v)
            for i, v in enumerate(values)
        ]
    )


def org_with_accounts(*platform_values: tuple[str, str], **overrides):  # type: ignore[no-untyped-def]
    accounts = [{"platform": p, "value": v} for p, v in platform_values]
    org = make_org(accounts=accounts, **overrides)
    return org, {a.platform: a for a in org.accounts.all()}
