"""Four workers handed the same refresh batch at the same moment: one runs it, the provider is
asked once, each account gets one snapshot a day. The control test takes the claim away and
shows the race it prevents (the provider asked four times for the same accounts)."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.utils import timezone

from hcsm.metrics import services
from hcsm.metrics.connectors.bluesky import Bluesky
from hcsm.metrics.models import RefreshBatch, Snapshot
from hcsm.metrics.tests.conftest import provider  # noqa: F401 - the fixture
from hcsm.metrics.tests.factories import org_with_accounts
from tests.concurrency.test_submission_decisions import _race

pytestmark = pytest.mark.django_db(transaction=True)


def _setup(provider):  # type: ignore[no-untyped-def]  # noqa: F811
    def answer(seen):  # type: ignore[no-untyped-def]
        time.sleep(0.3)  # a slow provider: every worker that gets this far is asking at once
        return 200, {"profiles": [
            {"did": f"did:plc:{a}", "handle": a, "followersCount": 7, "postsCount": 1}
            for a in seen.query["actors"]
        ]}  # fmt: skip

    provider.answer = answer
    for i in range(5):
        org_with_accounts(("bluesky", f"race{i}.bsky.social"))
    (batch,), _ = services.refresh_plan(day=timezone.localdate(), platforms=["bluesky"])
    return batch


def _connector(provider):  # type: ignore[no-untyped-def]  # noqa: F811
    return Bluesky(env={"HCSM_BLUESKY_API_URL": provider.url})


def test_one_worker_runs_a_batch(provider):  # type: ignore[no-untyped-def]  # noqa: F811
    batch = _setup(provider)
    results = _race(
        4, lambda i: services.refresh_batch_run(batch_id=batch.pk, connector=_connector(provider))
    )
    assert sum(isinstance(r, RefreshBatch) for r in results) == 1, results
    assert results.count(None) == 3
    assert len(provider.requests) == 1
    per_account = Counter(
        Snapshot.objects.filter(metric="followers").values_list("account_id", flat=True)
    )
    assert len(per_account) == 5 and set(per_account.values()) == {1}


def test_control_without_the_claim_the_provider_is_asked_again(provider, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    batch = _setup(provider)
    real_filter = RefreshBatch.objects.filter

    class Always:
        def update(self, **kwargs):  # type: ignore[no-untyped-def]
            real_filter(pk=batch.pk).update(**kwargs)
            return 1

    def no_claim(*args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("status") == RefreshBatch.Status.PENDING and "pk" in kwargs:
            return Always()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(RefreshBatch.objects, "filter", no_claim)
    results = _race(
        4, lambda i: services.refresh_batch_run(batch_id=batch.pk, connector=_connector(provider))
    )
    assert len(provider.requests) > 1, results  # the race: the same accounts asked again
    # the unique (account, metric, day) key still keeps one snapshot each
    per_account = Counter(
        Snapshot.objects.filter(metric="followers").values_list("account_id", flat=True)
    )
    assert set(per_account.values()) == {1}
