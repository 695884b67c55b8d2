"""The grid /list/ and the organization page /list/<slug>/."""

from __future__ import annotations

import html
import itertools
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import CAST
from hcsm.directory import services
from hcsm.directory.models import Organization
from hcsm.directory.tests.factories import make_org, org_data

LIST = "/list/"
HTMX = {"HX-Request": "true", "HX-Target": "results"}


@pytest.fixture
def orgs(db):  # type: ignore[no-untyped-def]
    """Five listings across countries, regions, kinds and platforms, created in this order."""
    return {
        "mayo": make_org(
            name="Mayo Clinic",
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
                {"platform": "instagram", "value": "@mayoclinic"},
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
            accounts=[
                {"value": "https://www.facebook.com/Charite.Berlin"},
                {"platform": "instagram", "value": "charite.berlin"},
            ],
        ),
        "spf": make_org(
            name="Santé publique France",
            kind="public_health_agency",
            countries=["FR"],
            accounts=[],
        ),
    }


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.name for o in response.context["page"].object_list]


def row_names(body: str) -> list[str]:
    """Names in the grid's rows, read from the HTML (partials carry no test context)."""
    return [
        html.unescape(n) for n in re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a>', body)
    ]


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def facet(response, group: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {f.value: f.count for f in getattr(response.context["facets"], group)}


# Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", CAST)
def test_the_whole_cast_sees_the_grid_and_an_organization(client_for, orgs, role):
    client = client_for(role)
    response = client.get(LIST)
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(o.name for o in orgs.values())
    page = client.get(f"/list/{orgs['mayo'].slug}/")
    assert page.status_code == 200
    assert "Mayo Clinic" in text(page)


# Filters ------------------------------------------------------------------------------------


def test_without_filters_every_published_organization_is_listed_by_name(client, orgs):
    response = client.get(LIST)
    assert response.status_code == 200
    assert names(response) == [
        "Charité Berlin",
        "Cleveland Clinic",
        "Great Ormond Street Hospital",
        "Mayo Clinic",
        "Santé publique France",
    ]
    body = text(response)
    assert "<strong>5</strong> organizations" in body
    for org in orgs.values():
        assert f'href="/list/{org.slug}/"' in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=US", {"Mayo Clinic", "Cleveland Clinic"}),
        ("country=us", {"Mayo Clinic", "Cleveland Clinic"}),
        ("country=United+States", {"Mayo Clinic", "Cleveland Clinic"}),
        ("country=GB", {"Great Ormond Street Hospital"}),
        ("region=US-MN", {"Mayo Clinic"}),
        ("region=us-oh", {"Cleveland Clinic"}),
        ("kind=hospital", {"Cleveland Clinic", "Great Ormond Street Hospital", "Charité Berlin"}),
        ("kind=public_health_agency", {"Santé publique France"}),
        ("platform=x", {"Mayo Clinic", "Cleveland Clinic", "Great Ormond Street Hospital"}),
        ("platform=instagram", {"Mayo Clinic", "Charité Berlin"}),
        ("platform=youtube", {"Cleveland Clinic"}),
        ("platform=tiktok", set()),
        ("q=mayo", {"Mayo Clinic"}),
        ("q=MAYO+clinic", {"Mayo Clinic"}),
        ("q=clinic", {"Mayo Clinic", "Cleveland Clinic"}),
        ("q=charite", {"Charité Berlin"}),  # accent-insensitive
        ("q=GOSHCharity", {"Great Ormond Street Hospital"}),  # handles are searched
        ("q=sante+france", {"Santé publique France"}),
        ("q=nothing-like-this", set()),
        ("country=US&kind=hospital", {"Cleveland Clinic"}),
        ("country=US&platform=instagram", {"Mayo Clinic"}),
        ("kind=hospital&platform=facebook&q=berlin", {"Charité Berlin"}),
    ],
)
def test_filters_narrow_the_grid(client, orgs, query, expected):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert set(names(response)) == expected
    assert response.context["facets"].total == len(expected)
    assert response.context["errors"] == []
    body = text(response)
    assert f"<strong>{len(expected)}</strong> organization" in body
    for org in orgs.values():
        assert (f'href="/list/{org.slug}/"' in body) == (org.name in expected)


