"""/list/add/, /list/<slug>/suggest/ and /list/my-submissions/."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import CAST
from hcsm.directory import services
from hcsm.directory.models import Organization, Submission
from hcsm.directory.tests.factories import make_org, org_data

ADD = "/list/add/"
MINE = "/list/my-submissions/"
SUBMITTERS = [r for r in CAST if r != "anonymous"]

PASTED = "\n".join(
    [
        "https://twitter.com/MayoClinic?s=20",
        "https://www.facebook.com/MayoClinic/",
        "instagram: @mayoclinic",
    ]
)


def valid(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Mayo Clinic",
        "other_names": "Mayo\nMayo Clinic Health System",
        "kind": "health_system",
        "countries": "US",
        "regions": "US-MN, US-AZ",
        "city": "Rochester",
        "website": "https://www.mayoclinic.org/",
        "accounts": PASTED,
        "wikidata": "Q1127387",
        "ccn": "240010",
        "relationship": "works_there",
        "comment": "Official accounts, see the website footer.",
    }
    data.update(overrides)
    return data


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def field_errors(response, field: str) -> str:  # type: ignore[no-untyped-def]
    match = re.search(
        rf'<small class="errorlist" id="id_{field}_errors"[^>]*>(.*?)</small>',
        response.content.decode(),
        re.S,
    )
    return html.unescape(match.group(1)) if match else ""


def assert_kept(response, data: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Everything that was typed is in the re-shown form, escaped."""
    body = response.content.decode()
    for name, value in data.items():
        if name in ("relationship", "kind", "not_duplicate") or not value:
            continue
        escaped = html.escape(value, quote=True)
        if name in ("other_names", "accounts", "comment"):
            assert f">\n{escaped}</textarea>" in body, name
        else:
            assert f'name="{name}" value="{escaped}"' in body, name
    if data.get("kind") in Organization.Kind.values:
        assert f'<option value="{html.escape(data["kind"])}" selected>' in body
    if data.get("relationship") in Submission.Relationship.values:
        assert re.search(rf'value="{data["relationship"]}"[^>]*checked', body)


# Who may submit -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ADD, MINE, "/list/{slug}/suggest/"])
def test_anonymous_is_sent_to_sign_in(client, db, url):
    org = make_org()
    url = url.format(slug=org.slug)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    response = client.post(url, valid())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("role", SUBMITTERS)
