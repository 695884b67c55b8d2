"""A bulk snapshot ingest and the deletion of one of its accounts, at the same moment: no
snapshot is left without its account, and no row of an account that stays is lost.

Snapshots have no foreign key to their account (it cost 40 % of a bulk ingest). What replaces
it, and what each test takes away to show the race it prevents:

* the ingest locks each account once (``FOR KEY SHARE``) and drops rows of missing ones;
  without the lock, a deletion committed under the ingest leaves orphans;
* an AFTER DELETE trigger on the accounts removes the snapshots an ingest committed while the
  DELETE waited for its lock; without it, Django's cascade (which read the snapshots before
  the DELETE waited) leaves them behind.

The two sides are put in order by waiting until the other one is blocked on a lock (read from
``pg_stat_activity``), never by sleeping."""

from __future__ import annotations

import dataclasses
import importlib
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from hcsm.directory import services as directory
from hcsm.directory.models import SocialAccount
from hcsm.metrics import services
from hcsm.metrics.models import Snapshot, SnapshotCorrection
from hcsm.metrics.tests.factories import org_with_accounts, row
from tests.concurrency.test_submission_decisions import _race

pytestmark = pytest.mark.django_db(transaction=True)
DAYS = [date(2026, 11, 1) + timedelta(days=d) for d in range(20)]
trigger = importlib.import_module("hcsm.metrics.migrations.0003_snapshot_account_without_fk")