def test_a_country_filter_is_described_in_words(client, orgs):
    body = text(client.get(f"{LIST}?country=US&region=US-MN&platform=instagram&q=mayo"))
    assert "matching “mayo”" in body
    assert "in United States (Minnesota)" in body
    assert "with an account on Instagram" in body


def test_hidden_organizations_are_not_in_the_grid(client, orgs):
    Organization.objects.filter(pk=orgs["mayo"].pk).update(status="hidden")
    response = client.get(LIST)
    assert "Mayo Clinic" not in names(response)
    assert response.context["facets"].total == 4
    assert facet(response, "countries")["US"] == 1


# Ordering -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (
            "name",
            [
                "Charité Berlin",
                "Cleveland Clinic",
                "Great Ormond Street Hospital",
                "Mayo Clinic",
                "Santé publique France",
            ],
        ),
        (
            "country",
            [
                "Charité Berlin",  # DE
                "Santé publique France",  # FR
                "Great Ormond Street Hospital",  # GB
                "Cleveland Clinic",  # US
                "Mayo Clinic",  # US
            ],
        ),
        (
            "newest",
            [
                "Santé publique France",
                "Charité Berlin",
                "Great Ormond Street Hospital",
                "Cleveland Clinic",
                "Mayo Clinic",
            ],
        ),
        (
            "accounts",
            [
                "Mayo Clinic",  # 3
                "Charité Berlin",  # 2
                "Cleveland Clinic",  # 2
                "Great Ormond Street Hospital",  # 1
                "Santé publique France",  # 0
            ],
        ),
    ],
)
def test_each_ordering(client, orgs, ordering, expected):
    response = client.get(f"{LIST}?ordering={ordering}")
    assert response.status_code == 200
    assert names(response) == expected
    assert f'<option value="{ordering}" selected>' in response.content.decode()


def test_ordering_combines_with_a_filter(client, orgs):
    response = client.get(f"{LIST}?ordering=newest&country=US")
    assert names(response) == ["Cleveland Clinic", "Mayo Clinic"]


# Facets -------------------------------------------------------------------------------------


def test_facets_count_the_whole_list(client, orgs):
    response = client.get(LIST)
    assert facet(response, "countries") == {"US": 2, "GB": 1, "DE": 1, "FR": 1}
    assert facet(response, "kinds") == {
        "hospital": 3,
        "health_system": 1,
        "public_health_agency": 1,
    }
    assert facet(response, "platforms") == {"x": 3, "facebook": 2, "instagram": 2, "youtube": 1}


def test_facets_count_the_current_filter(client, orgs):
    response = client.get(f"{LIST}?country=US")
    assert facet(response, "countries") == {"US": 2}
    assert facet(response, "kinds") == {"hospital": 1, "health_system": 1}
    assert facet(response, "platforms") == {"x": 2, "facebook": 1, "instagram": 1, "youtube": 1}

    response = client.get(f"{LIST}?platform=instagram")
    assert facet(response, "countries") == {"US": 1, "DE": 1}
    assert facet(response, "platforms") == {"instagram": 2, "facebook": 2, "x": 1}


def test_facets_shown_on_the_page_with_their_counts(client, orgs):
    body = text(client.get(f"{LIST}?kind=hospital"))
    assert ">Germany</a><span>1</span>" in body
    assert ">United Kingdom</a><span>1</span>" in body
    assert ">United States</a><span>1</span>" in body
    assert ">Hospital</a><span>3</span>" in body


def test_facets_are_empty_when_nothing_matches(client, orgs):
    response = client.get(f"{LIST}?q=zzzzzz")
    facets = response.context["facets"]
    assert (facets.total, facets.platforms, facets.countries, facets.kinds) == (0, [], [], [])
    assert "No organization matches" in text(response)


# Pagination and the state in the URL --------------------------------------------------------


def test_pagination_pages_through_the_filter(client, orgs, settings):
    settings.HCSM_LIST_PAGE_SIZE = 2
    response = client.get(f"{LIST}?ordering=name")
    assert names(response) == ["Charité Berlin", "Cleveland Clinic"]
    body = response.content.decode()
    assert "Page 1 of 3" in body
    assert "Next →" in body
    assert "← Previous" not in body

    response = client.get(f"{LIST}?ordering=name&page=2")
    assert names(response) == ["Great Ormond Street Hospital", "Mayo Clinic"]
    body = response.content.decode()
    assert "Page 2 of 3" in body
    assert "← Previous" in body
    assert "Next →" in body

    response = client.get(f"{LIST}?ordering=name&page=3")
    assert names(response) == ["Santé publique France"]
    assert "Next →" not in response.content.decode()


