"""/check/: the page across the cast, garbage, a 100 KB paste, rate limit; nothing stored."""

from __future__ import annotations

import html
import logging

import pytest
from django.core.cache import cache

from conftest import CAST
from hcsm.accounts.models import VerifiedCredential

URL = "/check/"
DRAFT = "My pt Mrs. Alvarez, 94yo, in room 412 is going home. DM me your symptoms."


def page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


@pytest.fixture(autouse=True)
def _fresh_rate_limits():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("role", CAST)
def test_everyone_can_open_the_page_and_it_states_its_blind_spots(client_for, role: str) -> None:
    response = client_for(role).get(URL)
    assert response.status_code == 200
    body = page(response)
    assert "What the check cannot see" in body
    assert "Photos and videos" in body and "not in English" in body
    assert 'method="post"' in body  # a plain form: works without JavaScript


@pytest.mark.parametrize("role", CAST)
def test_checking_highlights_findings_for_every_role(client_for, role: str, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    response = client_for(role).post(URL, {"text": DRAFT})
    assert response.status_code == 200
    body = page(response)
    assert '<mark class="sev-block">94yo' in body
    assert "Alvarez" in body and "room 412" in body
    assert "HIPAA identifier 3" in body  # age over 89
    assert "Individual medical advice" in body
    assert "a patient in their 90s" in body  # the suggestion
    assert "do not post this as it is" in body
    assert response["Cache-Control"] == "no-store"
    assert "Alvarez" not in caplog.text  # the draft is never logged


def test_the_draft_is_not_stored(client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for("anonymous")
    with django_assert_max_num_queries(0):
        client.post(URL, {"text": DRAFT})


def test_signed_in_authors_are_checked_against_their_credentials(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    VerifiedCredential.objects.create(
        user=cast["member"], credential="RN", status=VerifiedCredential.Status.CONFIRMED
    )
    body = page(
        client_for("member").post(URL, {"text": "As a physician, I say get your flu shot."})
    )
    assert "does not match the credentials verified on your profile (RN)" in body
    body = page(
        client_for("anonymous").post(URL, {"text": "As a physician, I say get your flu shot."})
    )
    assert "cannot verify" in body


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("", 400, "Paste the text of your draft"),
        ("   \n ", 400, "Paste the text of your draft"),
        ("x" * 100 * 1024, 413, "the check takes at most 10,000"),
        ("bad\x00byte", 400, "Null characters are not allowed"),
    ],
)
def test_garbage_gets_a_clear_message_and_keeps_the_text(
    client_for, text: str, status: int, message: str
) -> None:  # type: ignore[no-untyped-def]
    response = client_for("basic").post(URL, {"text": text})
    assert response.status_code == status
    assert message in page(response)


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script> my pt Mrs. Ray in bed 2",
        '=HYPERLINK("http://evil.example","click") room 5',
        "javascript:alert(1) patient Mr. Oz",
        "Pаtient Mrs. Kоwalski in rооm 12",  # Cyrillic look-alikes
        "🙂" * 200,
    ],
)
def test_hostile_text_is_escaped_and_checked(client_for, text: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for("anonymous").post(URL, {"text": text})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def test_a_long_paste_keeps_what_was_typed(client_for) -> None:  # type: ignore[no-untyped-def]
    text = "Mrs. Alvarez " * 9000
    response = client_for("anonymous").post(URL, {"text": text})
    assert response.status_code == 413
    assert text.strip() in page(response)


def test_rate_limited_with_a_message(client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HCSM_CHECKER_RATE = "2/min"
    client = client_for("basic")
    assert client.post(URL, {"text": "hello"}).status_code == 200
    assert client.post(URL, {"text": "hello"}).status_code == 200
    response = client.post(URL, {"text": "hello"})
    assert response.status_code == 429
    assert "Try again in" in page(response)


def test_degraded_mode_is_visible(client_for, settings) -> None:  # type: ignore[no-untyped-def]
    from hcsm.checker import engine

    installed = settings.HCSM_CHECKER_SPACY_MODEL
    settings.HCSM_CHECKER_SPACY_MODEL = "no_such_model_installed"
    engine.hcsm_engine.cache_clear()
    try:
        body = page(client_for("anonymous").post(URL, {"text": "My pt in room 4, 95 yo."}))
    finally:
        settings.HCSM_CHECKER_SPACY_MODEL = installed
        engine.hcsm_engine.cache_clear()
    assert "Limited check:" in body and "not installed" in body


def test_other_methods_are_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("anonymous").put(URL).status_code == 405
