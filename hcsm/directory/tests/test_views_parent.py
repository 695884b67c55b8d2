"""The parent system on the pages, in the submission form, in the API and in the exports."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import CAST
from hcsm.directory import services
from hcsm.directory.forms import OrganizationForm
from hcsm.directory.models import Organization, Submission
from hcsm.directory.tests.factories import make_org
from hcsm.directory.tests.test_views_submissions import field_errors

SUBMITTERS = [r for r in CAST if r != "anonymous"]


@pytest.fixture
def family(db):  # type: ignore[no-untyped-def]
    system = make_org(name="Southeast Health", kind="health_system", regions=["US-AL"])
    return {
        "system": system,
        "dothan": make_org(
            name="Southeast Health Medical Center", city="Dothan", parent=system.slug
        ),
        "enterprise": make_org(name="Medical Center Enterprise", parent=system.slug),
        "alone": make_org(name="Standalone Hospital"),
    }


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


# The organization page ------------------------------------------------------------------------


@pytest.mark.parametrize("role", CAST)
def test_pages_show_part_of_and_the_members_to_everyone(family, client_for, role):
    client = client_for(role)
    member = text(client.get(f"/list/{family['dothan'].slug}/"))
    assert "Part of Southeast Health" in member
    assert (
        f'href="/list/{family["system"].slug}/"'
        in client.get(f"/list/{family['dothan'].slug}/").content.decode()
    )
    system = text(client.get(f"/list/{family['system'].slug}/"))
    assert "Hospitals in this system" in system
    assert system.index("Medical Center Enterprise") < system.index("Southeast Health Medical")
    alone = text(client.get(f"/list/{family['alone'].slug}/"))
    assert "Part of " not in alone.replace("Part of health system", "")
    assert "in this system" not in alone


def test_a_hidden_parent_or_member_is_not_shown(family, client):
    services.organization_set_status(organization=family["enterprise"], status="hidden", actor=None)
    system = text(client.get(f"/list/{family['system'].slug}/"))
    assert "Medical Center Enterprise" not in system and "Southeast Health Medical" in system
    services.organization_set_status(organization=family["system"], status="hidden", actor=None)
    assert "Part of Southeast" not in text(client.get(f"/list/{family['dothan'].slug}/"))


def test_a_system_with_clinics_says_organizations(family, client):
    make_org(name="Southeast Clinic", kind="clinic", parent=family["system"].slug)
    assert "Organizations in this system" in text(client.get(f"/list/{family['system'].slug}/"))


def test_the_history_names_the_parent_change(family, client):
    body = text(client.get(f"/list/{family['dothan'].slug}/"))
    assert f"Part of health system: — → {family['system'].slug}" in body


def test_page_queries_do_not_grow_with_members(family, client):
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    url = f"/list/{family['system'].slug}/"
    before = count(url)
    for n in range(6):
        make_org(name=f"Extra Member {n}", parent=family["system"].slug)
    assert count(url) == before
    assert count(f"/list/{family['dothan'].slug}/") <= before


# The submission form --------------------------------------------------------------------------


def suggest(client, org: Organization, **changes: str):  # type: ignore[no-untyped-def]
    data = OrganizationForm.initial_from(services.organization_state(org))
    data.update(relationship="works_there", **changes)
    return client.post(f"/list/{org.slug}/suggest/", data)


@pytest.mark.parametrize("role", SUBMITTERS)
@pytest.mark.parametrize(
    "typed",
    ["Southeast Health", "  southeast   HEALTH ", "southeast-health",
     "https://hcsm.example.org/list/southeast-health/", "/list/southeast-health/?x=1"],
)  # fmt: skip
def test_the_parent_can_be_named_by_name_slug_or_page_address(family, client_for, role, typed):
    response = suggest(client_for(role), family["alone"], parent=typed)
    assert response.status_code == 302, field_errors(response, "parent")
    sub = Submission.objects.get()
    assert sub.proposed["parent"] == family["system"].slug
    assert Organization.objects.get(pk=family["alone"].pk).parent_id is None  # moderated


def test_anonymous_cannot_suggest_a_parent(family, client):
    response = suggest(client, family["alone"], parent="Southeast Health")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Northwind Health", "No listed organization is called “Northwind Health”"),
        ("southeast", "Did you mean: Southeast Health (/list/southeast-health/)?"),
        ("Southeast Health Medical Center", "only a health system or a public health agency"),
        ("<script>alert(1)</script>", "No listed organization is called"),
        ('=HYPERLINK("http://evil.example")', "No listed organization is called"),
        ("javascript:alert(1)", "No listed organization is called"),
        ("Ѕoutheast Health", "No listed organization is called"),  # Cyrillic Ѕ
        ("x" * 700, "at most 600 characters"),
    ],
)
def test_a_parent_that_cannot_be_is_explained_and_nothing_is_sent(
    family, client_for, typed, message
):
    response = suggest(client_for("basic"), family["alone"], parent=typed)
    assert response.status_code == 200
    assert message in field_errors(response, "parent")
    assert "<script>alert" not in response.content.decode()
    assert not Submission.objects.exists()


def test_a_name_several_listings_share_asks_which(family, client_for):
    make_org(name="Twin Hospital", city="Springfield")
    make_org(name="Twin Hospital", city="Shelbyville")
    response = suggest(client_for("basic"), family["alone"], parent="Twin Hospital")
    errors = field_errors(response, "parent")
    assert "Several listed organizations are called “Twin Hospital”" in errors
    assert "in Springfield: /list/twin-hospital/" in errors and "/list/twin-hospital-2/" in errors
    assert not Submission.objects.exists()


def test_among_namesakes_the_one_system_wins(family, client_for):
    make_org(name="Southeast Health", kind="hospital", countries=["GB"])
    response = suggest(client_for("basic"), family["alone"], parent="Southeast Health")
    assert response.status_code == 302
    assert Submission.objects.get().proposed["parent"] == family["system"].slug


def test_a_loop_is_refused_on_the_form(family, client_for):
    response = suggest(client_for("member"), family["system"], parent=family["dothan"].slug)
    assert "only a health system" in field_errors(response, "parent")
    sub_system = make_org(name="Sub System", kind="health_system", parent=family["system"].slug)
    response = suggest(client_for("member"), family["system"], parent=sub_system.slug)
    assert "that would be a loop" in field_errors(response, "parent")
    assert not Submission.objects.exists()


def test_the_suggest_form_shows_the_current_parent(family, client_for):
    body = client_for("basic").get(f"/list/{family['dothan'].slug}/suggest/").content.decode()
    assert re.search(r'name="parent"[^>]*value="southeast-health"', body)
    assert "Part of health system" in body


@pytest.mark.parametrize("role", CAST)
def test_moderation_of_a_parent_suggestion_is_for_staff(family, client_for, cast, role):
    sub = services.submission_create(
        submitter=cast["basic"],
        data=dataclasses.replace(
            services.organization_state(family["alone"]), parent="southeast-health"
        ),
        relationship="public",
        organization=family["alone"],
    )
    client = client_for(role)
    page = client.get(f"/moderation/{sub.pk}/")
    form = OrganizationForm.initial_from(sub.proposed)
    response = client.post(f"/moderation/{sub.pk}/", {**form, "action": "approve"})
    linked = Organization.objects.get(pk=family["alone"].pk).parent_id
    if role == "staff":
        assert page.status_code == 200
        assert "Part of health system" in text(page) and "southeast-health" in text(page)
        assert response.status_code == 302 and linked == family["system"].pk
        change = family["alone"].changes.get(submission=sub)
        assert change.changes == {"parent": {"old": "", "new": "southeast-health"}}
    else:
        assert page.status_code in (302, 403) and response.status_code in (302, 403)
        assert linked is None


# The API and the exports ----------------------------------------------------------------------


@pytest.mark.parametrize("role", CAST)
def test_api_detail_gives_the_parent_and_the_members(family, client_for, role):
    client = client_for(role)
    member = client.get(f"/api/v1/organizations/{family['dothan'].pk}/").json()
    assert member["parent"] == {"id": family["system"].pk, "slug": "southeast-health",
                                "name": "Southeast Health"}  # fmt: skip
    assert member["members"] == [] and member["member_count"] == 0
    system = client.get(f"/api/v1/organizations/{family['system'].pk}/").json()
    assert system["parent"] is None
    assert [m["name"] for m in system["members"]] == [
        "Medical Center Enterprise",
        "Southeast Health Medical Center",
    ]
    assert system["member_count"] == 2
    assert client.post(f"/api/v1/organizations/{family['system'].pk}/", {}).status_code in (
        401,
        403,
        405,
    )


def test_api_detail_queries_do_not_grow_with_members(family, client):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/organizations/{family['system'].pk}/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for n in range(5):
        make_org(name=f"Extra {n}", parent=family["system"].slug)
    assert count() == before


def test_exports_carry_the_parent_id(family, client):
    raw = b"".join(client.get("/list/export.csv").streaming_content).decode("utf-8-sig")
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(raw))}
    assert rows["Southeast Health Medical Center"]["parent_id"] == str(family["system"].pk)
    assert rows["Southeast Health"]["parent_id"] == ""
    data = json.loads(b"".join(client.get("/list/export.json").streaming_content))
    by_name = {o["name"]: o for o in data["organizations"]}
    assert by_name["Southeast Health Medical Center"]["parent_id"] == family["system"].pk
    assert by_name["Southeast Health"]["parent_id"] is None
