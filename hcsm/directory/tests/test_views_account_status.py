"""What the list shows of an account's status (not found, suspended, renamed): the grid, the
organization page, the exports and the API; and a moderator accepting a rename."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date

import pytest

from conftest import CAST
from hcsm.directory import selectors, services
from hcsm.directory.models import Organization, OrganizationChange, SocialAccount
from hcsm.directory.tests.factories import make_org
from hcsm.metrics.services import StatusUpdate, account_statuses_record

LIST = "/list/"
HTMX = {"HX-Request": "true", "HX-Target": "results"}
DAY = date(2026, 11, 30)


@pytest.fixture
def mayo(db):  # type: ignore[no-untyped-def]
    return make_org(
        name="Mayo Clinic",
        accounts=[
            {"value": "https://x.com/MayoClinic"},
            {"value": "https://www.facebook.com/MayoClinic/"},
            {"platform": "instagram", "value": "@mayoclinic"},
            {"value": "https://bsky.app/profile/mayoclinic.bsky.social"},
        ],
    )


def acc(org: Organization, platform: str) -> SocialAccount:
    return org.accounts.get(platform=platform)


def mark(account: SocialAccount, status: str, detail: str = "", day: date = DAY) -> None:
    account_statuses_record(updates=[StatusUpdate(account.pk, status, detail)], day=day)


def text(response) -> str:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return html.unescape(body.decode())


def cell(body: str, platform_name: str) -> str:
    """The grid cell whose icon is ``platform_name``."""
    for td in re.findall(r"<td class=\"icon[^\"]*\">.*?</td>", body):
        if f'alt="{platform_name}"' in td:
            return td
    raise AssertionError(f"no {platform_name} cell")


# The grid -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", CAST)
def test_the_grid_strikes_gone_accounts_and_points_renamed_ones_to_the_new_handle(
    client_for, mayo, role
):
    mark(acc(mayo, "x"), "not_found")
    mark(acc(mayo, "facebook"), "suspended", day=date(2026, 10, 1))
    mark(acc(mayo, "bluesky"), "renamed", "mayoclinic.org")
    body = text(client_for(role).get(LIST))
    x = cell(body, "X (Twitter)")
    assert "<del " in x and "href=" not in x  # not a live link
    assert "MayoClinic: not found since 2026-11-30" in x
    assert 'class="icon account-gone"' in x
    fb = cell(body, "Facebook")
    assert "<del " in fb and "href=" not in fb
    assert "MayoClinic: suspended since 2026-10-01" in fb
    bsky = cell(body, "Bluesky")
    assert 'href="https://bsky.app/profile/mayoclinic.org"' in bsky
    assert "mayoclinic.bsky.social: renamed to mayoclinic.org since 2026-11-30" in bsky
    assert "account-renamed" in bsky and "↻" in bsky
    ig = cell(body, "Instagram")
    assert 'href="https://www.instagram.com/mayoclinic/"' in ig and "<del" not in ig


def test_a_live_account_is_linked_before_a_gone_one_on_the_same_platform(client, db):
    org = make_org(
        accounts=[{"platform": "x", "value": "oldone"}, {"platform": "x", "value": "live"}]
    )
    gone, live = org.accounts.order_by("id")
    mark(gone, "not_found")
    x = cell(text(client.get(LIST)), "X (Twitter)")
    assert 'href="https://x.com/live"' in x and "(+1 more)" in x and "<del" not in x


def test_a_status_change_shows_at_once_in_the_cached_grid(client, mayo, settings):
    settings.HCSM_LIST_CACHE_SECONDS = 600
    first = client.get(LIST, headers=HTMX).content.decode()
    assert "not found since" not in first
    assert client.get(LIST, headers=HTMX).content.decode() == first  # served from the cache
    version = selectors.list_version()
    mark(acc(mayo, "x"), "not_found")
    assert selectors.list_version() > version
    assert (
        "MayoClinic: not found since 2026-11-30" in client.get(LIST, headers=HTMX).content.decode()
    )
    # back to active: the grid links it again
    mark(acc(mayo, "x"), "active", day=date(2026, 12, 1))
    x = cell(text(client.get(LIST)), "X (Twitter)")
    assert 'href="https://x.com/MayoClinic"' in x and "<del" not in x


def test_the_same_answer_again_changes_nothing_and_keeps_the_cache(mayo):
    mark(acc(mayo, "x"), "not_found")
    version = selectors.list_version()
    assert (
        account_statuses_record(
            updates=[StatusUpdate(acc(mayo, "x").pk, "not_found")], day=date(2026, 12, 1)
        )
        == 0
    )
    assert selectors.list_version() == version
    assert acc(mayo, "x").status_since == DAY  # the date it was first seen


def test_grid_queries_do_not_grow_with_statuses(client, db, settings):
    settings.HCSM_LIST_CACHE_SECONDS = 0
    orgs = [make_org(accounts=[{"platform": "x", "value": f"statusq{i}"}]) for i in range(3)]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain:
        client.get(LIST)
    for n, org in enumerate(orgs):
        mark(acc(org, "x"), ["not_found", "suspended", "renamed"][n], "statusnew")
    with CaptureQueriesContext(connection) as marked:
        body = text(client.get(LIST))
    assert len(marked.captured_queries) == len(plain.captured_queries)
    assert body.count("account-gone") == 2 and "renamed to statusnew" in body


# The organization page ----------------------------------------------------------------------


@pytest.mark.parametrize("role", CAST)
def test_the_page_shows_each_status_with_its_date(client_for, mayo, role):
    mark(acc(mayo, "x"), "not_found")
    mark(acc(mayo, "bluesky"), "renamed", "mayoclinic.org")
    body = text(client_for(role).get(f"/list/{mayo.slug}/"))
    assert "<del>MayoClinic</del>" in body
    assert (
        'href="https://x.com/MayoClinic"'
        not in body.split("<h2>Official accounts</h2>")[1].split("</table>")[0]
    )
    assert '<strong class="badge account-not_found">Not found</strong> since 2026-11-30' in body
    new = "https://bsky.app/profile/mayoclinic.org"
    assert (
        '<strong class="badge account-renamed">Renamed</strong> to '
        f'<a href="{new}" rel="nofollow noopener">mayoclinic.org</a> since 2026-11-30'
    ) in body
    assert "<td>Active" in body  # Facebook and Instagram
    # Only moderators get the button that takes the new name into the listing.
    assert ("Accept the new name" in body) is (role == "staff")
    # The history says when the platform said it.
    history = body[body.index("<h2>History</h2>") :]
    assert "Account status from the platform (seen by the figures refresh)" in history
    assert (
        "Account status: Bluesky mayoclinic.bsky.social: renamed to mayoclinic.org since 2026-11-30"
        in history
    )


# Exports and the API ------------------------------------------------------------------------


def test_exports_carry_the_status(client, mayo):
    mark(acc(mayo, "x"), "not_found")
    mark(acc(mayo, "bluesky"), "renamed", "mayoclinic.org")
    raw = text(client.get("/list/export.csv"))
    (row,) = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert row["account_status"] == (
        "Bluesky mayoclinic.bsky.social: renamed to mayoclinic.org since 2026-11-30"
        " | X (Twitter) MayoClinic: not found since 2026-11-30"
    )
    assert row["x"] == "https://x.com/MayoClinic"  # the listing itself is unchanged
    data = json.loads(text(client.get("/list/export.json")))
    accounts = {a["platform"]: a for a in data["organizations"][0]["accounts"]}
    assert (accounts["x"]["status"], accounts["x"]["status_since"]) == ("not_found", "2026-11-30")
    assert accounts["bluesky"]["status_detail"] == "mayoclinic.org"
    assert (accounts["facebook"]["status"], accounts["facebook"]["status_since"]) == (
        "active",
        None,
    )


@pytest.mark.parametrize("role", CAST)
def test_the_api_gives_status_and_date(client_for, mayo, role):
    mark(acc(mayo, "x"), "suspended")
    client = client_for(role)
    for url in (f"/api/v1/organizations/{mayo.pk}/", "/api/v1/organizations/"):
        body = client.get(url).json()
        org = body if "accounts" in body else body["results"][0]
        x = next(a for a in org["accounts"] if a["platform"] == "x")
        assert (x["status"], x["status_since"], x["status_detail"]) == (
            "suspended",
            "2026-11-30",
            "",
        )
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"status_since" in schema.content


# Accepting a rename -------------------------------------------------------------------------


def accept_url(account: SocialAccount) -> str:
    return f"/moderation/accounts/{account.pk}/accept-rename/"


@pytest.mark.parametrize("role", CAST)
def test_only_moderators_may_accept_a_rename(client_for, mayo, role):
    x = acc(mayo, "x")
    mark(x, "renamed", "MayoClinicNew")
    response = client_for(role).post(accept_url(x), {"next": f"/list/{mayo.slug}/"})
    x.refresh_from_db()
    if role == "staff":
        assert response.status_code == 302 and response["Location"] == f"/list/{mayo.slug}/"
        assert (x.handle, x.key, x.url) == (
            "MayoClinicNew",
            "mayoclinicnew",
            "https://x.com/MayoClinicNew",
        )
        assert (x.status, x.status_detail) == ("active", "")
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]
        assert (x.handle, x.status) == ("MayoClinic", "renamed")


def test_accepting_keeps_the_row_and_records_the_change(client_for, mayo, cast):
    x = acc(mayo, "x")
    SocialAccount.objects.filter(pk=x.pk).update(platform_uid="15")
    mark(x, "renamed", "MayoClinicNew")
    client = client_for("staff")
    response = client.post(accept_url(x), follow=True)
    assert "Mayo Clinic now lists MayoClinicNew." in text(response)
    assert SocialAccount.objects.filter(pk=x.pk, platform_uid="15", handle="MayoClinicNew").exists()
    change = OrganizationChange.objects.filter(organization=mayo).first()
    assert change.action == "updated" and change.actor == cast["staff"]
    assert change.changes["accounts"]["added"] == ["X (Twitter): MayoClinicNew"]
    assert change.changes["accounts"]["removed"] == ["X (Twitter): MayoClinic"]
    mayo.refresh_from_db()
    assert "mayoclinicnew" in mayo.search_text
    assert client.get(f"{LIST}?q=MayoClinicNew").context["page"].object_list[0] == mayo


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("active", "is not marked as renamed (any more); nothing was changed."),
        ("bad_name", "is not one the list accepts"),
        ("taken", "is already listed for Other Hospital"),
    ],
)
def test_a_rename_that_cannot_be_accepted_says_why_and_changes_nothing(
    client_for, mayo, setup, message
):
    x = acc(mayo, "x")
    if setup == "bad_name":
        mark(x, "renamed", "<script>alert(1)</script>")
    elif setup == "taken":
        make_org(name="Other Hospital", accounts=[{"platform": "x", "value": "MayoClinicNew"}])
        mark(x, "renamed", "MayoClinicNew")
    before = list(SocialAccount.objects.order_by("pk").values_list("handle", "key", "status"))
    changes = OrganizationChange.objects.count()
    response = client_for("staff").post(accept_url(x), follow=True)
    assert response.status_code == 200
    body = text(response)
    assert message in body and "<script>alert" not in response.content.decode()
    assert (
        list(SocialAccount.objects.order_by("pk").values_list("handle", "key", "status")) == before
    )
    assert OrganizationChange.objects.count() == changes


@pytest.mark.parametrize("bad", ["https://evil.example/", "javascript:alert(1)", "//evil.example/"])
def test_accepting_never_redirects_off_site(client_for, mayo, bad):
    x = acc(mayo, "x")
    mark(x, "renamed", "MayoClinicNew")
    response = client_for("staff").post(accept_url(x), {"next": bad})
    assert response["Location"] == "/moderation/"


def test_an_account_removed_meanwhile_is_404_and_refused_by_the_service(client_for, mayo):
    assert client_for("staff").post("/moderation/accounts/999999/accept-rename/").status_code == 404
    with pytest.raises(services.RenameNotPending, match="no longer on the list"):
        services.account_rename_accept(account_id=999_999, actor=None)


def test_opening_the_accept_address_asks_first(client_for, mayo):
    x = acc(mayo, "x")
    client = client_for("staff")
    assert "There is no new name to accept" in text(client.get(accept_url(x)))
    mark(x, "renamed", "MayoClinicNew")
    body = text(client.get(accept_url(x)))
    assert "Renamed</strong> to" in body and '<button type="submit">Accept the new name' in body
    x.refresh_from_db()
    assert x.handle == "MayoClinic"  # a GET changes nothing
    assert client.get("/moderation/accounts/999999/accept-rename/").status_code == 404
    assert client.put(accept_url(x)).status_code == 405


def test_the_moderation_queue_lists_renamed_accounts(client_for, mayo):
    assert "No account is waiting for a new name." in text(client_for("staff").get("/moderation/"))
    mark(acc(mayo, "x"), "renamed", "MayoClinicNew")
    mark(acc(mayo, "facebook"), "not_found")
    body = text(client_for("staff").get("/moderation/"))
    section = body[body.index("Accounts renamed on their platform") :]
    assert "X (Twitter) MayoClinic" in section
    assert (
        '<a href="https://x.com/MayoClinicNew" rel="nofollow noopener">MayoClinicNew</a>' in section
    )
    assert accept_url(acc(mayo, "x")) in section
    assert "Facebook" not in section