def test_signed_in_people_see_the_form(client_for, role):
    response = client_for(role).get(ADD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Add your organization</h1>" in body
    for name in ("name", "kind", "countries", "regions", "website", "accounts", "relationship"):
        assert f'name="{name}"' in body


@pytest.mark.parametrize("role", SUBMITTERS)
def test_a_valid_submission_is_pending_and_does_not_change_the_list(client_for, cast, role):
    make_org(name="Cleveland Clinic", countries=["US"], website="https://my.clevelandclinic.org/")
    orgs_before = list(Organization.objects.values_list("pk", "name", "updated_at"))
    client = client_for(role)
    response = client.post(ADD, valid())
    assert response.status_code == 302
    assert response["Location"] == MINE

    (sub,) = Submission.objects.all()
    assert sub.status == Submission.Status.PENDING
    assert sub.kind == Submission.Kind.NEW
    assert sub.submitter == cast[role]
    assert sub.organization is None
    assert sub.relationship == "works_there"
    assert sub.comment == "Official accounts, see the website footer."
    assert sub.ip_address == "127.0.0.1"
    proposed = sub.proposed
    assert proposed["name"] == "Mayo Clinic"
    assert proposed["other_names"] == ["Mayo", "Mayo Clinic Health System"]
    assert proposed["countries"] == ["US"]
    assert proposed["regions"] == ["US-MN", "US-AZ"]
    assert proposed["website"] == "https://www.mayoclinic.org/"
    assert [(a["platform"], a["handle"], a["url"]) for a in proposed["accounts"]] == [
        ("x", "MayoClinic", "https://x.com/MayoClinic"),
        ("facebook", "MayoClinic", "https://www.facebook.com/MayoClinic"),
        ("instagram", "mayoclinic", "https://www.instagram.com/mayoclinic/"),
    ]
    # The public list did not change.
    assert list(Organization.objects.values_list("pk", "name", "updated_at")) == orgs_before
    assert not Organization.objects.filter(name="Mayo Clinic").exists()

    page = client.get(MINE)
    body = text(page)
    assert "Thank you. Your submission is waiting for a moderator" in body
    assert "Mayo Clinic" in body
    assert "Pending" in body


def test_accounts_with_labels_and_blank_lines(client_for):
    client = client_for("basic")
    accounts = (
        "\n  https://x.com/MayoClinic  \n\n"
        "https://x.com/MayoCancerCare | Cancer Center\n"
        "youtube: @mayoclinic\n"
        "https://x.com/mayoclinic/\n"  # the same account again, other case
    )
    response = client.post(ADD, valid(accounts=accounts))
    assert response.status_code == 302
    (sub,) = Submission.objects.all()
    assert [(a["platform"], a["handle"], a["label"]) for a in sub.proposed["accounts"]] == [
        ("x", "MayoClinic", ""),
        ("x", "MayoCancerCare", "Cancer Center"),
        ("youtube", "@mayoclinic", ""),
    ]


# Duplicate warning --------------------------------------------------------------------------


@pytest.fixture
def listed(db):  # type: ignore[no-untyped-def]
    return make_org(
        name="Mayo Clinic",
        countries=["US"],
        website="https://www.mayoclinic.org/",
        accounts=[{"value": "https://x.com/MayoClinic"}],
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        (
            {
                "name": "The Mayo Clinic",
                "website": "https://example.org/",
                "accounts": "https://x.com/SomeoneElse",
            },
            "similar name in the same country",
        ),
        (
            {
                "name": "Rochester Methodist",
                "website": "https://newsroom.mayoclinic.org/about",
                "accounts": "https://x.com/SomeoneElse",
            },
            "same website domain (mayoclinic.org)",
        ),
        (
            {
                "name": "Rochester Methodist",
                "website": "https://example.org/",
                "accounts": "https://twitter.com/mayoclinic?s=20",
            },
            "already lists X (Twitter) MayoClinic",
        ),
    ],
)
def test_duplicate_warning_blocks_the_first_post(client_for, listed, overrides, reason):
    client = client_for("member")
    data = valid(other_names="", regions="", wikidata="", ccn="", **overrides)
    response = client.post(ADD, data)
    assert response.status_code == 200
    body = text(response)
    assert "This looks like an organization already on the list" in body
    assert "Is it one of these?" in body
    assert f'<a href="/list/{listed.slug}/" target="_blank">Mayo Clinic</a>' in body
    assert reason in body
    assert f'href="/list/{listed.slug}/suggest/"' in body
    assert 'name="not_duplicate"' in body
    assert Submission.objects.count() == 0
    assert_kept(response, data)

    response = client.post(ADD, {**data, "not_duplicate": "on"})
    assert response.status_code == 302
    assert Submission.objects.count() == 1
    assert Organization.objects.count() == 1


def test_a_similar_name_in_another_country_is_not_a_duplicate(client_for, listed):
    data = valid(
        name="Mayo Clinic", countries="GB", regions="", website="", wikidata="", ccn="", accounts=""
    )
    response = client_for("basic").post(ADD, data)
    assert response.status_code == 302
    assert Submission.objects.count() == 1


def test_a_hidden_organization_is_not_offered_as_a_duplicate(client_for, listed):
    Organization.objects.filter(pk=listed.pk).update(status="hidden")
    data = valid(name="Mayo Clinic", accounts="", wikidata="", ccn="")
    response = client_for("basic").post(ADD, data)
    assert response.status_code == 302
    assert Submission.objects.count() == 1


def test_a_hidden_organization_is_not_shown_for_a_listed_account(client_for, listed):
    Organization.objects.filter(pk=listed.pk).update(status="hidden")
    data = valid(name="Rochester Methodist", website="", accounts="https://x.com/MayoClinic")
    response = client_for("basic").post(ADD, valid(**data))
    body = text(response)
    assert f'href="/list/{listed.slug}/' not in body
    assert "Mayo Clinic" not in body.replace("https://x.com/MayoClinic", "")


# Garbage in every field ---------------------------------------------------------------------

