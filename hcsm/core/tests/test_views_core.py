"""The home page and /healthz."""

from __future__ import annotations

import html

import pytest
from django.db import OperationalError

from conftest import CAST
from hcsm.core import views as core_views
from hcsm.directory.models import Organization
from hcsm.directory.tests.factories import make_org


@pytest.fixture
def orgs(db):  # type: ignore[no-untyped-def]
    return [
        make_org(name="Mayo Clinic", countries=["US"]),
        make_org(name="Cleveland Clinic", countries=["US"]),
        make_org(name="Great Ormond Street Hospital", countries=["GB"]),
    ]


@pytest.mark.parametrize("role", CAST)
def test_home_for_the_cast(client_for, orgs, role):
    response = client_for(role).get("/")
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "<h1>The Health Care Social Media List</h1>" in body
    assert "<strong>3</strong> organizations listed" in body
    assert '<a href="/list/?country=US">United States</a>' in body
    assert '<a href="/list/?country=GB">United Kingdom</a>' in body
    assert body.index("United States") < body.index("United Kingdom")  # most first
    assert '<form method="get" action="/list/" role="search">' in body
    assert 'href="/list/add/"' in body
    # The navigation fits the role.
    assert ("Sign out" in body) == (role != "anonymous")
    assert ('href="/accounts/login/"' in body) == (role == "anonymous")
    assert ('href="/list/my-submissions/"' in body) == (role != "anonymous")
    assert ('href="/moderation/"' in body) == (role == "staff")
    assert ('href="/admin/"' in body) == (role == "staff")


def test_home_counts_only_published_organizations(client, orgs):
    Organization.objects.filter(pk=orgs[2].pk).update(status="hidden")
    body = html.unescape(client.get("/").content.decode())
    assert "<strong>2</strong> organizations listed" in body
    assert "United Kingdom" not in body


def test_home_of_an_empty_list(client, db):
    body = client.get("/").content.decode()
    assert "<strong>0</strong> organizations listed." in body


def test_home_queries_are_constant(client, db, django_assert_max_num_queries):
    make_org(countries=["US"])
    with django_assert_max_num_queries(5) as ctx:
        client.get("/")
    few = len(ctx.captured_queries)
    for code in ("GB", "DE", "FR", "CA", "IN", "BR", "JP", "AU", "MX", "NG"):
        make_org(countries=[code])
    with django_assert_max_num_queries(few):
        client.get("/")


@pytest.mark.parametrize("role", CAST)
def test_healthz_ok(client_for, role):
    response = client_for(role).get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


class _BrokenConnection:
    def cursor(self):  # type: ignore[no-untyped-def]
        raise OperationalError("could not connect to server: Connection refused")


class _FailingCursor:
    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute(self, sql: str) -> None:
        raise OperationalError("database is locked")

    def fetchone(self) -> None:  # pragma: no cover - never reached
        return None


class _ConnectionWithFailingCursor:
    def cursor(self) -> _FailingCursor:
        return _FailingCursor()


@pytest.mark.parametrize("connection", [_BrokenConnection(), _ConnectionWithFailingCursor()])
def test_healthz_is_503_when_the_database_does_not_answer(client, db, monkeypatch, connection):
    monkeypatch.setattr(core_views, "connection", connection)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    # The error text (which may name hosts or users) is not shown.
    assert b"refused" not in response.content
    assert b"locked" not in response.content


def test_healthz_refuses_nothing_but_answers_head(client, db):
    assert client.head("/healthz").status_code == 200