def test_pagination_with_a_filter_counts_only_the_filter(client, orgs, settings):
    settings.HCSM_LIST_PAGE_SIZE = 2
    response = client.get(f"{LIST}?kind=hospital&ordering=newest")
    assert names(response) == ["Charité Berlin", "Great Ormond Street Hospital"]
    assert response.context["page"].paginator.num_pages == 2
    response = client.get(f"{LIST}?kind=hospital&ordering=newest&page=2")
    assert names(response) == ["Cleveland Clinic"]


def _links(body: str, text_: str) -> list[str]:
    """The hrefs of the links whose text is ``text_``."""
    return [
        html.unescape(h) for h in re.findall(rf'<a href="([^"]*)"[^>]*>{re.escape(text_)}<', body)
    ]


def _follow(client, base: str, href: str):  # type: ignore[no-untyped-def]
    url = urljoin(f"http://testserver{base}", href)
    parts = urlsplit(url)
    return client.get(parts.path + ("?" + parts.query if parts.query else ""))


# Django 5.2's {% querystring %} starts with '?' itself; a literal '?' before it made '??country=',
# which loses the first parameter when the link is followed.
def test_pagination_links_keep_the_filter(client, orgs, settings):
    settings.HCSM_LIST_PAGE_SIZE = 2
    base = f"{LIST}?kind=hospital&ordering=newest"
    body = client.get(base).content.decode()
    assert 'href="?kind=hospital&amp;ordering=newest&amp;page=2"' in body
    assert 'hx-get="?kind=hospital&amp;ordering=newest&amp;page=2"' in body
    (next_href,) = _links(body, "Next →")
    response = _follow(client, base, next_href)
    assert names(response) == ["Cleveland Clinic"]
    (prev_href,) = _links(response.content.decode(), "← Previous")
    assert names(_follow(client, base, prev_href)) == [
        "Charité Berlin",
        "Great Ormond Street Hospital",
    ]


def test_facet_links_keep_the_current_filter(client, orgs):
    base = f"{LIST}?country=US"
    body = client.get(base).content.decode()
    # Each facet link keeps the current filter and adds its own value.
    assert 'href="?country=US&amp;platform=youtube"' in body
    assert 'href="?country=US&amp;kind=hospital"' in body
    (youtube,) = _links(body, "YouTube")
    assert names(_follow(client, base, youtube)) == ["Cleveland Clinic"]
    (hospital,) = _links(body, "Hospital")
    assert names(_follow(client, base, hospital)) == ["Cleveland Clinic"]


@pytest.mark.parametrize(
    ("page", "expected"),
    [("abc", 1), ("", 1), ("0", 3), ("-1", 3), ("99999", 3), ("1.5", 1), ("9" * 400, 3)],
)
def test_a_bad_page_number_shows_a_page(client, orgs, settings, page, expected):
    settings.HCSM_LIST_PAGE_SIZE = 2
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == expected


def test_the_url_carries_the_state(client, orgs):
    query = "q=clinic&country=US&region=US-MN&kind=health_system&platform=x&ordering=accounts"
    response = client.get(f"{LIST}?{query}")
    assert names(response) == ["Mayo Clinic"]
    body = response.content.decode()
    # The form shows what is filtered, so reloading or sharing the URL gives the same grid.
    assert 'name="q" value="clinic"' in body
    assert 'name="country" id="id_country" value="US"' in body
    assert 'name="region" id="id_region" value="US-MN"' in body
    assert '<option value="health_system" selected>' in body
    assert '<option value="x" selected>' in body
    assert '<option value="accounts" selected>' in body
    # The form pushes its state to the URL; the exports carry the same filter.
    assert 'hx-push-url="true"' in body
    assert f'href="/list/export.csv?{query.replace("&", "&amp;")}"' in body
    assert f'href="/list/export.json?{query.replace("&", "&amp;")}"' in body


