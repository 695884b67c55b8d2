"""The grid's counts and results are cached under the list's version: a write shows at once."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hcsm.directory import selectors, services
from hcsm.directory.models import Organization
from hcsm.directory.tests.factories import make_org, org_data

LIST = "/list/"


def total_on_page(response) -> int:  # type: ignore[no-untyped-def]
    match = re.search(r"<strong>(\d+)</strong> organization", response.content.decode())
    assert match, "the grid states how many organizations match"
    return int(match.group(1))


def queries_of(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def three(db):  # type: ignore[no-untyped-def]
    return [make_org(countries=["US"]), make_org(countries=["US"]), make_org(countries=["CA"])]


def test_a_repeated_filter_does_not_count_again(client, three):
    cold = queries_of(client, f"{LIST}?country=US")
    warm = queries_of(client, f"{LIST}?country=US")
    assert warm < cold
    assert warm == 1  # the list's version; the results were rendered once
    # Another ordering keeps the counts and reads only its own page; another country counts
    # again.
    reordered = queries_of(client, f"{LIST}?country=US&ordering=newest")
    assert warm < reordered < cold
    assert queries_of(client, f"{LIST}?country=US&ordering=newest") == warm
    assert queries_of(client, f"{LIST}?country=CA") == cold


def test_a_new_listing_is_counted_and_shown_at_once(client, three):
    assert total_on_page(client.get(f"{LIST}?country=US")) == 2
    new = make_org(countries=["US"])
    response = client.get(f"{LIST}?country=US")
    assert total_on_page(response) == 3
    assert new.name in response.content.decode()


def test_an_update_is_counted_at_once(client, three):
    assert total_on_page(client.get(f"{LIST}?country=CA")) == 1
    services.organization_update(
        organization=three[0], data=org_data(name=three[0].name, countries=["CA"])
    )
    assert total_on_page(client.get(f"{LIST}?country=CA")) == 2
    assert total_on_page(client.get(f"{LIST}?country=US")) == 1


def test_hiding_a_listing_is_counted_at_once(client, three, cast):
    assert total_on_page(client.get(LIST)) == 3
    assert total_on_page(client.get("/")) == 3
    services.organization_set_status(
        organization=three[0], status=Organization.Status.HIDDEN, actor=cast["staff"]
    )
    response = client.get(LIST)
    assert total_on_page(response) == 2
    assert three[0].name not in response.content.decode()
    assert total_on_page(client.get("/")) == 2


def test_an_update_that_changes_nothing_keeps_the_version(three):
    before = selectors.list_version()
    org = three[0]
    services.organization_update(organization=org, data=services.organization_state(org))
    assert selectors.list_version() == before
    make_org()
    assert selectors.list_version() > before


def test_the_cache_can_be_turned_off(client, three, settings):
    settings.HCSM_LIST_CACHE_SECONDS = 0
    assert queries_of(client, LIST) == queries_of(client, LIST)
