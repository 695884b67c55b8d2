"""``import_metrics``: historic series from a CSV (what an organization exported from its
platform's insights): ``platform, handle (or url), date, metric, value``.

The file is checked as a whole by the directory's CSV reader (encoding, header, ragged rows);
each row is then checked on its own and a row that fails is *rejected* into the report, like
the organization importer. Accepted rows go through ``services.snapshots_ingest`` in one
transaction, so a day already taken keeps its first value and a different one becomes a
correction.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from hcsm.directory.importers import (
    ImportFileError,
    Rejection,
    default_report_path,
    read_csv,
    write_report,
)
from hcsm.directory.models import SocialAccount
from hcsm.directory.platforms import PLATFORMS, AccountInputError, canonicalize

from . import services
from .models import Metric, Source

HANDLE_COLUMNS = ("handle", "url", "account", "profile_url")
METRIC_NAMES = {
    "followers": Metric.FOLLOWERS,
    "subscribers": Metric.FOLLOWERS,
    "page_followers": Metric.FOLLOWERS,
    "fans": Metric.FOLLOWERS,
    "posts": Metric.POSTS,
    "videos": Metric.POSTS,
    "tweets": Metric.POSTS,
    "media": Metric.POSTS,
    "views": Metric.VIEWS,
}
_NUMBER = re.compile(r"\d{1,3}(,\d{3})+|\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class MetricsImportResult:
    rows: int = 0
    accepted: int = 0
    inserted: int = 0
    corrections: int = 0
    dropped: int = 0  # accounts removed from the list while the import ran
    rejections: list[Rejection] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def lines(self, report: Path, shown: int = 20) -> list[str]:
        out = [
            f"metrics: {self.rows} rows: {self.inserted} snapshots added, "
            f"{self.accepted - self.inserted - self.dropped} already taken for that day (kept "
            f"as they were; {self.corrections} different values recorded as corrections), "
            f"{self.rejected} rejected ({self.seconds:.1f} s)."
        ]
        if self.dropped:
            out.append(
                f"  {self.dropped} rows not stored: their account was removed from the list "
                "while the import ran."
            )
        for r in self.rejections[:shown]:
            out.append(f"  line {r.line}, {r.key}: rejected: {r.reason}")
        if self.rejected > shown:
            out.append(f"  … and {self.rejected - shown} more in the report.")
        out.append(f"Report: {report}")
        return out


class _Reject(Exception):
    def __init__(self, reason: str, value: str = "") -> None:
        super().__init__(reason)
        self.reason, self.value = reason, value


def _value(text: str) -> int:
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.fullmatch(text):
        raise _Reject("the value is not a whole number of 0 or more (e.g. 1234)", text[:100])
    number = int(text.replace(",", ""))
    if number > 2**62:
        raise _Reject("the value is too large to be a follower count", text[:100])
    return number


def _day(text: str, today: date) -> date:
    text = text.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise _Reject("the date is not a date written YYYY-MM-DD", text[:100]) from None
    if day > today:
        raise _Reject("the date is in the future", text)
    if day.year < 2004:
        raise _Reject("the date is before 2004, older than these platforms", text)
    return day


def metrics_import(
    *, path: Path | str, dry_run: bool = False, report: Path | None = None
) -> tuple[MetricsImportResult, Path]:
    started = time.monotonic()
    csv_file = read_csv(
        path,
        required={
            "platform": "x, youtube, …",
            "date": "YYYY-MM-DD",
            "metric": "followers, posts or views",
            "value": "",
        },
    )
    handle_column = next((c for c in HANDLE_COLUMNS if c in csv_file.header), None)
    if handle_column is None:
        raise ImportFileError(
            f"{csv_file.name} needs a column naming the account: one of "
            f"{', '.join(HANDLE_COLUMNS)} (a handle or a profile URL)."
        )
    result = MetricsImportResult(rows=len(csv_file.rows), dry_run=dry_run)
    today = timezone.localdate()
    parsed: list[tuple[int, str, str, date, str, int]] = []  # line, platform, key, day, metric, v
    for row in csv_file.rows:
        v = row.values
        raw_handle = v[handle_column].strip()
        try:
            platform = v["platform"].strip().lower()
            if platform == "twitter":
                platform = "x"
            if platform not in PLATFORMS:
                raise _Reject(
                    "unknown platform; use a slug such as x, youtube, facebook, instagram, "
                    "bluesky or mastodon",
                    platform[:100],
                )
            if not raw_handle:
                raise _Reject(f"the {handle_column} is empty")
            try:
                account = canonicalize(raw_handle, platform)
            except AccountInputError as exc:
                raise _Reject(str(exc), raw_handle[:200]) from None
            metric = METRIC_NAMES.get(v["metric"].strip().lower())
            if metric is None:
                raise _Reject("unknown metric; use followers, posts or views", v["metric"][:100])
            parsed.append(
                (
                    row.line,
                    platform,
                    account.key,
                    _day(v["date"], today),
                    metric,
                    _value(v["value"]),
                )
            )
        except _Reject as rej:
            result.rejections.append(
                Rejection(row.line, raw_handle[:200], "", "row", rej.reason, rej.value)
            )

    ids = _account_ids({(p, k) for _, p, k, *_ in parsed})
    seen: dict[tuple[int, date, str], int] = {}
    rows: list[services.SnapshotRow] = []
    now = timezone.now()
    for line, platform, key, day, metric, value in parsed:
        account_id = ids.get((platform, key))
        first = seen.setdefault((account_id or 0, day, metric), line)
        if account_id is None or first != line:
            reason, value_shown = (
                ("this account is not on the list; add it to its organization first", platform)
                if account_id is None
                else (f"the same account, date and metric as line {first}", f"{day} {metric}")
            )
            result.rejections.append(Rejection(line, key, "", "row", reason, value_shown))
            continue
        rows.append(services.SnapshotRow(account_id, day, metric, value, Source.IMPORT, now))
    result.rejections.sort(key=lambda r: r.line)
    result.accepted = len(rows)

    with transaction.atomic():
        ingest = services.snapshots_ingest(rows=rows, refresh_stats=not dry_run)
        result.inserted, result.corrections = ingest.inserted, ingest.corrections
        result.dropped = ingest.dropped
        if dry_run:
            transaction.set_rollback(True)
    report_path = write_report(
        path=report or default_report_path("metrics"), rejections=result.rejections
    )
    result.seconds = time.monotonic() - started
    return result, report_path


def _account_ids(keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    by_platform: dict[str, list[str]] = {}
    for platform, key in keys:
        by_platform.setdefault(platform, []).append(key)
    for platform, platform_keys in by_platform.items():
        for start in range(0, len(platform_keys), 500):
            for pk, key in SocialAccount.objects.filter(
                platform=platform, key__in=platform_keys[start : start + 500]
            ).values_list("pk", "key"):
                found[(platform, key)] = pk
    return found
