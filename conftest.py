"""Shared fixtures: the standing cast of users every permission test walks through."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "correct horse battery staple 42"  # noqa: S105
CAST = ["anonymous", "basic", "member", "org_admin", "staff"]


def make_user(email: str, **flags: object):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, **flags)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def cast(db):  # type: ignore[no-untyped-def]
    """One user per role; ``cast["anonymous"]`` is None."""
    return {
        "anonymous": None,
        "basic": make_user("basic@example.org"),
        "member": make_user("member@example.org", is_member=True),
        "org_admin": make_user("leader@example.org", is_member=True, is_org_admin=True),
        "staff": make_user("staff@example.org", is_staff=True),
    }


@pytest.fixture
def client_for(cast):  # type: ignore[no-untyped-def]
    def make(role: str) -> Client:
        client = Client()
        if cast[role] is not None:
            client.force_login(cast[role])
        return client

    return make


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "http://testserver"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Each test starts with an empty cache: ids (and so cache keys) repeat across tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
