"""/profile/: credentials people add and staff confirm; API tokens."""

from __future__ import annotations

import html

import pytest
from rest_framework.authtoken.models import Token

from conftest import CAST
from hcsm.accounts import services
from hcsm.accounts.models import VerifiedCredential
from hcsm.core.errors import DomainError

URL = "/profile/"
SIGNED_IN = [r for r in CAST if r != "anonymous"]


def page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def test_anonymous_visitors_are_sent_to_sign_in(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("anonymous").get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for("anonymous").post(URL, {"action": "token"}).status_code == 302
    assert Token.objects.count() == 0


@pytest.mark.parametrize("role", SIGNED_IN)
def test_a_user_creates_a_token_shown_once(client_for, cast, role: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    assert "Create a token" in page(client.get(URL))
    response = client.post(URL, {"action": "token"})
    token = Token.objects.get(user=cast[role])
    assert token.key in page(response)
    assert response["Cache-Control"] == "no-store"
    again = page(client.get(URL))
    assert token.key not in again and "Replace my token" in again
    client.post(URL, {"action": "token"})
    assert Token.objects.get(user=cast[role]).key != token.key  # the old one stops working


@pytest.mark.parametrize("role", SIGNED_IN)
def test_a_user_adds_a_pending_credential(client_for, cast, role: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(role).post(
        URL, {"action": "credential", "credential": "RN", "issuer": "Ohio Board of Nursing"}
    )
    assert response.status_code == 302
    cred = VerifiedCredential.objects.get(user=cast[role])
    assert cred.status == VerifiedCredential.Status.PENDING
    assert "Pending review" in page(client_for(role).get(URL))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "This field is required"),
        ('=HYPERLINK("http://x")', "no symbols"),
        ("<script>", "no symbols"),
        ("x" * 500, "at most 120"),
    ],
)
def test_bad_credentials_are_refused(client_for, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for("basic").post(URL, {"action": "credential", "credential": value})
    assert response.status_code == 400
    assert message in page(response)
    assert VerifiedCredential.objects.count() == 0


def test_duplicate_credential(cast) -> None:  # type: ignore[no-untyped-def]
    services.credential_add(user=cast["basic"], credential="MD")
    with pytest.raises(DomainError, match="already on your profile"):
        services.credential_add(user=cast["basic"], credential=" MD ")


def test_unknown_action_changes_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("basic").post(URL, {"action": "drop tables"}, follow=True)
    assert "nothing was changed" in page(response)
    assert Token.objects.count() == 0 and VerifiedCredential.objects.count() == 0


def test_only_staff_decide_credentials(cast) -> None:  # type: ignore[no-untyped-def]
    cred = services.credential_add(user=cast["basic"], credential="MD")
    with pytest.raises(DomainError):
        services.credential_decide(credential_id=cred.pk, by=cast["org_admin"], confirm=True)
    services.credential_decide(credential_id=cred.pk, by=cast["staff"], confirm=True)
    cred.refresh_from_db()
    assert cred.status == VerifiedCredential.Status.CONFIRMED and cred.decided_by == cast["staff"]


def test_staff_confirm_in_the_admin(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    cast["staff"].is_superuser = True
    cast["staff"].save()
    cred = services.credential_add(user=cast["basic"], credential="PA-C")
    client = client_for("staff")
    assert client.get("/admin/accounts/verifiedcredential/").status_code == 200
    response = client.post(
        "/admin/accounts/verifiedcredential/",
        {"action": "confirm", "_selected_action": [cred.pk]},
        follow=True,
    )
    assert response.status_code == 200
    cred.refresh_from_db()
    assert cred.status == VerifiedCredential.Status.CONFIRMED
