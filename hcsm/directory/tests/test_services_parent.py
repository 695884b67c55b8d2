"""Organization.parent through the services: set, changed, recorded, refused."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import make_user
from hcsm.directory import services
from hcsm.directory.models import Organization, OrganizationChange, Submission
from hcsm.directory.tests.factories import make_org, org_data
from hcsm.directory.validation import InvalidOrganizationData, clean_organization_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def system() -> Organization:
    return make_org(name="Southeast Health", kind="health_system", regions=["US-AL"])


def with_parent(org: Organization, slug: str) -> services.OrganizationData:
    return dataclasses.replace(services.organization_state(org), parent=slug)


def test_create_with_a_parent_links_and_records_it(system):
    hospital = make_org(name="Southeast Health Medical Center", parent=system.slug)
    hospital.refresh_from_db()
    assert hospital.parent_id == system.pk
    created = hospital.changes.get()
    assert created.changes["parent"] == {"old": "", "new": system.slug}
    assert services.organization_state(hospital).parent == system.slug


def test_update_sets_changes_and_clears_the_parent_with_a_recorded_change(system):
    other = make_org(name="Other System", kind="health_system")
    hospital = make_org(name="Member Hospital")
    changes = services.organization_update(
        organization=hospital, data=with_parent(hospital, system.slug), actor_label="t"
    )
    assert changes == {"parent": {"old": "", "new": system.slug}}
    assert Organization.objects.get(pk=hospital.pk).parent_id == system.pk
    services.organization_update(
        organization=hospital, data=with_parent(hospital, other.slug), actor_label="t"
    )
    assert Organization.objects.get(pk=hospital.pk).parent_id == other.pk
    services.organization_update(
        organization=hospital, data=with_parent(hospital, ""), actor_label="t"
    )
    assert Organization.objects.get(pk=hospital.pk).parent_id is None
    recorded = [
        c.changes["parent"] for c in hospital.changes.order_by("id") if "parent" in c.changes
    ]
    assert recorded == [
        {"old": "", "new": system.slug},
        {"old": system.slug, "new": other.slug},
        {"old": other.slug, "new": ""},
    ]
    # The same parent again: nothing to record.
    assert (
        services.organization_update(
            organization=hospital, data=services.organization_state(hospital), actor_label="t"
        )
        == {}
    )


def test_a_public_health_agency_can_have_members_too():
    agency = make_org(name="NSW Health", kind="public_health_agency", countries=["AU"])
    hospital = make_org(name="Westmead Hospital", countries=["AU"], parent=agency.slug)
    assert hospital.parent_id == agency.pk


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [("health_system", True), ("public_health_agency", True), ("hospital", False),
     ("clinic", False), ("association", False), ("other", False)],
)  # fmt: skip
def test_only_a_system_like_kind_can_be_a_parent(kind, allowed):
    parent = make_org(name=f"A {kind}", kind=kind)
    if allowed:
        assert make_org(parent=parent.slug).parent_id == parent.pk
    else:
        with pytest.raises(services.InvalidParent, match="only a health system or a public"):
            make_org(name="Child Of Wrong Kind", parent=parent.slug)
        assert not Organization.objects.filter(name="Child Of Wrong Kind").exists()


def test_refused_parents_change_nothing(system):
    hospital = make_org(name="Member Hospital", parent=system.slug)
    hidden = make_org(name="Hidden System", kind="health_system")
    services.organization_set_status(organization=hidden, status="hidden", actor=None)
    sub_system = make_org(name="Sub System", kind="health_system", parent=system.slug)
    deeper = make_org(name="Deeper System", kind="health_system", parent=sub_system.slug)
    before = OrganizationChange.objects.count()
    cases = [
        (hospital, "no-such-system", "No organization on the list has the address"),
        (hospital, hidden.slug, "No organization on the list has the address"),
        (system, system.slug, "cannot be part of itself"),
        (system, sub_system.slug, "that would be a loop"),  # sub system is in Southeast Health
        (system, deeper.slug, "that would be a loop"),  # two levels down
    ]
    for org, slug, message in cases:
        with pytest.raises(services.InvalidParent, match=message):
            services.organization_update(
                organization=org, data=with_parent(org, slug), actor_label="t"
            )
    assert OrganizationChange.objects.count() == before
    assert Organization.objects.get(pk=system.pk).parent_id is None
    assert Organization.objects.get(pk=hospital.pk).parent_id == system.pk


def test_a_kept_parent_is_not_checked_again(system):
    """Once linked, editing another field works even if the parent later became a hospital."""
    hospital = make_org(name="Member Hospital", parent=system.slug)
    services.organization_update(
        organization=system,
        data=dataclasses.replace(services.organization_state(system), kind="hospital"),
        actor_label="t",
    )
    data = dataclasses.replace(services.organization_state(hospital), city="Dothan")
    assert services.organization_update(organization=hospital, data=data, actor_label="t") == {
        "city": {"old": "", "new": "Dothan"}
    }


@pytest.mark.parametrize(
    "garbage",
    ["<script>alert(1)</script>", "=HYPERLINK(\"http://evil\")", "javascript:alert(1)",
     "southeast health", "mayо-clinic", "x" * 300, 12, ["a"], {"slug": "a"}],
)  # fmt: skip
def test_the_parent_field_takes_a_slug_only(garbage):
    with pytest.raises(InvalidOrganizationData) as exc:
        clean_organization_data({"name": "A", "countries": ["US"], "parent": garbage})
    assert "parent" in exc.value.errors


def test_stored_data_without_a_parent_still_reads():
    """Submissions and import snapshots stored before the field existed."""
    data = clean_organization_data({"name": "Old", "countries": ["US"]})
    assert data.parent == ""
    assert "parent" in data.as_dict()


# Submissions and moderation -------------------------------------------------------------------


def suggest_parent(org: Organization, slug: str, submitter) -> Submission:  # type: ignore[no-untyped-def]
    return services.submission_create(
        submitter=submitter,
        data=with_parent(org, slug),
        relationship="works_there",
        organization=org,
    )


def test_a_suggested_parent_is_moderated_and_recorded_with_its_submission(system):
    hospital = make_org(name="Southeast Health Medical Center")
    submitter, moderator = make_user("s@example.org"), make_user("m@example.org", is_staff=True)
    sub = suggest_parent(hospital, system.slug, submitter)
    assert Organization.objects.get(pk=hospital.pk).parent_id is None  # submitting changes nothing
    services.submission_approve(submission_id=sub.pk, moderator=moderator)
    assert Organization.objects.get(pk=hospital.pk).parent_id == system.pk
    change = hospital.changes.get(submission=sub)
    assert change.changes == {"parent": {"old": "", "new": system.slug}}
    assert change.actor == moderator


def test_a_bad_parent_is_refused_when_submitted(system):
    hospital = make_org(name="Plain Hospital")
    submitter = make_user("s@example.org")
    with pytest.raises(services.InvalidParent, match="only a health system"):
        suggest_parent(system, hospital.slug, submitter)
    with pytest.raises(services.InvalidParent, match="part of itself"):
        suggest_parent(system, system.slug, submitter)
    assert not Submission.objects.exists()


def test_approval_checks_the_parent_again(system):
    """Between submitting and approving, the system was put into the hospital's own system."""
    sub_system = make_org(name="Sub System", kind="health_system")
    submitter, moderator = make_user("s@example.org"), make_user("m@example.org", is_staff=True)
    sub = suggest_parent(system, sub_system.slug, submitter)
    services.organization_update(
        organization=sub_system, data=with_parent(sub_system, system.slug), actor_label="t"
    )
    with pytest.raises(services.InvalidParent, match="loop"):
        services.submission_approve(submission_id=sub.pk, moderator=moderator)
    assert Submission.objects.get(pk=sub.pk).status == "pending"
    assert Organization.objects.get(pk=system.pk).parent_id is None