HUGE = "x" * 10_000


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "   ", "This field is required."),
        ("name", HUGE, "Ensure this value has at most 200 characters (it has 10000)."),
        ("name", "<script>alert(1)</script>", "Name cannot contain < or >."),
        ("name", '=HYPERLINK("http://x","click")', "Name cannot start with =, +, - or @."),
        ("name", "+1 Hospital", "Name cannot start with =, +, - or @."),
        ("name", "@MayoClinic", "Name cannot start with =, +, - or @."),
        ("name", "Mayo\u202eClinic", "Name contains an invisible or control character"),
        ("other_names", '=HYPERLINK("http://x")', "Other name cannot start with =, +, - or @."),
        ("other_names", "<img src=x onerror=alert(1)>", "Other name cannot contain < or >."),
        ("kind", "spaceship", "Select a valid choice. spaceship is not one of the available"),
        ("kind", "", "This field is required."),
        ("countries", "", "This field is required."),
        ("countries", "XX", "“XX” is not an ISO 3166-1 country code (e.g. US, GB, IN)."),
        ("countries", "U\u0405", "“U\u0405” is not an ISO 3166-1 country code"),
        ("countries", HUGE, "Ensure this value has at most 600 characters"),
        ("regions", "US-XX", "“US-XX” is not an ISO 3166-2 region code (e.g. US-MN)."),
        ("regions", "Minnesota", "“Minnesota” is not an ISO 3166-2 region code"),
        ("city", "<b>Rochester</b>", "City cannot contain < or >."),
        ("city", "-Rochester", "City cannot start with =, +, - or @."),
        ("website", "javascript:alert(1)", "The website must be a web address starting with"),
        ("website", "data:text/html,<script>alert(1)</script>", "The website must be a web"),
        ("website", "https://www.m\u0430yoclinic.org/", "mixes alphabets (a look-alike address?)"),
        ("website", "https://user:pw@www.mayoclinic.org/", "Remove the user name or password"),
        ("website", "https://not a website", "That is not a valid website address"),
        (
            "website",
            "https://" + HUGE,
            "Ensure this value has at most 500 characters (it has 10008).",
        ),
        ("accounts", "javascript:alert(1)", "Account 1 (javascript:alert(1)): Only web links"),
        (
            "accounts",
            "https://www.facebook.com/MayoClinic/posts/pfbid02abc123",
            "That is a link to a Facebook post, not a page.",
        ),
        ("accounts", "https://faceb\u043eok.com/MayoClinic", "look-alike characters"),
        ("accounts", "https://bit.ly/3xyz", "Account 1 (https://bit.ly/3xyz)"),
        ("accounts", "MayoClinic", "We can't tell which platform 'MayoClinic' is on"),
        ("accounts", '=HYPERLINK("http://x")', 'Account 1 (=HYPERLINK("http://x"))'),
        ("accounts", HUGE, "Account 1 ("),
        ("accounts", "https://x.com/MayoClinic | =cmd", "Account 1 label cannot start with ="),
        ("wikidata", "P31", "A Wikidata id looks like Q1234 (or leave it empty)."),
        ("wikidata", "Q0", "A Wikidata id looks like Q1234"),
        ("wikidata", "<script>", "A Wikidata id looks like Q1234"),
        ("wikidata", HUGE, "Ensure this value has at most 20 characters"),
        ("ccn", "12", "A CMS Certification Number has 6 characters, e.g. 240010."),
        ("relationship", "", "This field is required."),
        ("relationship", "owner", "Select a valid choice. owner is not one of the available"),
        ("comment", HUGE, "Ensure this value has at most 2000 characters (it has 10000)."),
    ],
)
def test_garbage_in_a_field_gives_its_message_and_keeps_what_was_typed(
    client_for, db, field, value, message
):
    client = client_for("basic")
    data = valid(**{field: value})
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert Submission.objects.count() == 0
    assert Organization.objects.count() == 0
    assert_kept(response, data)
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    assert "<img src=x" not in body
    assert "<b>Rochester" not in body


def test_an_empty_form_names_every_required_field(client_for, db):
    response = client_for("basic").post(ADD, {})
    assert response.status_code == 200
    for field in ("name", "kind", "countries", "relationship"):
        assert "This field is required." in field_errors(response, field)
    assert Submission.objects.count() == 0


def test_several_bad_accounts_are_each_named(client_for, db):
    accounts = "https://x.com/MayoClinic\njavascript:alert(1)\nhttps://www.facebook.com/MayoClinic/posts/123"
    response = client_for("basic").post(ADD, valid(accounts=accounts))
    assert response.status_code == 200
    errors = field_errors(response, "accounts")
    assert "Account 2 (javascript:alert(1))" in errors
    assert "Account 3 (https://www.facebook.com/MayoClinic/posts/123)" in errors
    assert "Account 1" not in errors
    assert Submission.objects.count() == 0