def _until(done: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the other side never got there")
        time.sleep(0.01)


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:  # inside a transaction the view is read once: reread
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _orphans() -> int:
    return Snapshot.objects.exclude(account_id__in=SocialAccount.objects.values("pk")).count()


def _accounts(n: int) -> list[int]:
    return [org_with_accounts(("x", f"race{i}"))[1]["x"].pk for i in range(n)]


def _rows(account_ids: list[int]) -> list[services.SnapshotRow]:
    return [row(a, d, 100 + i) for a in account_ids for i, d in enumerate(DAYS)]


def _plain_select(cursor, ids):  # type: ignore[no-untyped-def]
    """The control: the same existence check without the lock."""
    cursor.execute("SELECT id FROM directory_socialaccount WHERE id = ANY(%s)", [ids])
    return {i for (i,) in cursor.fetchall()}


def _ingest_holding_the_lock(monkeypatch, lock, deleter_done):  # type: ignore[no-untyped-def]
    """Make the ingest stop after taking its accounts until the deleter is blocked on the
    lock (or, without the lock, has finished)."""

    def held(cursor, ids):  # type: ignore[no-untyped-def]
        found = lock(cursor, ids)
        _until(lambda: deleter_done.is_set() or _someone_waits_for_a_lock())
        return found

    monkeypatch.setattr(services, "_lock_accounts", held)


def _ingest_first(monkeypatch, *, lock) -> tuple[list[object], list[int]]:  # type: ignore[no-untyped-def]
    ids = _accounts(3)
    victim = ids[1]
    deleter_done = threading.Event()
    locked = threading.Event()
    real = lock

    def lock_and_say(cursor, ids_):  # type: ignore[no-untyped-def]
        found = real(cursor, ids_)
        locked.set()
        return found

    _ingest_holding_the_lock(monkeypatch, lock_and_say, deleter_done)

    def side(i: int) -> object:
        if i == 0:
            return services.snapshots_ingest(rows=_rows(ids), refresh_stats=False)
        locked.wait(10)
        try:  # Django's cascade: reads the snapshots, deletes them, then the account
            return SocialAccount.objects.filter(pk=victim).delete()
        finally:
            deleter_done.set()

    return _race(2, side), ids


def test_deleting_an_account_the_ingest_holds_waits_and_takes_its_snapshots(monkeypatch):  # type: ignore[no-untyped-def]
    results, ids = _ingest_first(monkeypatch, lock=services._lock_accounts)
    ingest, deleted = results
    assert isinstance(ingest, services.IngestResult), results
    assert isinstance(deleted, tuple), results
    assert (ingest.inserted, ingest.dropped) == (3 * len(DAYS), 0)
    assert _orphans() == 0
    assert not SocialAccount.objects.filter(pk=ids[1]).exists()
    # nothing lost of the accounts that stay
    assert Snapshot.objects.filter(account_id__in=[ids[0], ids[2]]).count() == 2 * len(DAYS)


def test_control_without_the_lock_the_deletion_leaves_orphans(monkeypatch):  # type: ignore[no-untyped-def]
    results, _ = _ingest_first(monkeypatch, lock=_plain_select)
    assert all(not isinstance(r, Exception) for r in results), results
    assert _orphans() == len(DAYS)  # the race: every row of the deleted account, orphaned


def test_control_without_the_trigger_the_deletion_leaves_orphans(monkeypatch):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        for statement in trigger.DROP:
            cursor.execute(statement)
    try:
        results, _ = _ingest_first(monkeypatch, lock=services._lock_accounts)
        assert all(not isinstance(r, Exception) for r in results), results
        assert _orphans() == len(DAYS)  # the cascade read the snapshots before they committed
    finally:
        with connection.cursor() as cursor:
            for statement in trigger.CREATE:
                cursor.execute(statement)


def _deletion_first(monkeypatch, *, lock) -> tuple[list[object], list[int]]:  # type: ignore[no-untyped-def]
    ids = _accounts(3)
    victim = ids[1]
    deleted = threading.Event()
    ingest_done = threading.Event()
    monkeypatch.setattr(services, "_lock_accounts", lock)

    def side(i: int) -> object:
        if i == 0:
            deleted.wait(10)
            try:
                return services.snapshots_ingest(rows=_rows(ids), refresh_stats=False)
            finally:
                ingest_done.set()
        with transaction.atomic():
            SocialAccount.objects.filter(pk=victim).delete()
            deleted.set()
            _until(lambda: ingest_done.is_set() or _someone_waits_for_a_lock())
        return "deleted"

    return _race(2, side), ids


def test_an_ingest_meeting_an_account_being_deleted_waits_and_drops_its_rows(monkeypatch):  # type: ignore[no-untyped-def]
    results, ids = _deletion_first(monkeypatch, lock=services._lock_accounts)
    ingest, deleted = results
    assert deleted == "deleted", results
    assert isinstance(ingest, services.IngestResult), results
    n = len(DAYS)
    assert (ingest.rows, ingest.inserted, ingest.dropped, ingest.already_taken) == (
        3 * n,
        2 * n,
        n,
        0,
    )
    assert _orphans() == 0
    assert Snapshot.objects.count() == 2 * n


def test_control_without_the_lock_the_ingest_writes_for_an_account_being_deleted(monkeypatch):  # type: ignore[no-untyped-def]
    results, _ = _deletion_first(monkeypatch, lock=_plain_select)
    assert all(not isinstance(r, Exception) for r in results), results
    assert _orphans() == len(DAYS)


def test_a_listing_dropping_its_accounts_while_an_ingest_holds_one_does_not_deadlock(
    monkeypatch,
):  # type: ignore[no-untyped-def]
    """The ingest has locked the listing's first account (its first chunk) when the listing
    drops both accounts. The directory locks both rows at once in id order, the ingest's
    order, so it waits on the first and holds nothing the ingest needs next. Deleting them
    one at a time in the listing's (platform, id) order took the second account first and
    deadlocked here."""
    monkeypatch.setattr(services, "STAGE_CHUNK", len(DAYS))  # one account per chunk
    org, accounts = org_with_accounts(("x", "dead"), ("facebook", "dead"))
    ids = sorted(a.pk for a in accounts.values())
    deleter_done = threading.Event()
    calls = []
    real = services._lock_accounts

    def first_lock_held(cursor, ids_):  # type: ignore[no-untyped-def]
        found = real(cursor, ids_)
        calls.append(ids_)
        if len(calls) == 1:
            _until(lambda: deleter_done.is_set() or _someone_waits_for_a_lock())
        return found

    monkeypatch.setattr(services, "_lock_accounts", first_lock_held)

    def side(i: int) -> object:
        if i == 0:
            return services.snapshots_ingest(rows=_rows(ids), refresh_stats=False)
        _until(lambda: bool(calls))
        try:
            state = directory.organization_state(org)
            directory.organization_update(
                organization=org, data=dataclasses.replace(state, accounts=[]), actor_label="t"
            )
            return "removed"
        finally:
            deleter_done.set()

    ingest, done = _race(2, side)
    assert done == "removed", (ingest, done)
    assert isinstance(ingest, services.IngestResult), ingest
    assert calls == [[ids[0]], [ids[1]]]
    assert (ingest.inserted, ingest.dropped) == (2 * len(DAYS), 0)
    assert _orphans() == 0 and not SocialAccount.objects.filter(pk__in=ids).exists()


def test_ingest_and_account_removals_through_the_directory_in_parallel(monkeypatch):  # type: ignore[no-untyped-def]
    """No orchestration: one ingest in many small chunks while listings drop their accounts
    one after another through ``organization_update`` (the product's deletion path). Whatever
    the interleaving: no orphans, no error (no deadlock), every row of a kept account stored,
    and the ingest's figures add up."""
    monkeypatch.setattr(services, "STAGE_CHUNK", 40)
    orgs = [org_with_accounts(("x", f"par{i}"), ("facebook", f"par{i}")) for i in range(12)]
    ids = [a.pk for _, accounts in orgs for a in accounts.values()]
    rows = _rows(ids)
    # a day already taken for some accounts, so later chunks take the slow path too
    services.snapshots_ingest(rows=[row(a, DAYS[-1], 1) for a in ids[:4]], refresh_stats=False)
    removed = [org for i, (org, _) in enumerate(orgs) if i % 2]

    def side(i: int) -> object:
        if i == 0:
            return services.snapshots_ingest(rows=rows, refresh_stats=False)
        for org in removed:
            state = directory.organization_state(org)
            directory.organization_update(
                organization=org, data=dataclasses.replace(state, accounts=[]), actor_label="t"
            )
        return "removed"

    ingest, done = _race(2, side)
    assert done == "removed", (ingest, done)
    assert isinstance(ingest, services.IngestResult), ingest
    assert _orphans() == 0
    kept = [a.pk for i, (_, accounts) in enumerate(orgs) if not i % 2 for a in accounts.values()]
    assert SocialAccount.objects.filter(pk__in=ids).count() == len(kept)
    # every day of every kept account, the pre-taken day counted once
    assert Snapshot.objects.filter(account_id__in=kept).count() == len(kept) * len(DAYS)
    assert ingest.rows == len(rows)
    assert ingest.inserted + ingest.dropped + ingest.already_taken == len(rows)
    assert ingest.already_taken <= 4 and ingest.corrections <= 4


def test_deleting_an_account_outside_django_removes_its_snapshots_and_corrections():
    ids = _accounts(2)
    services.snapshots_ingest(rows=_rows(ids), refresh_stats=False)
    services.snapshots_ingest(rows=[row(ids[0], DAYS[0], 5)], refresh_stats=False)
    assert SnapshotCorrection.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM directory_socialaccount WHERE id = %s", [ids[0]])
    assert _orphans() == 0 and not SnapshotCorrection.objects.exists()
    assert Snapshot.objects.filter(account_id=ids[1]).count() == len(DAYS)
