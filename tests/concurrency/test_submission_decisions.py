"""Two moderators deciding the same submission at the same moment: exactly one wins.

The control test removes the row lock and shows the race it prevents (two listings from one
submission)."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection

from hcsm.directory import services
from hcsm.directory.models import Organization, Submission
from hcsm.directory.tests.factories import org_data

pytestmark = pytest.mark.django_db(transaction=True)


def _race(n: int, fn) -> list[object]:  # type: ignore[no-untyped-def]
    start = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def _pending(cast) -> Submission:  # type: ignore[no-untyped-def]
    return services.submission_create(
        submitter=cast["basic"], data=org_data(accounts=[]), relationship="public"
    )


def test_only_one_moderator_decides(cast):  # type: ignore[no-untyped-def]
    sub = _pending(cast)
    staff = cast["staff"]
    results = _race(4, lambda i: services.submission_approve(submission_id=sub.pk, moderator=staff))
    wins = [r for r in results if isinstance(r, Organization)]
    losses = [r for r in results if isinstance(r, services.SubmissionAlreadyDecided)]
    assert len(wins) == 1, results
    assert len(losses) == 3, results
    assert Organization.objects.count() == 1


def test_control_without_the_lock_two_listings_appear(cast, monkeypatch):  # type: ignore[no-untyped-def]
    sub = _pending(cast)
    staff = cast["staff"]
    both_read = threading.Barrier(2)

    def unlocked(submission_id: int) -> Submission:
        s = Submission.objects.select_related("organization").get(pk=submission_id)
        pending = s.status == Submission.Status.PENDING
        both_read.wait(10)  # both have seen "pending" before either writes
        if not pending:
            raise services.SubmissionAlreadyDecided("decided")
        return s

    monkeypatch.setattr(services, "_locked_pending", unlocked)
    results = _race(2, lambda i: services.submission_approve(submission_id=sub.pk, moderator=staff))
    # Both moderators got past the "still pending?" check: each tried to create a listing.
    # Whichever of them commits second either adds a second listing or dies on an unrelated
    # constraint (the slug) with a server error; the lock turns that into a clear message.
    assert not any(isinstance(r, services.SubmissionAlreadyDecided) for r in results), results
    failed = [r for r in results if isinstance(r, IntegrityError)]
    assert Organization.objects.count() + len(failed) == 2, results