def test_wrong_method_is_refused(client_for, db):
    response = client_for("basic").put(ADD, "name=x")
    assert response.status_code == 405
    assert Submission.objects.count() == 0


# Rate limit ---------------------------------------------------------------------------------


def test_rate_limit_per_hour(client_for, cast, settings):
    limit = settings.HCSM_SUBMISSION_LIMITS["user"][0][0]
    client = client_for("member")
    for n in range(limit):
        assert client.post(ADD, valid(name=f"Hospital number {n}")).status_code == 302
    assert Submission.objects.count() == limit

    data = valid(name="One too many")
    response = client.post(ADD, data)
    assert response.status_code == 200
    body = text(response)
    assert f"Your account has sent {limit} submissions in the last hour, the most we accept." in (
        body
    )
    assert "Please try again in about 60 minutes" in body
    assert Submission.objects.count() == limit
    assert not Submission.objects.filter(proposed__name="One too many").exists()
    assert_kept(response, data)

    # Someone else is not limited by it.
    assert client_for("basic").post(ADD, valid(name="Other person")).status_code == 302
    # An hour later the member may send again.
    Submission.objects.filter(submitter=cast["member"]).update(
        created_at=timezone.now() - dt.timedelta(hours=1, minutes=1)
    )
    assert client.post(ADD, data).status_code == 302
    assert Submission.objects.filter(proposed__name="One too many").count() == 1


# Suggesting a change ------------------------------------------------------------------------


@pytest.fixture
def mayo(db):  # type: ignore[no-untyped-def]
    return make_org(
        name="Mayo Clinic",
        other_names=["Mayo"],
        kind="health_system",
        countries=["US"],
        regions=["US-MN"],
        city="Rochester",
        website="https://www.mayoclinic.org/",
        wikidata="Q1127387",
        accounts=[
            {"value": "https://x.com/MayoClinic"},
            {"value": "https://www.facebook.com/MayoClinic/"},
            {"value": "https://www.linkedin.com/company/mayo-clinic", "label": "Careers"},
        ],
    )