# htmx ---------------------------------------------------------------------------------------


def test_htmx_request_gets_only_the_results_partial(client, orgs):
    response = client.get(f"{LIST}?country=US", headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "<form" not in body
    assert body.strip().startswith('<section id="results"')
    assert body.strip().endswith("</section>")
    assert sorted(row_names(body)) == ["Cleveland Clinic", "Mayo Clinic"]
    assert "Great Ormond Street Hospital" not in body
    assert "<strong>2</strong> organizations" in body


def test_htmx_partial_shows_filter_errors(client, orgs):
    response = client.get(f"{LIST}?country=XX", headers=HTMX)
    assert response.status_code == 200
    body = text(response)
    assert "<html" not in body
    assert "Country: “XX” is not an ISO 3166-1 country code" in body


def test_without_htmx_headers_the_whole_page_is_sent(client, orgs):
    for headers in ({}, {"HX-Request": "true", "HX-Target": "main"}):
        body = client.get(LIST, headers=headers).content.decode()
        assert "<html" in body
        assert '<form id="filters"' in body
        assert '<section id="results"' in body


# Garbage in every filter --------------------------------------------------------------------

HUGE = "x" * 10_000


@pytest.mark.parametrize("param", ["q", "country", "region", "kind", "platform", "ordering"])
def test_empty_filter_is_no_filter(client, orgs, param):
    response = client.get(LIST, {param: ""})
    assert response.status_code == 200
    assert response.context["errors"] == []
    assert len(names(response)) == 5


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("q", HUGE, "Search: Ensure this value has at most 100 characters (it has 10000)."),
        ("country", HUGE, "Country: Ensure this value has at most 60 characters"),
        ("region", HUGE, "Region: Ensure this value has at most 10 characters"),
        ("kind", HUGE, "Kind: Select a valid choice."),
        ("platform", HUGE, "Has an account on: Select a valid choice."),
        ("ordering", HUGE, "Sort by: Select a valid choice."),
        ("kind", "42", "Kind: Select a valid choice. 42 is not one of the available choices."),
        ("platform", "myspace", "Has an account on: Select a valid choice. myspace is not"),
        ("ordering", "-name", "Sort by: Select a valid choice. -name is not one of"),
        ("ordering", "name; DROP TABLE", "Sort by: Select a valid choice."),
        ("country", "XX", "Country: “XX” is not an ISO 3166-1 country code (e.g. US, GB, IN)."),
        ("country", "12", "Country: “12” is not an ISO 3166-1 country code"),
        ("country", "<script>alert(1)</script>", "Country: “<script>alert(1)</script>” is not"),
        ("country", "javascript:alert(1)", "Country: “javascript:alert(1)” is not an ISO"),
        ("country", '=HYPERLINK("http://x")', 'Country: “=HYPERLINK("http://x")” is not an ISO'),
        ("country", "U\u0405", "Country: “U\u0405” is not an ISO 3166-1"),  # Cyrillic Ѕ
        ("region", "US-XX", "Region: “US-XX” is not an ISO 3166-2 region code (e.g. US-MN)."),
        ("region", "MN", "Region: “MN” is not an ISO 3166-2 region code"),
        ("region", "<b>US</b>", "Region: “<b>US</b>” is not an ISO 3166-2"),
        ("region", "US-\u041c\u041d", "Region: “US-\u041c\u041d” is not an ISO 3166-2"),
        ("kind", "<script>", "Kind: Select a valid choice. <script> is not one of"),
        ("platform", "javascript:alert(1)", "Has an account on: Select a valid choice."),
        ("q", "null\x00byte", "Search: Null characters are not allowed."),
    ],
)
def test_garbage_filter_gives_a_clear_message(client, orgs, param, value, message):
    response = client.get(LIST, {param: value})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in html.unescape(body)
    assert "Some filters could not be used" in body
    assert 'role="alert"' in body
    # Nothing is listed for a filter that could not be read, and nothing is executed.
    assert names(response) == []
    assert "<script>alert" not in body
    assert "<b>US</b>" not in body
    assert 'href="javascript:' not in body


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<script>alert(1)</script>", []),
        ("javascript:alert(1)", []),
        ('=HYPERLINK("http://x")', []),
        ("M\u0430yo", []),  # Cyrillic а: a look-alike is a different word
        ("ＭＡＹＯ", ["Mayo Clinic"]),  # full-width letters fold to ASCII (NFKD)
        ("'; DROP TABLE directory_organization; --", []),
        ("%", []),
        ("_", []),
        ("   ", None),  # blank: no filter
        ("mayo " * 20, ["Mayo Clinic"]),  # 100 characters, words repeated
    ],
)
def test_garbage_search_is_harmless(client, orgs, value, expected):
    response = client.get(LIST, {"q": value})
    assert response.status_code == 200
    assert response.context["errors"] == []
    if expected is None:
        assert len(names(response)) == 5
    else:
        assert names(response) == expected
    body = response.content.decode()
    assert "<script>alert" not in body
    assert 'href="javascript:' not in body
    assert Organization.objects.count() == 5


