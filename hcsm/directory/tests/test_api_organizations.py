"""The read-only API: /api/v1/organizations/, /api/v1/platforms/, the schema and its docs."""

from __future__ import annotations

import itertools
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema

from conftest import CAST
from hcsm.directory.models import Organization
from hcsm.directory.platforms import PLATFORMS
from hcsm.directory.tests.factories import make_org

API = "/api/v1/organizations/"


@pytest.fixture
def orgs(db):  # type: ignore[no-untyped-def]
    return {
        "mayo": make_org(
            name="Mayo Clinic",
            other_names=["Mayo"],
            kind="health_system",
            countries=["US"],
            regions=["US-MN"],
            city="Rochester",
            website="https://www.mayoclinic.org/",
            wikidata="Q1127387",
            ccn="240010",
            accounts=[
                {"value": "https://twitter.com/MayoClinic?s=20"},
                {"value": "https://www.facebook.com/MayoClinic/"},
                {"platform": "instagram", "value": "@mayoclinic", "label": "Main"},
            ],
        ),
        "cleveland": make_org(
            name="Cleveland Clinic",
            kind="hospital",
            countries=["US"],
            regions=["US-OH"],
            accounts=[
                {"value": "https://x.com/ClevelandClinic"},
                {"value": "https://www.youtube.com/@ClevelandClinic"},
            ],
        ),
        "gosh": make_org(
            name="Great Ormond Street Hospital",
            kind="hospital",
            countries=["GB"],
            accounts=[{"value": "https://x.com/GOSHCharity"}],
        ),
        "charite": make_org(
            name="Charité Berlin",
            kind="hospital",
            countries=["DE"],
            accounts=[{"platform": "instagram", "value": "charite.berlin"}],
        ),
    }


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [r["name"] for r in response.json()["results"]]


# The list -----------------------------------------------------------------------------------


def test_list_shape(client, orgs):
    response = client.get(API)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    assert body["next"] is None
    assert body["previous"] is None
    assert names(response) == [
        "Charité Berlin",
        "Cleveland Clinic",
        "Great Ormond Street Hospital",
        "Mayo Clinic",
    ]
    mayo = body["results"][3]
    for key in (
        "id",
        "name",
        "kind",
        "countries",
        "regions",
        "city",
        "website",
        "wikidata",
        "url",
        "accounts",
    ):
        assert key in mayo, key
    assert mayo["id"] == orgs["mayo"].pk
    assert mayo["name"] == "Mayo Clinic"
    assert mayo["other_names"] == ["Mayo"]
    assert mayo["kind"] == "health_system"
    assert mayo["countries"] == ["US"]
    assert mayo["regions"] == ["US-MN"]
    assert mayo["city"] == "Rochester"
    assert mayo["website"] == "https://www.mayoclinic.org/"
    assert mayo["wikidata"] == "Q1127387"
    assert mayo["ccn"] == "240010"
    assert mayo["url"] == f"http://testserver/list/{orgs['mayo'].slug}/"
    live = {"status": "active", "status_since": None, "status_detail": ""}
    assert mayo["accounts"] == [
        {
            "platform": "facebook",
            "handle": "MayoClinic",
            "url": "https://www.facebook.com/MayoClinic",
            "label": "",
            **live,
        },
        {
            "platform": "instagram",
            "handle": "mayoclinic",
            "url": "https://www.instagram.com/mayoclinic/",
            "label": "Main",
            **live,
        },
        {
            "platform": "x",
            "handle": "MayoClinic",
            "url": "https://x.com/MayoClinic",
            "label": "",
            **live,
        },
    ]
    # Internal columns stay internal.
    for key in ("search_text", "platform_mask", "status", "import_key", "website_domain"):
        assert key not in mayo


def test_hidden_organizations_are_not_in_the_api(client, orgs):
    Organization.objects.filter(pk=orgs["mayo"].pk).update(status="hidden")
    response = client.get(API)
    assert response.json()["count"] == 3
    assert "Mayo Clinic" not in names(response)
    assert client.get(f"{API}{orgs['mayo'].pk}/").status_code == 404


