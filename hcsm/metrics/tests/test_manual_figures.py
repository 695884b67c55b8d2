"""Figures typed by hand: the service, the page /list/<slug>/figures/ and its API mirror
POST /api/v1/organizations/{id}/metrics/, across the cast and with garbage."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import CAST
from hcsm.metrics import services
from hcsm.metrics.models import AccountStats, ManualEntry, Snapshot, SnapshotCorrection

from .factories import org_with_accounts, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():  # type: ignore[no-untyped-def]
    org, accounts = org_with_accounts(
        ("x", "MayoClinic"), ("facebook", "MayoClinic"), name="Mayo Clinic"
    )
    org.acc = accounts  # type: ignore[attr-defined]
    return org


@pytest.fixture
def other():  # type: ignore[no-untyped-def]
    return org_with_accounts(("x", "ClevelandClinic"), name="Cleveland Clinic")[1]["x"]


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def record(org, **overrides):  # type: ignore[no-untyped-def]
    args = {"account_id": org.acc["x"].pk, "day": yesterday(), "metric": "followers",
            "value": 1234}  # fmt: skip
    args.update(overrides)
    return services.manual_figure_record(organization=org, **args)


def page_text(response) -> str:  # type: ignore[no-untyped-def]
    body = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


# The service ----------------------------------------------------------------------------------


def test_a_figure_is_stored_as_manual_and_the_stats_follow(org):
    figure = record(org, value=1234)
    assert figure.outcome == "stored" and figure.message.startswith("Saved: 1,234 followers")
    snap = Snapshot.objects.get()
    assert (snap.account_id, snap.day, snap.metric, snap.value, snap.source) == (
        org.acc["x"].pk, yesterday(), "followers", 1234, "manual",
    )  # fmt: skip
    assert AccountStats.objects.get(account=org.acc["x"]).followers == 1234
    assert record(org, metric="posts", value=0).outcome == "stored"
    assert record(org, metric="views", value=5_000_000_000).outcome == "stored"
    assert record(org, day=timezone.localdate()).outcome == "stored"  # today is allowed


def test_the_same_figure_again_changes_nothing(org):
    record(org, value=1234)
    again = record(org, value=1234)
    assert again.outcome == "same" and "nothing changed" in again.message
    assert Snapshot.objects.count() == 1 and not SnapshotCorrection.objects.exists()


def test_a_day_already_taken_keeps_its_figure_and_records_a_correction(org):
    services.snapshots_ingest(rows=[row(org.acc["x"].pk, yesterday(), 1000)])  # from the API
    figure = record(org, value=1234)
    assert figure.outcome == "correction"
    assert (figure.stored_value, figure.stored_source) == (1000, "api")
    assert "already recorded as 1,000 (from platform api)" in figure.message
    assert "recorded as a correction" in figure.message and "did not replace" in figure.message
    assert Snapshot.objects.get().value == 1000  # not silently replaced
    correction = SnapshotCorrection.objects.get()
    assert (correction.value, correction.source) == (1234, "manual")


def test_each_typed_figure_is_kept_with_who_typed_it_and_its_outcome(org, django_user_model):
    clerk = django_user_model.objects.create_user(email="clerk@example.org", password="x" * 12)
    services.snapshots_ingest(rows=[row(org.acc["facebook"].pk, yesterday(), 1000)])
    record(org, value=1234, actor=clerk)
    record(org, value=1234, actor=clerk)
    record(org, account_id=org.acc["facebook"].pk, value=999)
    assert list(
        ManualEntry.objects.order_by("id").values_list(
            "account_id", "value", "outcome", "entered_by"
        )
    ) == [
        (org.acc["x"].pk, 1234, "stored", clerk.pk),
        (org.acc["x"].pk, 1234, "same", clerk.pk),
        (org.acc["facebook"].pk, 999, "correction", None),
    ]


def test_a_refused_figure_leaves_no_entry(org):
    with pytest.raises(services.InvalidFigure):
        record(org, value=-1)
    assert not ManualEntry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"day": date.today() + timedelta(days=2)}, "day", "is in the future"),
        ({"day": date(1999, 12, 31)}, "day", "check the year"),
        ({"day": "2026-11-30"}, "day", "YYYY-MM-DD"),
        ({"metric": "likes"}, "metric", "Choose followers, posts or views"),
        ({"metric": "<script>"}, "metric", "Choose followers, posts or views"),
        ({"value": -1}, "value", "whole number of 0 or more"),
        ({"value": 12.0}, "value", "whole number"),
        ({"value": True}, "value", "whole number"),
        ({"value": "12"}, "value", "whole number"),
        ({"value": 10**10 + 1}, "value", "than any account has"),
        ({"account_id": 999_999}, "account", "not an account of Mayo Clinic"),
        ({"account_id": "1"}, "account", "Choose one of"),
    ],
)
def test_refused_figures_say_why_and_write_nothing(org, overrides, field, message):
    with pytest.raises(services.InvalidFigure, match=message) as exc:
        record(org, **overrides)
    assert exc.value.field == field
    assert not Snapshot.objects.exists()


def test_an_account_of_another_organization_is_refused(org, other):
    with pytest.raises(services.InvalidFigure, match="not an account of Mayo Clinic"):
        record(org, account_id=other.pk)
    assert not Snapshot.objects.exists()


# The page ------------------------------------------------------------------------------------


def url(org) -> str:  # type: ignore[no-untyped-def]
    return f"/list/{org.slug}/figures/"


def form(org, **overrides: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {"account": str(org.acc["x"].pk), "day": yesterday().isoformat(),
            "metric": "followers", "value": "12,345"}  # fmt: skip
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", CAST)
def test_the_page_and_its_link_are_for_staff_only(org, client_for, role):
    client = client_for(role)
    page = client.get(url(org))
    post = client.post(url(org), form(org))
    org_page = client.get(f"/list/{org.slug}/").content.decode()
    if role == "staff":
        assert page.status_code == 200 and "Enter figures by hand: Mayo Clinic" in page_text(page)
        assert post.status_code == 302
        assert Snapshot.objects.get().value == 12345
        assert f'href="/list/{org.slug}/figures/"' in org_page
    else:
        if role == "anonymous":
            assert page.status_code == post.status_code == 302
            assert page["Location"].startswith("/accounts/login/?next=")
        else:
            assert page.status_code == post.status_code == 403
        assert not Snapshot.objects.exists()
        assert "/figures/" not in org_page


def test_saving_shows_what_was_stored_and_keeps_the_account_and_metric(org, client_for):
    client = client_for("staff")
    response = client.post(url(org), form(org, metric="posts", value="1 234"), follow=True)
    text = page_text(response)
    assert f"Saved: 1,234 posts or videos of MayoClinic on {yesterday()}." in text
    assert response.redirect_chain[-1][0].endswith(f"?account={org.acc['x'].pk}&metric=posts")
    body = response.content.decode()
    assert re.search(rf'<option value="{org.acc["x"].pk}" selected>', body)
    assert re.search(r'<option value="posts" selected>', body)
    assert "Typed by hand" in text and "1,234" in text
    entry = ManualEntry.objects.get()
    assert entry.entered_by is not None and f"Stored {entry.entered_at:%Y-%m-%d %H:%M} UTC" in text
    assert str(entry.entered_by) in text.split("Typed by hand", 1)[1]


def test_a_day_already_taken_is_shown_with_the_correction(org, client_for):
    services.snapshots_ingest(rows=[row(org.acc["x"].pk, yesterday(), 1000)])
    client = client_for("staff")
    response = client.post(url(org), form(org, value="1,500"), follow=True)
    text = page_text(response)
    assert "already recorded as 1,000 (from platform api), and that figure stays" in text
    assert "Your 1,500 was recorded as a correction" in text
    assert "Corrections recorded, not applied" in text
    assert Snapshot.objects.get().value == 1000
    assert SnapshotCorrection.objects.get().value == 1500


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": ""}, "value", "This field is required."),
        ({"value": "1.5"}, "value", "Type a whole number"),
        ({"value": "1.234"}, "value", "Type a whole number"),
        ({"value": "-3"}, "value", "Type a whole number"),
        ({"value": "1e6"}, "value", "Type a whole number"),
        ({"value": "１２３"}, "value", "Type a whole number"),  # full-width digits
        ({"value": "<script>alert(1)</script>"}, "value", "Type a whole number"),
        ({"value": '=HYPERLINK("http://evil")'}, "value", "Type a whole number"),
        ({"value": "9" * 31}, "value", "at most 30 characters"),
        ({"value": "99999999999"}, "value", "than any account has"),
        ({"day": ""}, "day", "This field is required."),
        ({"day": "30/11/2026"}, "day", "Give the day as YYYY-MM-DD"),
        ({"day": "2026-02-30"}, "day", "Give the day as YYYY-MM-DD"),
        ({"day": "javascript:alert(1)"}, "day", "Give the day as YYYY-MM-DD"),
        ({"day": (date.today() + timedelta(days=3)).isoformat()}, "day", "is in the future"),
        ({"metric": "likes"}, "metric", "Select a valid choice"),
        ({"account": "abc"}, "account", "Select a valid choice"),
        ({"account": "999999"}, "account", "Select a valid choice"),
    ],
)
def test_garbage_is_explained_and_nothing_is_stored(org, client_for, overrides, field, message):
    response = client_for("staff").post(url(org), form(org, **overrides))
    assert response.status_code == 400
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</small>', response.content.decode(), re.S)
    assert match and message in html.unescape(match.group(1))
    assert "<script>alert" not in response.content.decode()
    assert not Snapshot.objects.exists()


def test_every_error_of_a_form_is_shown_at_once(org, client_for):
    future = (date.today() + timedelta(days=3)).isoformat()
    response = client_for("staff").post(url(org), form(org, day=future, value="1.5"))
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "is in the future" in body and "Type a whole number" in body
    assert not Snapshot.objects.exists()


def test_an_account_of_another_organization_is_not_a_choice(org, other, client_for):
    response = client_for("staff").post(url(org), form(org, account=str(other.pk)))
    assert response.status_code == 400 and not Snapshot.objects.exists()


def test_unknown_hidden_and_accountless_organizations(org, client_for):
    from hcsm.directory import services as directory
    from hcsm.directory.tests.factories import make_org

    client = client_for("staff")
    assert client.get("/list/no-such-org/figures/").status_code == 404
    empty = make_org(name="No Accounts Hospital", accounts=[])
    page = client.get(url(empty))
    assert page.status_code == 200 and "nothing to enter figures for" in page_text(page)
    assert (
        client.post(url(empty), {"day": yesterday().isoformat(), "value": "1"}).status_code == 400
    )
    directory.organization_set_status(organization=org, status="hidden", actor=None)
    assert client.get(url(org)).status_code == 404


# The API -------------------------------------------------------------------------------------


def api(org) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/organizations/{org.pk}/metrics/"


def payload(org, **overrides):  # type: ignore[no-untyped-def]
    data = {"account": org.acc["x"].pk, "day": yesterday().isoformat(), "metric": "followers",
            "value": 4321}  # fmt: skip
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", CAST)
def test_the_api_mirrors_the_page_across_the_cast(org, client_for, role):
    client = client_for(role)
    listed = client.get(api(org)).json()
    assert {a["handle"]: a["id"] for a in listed["accounts"]}["MayoClinic"] in (
        org.acc["x"].pk, org.acc["facebook"].pk,
    )  # fmt: skip
    response = client.post(api(org), payload(org), content_type="application/json")
    if role == "staff":
        assert response.status_code == 201
        body = response.json()
        assert body["outcome"] == "stored" and body["stored"] == {"value": 4321, "source": "manual"}
        assert client.get(api(org)).json()["accounts"][1]["followers"] == 4321
    else:
        assert response.status_code == 403
        assert not Snapshot.objects.exists()


def test_the_api_says_what_is_stored_when_the_day_was_taken(org, client_for):
    client = client_for("staff")
    services.snapshots_ingest(rows=[row(org.acc["x"].pk, yesterday(), 1000)])
    response = client.post(api(org), payload(org, value=1200), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "correction" and body["stored"] == {"value": 1000, "source": "api"}
    assert "recorded as a correction" in body["message"]
    same = client.post(api(org), payload(org, value=1000), content_type="application/json")
    assert same.status_code == 200 and same.json()["outcome"] == "same"
    assert Snapshot.objects.get().value == 1000


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"value": 1.5}, "value"),
        ({"value": 12.0}, "value"),
        ({"value": True}, "value"),
        ({"value": -1}, "value"),
        ({"value": "1e3"}, "value"),
        ({"value": "١٢٣"}, "value"),  # Arabic-Indic digits
        ({"value": None}, "value"),
        ({"value": 10**12}, "value"),
        ({"value": "<script>"}, "value"),
        ({"day": "30/11/2026"}, "day"),
        ({"day": (date.today() + timedelta(days=5)).isoformat()}, "day"),
        ({"metric": "=HYPERLINK(1)"}, "metric"),
        ({"account": "javascript:alert(1)"}, "account"),
        ({"account": 999_999}, "account"),
    ],
)
def test_api_garbage_is_a_400_naming_the_field(org, client_for, overrides, field):
    response = client_for("staff").post(
        api(org), payload(org, **overrides), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Snapshot.objects.exists()


def test_api_refuses_a_missing_body_and_another_organizations_account(org, other, client_for):
    client = client_for("staff")
    empty = client.post(api(org), {}, content_type="application/json")
    assert empty.status_code == 400
    assert set(empty.json()["errors"]) == {"account", "day", "metric", "value"}
    wrong = client.post(api(org), payload(org, account=other.pk), content_type="application/json")
    assert wrong.status_code == 400 and "not an account of Mayo Clinic" in str(wrong.json())
    assert client.post("/api/v1/organizations/999999/metrics/", payload(org),
                       content_type="application/json").status_code == 404  # fmt: skip
    assert not Snapshot.objects.exists()