def test_several_bad_filters_give_several_messages(client, orgs):
    response = client.get(LIST, {"country": "XX", "kind": "spaceship", "ordering": "random"})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert len(errors) == 3
    assert {e.split(":")[0] for e in errors} == {"Country", "Kind", "Sort by"}


def test_a_repeated_parameter_uses_the_last_value(client, orgs):
    response = client.get(f"{LIST}?country=GB&country=US")
    assert response.status_code == 200
    assert set(names(response)) == {"Mayo Clinic", "Cleveland Clinic"}


# Query count --------------------------------------------------------------------------------


_bulk = itertools.count()


def _many_orgs(n: int) -> None:
    for _ in range(n):
        i = next(_bulk)
        make_org(
            name=f"Query Count Hospital {i}",
            countries=["US", "CA"],
            regions=["US-MN"],
            accounts=[
                {"platform": "x", "value": f"qch{i}"},
                {"platform": "facebook", "value": f"qch.fb.{i}"},
                {"platform": "instagram", "value": f"qch_ig_{i}"},
                {"platform": "youtube", "value": f"https://www.youtube.com/@qchyt{i}"},
            ],
        )


def _count_queries(client, url: str, headers: dict[str, str] | None = None) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [LIST, f"{LIST}?country=US&platform=x&ordering=accounts"])
def test_grid_queries_do_not_grow_with_the_number_of_organizations(client, db, url, settings):
    settings.HCSM_LIST_CACHE_SECONDS = 0  # count the facet queries on every request
    _many_orgs(5)
    few = _count_queries(client, url)
    _many_orgs(35)
    assert Organization.objects.count() == 40
    response = client.get(url)
    assert len(names(response)) == 40
    many = _count_queries(client, url)
    assert few == many
    assert many <= 8


def test_grid_queries_for_a_signed_in_user_are_constant(client_for, db, settings):
    settings.HCSM_LIST_CACHE_SECONDS = 0
    client = client_for("staff")
    _many_orgs(5)
    few = _count_queries(client, LIST)
    _many_orgs(35)
    assert _count_queries(client, LIST) == few


def test_htmx_partial_queries_are_constant(client, db, django_assert_max_num_queries, settings):
    settings.HCSM_LIST_CACHE_SECONDS = 0
    _many_orgs(5)
    few = _count_queries(client, LIST, HTMX)
    _many_orgs(35)
    with django_assert_max_num_queries(few):
        response = client.get(LIST, headers=HTMX)
    assert len(row_names(response.content.decode())) == 40


# The organization page ----------------------------------------------------------------------


