import pytest
from django.core.exceptions import ObjectDoesNotExist

from hcsm.core.errors import DomainError
from hcsm.directory import services
from hcsm.directory.models import Organization, OrganizationChange, Submission
from hcsm.directory.tasks import notify_submitter
from hcsm.directory.tests.factories import make_org, org_data
from hcsm.directory.validation import clean_organization_data

pytestmark = pytest.mark.django_db


def submit(user, data=None, **kw):
    return services.submission_create(
        submitter=user, data=data or org_data(), relationship="works_there", **kw
    )


def test_submitting_never_changes_the_list(cast):
    before = Organization.objects.count()
    sub = submit(cast["basic"], ip_address="10.0.0.1")
    assert sub.status == Submission.Status.PENDING
    assert sub.kind == Submission.Kind.NEW
    assert Organization.objects.count() == before


def test_approve_new_creates_the_listing_and_emails_the_submitter(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    sub = submit(cast["basic"], org_data(name="Brand New Hospital"))
    with django_capture_on_commit_callbacks(execute=True):
        org = services.submission_approve(
            submission_id=sub.pk, moderator=cast["staff"], note="Welcome"
        )
    sub.refresh_from_db()
    assert sub.status == Submission.Status.APPROVED
    assert sub.organization == org
    assert sub.decided_by == cast["staff"]
    change = org.changes.get()
    assert (change.actor, change.submission) == (cast["staff"], sub)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["basic@example.org"]
    assert "approved" in mailoutbox[0].subject
    assert f"/list/{org.slug}/" in mailoutbox[0].body


def test_approve_after_editing_uses_the_moderators_version(cast):
    sub = submit(cast["basic"], org_data(name="Typo Hospitl"))
    edited = clean_organization_data({**sub.proposed, "name": "Typo Hospital"})
    org = services.submission_approve(submission_id=sub.pk, moderator=cast["staff"], data=edited)
    assert org.name == "Typo Hospital"


def test_change_suggestion_updates_the_listing(cast):
    org = make_org(name="Listed Hospital", city="")
    data = services.organization_state(org)
    proposal = clean_organization_data({**data.as_dict(), "city": "Rochester"})
    sub = submit(cast["member"], proposal, organization=org)
    assert sub.kind == Submission.Kind.CHANGE
    org.refresh_from_db()
    assert org.city == ""  # not yet
    services.submission_approve(submission_id=sub.pk, moderator=cast["staff"])
    org.refresh_from_db()
    assert org.city == "Rochester"
    change = org.changes.get(submission=sub)
    assert change.changes == {"city": {"old": "", "new": "Rochester"}}


def test_a_change_identical_to_the_listing_is_refused(cast):
    org = make_org()
    with pytest.raises(DomainError, match="same as the current listing"):
        submit(cast["basic"], services.organization_state(org), organization=org)


def test_merge_adds_accounts_to_the_existing_listing(cast):
    org = make_org(name="Kaiser Permanente", accounts=[{"value": "https://x.com/aboutKP"}])
    sub = submit(
        cast["basic"],
        org_data(name="Kaiser", accounts=[{"value": "https://www.instagram.com/kaiserpermanente"}]),
    )
    result = services.submission_approve(
        submission_id=sub.pk, moderator=cast["staff"], merge_into=org
    )
    assert result == org
    assert sorted(org.accounts.values_list("platform", flat=True)) == ["instagram", "x"]
    assert org.changes.get(submission=sub).action == OrganizationChange.Action.MERGED
    assert Organization.objects.count() == 1


def test_reject_needs_a_reason_and_tells_the_submitter(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    sub = submit(cast["basic"])
    with pytest.raises(DomainError, match="reason"):
        services.submission_reject(submission_id=sub.pk, moderator=cast["staff"], reason="  ")
    sub.refresh_from_db()
    assert sub.status == Submission.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reject(
            submission_id=sub.pk, moderator=cast["staff"], reason="Not a health care organization"
        )
    sub.refresh_from_db()
    assert sub.status == Submission.Status.REJECTED
    assert "Not a health care organization" in mailoutbox[0].body


def test_a_decided_submission_cannot_be_decided_again(cast):
    sub = submit(cast["basic"])
    services.submission_reject(submission_id=sub.pk, moderator=cast["staff"], reason="dup")
    with pytest.raises(services.SubmissionAlreadyDecided, match="already rejected"):
        services.submission_approve(submission_id=sub.pk, moderator=cast["staff"])
    assert Organization.objects.count() == 0


def test_approving_an_account_listed_meanwhile_fails_cleanly(cast):
    sub = submit(cast["basic"], org_data(accounts=[{"value": "https://x.com/contested"}]))
    make_org(name="Got There First", accounts=[{"value": "https://x.com/Contested"}])
    with pytest.raises(services.AccountTaken, match="Got There First"):
        services.submission_approve(submission_id=sub.pk, moderator=cast["staff"])
    sub.refresh_from_db()
    assert sub.status == Submission.Status.PENDING
    assert Organization.objects.count() == 1


def test_rate_limit_per_user_and_per_address(cast, settings):
    settings.HCSM_SUBMISSION_LIMITS = {"user": [(2, 3600)], "address": [(3, 3600)]}
    submit(cast["basic"], ip_address="10.0.0.9")
    submit(cast["basic"], ip_address="10.0.0.9")
    with pytest.raises(services.SubmissionRateLimited, match="Your account has sent 2"):
        submit(cast["basic"], ip_address="10.0.0.9")
    submit(cast["member"], ip_address="10.0.0.9")
    with pytest.raises(services.SubmissionRateLimited, match="network address"):
        submit(cast["org_admin"], ip_address="10.0.0.9")
    assert Submission.objects.count() == 3


def test_notification_is_sent_once(cast, mailoutbox):
    sub = submit(cast["basic"])
    assert notify_submitter.call(submission_id=sub.pk) is False  # pending: nothing to say
    services.submission_reject(submission_id=sub.pk, moderator=cast["staff"], reason="no")
    assert notify_submitter.call(submission_id=sub.pk) is True
    assert notify_submitter.call(submission_id=sub.pk) is False
    assert len(mailoutbox) == 1


def test_unknown_submission_is_not_found(cast):
    with pytest.raises(ObjectDoesNotExist):
        services.submission_approve(submission_id=999999, moderator=cast["staff"])
