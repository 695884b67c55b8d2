"""/moderation/ and /moderation/<id>/: the queue, the diff, approve, reject, merge."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from conftest import CAST
from hcsm.directory import services
from hcsm.directory.forms import OrganizationForm
from hcsm.directory.models import Organization, OrganizationChange, SocialAccount, Submission
from hcsm.directory.tests.factories import make_org, org_data
from hcsm.directory.validation import OrganizationData

QUEUE = "/moderation/"


def detail(sub: Submission) -> str:
    return f"/moderation/{sub.pk}/"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def new_submission(user, **overrides) -> Submission:  # type: ignore[no-untyped-def]
    return services.submission_create(
        submitter=user, data=org_data(**overrides), relationship="works_there"
    )


def approve_post(sub: Submission, **edits: str) -> dict[str, str]:
    """What the approve form posts when the moderator changes nothing but ``edits``."""
    data = OrganizationForm.initial_from(OrganizationData.from_dict(sub.proposed))
    data.update(edits)
    return {"action": "approve", **data}


def snapshot() -> tuple[list[tuple], list[tuple], list[tuple], list[tuple]]:
    return (
        list(Submission.objects.order_by("pk").values_list("pk", "status", "decision_note")),
        list(Organization.objects.order_by("pk").values_list("pk", "name", "city", "updated_at")),
        list(SocialAccount.objects.order_by("pk").values_list("pk", "organization", "key")),
        list(OrganizationChange.objects.order_by("pk").values_list("pk")),
    )


@pytest.fixture
def mayo(db):  # type: ignore[no-untyped-def]
    return make_org(
        name="Mayo Clinic",
        kind="health_system",
        countries=["US"],
        regions=["US-MN"],
        city="Rochester",
        website="https://www.mayoclinic.org/",
        accounts=[{"value": "https://x.com/MayoClinic"}],
    )


@pytest.fixture
def pending(cast):  # type: ignore[no-untyped-def]
    return new_submission(
        cast["member"],
        name="Cleveland Clinic",
        kind="hospital",
        countries=["US"],
        regions=["US-OH"],
        city="Cleveland",
        website="https://my.clevelandclinic.org/",
        accounts=[
            {"value": "https://x.com/ClevelandClinic"},
            {"value": "https://www.facebook.com/ClevelandClinic"},
        ],
    )


@pytest.fixture
def change(cast, mayo):  # type: ignore[no-untyped-def]
    return services.submission_create(
        submitter=cast["basic"],
        organization=mayo,
        relationship="public",
        data=org_data(
            name="Mayo Clinic",
            kind="health_system",
            countries=["US"],
            regions=["US-MN", "US-AZ"],
            city="Phoenix",
            website="https://www.mayoclinic.org/",
            accounts=[
                {"value": "https://x.com/MayoClinic"},
                {"platform": "instagram", "value": "@mayoclinic"},
            ],
        ),
    )


# Who may moderate ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", CAST)
def test_only_staff_may_moderate(client_for, pending, role):
    client = client_for(role)
    before = snapshot()
    for url in (QUEUE, detail(pending)):
        response = client.get(url)
        if role == "staff":
            assert response.status_code == 200
        elif role == "anonymous":
            assert response.status_code == 302
            assert response["Location"] == f"/accounts/login/?next={url}"
        else:
            assert response.status_code == 403
            assert "does not have access to this page (moderate)" in text(response)
    if role == "staff":
        return
    for action in ("approve", "reject", "merge"):
        post = {**approve_post(pending), "action": action, "reason": "No.", "organization": "1"}
        response = client.post(detail(pending), post)
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert snapshot() == before


# The queue ----------------------------------------------------------------------------------


def test_queue_lists_pending_submissions_oldest_first_with_their_age(
    client_for, cast, pending, change
):
    decided = new_submission(cast["basic"], name="Already Rejected Hospital")
    services.submission_reject(submission_id=decided.pk, moderator=cast["staff"], reason="No.")
    Submission.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3, hours=2)
    )
    Submission.objects.filter(pk=change.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=5)
    )
    response = client_for("staff").get(QUEUE)
    assert response.status_code == 200
    assert [s.pk for s in response.context["submissions"]] == [pending.pk, change.pk]
    body = text(response)
    assert "2 pending submissions, oldest first." in body
    assert "Already Rejected Hospital" not in body
    rows = re.findall(r"<tr><td>.*?</tr>", body, re.S)
    assert len(rows) == 2
    assert "3\xa0days, 2\xa0hours" in rows[0] or "3 days, 2 hours" in rows[0]
    assert "Cleveland Clinic" in rows[0]
    assert "New organization" in rows[0]
    assert "member@example.org" in rows[0]
    assert f'href="/moderation/{pending.pk}/"' in rows[0]
    assert "5\xa0hours" in rows[1] or "5 hours" in rows[1]
    assert "Suggested change" in rows[1]
    assert "(listing: Mayo Clinic)" in rows[1]


def test_empty_queue(client_for, db):
    assert "Nothing is waiting." in text(client_for("staff").get(QUEUE))


def test_unknown_submission_is_404(client_for, db):
    assert client_for("staff").get("/moderation/999999/").status_code == 404


def test_queue_queries_do_not_grow_with_the_queue(
    client_for, cast, settings, django_assert_max_num_queries
):
    settings.HCSM_SUBMISSION_LIMITS = {"user": [(100, 3600)], "address": [(100, 3600)]}
    client = client_for("staff")
    org = make_org()
    for _ in range(2):
        new_submission(cast["basic"])
    with django_assert_max_num_queries(10) as ctx:
        client.get(QUEUE)
    few = len(ctx.captured_queries)
    for n in range(15):
        new_submission(cast["member"] if n % 2 else cast["org_admin"])
    services.submission_create(
        submitter=cast["basic"],
        organization=org,
        relationship="public",
        data=org_data(name=org.name, website=org.website, city="Elsewhere"),
    )
    with django_assert_max_num_queries(few):
        response = client.get(QUEUE)
    assert len(response.context["submissions"]) == 18


# The detail and its diff --------------------------------------------------------------------


def test_detail_of_a_change_shows_a_field_by_field_diff(client_for, change):
    response = client_for("staff").get(detail(change))
    assert response.status_code == 200
    body = text(response)
    assert "Suggested change: Mayo Clinic" in body
    assert "Changes against the current listing" in body
    assert "basic@example.org (I am a member of the public)" in body
    diff = response.context["diff"]
    assert set(diff) == {"city", "regions", "accounts"}
    assert (
        '<th scope="row">City</th><td class="old">Rochester</td><td class="new">Phoenix</td>'
        in body
    )
    assert (
        '<th scope="row">Regions</th><td class="old">US-MN</td><td class="new">US-MN, US-AZ</td>'
        in body
    )
    assert diff["accounts"]["added"] == ["Instagram: mayoclinic"]
    assert diff["accounts"]["removed"] == []
    assert "Added: Instagram: mayoclinic</td>" in body
    # Unchanged fields are not in the diff.
    assert '<th scope="row">Website</th>' not in body


def test_detail_of_a_new_submission_shows_the_whole_proposal(client_for, pending):
    response = client_for("staff").get(detail(pending))
    body = text(response)
    assert "New organization: Cleveland Clinic" in body
    assert "Proposed listing" in body
    assert (
        '<th scope="row">Name</th><td class="old">—</td><td class="new">Cleveland Clinic</td>'
        in (body)
    )
    assert "Facebook: ClevelandClinic, X (Twitter): ClevelandClinic" in body
    # The approve form is filled in with the proposal, ready to edit.
    assert 'name="name" value="Cleveland Clinic"' in body
    assert "https://x.com/ClevelandClinic" in body


def test_detail_escapes_what_the_submitter_wrote(client_for, cast):
    sub = services.submission_create(
        submitter=cast["basic"],
        data=org_data(name="Escaped Hospital"),
        relationship="public",
        comment='<script>alert(1)</script> =HYPERLINK("http://x")',
    )
    body = client_for("staff").get(detail(sub)).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_detail_shows_possible_duplicates(client_for, cast, mayo):
    sub = new_submission(
        cast["basic"], name="The Mayo Clinic", countries=["US"], website="https://mayoclinic.org/"
    )
    body = text(client_for("staff").get(detail(sub)))
    assert "Possible duplicates" in body
    assert f'<a href="/list/{mayo.slug}/" target="_blank">Mayo Clinic</a>' in body
    assert "same website domain (mayoclinic.org)" in body
    assert f'name="organization" value="{mayo.pk}"' in body


# Approve ------------------------------------------------------------------------------------


def test_approve_new_after_editing_a_field(
    client_for, cast, pending, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for("staff")
    data = approve_post(pending, name="Cleveland Clinic Foundation", note="Checked the website.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail(pending), data)
    assert response.status_code == 302
    assert response["Location"] == QUEUE

    org = Organization.objects.get()
    assert org.name == "Cleveland Clinic Foundation"
    assert org.city == "Cleveland"
    assert sorted(org.accounts.values_list("platform", "handle")) == [
        ("facebook", "ClevelandClinic"),
        ("x", "ClevelandClinic"),
    ]
    assert [c.code for c in org.countries.all()] == ["US"]
    assert [r.code for r in org.regions.all()] == ["US-OH"]

    pending.refresh_from_db()
    assert pending.status == Submission.Status.APPROVED
    assert pending.decided_by == cast["staff"]
    assert pending.decided_at is not None
    assert pending.decision_note == "Checked the website."
    assert pending.organization == org

    (change,) = OrganizationChange.objects.all()
    assert change.organization == org
    assert change.action == OrganizationChange.Action.CREATED
    assert change.actor == cast["staff"]
    assert change.submission == pending
    assert change.changes["name"]["new"] == "Cleveland Clinic Foundation"

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["member@example.org"]
    assert "approved" in mail.subject
    assert "Cleveland Clinic" in mail.subject
    assert f"http://testserver/list/{org.slug}/" in mail.body
    assert "Note from the moderator: Checked the website." in mail.body

    page = text(client.get(QUEUE))
    assert "Approved: Cleveland Clinic Foundation is on the list." in page
    assert "Nothing is waiting." in page


def test_approve_a_change_updates_the_listing(
    client_for, cast, change, mayo, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(detail(change), approve_post(change))
    assert response.status_code == 302
    mayo.refresh_from_db()
    assert mayo.city == "Phoenix"
    assert [r.code for r in mayo.regions.all()] == ["US-MN", "US-AZ"]
    assert sorted(mayo.accounts.values_list("platform", "key")) == [
        ("instagram", "mayoclinic"),
        ("x", "mayoclinic"),
    ]
    assert Organization.objects.count() == 1
    latest = mayo.changes.order_by("-id").first()
    assert latest.action == OrganizationChange.Action.UPDATED
    assert latest.actor == cast["staff"]
    assert latest.submission == change
    assert latest.changes["city"] == {"old": "Rochester", "new": "Phoenix"}
    change.refresh_from_db()
    assert change.status == "approved"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["basic@example.org"]
    # The organization's public page shows the change and where it came from.
    body = text(client_for("anonymous").get(f"/list/{mayo.slug}/"))
    assert "Updated (from a submission)" in body
    assert "City: Rochester → Phoenix" in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "<script>alert(1)</script>", "Name cannot contain < or >."),
        ("name", '=HYPERLINK("http://x")', "Name cannot start with =, +, - or @."),
        ("website", "javascript:alert(1)", "The website must be a web address"),
        ("accounts", "javascript:alert(1)", "Only web links starting with https://"),
        ("countries", "XX", "“XX” is not an ISO 3166-1 country code"),
    ],
)
def test_approve_with_a_bad_edit_changes_nothing(
    client_for, pending, mailoutbox, django_capture_on_commit_callbacks, field, value, message
):
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            detail(pending), approve_post(pending, **{field: value})
        )
    assert response.status_code == 200
    assert message in text(response)
    assert "<script>alert(1)" not in response.content.decode()
    assert snapshot() == before
    assert mailoutbox == []


def test_approve_when_an_account_was_listed_meanwhile(
    client_for, cast, pending, mailoutbox, django_capture_on_commit_callbacks
):
    other = make_org(name="Someone Else", accounts=[{"value": "https://x.com/clevelandclinic"}])
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(detail(pending), approve_post(pending))
    assert response.status_code == 200
    body = text(response)
    assert "X (Twitter): clevelandclinic is already listed for Someone Else." in body
    assert snapshot() == before
    assert mailoutbox == []
    assert other.accounts.count() == 1


# Reject -------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_reject_needs_a_reason(
    client_for, pending, mailoutbox, django_capture_on_commit_callbacks, reason
):
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(detail(pending), {"action": "reject", "reason": reason})
    assert response.status_code == 200
    errors = re.search(r'id="id_reason_errors"[^>]*>(.*?)</small>', text(response), re.S)
    assert errors is not None
    assert "This field is required." in errors.group(1) or "at most 2000" in errors.group(1)
    assert snapshot() == before
    assert mailoutbox == []


def test_reject_with_a_reason_emails_it(
    client_for, cast, pending, mailoutbox, django_capture_on_commit_callbacks
):
    reason = "We list organizations, not campaigns. See https://example.org/rules <ok>."
    client = client_for("staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail(pending), {"action": "reject", "reason": reason})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Submission.Status.REJECTED
    assert pending.decision_note == reason
    assert pending.decided_by == cast["staff"]
    assert Organization.objects.count() == 0
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["member@example.org"]
    assert "rejected" in mail.subject
    assert reason in mail.body
    assert "http://testserver/list/add/" in mail.body
    assert "Rejected; the submitter will be told why." in text(client.get(QUEUE))


def test_unknown_action_changes_nothing(client_for, pending):
    before = snapshot()
    response = client_for("staff").post(detail(pending), {"action": "delete"})
    assert response.status_code == 200
    assert "Choose approve, reject or merge." in text(response)
    assert snapshot() == before


# Merge --------------------------------------------------------------------------------------


def test_merge_adds_the_proposed_accounts_to_an_existing_listing(
    client_for, cast, mayo, mailoutbox, django_capture_on_commit_callbacks
):
    sub = new_submission(
        cast["org_admin"],
        name="Mayo Clinic Health System",
        countries=["US"],
        regions=["US-WI"],
        website="https://www.mayoclinichealthsystem.org/",
        accounts=[
            {"value": "https://x.com/MayoClinic"},  # already there
            {"platform": "instagram", "value": "@mayoclinic"},
            {"value": "https://www.youtube.com/@mayoclinic"},
        ],
    )
    client = client_for("staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail(sub), {"action": "merge", "organization": str(mayo.pk), "note": "Same."}
        )
    assert response.status_code == 302
    assert Organization.objects.count() == 1
    mayo.refresh_from_db()
    assert mayo.name == "Mayo Clinic"
    assert mayo.website == "https://www.mayoclinic.org/"
    assert "Mayo Clinic Health System" in mayo.other_names
    assert [r.code for r in mayo.regions.all()] == ["US-MN", "US-WI"]
    assert sorted(mayo.accounts.values_list("platform", "key")) == [
        ("instagram", "mayoclinic"),
        ("x", "mayoclinic"),
        ("youtube", "@mayoclinic"),
    ]
    assert mayo.account_count == 3
    latest = mayo.changes.order_by("-id").first()
    assert latest.action == OrganizationChange.Action.MERGED
    assert latest.actor == cast["staff"]
    assert latest.submission == sub
    sub.refresh_from_db()
    assert (sub.status, sub.organization, sub.decision_note) == ("approved", mayo, "Same.")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["leader@example.org"]
    assert f"/list/{mayo.slug}/" in mailoutbox[0].body
    assert "Merged into Mayo Clinic." in text(client.get(QUEUE))


@pytest.mark.parametrize("target", ["", "abc", "999999", "<script>", "-1"])
def test_merge_into_nothing_changes_nothing(client_for, pending, mayo, target):
    before = snapshot()
    response = client_for("staff").post(
        detail(pending), {"action": "merge", "organization": target}
    )
    assert response.status_code == 200
    assert "Give the listed id of an organization on the list to merge into." in text(response)
    assert snapshot() == before


def test_merge_into_a_hidden_listing_is_refused(client_for, pending, mayo):
    Organization.objects.filter(pk=mayo.pk).update(status="hidden")
    before = snapshot()
    response = client_for("staff").post(
        detail(pending), {"action": "merge", "organization": str(mayo.pk)}
    )
    assert response.status_code == 200
    assert "Give the listed id of an organization on the list to merge into." in text(response)
    assert snapshot() == before


# Deciding twice -----------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["approve", "reject", "merge"])
def test_deciding_an_already_decided_submission_says_so(
    client_for, cast, pending, mayo, mailoutbox, django_capture_on_commit_callbacks, action
):
    services.submission_reject(submission_id=pending.pk, moderator=cast["staff"], reason="Spam.")
    before = snapshot()
    post = {**approve_post(pending), "action": action, "reason": "Changed my mind."}
    post["organization"] = str(mayo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(detail(pending), post)
    assert snapshot() == before
    assert mailoutbox == []
    body = text(response)
    assert "This submission was already rejected by staff@example.org." in body


@pytest.mark.parametrize("action", ["approve", "reject", "merge"])
def test_deciding_an_already_decided_submission_changes_nothing(
    client_for, cast, pending, mayo, mailoutbox, django_capture_on_commit_callbacks, action
):
    services.submission_reject(submission_id=pending.pk, moderator=cast["staff"], reason="Spam.")
    before = snapshot()
    post = {**approve_post(pending), "action": action, "reason": "Changed my mind."}
    post["organization"] = str(mayo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(detail(pending), post)
    assert response.status_code in (200, 409)
    assert snapshot() == before
    assert mailoutbox == []
    body = text(response)
    assert "Decided by staff@example.org" in body
    assert "Spam." in body
    assert 'name="action" value="approve"' not in body


def test_the_service_refuses_a_second_decision_with_a_message(cast, pending):
    services.submission_approve(submission_id=pending.pk, moderator=cast["staff"])
    with pytest.raises(services.SubmissionAlreadyDecided) as exc:
        services.submission_reject(submission_id=pending.pk, moderator=cast["staff"], reason="x")
    assert exc.value.message == "This submission was already approved by staff@example.org."
    assert exc.value.status == 409


# A stored proposal that no longer passes the rules -----------------------------------------


def test_a_stale_proposal_is_explained_not_a_500(client_for, pending):
    proposed = {**pending.proposed, "countries": ["XX"]}
    Submission.objects.filter(pk=pending.pk).update(proposed=proposed)
    response = client_for("staff").get(detail(pending))
    assert response.status_code == 200
    assert "This proposal no longer passes the list's rules" in text(response)
    assert "“XX” is not an ISO 3166-1 country code" in text(response)


def test_a_stale_proposal_can_still_be_read_and_edited(client_for, pending):
    proposed = {**pending.proposed, "countries": ["XX"]}
    Submission.objects.filter(pk=pending.pk).update(proposed=proposed)
    body = text(client_for("staff").get(detail(pending)))
    assert "No differences." not in body
    assert 'name="name" value="Cleveland Clinic"' in body
    assert "https://x.com/ClevelandClinic" in body


# Two suggestions made from the same listing -------------------------------------------------


def test_approving_two_suggestions_keeps_both(client_for, cast, mayo):
    def suggest(user, extra: dict[str, str]) -> Submission:  # type: ignore[no-untyped-def]
        return services.submission_create(
            submitter=user,
            organization=mayo,
            relationship="public",
            data=org_data(
                name="Mayo Clinic",
                kind="health_system",
                countries=["US"],
                regions=["US-MN"],
                city="Rochester",
                website="https://www.mayoclinic.org/",
                accounts=[{"value": "https://x.com/MayoClinic"}, extra],
            ),
        )

    adds_instagram = suggest(cast["basic"], {"platform": "instagram", "value": "@mayoclinic"})
    adds_youtube = suggest(cast["member"], {"value": "https://www.youtube.com/@mayoclinic"})
    client = client_for("staff")
    assert client.post(detail(adds_instagram), approve_post(adds_instagram)).status_code == 302
    response = client.post(detail(adds_youtube), approve_post(adds_youtube))
    assert response.status_code == 302
    assert sorted(mayo.accounts.values_list("platform", flat=True)) == [
        "instagram",
        "x",
        "youtube",
    ]


# Proposals the approve form cannot carry ---------------------------------------------------


def test_approving_a_wikidata_id_already_listed_is_a_message(
    client_for, cast, mayo, mailoutbox, django_capture_on_commit_callbacks
):
    Organization.objects.filter(pk=mayo.pk).update(wikidata="Q1127387")
    sub = new_submission(cast["basic"], name="Another Place", countries=["GB"], wikidata="Q1127387")
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(detail(sub), approve_post(sub))
    assert response.status_code == 200
    assert "Q1127387" in text(response)
    assert "Mayo Clinic" in text(response)
    assert snapshot() == before
    assert mailoutbox == []


def test_approving_a_proposal_with_a_website_account_as_it_is(client_for, cast):
    sub = new_submission(
        cast["basic"],
        name="News Network Place",
        accounts=[
            {"value": "https://x.com/NewsNetPlace"},
            {"platform": "blog", "value": "https://newsnetwork.mayoclinic.org/"},
        ],
    )
    response = client_for("staff").post(detail(sub), approve_post(sub))
    assert response.status_code == 302
    org = Organization.objects.get(name="News Network Place")
    assert sorted(org.accounts.values_list("platform", flat=True)) == ["blog", "x"]