def test_organization_page_shows_accounts_identifiers_and_history(client, orgs, cast):
    mayo = orgs["mayo"]
    services.organization_update(
        organization=mayo,
        data=org_data(
            name="Mayo Clinic",
            kind="health_system",
            other_names=["Mayo"],
            countries=["US"],
            regions=["US-MN", "US-AZ"],
            city="Rochester",
            website="https://www.mayoclinic.org/",
            wikidata="Q1127387",
            ccn="240010",
            accounts=[
                {"value": "https://twitter.com/MayoClinic?s=20"},
                {"value": "https://www.facebook.com/MayoClinic/"},
                {"platform": "instagram", "value": "@mayoclinic"},
                {"value": "https://www.linkedin.com/company/mayo-clinic", "label": "Careers"},
            ],
        ),
        actor=cast["staff"],
        actor_label="moderator",
    )
    response = client.get(f"/list/{mayo.slug}/")
    assert response.status_code == 200
    body = text(response)
    assert "<h1>Mayo Clinic</h1>" in body
    assert "Health system · Rochester" in body
    assert "Also known as: Mayo" in body
    assert '<a href="/list/?country=US">United States</a>' in body
    assert '<a href="/list/?region=US-MN">Minnesota</a>' in body
    assert '<a href="/list/?region=US-AZ">Arizona</a>' in body
    # Accounts, with canonical links.
    assert '<a href="https://x.com/MayoClinic" rel="nofollow noopener">MayoClinic</a>' in body
    assert 'href="https://www.facebook.com/MayoClinic"' in body
    assert 'href="https://www.instagram.com/mayoclinic/"' in body or (
        'href="https://www.instagram.com/mayoclinic"' in body
    )
    assert "mayo-clinic" in body
    # Identifiers.
    assert 'href="https://www.mayoclinic.org/"' in body
    assert 'href="https://www.wikidata.org/wiki/Q1127387"' in body
    assert "<dd>240010</dd>" in body
    assert f"<dd>{mayo.pk} (" in body
    assert f'href="/api/v1/organizations/{mayo.pk}/"' in body
    assert f'href="/list/{mayo.slug}/suggest/"' in body
    # History: newest first, what changed.
    history = response.context["history"]
    assert [c.action for c in history] == ["updated", "created"]
    history_html = body[body.index("<h2>History</h2>") :]
    assert history_html.index("Updated:") < history_html.index("Listed:")
    assert "<li>Other names: — → Mayo</li>" in history_html
    assert "<li>Regions: US-MN → US-MN, US-AZ</li>" in history_html
    assert "<li>Accounts: added LinkedIn: mayo-clinic (Careers)</li>" in history_html
    assert "<li>Name: — → Mayo Clinic</li>" in history_html


def test_organization_page_of_a_listing_without_accounts(client, orgs):
    body = text(client.get(f"/list/{orgs['spf'].slug}/"))
    assert "No accounts are listed yet." in body
    assert "<dt>Wikidata</dt><dd>—</dd>" in body


def test_organization_page_queries_do_not_grow_with_accounts(client, db):
    small = make_org(accounts=[{"platform": "x", "value": "smallorg"}])
    big = make_org(
        countries=["US", "CA", "MX"],
        regions=["US-MN", "US-AZ", "US-FL"],
        accounts=[{"platform": "x", "value": f"bigorg{i}"} for i in range(1)]
        + [{"platform": "facebook", "value": f"bigorg.fb{i}"} for i in range(10)]
        + [{"platform": "instagram", "value": f"bigorg_ig{i}"} for i in range(10)],
    )
    for n in range(5):
        services.organization_update(
            organization=big,
            data=org_data(
                name=big.name,
                countries=["US", "CA", "MX"],
                regions=["US-MN", "US-AZ", "US-FL"],
                website=big.website,
                city=f"City {n}",
                accounts=[{"platform": "x", "value": "bigorg0"}]
                + [{"platform": "facebook", "value": f"bigorg.fb{i}"} for i in range(10)]
                + [{"platform": "instagram", "value": f"bigorg_ig{i}"} for i in range(10)],
            ),
            actor_label="test",
        )
    few = _count_queries(client, f"/list/{small.slug}/")
    many = _count_queries(client, f"/list/{big.slug}/")
    assert few == many


def test_unknown_slug_is_404(client, orgs):
    response = client.get("/list/no-such-organization/")
    assert response.status_code == 404
    assert "No organization with that address is on the list." in text(response)


def test_hidden_organization_is_404(client, orgs):
    Organization.objects.filter(pk=orgs["mayo"].pk).update(status="hidden")
    response = client.get(f"/list/{orgs['mayo'].slug}/")
    assert response.status_code == 404
    assert "Mayo Clinic" not in text(response)


@pytest.mark.parametrize("role", CAST)
def test_hidden_organization_is_404_for_the_cast(client_for, orgs, role):
    Organization.objects.filter(pk=orgs["mayo"].pk).update(status="hidden")
    assert client_for(role).get(f"/list/{orgs['mayo'].slug}/").status_code == 404