def _initial(client, slug: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    form = client.get(f"/list/{slug}/suggest/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["relationship"] = "public"
    data.pop("not_duplicate")
    return data


@pytest.mark.parametrize("role", SUBMITTERS)
def test_suggest_a_change_shows_the_current_listing(client_for, mayo, role):
    response = client_for(role).get(f"/list/{mayo.slug}/suggest/")
    assert response.status_code == 200
    body = text(response)
    assert "Suggest a change to Mayo Clinic" in body
    assert 'name="name" value="Mayo Clinic"' in body
    assert 'name="city" value="Rochester"' in body
    assert "https://x.com/MayoClinic" in body
    assert "https://www.linkedin.com/company/mayo-clinic/ | Careers" in body


def test_suggest_a_change_creates_a_pending_change(client_for, cast, mayo):
    client = client_for("basic")
    data = _initial(client, mayo.slug)
    data["city"] = "Phoenix"
    data["accounts"] += "\ninstagram: @mayoclinic"
    response = client.post(f"/list/{mayo.slug}/suggest/", data)
    assert response.status_code == 302
    (sub,) = Submission.objects.all()
    assert (sub.kind, sub.status, sub.organization, sub.submitter) == (
        "change",
        "pending",
        mayo,
        cast["basic"],
    )
    assert sub.proposed["city"] == "Phoenix"
    assert ("instagram", "mayoclinic") in [
        (a["platform"], a["handle"]) for a in sub.proposed["accounts"]
    ]
    mayo.refresh_from_db()
    assert mayo.city == "Rochester"
    assert mayo.accounts.count() == 3


def test_suggest_a_change_to_a_listing_with_a_website_account(client_for, db):
    org = make_org(
        name="News Network Place",
        accounts=[
            {"value": "https://x.com/NewsNetPlace"},
            {"platform": "blog", "value": "https://newsnetwork.mayoclinic.org/"},
        ],
    )
    client = client_for("basic")
    data = _initial(client, org.slug)
    data["city"] = "Rochester"
    response = client.post(f"/list/{org.slug}/suggest/", data)
    assert field_errors(response, "accounts") == ""
    assert response.status_code == 302
    (sub,) = Submission.objects.all()
    assert sorted(a["platform"] for a in sub.proposed["accounts"]) == ["blog", "x"]


def test_suggesting_no_change_is_refused(client_for, mayo):
    client = client_for("basic")
    data = _initial(client, mayo.slug)
    response = client.post(f"/list/{mayo.slug}/suggest/", data)
    assert response.status_code == 200
    assert "Your suggestion is the same as the current listing; change a field first." in text(
        response
    )
    assert Submission.objects.count() == 0


def test_suggest_garbage_keeps_what_was_typed(client_for, mayo):
    client = client_for("basic")
    data = _initial(client, mayo.slug)
    data["website"] = "javascript:alert(1)"
    response = client.post(f"/list/{mayo.slug}/suggest/", data)
    assert response.status_code == 200
    assert "The website must be a web address" in field_errors(response, "website")
    assert_kept(response, data)
    assert Submission.objects.count() == 0


def test_suggest_for_an_unknown_or_hidden_organization_is_404(client_for, mayo):
    client = client_for("basic")
    assert client.get("/list/no-such-org/suggest/").status_code == 404
    Organization.objects.filter(pk=mayo.pk).update(status="hidden")
    assert client.get(f"/list/{mayo.slug}/suggest/").status_code == 404
    assert client.post(f"/list/{mayo.slug}/suggest/", valid(city="X")).status_code == 404
    assert Submission.objects.count() == 0


# My submissions -----------------------------------------------------------------------------


def test_my_submissions_shows_only_mine_with_state_and_reason(client_for, cast):
    def submit(user, name: str) -> Submission:  # type: ignore[no-untyped-def]
        return services.submission_create(
            submitter=user, data=org_data(name=name), relationship="public"
        )

    pending = submit(cast["member"], "Pending Hospital")
    approved = submit(cast["member"], "Approved Hospital")
    rejected = submit(cast["member"], "Rejected Hospital")
    submit(cast["basic"], "Somebody Else's Hospital")
    org = services.submission_approve(submission_id=approved.pk, moderator=cast["staff"])
    services.submission_reject(
        submission_id=rejected.pk,
        moderator=cast["staff"],
        reason="Not a health care organization.",
    )

    response = client_for("member").get(MINE)
    assert response.status_code == 200
    assert {s.pk for s in response.context["submissions"]} == {
        pending.pk,
        approved.pk,
        rejected.pk,
    }
    body = text(response)
    assert "Somebody Else" not in body
    rows = re.findall(r"<tr><td>.*?</tr>", body, re.S)
    assert len(rows) == 3
    by_name = {
        n: r for r in rows for n in ("Pending", "Approved", "Rejected") if f"{n} Hospital" in r
    }
    assert 'class="badge pending">Pending<' in by_name["Pending"]
    assert 'class="badge approved">Approved<' in by_name["Approved"]
    assert f'<a href="/list/{org.slug}/">Approved Hospital</a>' in by_name["Approved"]
    assert 'class="badge rejected">Rejected<' in by_name["Rejected"]
    assert "Reason: Not a health care organization." in by_name["Rejected"]

    other = client_for("basic").get(MINE)
    assert [s.proposed["name"] for s in other.context["submissions"]] == [
        "Somebody Else's Hospital"
    ]


@pytest.mark.parametrize("role", SUBMITTERS)
def test_my_submissions_is_empty_for_a_new_account(client_for, role):
    response = client_for(role).get(MINE)
    assert response.status_code == 200
    assert "You have not sent anything yet." in text(response)


def test_my_submissions_queries_do_not_grow(client_for, cast, settings):
    settings.HCSM_SUBMISSION_LIMITS = {"user": [(100, 3600)], "address": [(100, 3600)]}
    client = client_for("member")

    def submit(n: int) -> None:
        for _ in range(n):
            sub = services.submission_create(
                submitter=cast["member"], data=org_data(), relationship="public"
            )
            services.submission_approve(submission_id=sub.pk, moderator=cast["staff"])

    submit(2)
    with CaptureQueriesContext(connection) as few:
        client.get(MINE)
    submit(15)
    with CaptureQueriesContext(connection) as many:
        response = client.get(MINE)
    assert len(response.context["submissions"]) == 17
    assert len(many.captured_queries) == len(few.captured_queries)
