"""A refresh recording an account's status while a moderator edits the same listing: both
finish. The status change locks the listing before it touches the account (the order every
writer of a listing keeps); the control test takes that lock away and shows the deadlock it
prevents (the refresh holds the account and waits for the listing, the edit the reverse)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from hcsm.directory.models import Organization, SocialAccount
from hcsm.metrics import services
from hcsm.metrics.services import StatusUpdate
from hcsm.metrics.tests.factories import org_with_accounts

pytestmark = pytest.mark.django_db(transaction=True)


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def _edit_and_record() -> list[object]:
    """The editor locks the listing, waits until the refresh is blocked on a lock, then
    writes the account; the refresh records a status of that account meanwhile."""
    org, accs = org_with_accounts(("x", "RaceClinic"))
    account_id = accs["x"].pk
    locked = threading.Event()
    results: list[object] = [None, None]

    def editor() -> None:
        try:
            with transaction.atomic():
                Organization.objects.select_for_update().get(pk=org.pk)
                locked.set()
                for _ in range(200):  # up to 10 s for the refresh to reach a lock
                    if _waiting_for_a_lock():
                        break
                    time.sleep(0.05)
                SocialAccount.objects.filter(pk=account_id).update(label="Edited")
            results[0] = "edited"
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            results[0] = exc
        finally:
            locked.set()
            connection.close()

    def refresh() -> None:
        try:
            locked.wait(10)
            results[1] = services.account_statuses_record(
                updates=[StatusUpdate(account_id, "not_found")], day=services.timezone.localdate()
            )
        except Exception as exc:  # noqa: BLE001
            results[1] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=editor), threading.Thread(target=refresh)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_a_status_and_an_edit_of_the_same_listing_both_finish():
    assert _edit_and_record() == ["edited", 1]
    account = SocialAccount.objects.get(handle="RaceClinic")
    assert (account.label, account.status) == ("Edited", "not_found")


def test_control_without_the_listing_lock_they_deadlock(monkeypatch):
    monkeypatch.setattr(services, "_lock_organizations", lambda ids: None)
    results = _edit_and_record()
    assert any("deadlock" in str(r) for r in results), results