CHARITE, CLEVELAND, GOSH, MAYO = (
    "Charité Berlin",
    "Cleveland Clinic",
    "Great Ormond Street Hospital",
    "Mayo Clinic",
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=US", ["Cleveland Clinic", "Mayo Clinic"]),
        ("country=united%20states", ["Cleveland Clinic", "Mayo Clinic"]),
        ("region=US-MN", ["Mayo Clinic"]),
        ("kind=hospital", ["Charité Berlin", "Cleveland Clinic", "Great Ormond Street Hospital"]),
        ("platform=instagram", ["Charité Berlin", "Mayo Clinic"]),
        ("platform=tiktok", []),
        ("q=clinic", ["Cleveland Clinic", "Mayo Clinic"]),
        ("q=charite", ["Charité Berlin"]),
        ("q=goshcharity", ["Great Ormond Street Hospital"]),
        ("country=US&kind=hospital&platform=youtube", ["Cleveland Clinic"]),
        ("ordering=name", [CHARITE, CLEVELAND, GOSH, MAYO]),
        ("ordering=country", [CHARITE, GOSH, CLEVELAND, MAYO]),
        ("ordering=newest", [CHARITE, GOSH, CLEVELAND, MAYO]),
        ("ordering=accounts", [MAYO, CLEVELAND, CHARITE, GOSH]),
    ],
)
def test_the_same_filters_as_the_page(client, orgs, query, expected):
    response = client.get(f"{API}?{query}")
    assert response.status_code == 200
    assert names(response) == expected
    assert response.json()["count"] == len(expected)
    # The page with the same query lists the same organizations, in the same order.
    page = client.get(f"/list/?{query}")
    assert [o.name for o in page.context["page"].object_list] == expected


def test_pages(client, orgs):
    response = client.get(f"{API}?page_size=3&ordering=name")
    body = response.json()
    assert body["count"] == 4
    assert names(response) == ["Charité Berlin", "Cleveland Clinic", "Great Ormond Street Hospital"]
    assert body["previous"] is None
    assert (
        body["next"] == "http://testserver/api/v1/organizations/?ordering=name&page=2&page_size=3"
    )
    response = client.get(body["next"])
    body = response.json()
    assert names(response) == ["Mayo Clinic"]
    assert body["next"] is None
    assert body["previous"].startswith("http://testserver/api/v1/organizations/?")
    assert "page_size=3" in body["previous"]
    assert "ordering=name" in body["previous"]


@pytest.mark.parametrize(
    ("page_size", "expected"),
    [("1", 1), ("0", 4), ("-5", 4), ("abc", 4), ("", 4), ("100000", 4)],
)
def test_page_size_garbage_falls_back(client, orgs, page_size, expected):
    response = client.get(API, {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected


def test_page_size_is_capped(client, db, settings):
    for _ in range(settings.HCSM_LIST_MAX_PAGE_SIZE + 3):
        Organization.objects.create(name="Bulk", slug=f"bulk-{next(_slugs)}", status="published")
    response = client.get(API, {"page_size": 100_000})
    assert response.status_code == 200
    assert len(response.json()["results"]) == settings.HCSM_LIST_MAX_PAGE_SIZE


_slugs = itertools.count()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99", "9" * 400])
def test_a_bad_page_is_a_4xx_with_a_message(client, orgs, page):
    response = client.get(API, {"page": page})
    # DRF's PageNumberPagination answers 404 "Invalid page." (not 400).
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


HUGE = "x" * 10_000


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("country", "XX", "“XX” is not an ISO 3166-1 country code (e.g. US, GB, IN)."),
        ("country", "<script>alert(1)</script>", "is not an ISO 3166-1 country code"),
        ("country", "U\u0405", "“U\u0405” is not an ISO 3166-1 country code"),
        ("country", HUGE, "Ensure this value has at most 60 characters (it has 10000)."),
        ("region", "US-XX", "“US-XX” is not an ISO 3166-2 region code (e.g. US-MN)."),
        ("region", HUGE, "Ensure this value has at most 10 characters"),
        ("kind", "spaceship", "Select a valid choice. spaceship is not one of the available"),
        ("kind", "1", "Select a valid choice. 1 is not one of the available choices."),
        ("platform", "myspace", "Select a valid choice. myspace is not one of the available"),
        ("platform", "javascript:alert(1)", "Select a valid choice."),
        ("ordering", "-name", "Select a valid choice. -name is not one of the available"),
        ("ordering", '=HYPERLINK("http://x")', "Select a valid choice."),
        ("q", HUGE, "Ensure this value has at most 100 characters (it has 10000)."),
        ("q", "a\x00b", "Null characters are not allowed."),
    ],
)
def test_bad_filter_values_are_400_with_a_message(client, orgs, param, value, message):
    response = client.get(API, {param: value})
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [param]
    assert any(message in m for m in body[param]), body


@pytest.mark.parametrize(
    "value", ["", "   ", "<script>alert(1)</script>", "javascript:alert(1)", "M\u0430yo", "%_"]
)
def test_search_garbage_is_harmless(client, orgs, value):
    response = client.get(API, {"q": value})
    assert response.status_code == 200
    assert response.json()["count"] == (4 if not value.strip() else 0)


