"""Who may do what: RULES, role_of, and a guard that every URL of the site names a permission."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, path
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from conftest import CAST
from hcsm.core.permissions import (
    RULES,
    DenyByDefault,
    Perm,
    Role,
    api_permission,
    can,
    require,
    role_of,
)
from hcsm.directory import services
from hcsm.directory.tests.factories import make_org, org_data

# Roles and rules ----------------------------------------------------------------------------


def test_roles_are_ordered():
    assert Role.ANONYMOUS < Role.BASIC < Role.MEMBER < Role.ORG_ADMIN < Role.STAFF
    assert [r.label for r in Role] == ["anonymous", "basic", "member", "org admin", "staff"]


def test_every_permission_has_a_rule():
    assert set(RULES) == set(Perm)
    assert all(isinstance(role, Role) for role in RULES.values())


def test_rules_as_documented():
    assert RULES == {
        Perm.LIST_VIEW: Role.ANONYMOUS,
        Perm.LIST_EXPORT: Role.ANONYMOUS,
        Perm.API_READ: Role.ANONYMOUS,
        Perm.SUBMISSION_CREATE: Role.BASIC,
        Perm.SUBMISSION_VIEW_OWN: Role.BASIC,
        Perm.MODERATE: Role.STAFF,
        Perm.CHECK_USE: Role.ANONYMOUS,
        Perm.CHECK_ON_BEHALF: Role.STAFF,
        Perm.PROFILE_VIEW: Role.BASIC,
        Perm.METRICS_STATUS: Role.STAFF,
        Perm.REGISTRY_REVIEW: Role.STAFF,
        Perm.METRICS_ENTER: Role.STAFF,
    }


@pytest.mark.parametrize("role", CAST)
def test_role_of_the_cast(cast, role):
    assert role_of(cast[role]) == Role[role.upper()]


def test_role_of_edge_cases(db):
    assert role_of(None) == Role.ANONYMOUS
    assert role_of(AnonymousUser()) == Role.ANONYMOUS
    user_model = get_user_model()
    inactive = user_model.objects.create_user(
        email="gone@example.org", password="x", is_staff=True, is_active=False
    )
    assert role_of(inactive) == Role.ANONYMOUS
    superuser = user_model.objects.create_superuser(email="root@example.org", password="x")
    assert role_of(superuser) == Role.STAFF
    # Flags rank: staff beats org admin beats member.
    both = user_model.objects.create_user(
        email="both@example.org", password="x", is_member=True, is_org_admin=True, is_staff=True
    )
    assert role_of(both) == Role.STAFF
    leader_only = user_model.objects.create_user(
        email="leader2@example.org", password="x", is_org_admin=True
    )
    assert role_of(leader_only) == Role.ORG_ADMIN


EXPECTED = {
    #                         anonymous basic  member org_admin staff
    Perm.LIST_VIEW: (True, True, True, True, True),
    Perm.LIST_EXPORT: (True, True, True, True, True),
    Perm.API_READ: (True, True, True, True, True),
    Perm.SUBMISSION_CREATE: (False, True, True, True, True),
    Perm.SUBMISSION_VIEW_OWN: (False, True, True, True, True),
    Perm.MODERATE: (False, False, False, False, True),
    Perm.CHECK_USE: (True, True, True, True, True),
    Perm.CHECK_ON_BEHALF: (False, False, False, False, True),
    Perm.PROFILE_VIEW: (False, True, True, True, True),
    Perm.METRICS_STATUS: (False, False, False, False, True),
    Perm.REGISTRY_REVIEW: (False, False, False, False, True),
    Perm.METRICS_ENTER: (False, False, False, False, True),
}


@pytest.mark.parametrize("perm", list(Perm))
def test_can_across_the_cast(cast, perm):
    assert tuple(can(cast[role], perm) for role in CAST) == EXPECTED[perm]


@pytest.mark.parametrize("perm", list(Perm))
def test_api_permission_across_the_cast(cast, perm):
    permission = api_permission(perm)()
    factory = RequestFactory()
    got = []
    for role in CAST:
        request = factory.get("/")
        request.user = cast[role] or AnonymousUser()
        got.append(permission.has_permission(request, None))
    assert tuple(got) == EXPECTED[perm]
    assert perm.value in permission.message


def test_deny_by_default_denies_everyone(cast):
    request = RequestFactory().get("/")
    for role in CAST:
        request.user = cast[role] or AnonymousUser()
        assert DenyByDefault().has_permission(request, None) is False


def test_require_sends_anonymous_to_sign_in_and_refuses_others(cast):
    @require(Perm.MODERATE)
    def view(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    assert view.required_perm == Perm.MODERATE
    factory = RequestFactory()
    request = factory.get("/somewhere/?a=1")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/somewhere/%3Fa%3D1"
    for role in ("basic", "member", "org_admin"):
        request = factory.get("/")
        request.user = cast[role]
        with pytest.raises(PermissionDenied, match=r"\(moderate\)"):
            view(request)
    request = factory.get("/")
    request.user = cast["staff"]
    assert view(request).content == b"ok"


# Every URL names a permission ---------------------------------------------------------------

# Views we do not write and that guard themselves, by (route prefix, module prefix).
ALLOWED_THIRD_PARTY = [
    ("accounts/", "allauth."),  # sign in, sign up, password reset: for everyone by design
    ("admin/", "django.contrib."),  # the admin checks is_staff itself
    ("admin/", "django.views.generic.base"),  # the admin's redirect views
]
# Our own views that are open on purpose.
ALLOWED_OURS = {("healthz", "hcsm.core.views.healthz")}


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _named_permission(cls: type[BasePermission]) -> bool:
    """A class made by ``api_permission`` for one of our ``Perm``s."""
    return (
        isinstance(cls, type)
        and issubclass(cls, BasePermission)
        and cls is not DenyByDefault
        and cls.__qualname__ == "api_permission.<locals>.HasPerm"
        and cls.__name__.removeprefix("Has_") in Perm.__members__
    )


def problem(route: str, callback: Any) -> str | None:
    """Why ``callback`` is not covered by a permission, or None when it is."""
    module = getattr(callback, "__module__", "") or ""
    dotted = f"{module}.{getattr(callback, '__name__', '?')}"
    if (route, dotted) in ALLOWED_OURS:
        return None
    view_class = getattr(callback, "cls", None)
    if view_class is not None and issubclass(view_class, APIView):
        initkwargs = getattr(callback, "initkwargs", {}) or {}
        classes = list(initkwargs.get("permission_classes", view_class.permission_classes))
        if not classes:
            return f"{route}: {dotted} has no permission_classes"
        bad = [c for c in classes if not _named_permission(c)]
        if bad:
            return f"{route}: {dotted} uses {bad}, not api_permission(Perm.X)"
        return None
    perm = getattr(callback, "required_perm", None)
    if perm is not None:
        return None if perm in RULES else f"{route}: {dotted} names an unknown permission {perm}"
    for route_prefix, module_prefix in ALLOWED_THIRD_PARTY:
        if route.startswith(route_prefix) and module.startswith(module_prefix):
            return None
    return f"{route}: {dotted} has no @require(Perm.X)"


def problems(patterns: list[Any]) -> list[str]:
    return [p for route, pattern in walk(patterns) if (p := problem(route, pattern.callback))]


def test_every_url_of_the_site_is_covered_by_a_permission():
    assert problems(get_resolver().url_patterns) == []


def test_the_walk_sees_our_views():
    routes = {route for route, _ in walk(get_resolver().url_patterns)}
    for route in (
        "",
        "healthz",
        "list/",
        "list/export.csv",
        "list/add/",
        "list/<slug:slug>/suggest/",
        "moderation/<int:pk>/",
        "api/v1/organizations/",
        "api/v1/schema/",
    ):
        assert route in routes


# The guard must be able to fail: feed it the mistakes it exists to catch.


def _unguarded(request: Any) -> HttpResponse:
    return HttpResponse("open")


@require(Perm.LIST_VIEW)
def _guarded(request: Any) -> HttpResponse:
    return HttpResponse("ok")


class _DefaultAPI(APIView):
    def get(self, request: Any) -> Response:
        return Response({})


class _OpenAPI(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Any) -> Response:
        return Response({})


class _GoodAPI(APIView):
    permission_classes = [api_permission(Perm.API_READ)]

    def get(self, request: Any) -> Response:
        return Response({})


class _HomeMadePermission(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return True


def test_the_guard_catches_unguarded_views():
    patterns = [
        path("ok/", _guarded),
        path("open/", _unguarded),
        path("api/default/", _DefaultAPI.as_view()),
        path("api/open/", _OpenAPI.as_view()),
        path("api/good/", _GoodAPI.as_view()),
        path("api/override/", _GoodAPI.as_view(permission_classes=[AllowAny])),
        path("api/homemade/", _GoodAPI.as_view(permission_classes=[_HomeMadePermission])),
        path("api/none/", _GoodAPI.as_view(permission_classes=[])),
        path("accounts/ours/", _unguarded),  # our view under allauth's prefix
        path("admin/ours/", _unguarded),  # our view under the admin's prefix
        path("healthz2", _unguarded),
    ]
    found = problems(patterns)
    assert [f.split(":")[0] for f in found] == [
        "open/",
        "api/default/",
        "api/open/",
        "api/override/",
        "api/homemade/",
        "api/none/",
        "accounts/ours/",
        "admin/ours/",
        "healthz2",
    ]


# Every guarded page, for the whole cast -----------------------------------------------------


@pytest.fixture
def url_args(cast):  # type: ignore[no-untyped-def]
    org = make_org(name="Permission Test Hospital")
    sub = services.submission_create(
        submitter=cast["basic"], data=org_data(), relationship="public"
    )
    account_id = org.accounts.first().pk
    return {"slug": org.slug, "pk": sub.pk, "table": "states", "account_id": account_id}


def _guarded_routes() -> list[tuple[str, URLPattern]]:
    return [
        (route, pattern)
        for route, pattern in walk(get_resolver().url_patterns)
        if getattr(pattern.callback, "required_perm", None) is not None
    ]


def _url(route: str, args: dict[str, object]) -> str:
    for name, value in args.items():
        route = route.replace(f"<slug:{name}>", str(value)).replace(f"<int:{name}>", str(value))
    return "/" + route


@pytest.mark.parametrize("role", CAST)
def test_every_guarded_page_follows_its_rule_for_the_cast(client_for, cast, url_args, role):
    client = client_for(role)
    checked = 0
    for route, pattern in _guarded_routes():
        url = _url(route, url_args)
        assert "<" not in url, url
        response = client.get(url)
        if can(cast[role], pattern.callback.required_perm):
            assert response.status_code == 200, url
        elif role == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/?next="), url
        else:
            assert response.status_code == 403, url
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("role", CAST)
def test_every_api_endpoint_follows_its_rule_for_the_cast(client_for, cast, url_args, role):
    client = client_for(role)
    org_pk = make_org().pk
    for route, pattern in walk(get_resolver().url_patterns):
        if not route.startswith("api/"):
            continue
        url = "/" + route.replace("<int:pk>", str(org_pk))
        if hasattr(pattern.callback.cls, "get"):
            response = client.get(url)
        else:  # a POST-only endpoint (the professionalism check)
            response = client.post(url, {"text": "hello"}, content_type="application/json")
        classes = pattern.callback.initkwargs.get(
            "permission_classes", pattern.callback.cls.permission_classes
        )
        perms = [Perm[c.__name__.removeprefix("Has_")] for c in classes]
        assert perms, url
        allowed = all(can(cast[role], p) for p in perms)
        assert response.status_code == (200 if allowed else 403), url
