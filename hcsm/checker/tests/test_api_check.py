"""POST /api/v1/check/ across the cast, on someone's behalf, with a token, garbage, 100 KB."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import CAST
from hcsm.accounts.models import VerifiedCredential

URL = "/api/v1/check/"
DRAFT = "My pt Mrs. Alvarez, 94yo, in room 412 is going home."
FIELDS = {
    "category",
    "identifier",
    "kind",
    "start",
    "end",
    "severity",
    "confidence",
    "explanation",
    "suggestion",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def api(cast, role: str) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    if cast[role] is not None:
        client.force_login(cast[role])
    return client


@pytest.mark.parametrize("role", CAST)
def test_every_role_gets_findings(cast, role: str) -> None:  # type: ignore[no-untyped-def]
    response = api(cast, role).post(URL, {"text": DRAFT}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["degraded"] is False and body["blocking"] is True
    assert body["findings"] and all(set(f) == FIELDS for f in body["findings"])
    by_text = {DRAFT[f["start"] : f["end"]]: f for f in body["findings"]}
    assert by_text["94yo"]["identifier"] == 3 and by_text["94yo"]["severity"] == "block"
    assert by_text["room 412"]["identifier"] == 18


@pytest.mark.parametrize("role", CAST)
def test_only_staff_may_check_on_someones_behalf(cast, role: str) -> None:  # type: ignore[no-untyped-def]
    payload = {
        "text": "As a physician, get your flu shot.",
        "author": {"name": "Sam Okafor", "credentials": ["RN"]},
    }
    response = api(cast, role).post(URL, payload, format="json")
    if role == "staff":
        assert response.status_code == 200
        (finding,) = response.json()["findings"]
        assert finding["category"] == "credential" and finding["severity"] == "block"
    else:
        assert response.status_code == 403
        assert "on someone else's behalf" in response.json()["detail"]


def test_signed_in_callers_are_checked_against_their_own_profile(cast) -> None:  # type: ignore[no-untyped-def]
    VerifiedCredential.objects.create(
        user=cast["basic"], credential="MD", status=VerifiedCredential.Status.CONFIRMED
    )
    text = "As a physician, get your flu shot."
    assert api(cast, "basic").post(URL, {"text": text}, format="json").json()["findings"] == []
    (finding,) = api(cast, "anonymous").post(URL, {"text": text}, format="json").json()["findings"]
    assert finding["severity"] == "warn"


def test_token_authentication(cast) -> None:  # type: ignore[no-untyped-def]
    token = Token.objects.create(user=cast["member"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.post(URL, {"text": DRAFT}, format="json").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.post(URL, {"text": DRAFT}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({}, 400, "text"),
        ({"text": ""}, 400, "Paste the text"),
        ({"text": 42}, 400, "as text"),
        ({"text": ["a", "b"]}, 400, "as text"),
        ({"text": None}, 400, "as text"),
        ({"text": "x" * 100 * 1024}, 413, "at most 10,000"),
        ({"text": "ok", "author": "staff"}, 400, "author"),
    ],
)
def test_garbage_gets_a_clear_4xx(cast, payload, status: int, message: str) -> None:  # type: ignore[no-untyped-def]
    response = api(cast, "staff").post(URL, payload, format="json")
    assert response.status_code == status
    assert message in response.content.decode()


def test_malformed_json_is_a_400(cast) -> None:  # type: ignore[no-untyped-def]
    response = api(cast, "basic").post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_rate_limited(cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HCSM_CHECKER_RATE = "2/min"
    client = api(cast, "basic")
    for _ in range(2):
        assert client.post(URL, {"text": "hi"}, format="json").status_code == 200
    response = client.post(URL, {"text": "hi"}, format="json")
    assert response.status_code == 429
    assert "Try again in" in response.json()["detail"]


def test_get_is_not_allowed(cast) -> None:  # type: ignore[no-untyped-def]
    assert api(cast, "basic").get(URL).status_code == 405


def test_the_endpoint_is_in_the_schema(cast) -> None:  # type: ignore[no-untyped-def]
    response = api(cast, "anonymous").get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/check/" in response.content


def test_the_draft_is_never_logged_or_stored(cast, caplog, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.DEBUG)
    client = api(cast, "anonymous")
    with django_assert_max_num_queries(0):
        client.post(URL, {"text": DRAFT}, format="json")
        client.post(URL, {"text": "x" * 20_000 + " Alvarez"}, format="json")
    assert "Alvarez" not in caplog.text