def test_queries_do_not_grow_with_page_size(client, db, settings):
    settings.HCSM_LIST_CACHE_SECONDS = 0  # count the COUNT query on every request
    for i in range(60):
        make_org(
            name=f"Api Count Hospital {i}",
            countries=["US", "CA"],
            regions=["US-MN"],
            accounts=[
                {"platform": "x", "value": f"apicount{i}"},
                {"platform": "facebook", "value": f"apicount.fb{i}"},
                {"platform": "instagram", "value": f"apicount_ig{i}"},
            ],
        )
    counts = {}
    for size in (5, 50):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(API, {"page_size": size, "country": "US", "ordering": "accounts"})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        assert all(len(r["accounts"]) == 3 for r in response.json()["results"])
        counts[size] = len(ctx.captured_queries)
    assert counts[5] == counts[50]
    assert counts[50] <= 6


# One organization ---------------------------------------------------------------------------


def test_detail(client, orgs):
    mayo = orgs["mayo"]
    response = client.get(f"{API}{mayo.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == mayo.pk
    assert body["name"] == "Mayo Clinic"
    assert body["url"] == f"http://testserver/list/{mayo.slug}/"
    assert [a["platform"] for a in body["accounts"]] == ["facebook", "instagram", "x"]
    # The list's row and the detail agree; the detail adds the listing's place in a system.
    row = next(r for r in client.get(API).json()["results"] if r["id"] == mayo.pk)
    detail_only = {"parent": None, "members": [], "member_count": 0}
    assert {k: v for k, v in body.items() if k not in detail_only} == row
    assert {k: body[k] for k in detail_only} == detail_only


@pytest.mark.parametrize("path", ["999999/", "0/"])
def test_detail_404(client, orgs, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("path", ["abc/", "-1/", "<script>/"])
def test_detail_with_a_non_numeric_id_is_404(client, orgs, path):
    assert client.get(f"{API}{path}").status_code == 404


# Platforms ----------------------------------------------------------------------------------


def test_platforms(client, db):
    response = client.get("/api/v1/platforms/")
    assert response.status_code == 200
    body = response.json()
    assert [p["slug"] for p in body] == list(PLATFORMS)
    x = next(p for p in body if p["slug"] == "x")
    assert x == {"slug": "x", "name": "X (Twitter)", "major": True, "historic": False}


# Schema and docs ----------------------------------------------------------------------------


def test_schema_is_valid_openapi(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/organizations/" in schema["paths"]
    assert "/api/v1/organizations/{id}/" in schema["paths"]
    assert "/api/v1/platforms/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]}
    assert {"country", "region", "kind", "platform", "q", "ordering", "page", "page_size"} <= params
    # Read-only: no write operation is documented.
    for path, operations in schema["paths"].items():
        if path == "/api/v1/check/":  # the professionalism check: POST by design, not the list
            continue
        if path == "/api/v1/organizations/{id}/metrics/":  # staff post figures typed by hand
            assert set(operations) - {"parameters"} == {"get", "post"}
            continue
        assert set(operations) - {"parameters"} <= {"get"}, path


def test_schema_as_yaml(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/organizations/" in response.content
    assert b"openapi: 3" in response.content


def test_docs_page(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "redoc" in body.lower()
    assert "/api/v1/schema/" in body


# The cast and the methods -------------------------------------------------------------------

READ_ONLY = [API, f"{API}{{pk}}/", "/api/v1/platforms/", "/api/v1/schema/", "/api/v1/docs/"]
SHOWS = {
    API: b'"name":"Mayo Clinic"',
    f"{API}{{pk}}/": b'"name":"Mayo Clinic"',
    "/api/v1/platforms/": b'"name":"X (Twitter)"',
    "/api/v1/schema/": b"/api/v1/organizations/{id}/:",
    "/api/v1/docs/": b"redoc.standalone.js",
}


@pytest.mark.parametrize("role", CAST)
@pytest.mark.parametrize("url", READ_ONLY)
def test_the_whole_cast_may_read(client_for, orgs, role, url):
    response = client_for(role).get(url.format(pk=orgs["mayo"].pk))
    assert response.status_code == 200
    assert SHOWS[url] in response.content


@pytest.mark.parametrize("role", CAST)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", READ_ONLY)
def test_writes_are_refused(client_for, orgs, role, method, url):
    before = list(Organization.objects.values_list("pk", "name", "updated_at"))
    client = client_for(role)
    payload = json.dumps({"name": "Hacked", "kind": "other", "countries": ["US"]})
    response = getattr(client, method)(
        url.format(pk=orgs["mayo"].pk), payload, content_type="application/json"
    )
    assert response.status_code in (403, 405)
    assert list(Organization.objects.values_list("pk", "name", "updated_at")) == before


def test_the_cached_count_follows_every_write(client, db):
    make_org(countries=["NO"])
    assert client.get(API, {"country": "NO"}).json()["count"] == 1
    assert client.get(API, {"country": "NO"}).json()["count"] == 1  # from the cache
    second = make_org(countries=["NO"])
    data = client.get(API, {"country": "NO"}).json()
    assert data["count"] == 2
    assert second.name in [r["name"] for r in data["results"]]