def test_a_suggestion_that_did_not_touch_the_parent_keeps_one_set_meanwhile(system):
    hospital = make_org(name="Member Hospital")
    submitter, moderator = make_user("s@example.org"), make_user("m@example.org", is_staff=True)
    sub = services.submission_create(
        submitter=submitter,
        data=dataclasses.replace(services.organization_state(hospital), city="Dothan"),
        relationship="public",
        organization=hospital,
    )
    services.organization_update(
        organization=hospital, data=with_parent(hospital, system.slug), actor_label="t"
    )
    services.submission_approve(submission_id=sub.pk, moderator=moderator)
    hospital.refresh_from_db()
    assert (hospital.city, hospital.parent_id) == ("Dothan", system.pk)


def test_a_new_listing_proposed_with_a_parent(system):
    submitter, moderator = make_user("s@example.org"), make_user("m@example.org", is_staff=True)
    sub = services.submission_create(
        submitter=submitter, data=org_data(name="New Member", parent=system.slug),
        relationship="works_there",
    )  # fmt: skip
    org = services.submission_approve(submission_id=sub.pk, moderator=moderator)
    assert org.parent_id == system.pk


def test_merging_fills_a_missing_parent_only(system):
    other = make_org(name="Other System", kind="health_system")
    target = make_org(name="Target Hospital")
    merged = services.merged_data(
        services.organization_state(target), org_data(name="Target", parent=system.slug)
    )
    assert merged.parent == system.slug
    linked = make_org(name="Linked Hospital", parent=other.slug)
    merged = services.merged_data(
        services.organization_state(linked), org_data(name="Linked", parent=system.slug)
    )
    assert merged.parent == other.slug
