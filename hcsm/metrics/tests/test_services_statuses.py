"""account_statuses_record and the refresh: statuses dated, platform ids kept, renames seen
through the id, every change in the organization's history."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hcsm.directory import selectors
from hcsm.directory.models import OrganizationChange, SocialAccount
from hcsm.metrics import services
from hcsm.metrics.services import StatusUpdate, account_statuses_record

from .factories import org_with_accounts

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 30)


def test_a_status_change_is_dated_and_recorded_once_per_organization():
    org, accs = org_with_accounts(("x", "MayoClinic"), ("bluesky", "mayo.bsky.social"))
    other, other_accs = org_with_accounts(("x", "ClevelandClinic"))
    before = selectors.list_version()
    changed = account_statuses_record(
        updates=[
            StatusUpdate(accs["x"].pk, "not_found"),
            StatusUpdate(accs["bluesky"].pk, "renamed", "mayoclinic.org"),
            StatusUpdate(other_accs["x"].pk, "active"),  # no change: nothing written
        ],
        day=DAY,
    )
    assert changed == 2
    x = SocialAccount.objects.get(pk=accs["x"].pk)
    assert (x.status, x.status_since, x.status_detail) == ("not_found", DAY, "")
    (change,) = OrganizationChange.objects.filter(action="status")
    assert change.organization_id == org.pk and change.actor_label == "metrics:refresh"
    assert change.changes == {
        "account_status": {
            "old": ["X (Twitter) MayoClinic: active", "Bluesky mayo.bsky.social: active"],
            "new": [
                "X (Twitter) MayoClinic: not found since 2026-11-30",
                "Bluesky mayo.bsky.social: renamed to mayoclinic.org since 2026-11-30",
            ],
        }
    }
    assert selectors.list_version() > before


def test_a_new_name_is_a_change_the_same_answer_is_not():
    _, accs = org_with_accounts(("x", "MayoClinic"))
    pk = accs["x"].pk
    account_statuses_record(updates=[StatusUpdate(pk, "renamed", "MayoA")], day=DAY)
    assert account_statuses_record(updates=[StatusUpdate(pk, "renamed", "MayoA")], day=DAY) == 0
    nxt = DAY + timedelta(days=1)
    assert account_statuses_record(updates=[StatusUpdate(pk, "renamed", "MayoB")], day=nxt) == 1
    x = SocialAccount.objects.get(pk=pk)
    assert (x.status_detail, x.status_since) == ("MayoB", nxt)
    assert OrganizationChange.objects.filter(action="status").count() == 2


def test_the_platform_id_is_kept_from_the_first_answer_and_not_replaced():
    _, accs = org_with_accounts(("x", "MayoClinic"))
    pk = accs["x"].pk
    changes = OrganizationChange.objects.count()
    assert (
        account_statuses_record(updates=[StatusUpdate(pk, "active", uid="14992604")], day=DAY) == 0
    )
    assert SocialAccount.objects.get(pk=pk).platform_uid == "14992604"
    assert OrganizationChange.objects.count() == changes  # nothing shown changed
    account_statuses_record(updates=[StatusUpdate(pk, "active", uid="999")], day=DAY)
    assert SocialAccount.objects.get(pk=pk).platform_uid == "14992604"


def test_an_unknown_status_is_refused_and_nothing_is_written():
    _, accs = org_with_accounts(("x", "MayoClinic"), ("facebook", "MayoClinic"))
    with pytest.raises(services.DomainError, match="Unknown account status"):
        account_statuses_record(
            updates=[
                StatusUpdate(accs["x"].pk, "not_found", uid="1"),
                StatusUpdate(accs["facebook"].pk, "<script>"),
            ],
            day=DAY,
        )
    x = SocialAccount.objects.get(pk=accs["x"].pk)
    assert (x.status, x.platform_uid) == ("active", "")
    assert not OrganizationChange.objects.filter(action="status").exists()


# Through the refresh ------------------------------------------------------------------------


@pytest.fixture
def bluesky(provider, monkeypatch):
    monkeypatch.setenv("HCSM_BLUESKY_API_URL", provider.url)
    handles = {"did:plc:mayo": "mayo.bsky.social", "did:plc:cle": "cle.bsky.social"}

    def answer(seen):
        profiles = []
        for actor in seen.query["actors"]:
            did = actor if actor.startswith("did:") else f"did:plc:{actor.split('.')[0]}"
            if did in handles:
                profiles.append({"did": did, "handle": handles[did], "followersCount": 10})
        return 200, {"profiles": profiles}

    provider.answer = answer
    provider.handles = handles
    return provider


def _refresh(day):
    batches, _ = services.refresh_plan(day=day, platforms=["bluesky"])
    for b in batches:
        services.refresh_batch_run(batch_id=b.pk)


def test_a_rename_after_the_first_refresh_is_seen_as_renamed(bluesky):
    _, mayo = org_with_accounts(("bluesky", "mayo.bsky.social"))
    _, cle = org_with_accounts(("bluesky", "cle.bsky.social"))
    today = timezone.localdate()
    _refresh(today - timedelta(days=1))
    assert [r.query["actors"] for r in bluesky.requests] == [
        ["mayo.bsky.social", "cle.bsky.social"]
    ]
    assert SocialAccount.objects.get(pk=mayo["bluesky"].pk).platform_uid == "did:plc:mayo"

    bluesky.handles["did:plc:mayo"] = "mayoclinic.org"  # the handle changes on Bluesky
    _refresh(today)
    assert bluesky.requests[-1].query["actors"] == ["did:plc:mayo", "did:plc:cle"]
    acc = SocialAccount.objects.get(pk=mayo["bluesky"].pk)
    assert (acc.status, acc.status_detail, acc.status_since) == ("renamed", "mayoclinic.org", today)
    assert acc.handle == "mayo.bsky.social"  # the listing waits for a moderator
    assert SocialAccount.objects.get(pk=cle["bluesky"].pk).status == "active"
    # its figures were still taken: it is the same account
    assert acc.snapshots.filter(day=today).exists()
