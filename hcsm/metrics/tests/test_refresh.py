"""refresh_metrics and its tasks: idempotent per account and day, even after a killed worker."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from hcsm.directory.models import SocialAccount
from hcsm.metrics import services
from hcsm.metrics.connectors.bluesky import Bluesky
from hcsm.metrics.models import AccountStats, OrganizationScore, RefreshBatch, Snapshot

from .factories import org_with_accounts

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """What the worker's death looks like from inside: not an Exception, nothing catches it."""


@pytest.fixture
def bluesky(provider, monkeypatch):
    for name in ("YOUTUBE", "X", "FACEBOOK", "INSTAGRAM"):
        monkeypatch.delenv(f"HCSM_{name}_API_KEY", raising=False)
    monkeypatch.setenv("HCSM_BLUESKY_API_URL", provider.url)

    def answer(seen):
        return 200, {
            "profiles": [
                {
                    "did": f"did:plc:{a}",
                    "handle": a,
                    "followersCount": 100 + len(a),
                    "postsCount": 3,
                }
                for a in seen.query["actors"]
                if not a.startswith("gone")
            ]
        }

    provider.answer = answer
    return provider


def _orgs(n):
    return [org_with_accounts(("bluesky", f"h{i}.bsky.social"))[1]["bluesky"] for i in range(n)]


def _run(*args):
    out = StringIO()
    call_command("refresh_metrics", "--platform", "bluesky", "--no-progress", *args, stdout=out)
    return out.getvalue()


def asked(provider):
    return Counter(a for r in provider.requests for a in r.query.get("actors", []))


def test_refresh_takes_each_account_once_a_day(bluesky):
    accounts = _orgs(30)
    out = _run()
    assert "bluesky: 30 accounts taken" in out and "2 batches" in out
    assert [len(r.query["actors"]) for r in bluesky.requests] == [25, 5]
    assert Snapshot.objects.count() == 60  # followers and posts
    assert AccountStats.objects.count() == 30 and OrganizationScore.objects.count() == 30
    again = _run()
    assert "0 batches" in again and len(bluesky.requests) == 2
    assert set(asked(bluesky).values()) == {1}
    assert (
        Snapshot.objects.filter(account=accounts[0]).get(metric="followers").value == 114
    )  # 100 + len(handle)


def test_a_killed_worker_loses_nothing_and_repeats_nothing(bluesky):
    _orgs(30)
    batches, skipped = services.refresh_plan(day=timezone.localdate(), platforms=["bluesky"])
    assert skipped == {} and len(batches) == 2
    services.refresh_batch_run(batch_id=batches[0].pk)

    class Dying(Bluesky):
        def fetch(self, refs):
            super().fetch(refs)  # the answer arrives, then the process dies before writing
            raise Killed

    with pytest.raises(Killed):
        services.refresh_batch_run(batch_id=batches[1].pk, connector=Dying())
    assert RefreshBatch.objects.get(pk=batches[1].pk).status == "running"
    assert Snapshot.objects.filter(metric="followers").count() == 25

    # the claimed batch is not run twice; the next run plans the 5 accounts it left
    assert services.refresh_batch_run(batch_id=batches[1].pk) is None
    out = _run()
    assert "bluesky: 5 accounts taken" in out
    followers = Counter(
        Snapshot.objects.filter(metric="followers").values_list("account_id", flat=True)
    )
    assert len(followers) == 30 and set(followers.values()) == {1}
    counts = asked(bluesky)
    first_batch = batches[0].account_ids
    handles = dict(SocialAccount.objects.values_list("pk", "handle"))
    assert all(counts[handles[pk]] == 1 for pk in first_batch)  # never asked again


def test_enqueued_tasks_do_the_same_work(bluesky, django_capture_on_commit_callbacks):
    _orgs(3)
    with django_capture_on_commit_callbacks(execute=True):
        out = _run("--enqueue")
    assert "1 batches" in out
    assert Snapshot.objects.filter(metric="followers").count() == 3
    assert RefreshBatch.objects.get().status == "done"
    assert OrganizationScore.objects.count() == 3


def test_not_found_accounts_get_a_dated_status_and_are_not_asked_again_that_day(bluesky):
    (acc,) = _orgs(1)
    gone = org_with_accounts(("bluesky", "gone.bsky.social"))[1]["bluesky"]
    _run()
    gone.refresh_from_db()
    assert gone.status == "not_found" and gone.status_since == timezone.localdate()
    _run()
    assert asked(bluesky)["gone.bsky.social"] == 1
    acc.refresh_from_db()
    assert acc.status == "active"


def test_failed_provider_marks_the_batch_and_writes_nothing(bluesky):
    _orgs(2)
    bluesky.answer = lambda s: (401, {"error": "AuthMissing"})
    out = _run()
    assert "Bluesky answered HTTP 401" in out
    assert RefreshBatch.objects.get().status == "failed" and not Snapshot.objects.exists()


def test_platforms_without_key_are_skipped(bluesky):
    out = StringIO()
    call_command("refresh_metrics", "--platform", "x", "--no-progress", stdout=out)
    assert "x: skipped (no API key: set HCSM_X_API_KEY)" in out.getvalue()


def test_unknown_organization(bluesky):
    with pytest.raises(CommandError, match="no organization with id 999"):
        _run("--organization", "999")


def test_one_organization_only(bluesky):
    a, b = _orgs(2)
    _run("--organization", str(a.organization_id))
    assert set(Snapshot.objects.values_list("account_id", flat=True)) == {a.pk}


def test_the_day_is_finished_when_nothing_is_pending_or_recently_running(bluesky):
    from datetime import timedelta

    day = timezone.localdate()
    assert services.refresh_day_finished(day=day)
    b = RefreshBatch.objects.create(platform="bluesky", day=day, number=1, account_ids=[])
    assert not services.refresh_day_finished(day=day)
    RefreshBatch.objects.filter(pk=b.pk).update(status="running")
    assert not services.refresh_day_finished(day=day)
    RefreshBatch.objects.filter(pk=b.pk).update(created_at=timezone.now() - timedelta(hours=3))
    assert services.refresh_day_finished(day=day)  # its worker was killed; it blocks nothing
