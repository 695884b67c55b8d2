"""Every page of the metrics app across the standing cast, garbage input, query counts."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from django.utils import timezone

from conftest import CAST
from hcsm.metrics.models import RegistryMatch

PUBLIC_PAGES = [
    "/list/leaderboards/",
    "/list/leaderboards/?board=growth&platform=x",
    "/list/leaderboards/?board=score&country=US&kind=hospital",
    "/list/leaderboards/export.csv",
    "/list/adoption/",
    "/list/adoption/?parent=1",
    "/list/adoption/states.csv",
    "/list/adoption/platforms.csv?parent=1",
    "/list/adoption/types.csv",
    "/list/adoption/ownership.csv",
    "/list/adoption/accounts-by-year.csv",
    "/list/adoption/followers-by-year.csv",
]
STAFF_PAGES = ["/metrics/status/", "/list/adoption/review/"]


@pytest.mark.parametrize("role", CAST)
def test_public_pages_for_everyone(world, client_for, role):
    client = client_for(role)
    for url in [
        *PUBLIC_PAGES,
        f"/list/{world['mayo'].slug}/",
        f"/list/{world['mayo'].slug}/badge.svg",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("role", CAST)
def test_staff_pages_only_for_staff(world, client_for, role):
    client = client_for(role)
    for url in STAFF_PAGES:
        response = client.get(url)
        if role == "staff":
            assert response.status_code == 200
        elif role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("role", CAST)
def test_only_staff_decide_matches(world, client_for, role):
    m = RegistryMatch.objects.get(entry__registry_id="010012")
    response = client_for(role).post("/list/adoption/review/", {"match": m.pk, "action": "confirm"})
    m.refresh_from_db()
    if role == "staff":
        assert response.status_code == 302 and m.status == "confirmed"
        assert m.decided_by.email == "staff@example.org"
    else:
        assert response.status_code in (302, 403) and m.status == "pending"


def test_leaderboard_followers_growth_and_filters(world, client):
    page = client.get("/list/leaderboards/").content.decode()
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page)
    assert names[:3] == ["Cleveland Clinic", "Mayo Clinic", "Mayo Clinic"]  # 3100, 2000, 950
    growth = client.get("/list/leaderboards/?board=growth").content.decode()
    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', growth)
    assert rows[0] == "Great Ormond Street Hospital"  # +300 in 31 days
    us = client.get("/list/leaderboards/?board=growth&country=US").content.decode()
    assert "Great Ormond Street" not in us
    mn = client.get("/list/leaderboards/?region=US-MN").content.decode()
    assert "Mayo Clinic" in mn and "Cleveland Clinic" not in mn
    yt = client.get("/list/leaderboards/?platform=youtube&country=united states").content.decode()
    assert "@ClevelandClinic" in yt and "MayoClinic" not in yt
    score = client.get("/list/leaderboards/?board=score").content.decode()
    assert "Weighted score" in score or "weighted score" in score
    assert "log<sub>10</sub>" in score and "30-day growth" in score  # the method is published


@pytest.mark.parametrize(
    "query",
    [
        "board=<script>alert(1)</script>",
        "platform=myspace",
        "country=Atlantis",
        "region=" + "X" * 5000,
        "page=0",
        "page=abc",
        "page=999",
        "kind=javascript:alert(1)",
        "country==HYPERLINK(%22http://x%22)",
        "country=U%D0%85",  # Cyrillic look-alike S
    ],
)
def test_leaderboard_garbage_says_what_to_fix(world, client, query):
    response = client.get(f"/list/leaderboards/?{query}")
    assert response.status_code == 400
    body = response.content.decode()
    assert "could not be used" in body and "<script>alert" not in body
    csv_response = client.get(f"/list/leaderboards/export.csv?{query}")
    assert csv_response.status_code == 400 and b"Fix the address" in csv_response.content


def test_leaderboard_csv_is_safe_for_spreadsheets(world, client):
    from hcsm.directory.models import Organization

    Organization.objects.filter(pk=world["cleveland"].pk).update(name='=HYPERLINK("x")')
    response = client.get("/list/leaderboards/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["position", "organization", "url"]
    assert rows[1][1] == '\'=HYPERLINK("x")' and rows[1][5] == "3100"


def test_badge_shows_rank(world, client):
    svg = client.get(f"/list/{world['cleveland'].slug}/badge.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert "#1 of 4" in svg.content.decode()  # four listings have figures
    member = client.get(f"/list/{world['member'].slug}/badge.svg").content.decode()
    assert "not ranked yet" in member
    assert client.get("/list/no-such-org/badge.svg").status_code == 404


def test_adoption_page_figures_and_parent_toggle(world, client):
    page = client.get("/list/adoption/").content.decode()
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert re.search(r"3\s+of\s+7\s+registry hospitals\s+\(42\.9%\)", text)
    assert "Including parent systems: 4 (57.1%)" in text
    parent = html.unescape(
        re.sub(r"<[^>]+>", " ", client.get("/list/adoption/?parent=1").content.decode())
    )
    assert re.search(r"4\s+of\s+7\s+registry hospitals\s+\(57\.1%\)", parent)
    assert '<svg class="tile-map"' in page and 'data-state="US-AL"' in page
    # Alabama: 5 rows (010001, 010005, 010011, 010012, 010019), one with presence
    row = re.search(r'data-state="US-AL">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td>([^<]+)</td>", row) == ["5", "1", "20.0%"]
    assert "?country=US&amp;region=US-AL" in page


def test_adoption_counts_confirmed_matches_and_cache_follows(world, client, cast):
    before = client.get("/api/v1/adoption/").json()
    assert before["with_presence"] == 3
    m = RegistryMatch.objects.get(entry__registry_id="010019")
    from hcsm.metrics import services

    services.registry_match_decide(match_id=m.pk, confirm=True, staff=cast["staff"])
    after = client.get("/api/v1/adoption/").json()
    assert after["with_presence"] == 4  # the cached figures were not served stale


def test_adoption_csv_tables(world, client):
    response = client.get("/list/adoption/states.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    al = next(r for r in rows if r["key"] == "US-AL")
    assert (al["hospitals"], al["with_presence"], al["percent"]) == ("5", "1", "20.0")
    growth = client.get("/list/adoption/followers-by-year.csv").content.decode("utf-8-sig")
    assert growth.startswith("year,total,")
    assert client.get("/list/adoption/nonsense.csv").status_code == 404


def test_organization_page_shows_figures_chart_and_status(
    world, client, django_assert_max_num_queries
):
    from hcsm.directory.models import SocialAccount

    SocialAccount.objects.filter(pk=world["accounts"]["mayo_facebook"].pk).update(
        status="renamed", status_since=timezone.localdate(), status_detail="MayoClinicNew"
    )
    page = client.get(f"/list/{world['mayo'].slug}/").content.decode()
    assert "Followers over time" in page and "2,000" in page
    assert '<svg class="sparkline"' in page
    assert "Renamed" in page and "(now MayoClinicNew)" in page
    assert "+50" in page  # facebook: 950 today, 900 thirty days ago
    assert "http://testserver/list/" in page and "/badge.svg" in page
    assert "+500" not in page  # x: the last earlier figure is 200 days old, not a 30-day change


def test_organization_page_queries_do_not_grow_with_accounts(
    world, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        client.get(f"/list/{world['mayo'].slug}/")


def test_status_page_says_which_platforms_are_skipped(world, client_for, monkeypatch):
    for name in ("YOUTUBE", "X", "FACEBOOK", "INSTAGRAM"):
        monkeypatch.delenv(f"HCSM_{name}_API_KEY", raising=False)
    monkeypatch.setenv("HCSM_YOUTUBE_API_KEY", "secret-key-value")
    page = client_for("staff").get("/metrics/status/").content.decode()
    x = re.search(r'data-platform="x">(.*?)</tr>', page, re.S).group(1)
    assert "Skipped" in x and "HCSM_X_API_KEY" in x
    youtube = re.search(r'data-platform="youtube">(.*?)</tr>', page, re.S).group(1)
    assert "Runs" in youtube and "secret-key-value" not in page
    bluesky = re.search(r'data-platform="bluesky">(.*?)</tr>', page, re.S).group(1)
    assert "Runs" in bluesky


def test_leaderboard_and_adoption_queries_are_bounded(world, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/list/leaderboards/?board=score&country=US")
    with django_assert_max_num_queries(8):
        client.get("/list/leaderboards/?platform=x&region=US-MN")


def test_review_garbage_changes_nothing(world, client_for):
    staff = client_for("staff")
    for data in (
        {},
        {"match": "abc", "action": "confirm"},
        {"match": "999999", "action": "confirm"},
        {"match": "1", "action": "<script>"},
    ):
        response = staff.post("/list/adoption/review/", data, follow=True)
        assert response.status_code == 200
        assert (
            b"Choose confirm or reject" in response.content
            or b"no longer exists" in response.content
        )
    assert not RegistryMatch.objects.filter(status__in=["confirmed", "rejected"]).exists()
