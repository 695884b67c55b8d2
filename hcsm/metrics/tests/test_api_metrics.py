"""/api/v1/organizations/{id}/metrics/, /api/v1/leaderboards/, /api/v1/adoption/."""

import pytest

from conftest import CAST


@pytest.mark.parametrize("role", CAST)
def test_read_endpoints_for_everyone_and_writes_refused(world, client_for, role):
    client = client_for(role)
    urls = [
        f"/api/v1/organizations/{world['mayo'].pk}/metrics/",
        "/api/v1/leaderboards/?board=score",
        "/api/v1/adoption/?parent=1",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
        # Staff may post a figure to an organization's metrics (an empty one is refused).
        writes = role == "staff" and url.endswith("/metrics/")
        assert client.post(url, {}).status_code in ((400,) if writes else (403, 405)), url


def test_organization_metrics(world, client):
    data = client.get(f"/api/v1/organizations/{world['mayo'].pk}/metrics/").json()
    assert data["name"] == "Mayo Clinic" and data["rank"] == 2
    by_platform = {a["platform"]: a for a in data["accounts"]}
    fb = by_platform["facebook"]
    assert (fb["followers"], fb["change_30d"], fb["change_365d"]) == (950, 50, None)
    assert [v for _, v in fb["series"]] == [900, 950]
    assert by_platform["x"]["change_30d"] is None
    assert client.get("/api/v1/organizations/999999/metrics/").status_code == 404


def test_hidden_organization_has_no_metrics(world, client):
    from hcsm.directory.models import Organization

    Organization.objects.filter(pk=world["gosh"].pk).update(status="hidden")
    assert client.get(f"/api/v1/organizations/{world['gosh'].pk}/metrics/").status_code == 404
    boards = client.get("/api/v1/leaderboards/").json()["results"]
    assert "Great Ormond Street Hospital" not in {r["organization"] for r in boards}


def test_leaderboards(world, client):
    data = client.get("/api/v1/leaderboards/?platform=x&board=growth").json()
    assert data["board"] == "growth" and data["weights"]["growth"] == 2.0
    assert [(r["organization"], r["growth_30d"]) for r in data["results"]] == [
        ("Great Ormond Street Hospital", 300),
        ("Cleveland Clinic", 100),
    ]
    score = client.get("/api/v1/leaderboards/?board=score").json()["results"]
    assert [r["rank"] for r in score] == [1, 2, 3, 4]
    assert score[0]["organization"] == "Cleveland Clinic" and score[0]["platform"] is None


@pytest.mark.parametrize(
    "query", ["board=best", "platform=<script>", "country=ZZ", "page=-1", "region=US-XX"]
)
def test_leaderboards_garbage(world, client, query):
    response = client.get(f"/api/v1/leaderboards/?{query}")
    assert response.status_code == 400 and response.json()["errors"]


def test_adoption(world, client):
    data = client.get("/api/v1/adoption/").json()
    assert (data["registry_total"], data["with_presence"]) == (7, 3)
    platforms = {s["key"]: s["with_presence"] for s in data["by_platform"]}
    assert platforms == {"x": 2, "facebook": 1, "youtube": 1, "instagram": 1}
    states = {s["key"]: (s["hospitals"], s["with_presence"]) for s in data["by_state"]}
    assert states == {"US-AL": (5, 1), "US-MN": (1, 1), "US-OH": (1, 1)}
    with_parent = client.get("/api/v1/adoption/?parent=1").json()
    assert with_parent["with_presence"] == 4 and with_parent["include_parent"] is True
    assert client.get("/api/v1/adoption/?parent=maybe").status_code == 400


def test_schema_lists_the_endpoints(client):
    schema = client.get("/api/v1/schema/").content.decode()
    for path in (
        "/api/v1/organizations/{id}/metrics/",
        "/api/v1/leaderboards/",
        "/api/v1/adoption/",
    ):
        assert path in schema


def test_new_snapshots_and_accounts_refresh_the_cached_growth(world, client):
    from django.utils import timezone

    from hcsm.metrics.services import snapshots_ingest

    from .factories import org_with_accounts, row

    year = timezone.localdate().year
    before = client.get("/api/v1/adoption/").json()
    total = next(r for r in before["followers_by_year"] if r["year"] == year)["total"]
    _, acc = org_with_accounts(("x", "newcomer"))
    snapshots_ingest(rows=[row(acc["x"].pk, timezone.localdate(), 1234)])
    after = client.get("/api/v1/adoption/").json()
    assert next(r for r in after["followers_by_year"] if r["year"] == year)["total"] == total + 1234
    accounts = {r["year"]: r["total"] for r in after["accounts_by_year"]}
    assert accounts[year] == {r["year"]: r["total"] for r in before["accounts_by_year"]}[year] + 1


def test_hiding_a_listing_refreshes_the_cached_adoption(world, client, cast):
    from hcsm.directory import services as directory_services

    assert client.get("/api/v1/adoption/").json()["with_presence"] == 3
    directory_services.organization_set_status(
        organization=world["mayo"], status="hidden", actor=cast["staff"]
    )
    assert client.get("/api/v1/adoption/").json()["with_presence"] == 2
