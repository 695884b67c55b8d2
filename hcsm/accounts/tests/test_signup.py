"""Sign up with an email address, confirm it, sign out, sign in, reset the password."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache

from hcsm.core.permissions import Role, role_of

EMAIL = "new.person@example.org"
PASSWORD = "a long and unusual passphrase 7"  # noqa: S105


@pytest.fixture(autouse=True)
def _fresh_rate_limits():  # type: ignore[no-untyped-def]
    cache.clear()  # allauth keeps its rate limits in the cache
    yield
    cache.clear()


def _link(body: str, pattern: str) -> str:
    match = re.search(rf"http://testserver(/accounts/{pattern})", body)
    assert match, body
    return match.group(1)


def _signed_in_user(client):  # type: ignore[no-untyped-def]
    response = client.get("/list/my-submissions/")
    if response.status_code != 200:
        return None
    return response.wsgi_request.user


def test_the_forms_have_the_fields_we_use(client, db):
    signup = client.get("/accounts/signup/").content.decode()
    for name in ("email", "password1", "password2"):
        assert f'name="{name}"' in signup
    assert 'name="username"' not in signup
    login = client.get("/accounts/login/").content.decode()
    assert 'name="login"' in login
    assert 'name="password"' in login
    assert 'type="email" name="login"' in login
    reset = client.get("/accounts/password/reset/").content.decode()
    assert 'name="email"' in reset


def test_sign_up_confirm_sign_out_sign_in_and_reset(client, db, mailoutbox):
    # Sign up: an account, unverified, and an email with a confirmation link.
    response = client.post(
        "/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get(email=EMAIL)
    assert role_of(user) == Role.BASIC
    assert not EmailAddress.objects.get(user=user, email=EMAIL).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [EMAIL]
    confirm = _link(mailoutbox[0].body, r"confirm-email/[-:\w]+/")

    # Not signed in until the address is verified (verification is mandatory).
    assert _signed_in_user(client) is None
    response = client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert _signed_in_user(client) is None
    assert len(mailoutbox) >= 1

    # Opening the link shows a button; it does not confirm on GET.
    response = client.get(confirm)
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    assert not EmailAddress.objects.get(user=user, email=EMAIL).verified
    # Confirming verifies the address and signs in.
    response = client.post(confirm)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user, email=EMAIL).verified
    signed_in = _signed_in_user(client)
    assert signed_in is not None
    assert signed_in.email == EMAIL

    # Sign out.
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _signed_in_user(client) is None

    # A wrong password is refused with a message.
    response = client.post("/accounts/login/", {"login": EMAIL, "password": "wrong password 1"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert _signed_in_user(client) is None

    # Sign in with the right one.
    response = client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/list/"
    assert _signed_in_user(client).email == EMAIL
    client.post("/accounts/logout/")

    # Password reset: an email with a link that leads to a form for a new password.
    mailoutbox.clear()
    response = client.post("/accounts/password/reset/", {"email": EMAIL})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [EMAIL]
    reset = _link(mailoutbox[0].body, r"password/reset/key/[0-9A-Za-z]+-[-\w]+/")
    response = client.get(reset, follow=True)
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()
    new_password = "another long passphrase 8"  # noqa: S105
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else reset,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    response = client.post("/accounts/login/", {"login": EMAIL, "password": new_password})
    assert response.status_code == 302
    assert _signed_in_user(client).email == EMAIL


def test_reset_for_an_unknown_address_reveals_nothing(client, db, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    # allauth may tell the address that it has no account, but never anyone else.
    assert all(m.to == ["nobody@example.org"] for m in mailoutbox)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "password1": PASSWORD, "password2": PASSWORD}, "email", "required"),
        ({"email": "not-an-email", "password1": PASSWORD, "password2": PASSWORD}, "email", ""),
        (
            {"email": "<script>@example.org", "password1": PASSWORD, "password2": PASSWORD},
            "email",
            "",
        ),
        ({"email": EMAIL, "password1": "short", "password2": "short"}, "password1", "short"),
        ({"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD + "x"}, "password2", ""),
        (
            {"email": EMAIL, "password1": "password123", "password2": "password123"},
            "password1",
            "common",
        ),
    ],
)
def test_sign_up_garbage_is_refused(client, db, mailoutbox, data, field, message):
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert not get_user_model().objects.exists()
    assert mailoutbox == []
    assert "<script>@" not in response.content.decode()


def test_signing_up_twice_with_one_address(client, db, mailoutbox, cast):
    response = client.post(
        "/accounts/signup/",
        {"email": "basic@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    # Either refused with a message or sent on as usual without revealing the account; never
    # a second account for the address.
    assert response.status_code in (200, 302)
    assert get_user_model().objects.filter(email__iexact="basic@example.org").count() == 1
