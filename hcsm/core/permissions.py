"""Who may do what: the one place that decides it.

Every page and API endpoint names a permission from ``Perm``; ``RULES`` maps it to the lowest
role that holds it. Views use ``@require(Perm.X)`` (or ``RequirePermMixin``); API views use
``api_permission(Perm.X)``. Roles are ordered: anonymous < basic < member < org admin < staff.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import SAFE_METHODS, BasePermission


class Role(enum.IntEnum):
    ANONYMOUS = 0
    BASIC = 1
    MEMBER = 2
    ORG_ADMIN = 3
    STAFF = 4

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").lower()


class Perm(enum.StrEnum):
    LIST_VIEW = "list.view"
    LIST_EXPORT = "list.export"
    API_READ = "api.read"
    SUBMISSION_CREATE = "submission.create"
    SUBMISSION_VIEW_OWN = "submission.view_own"
    MODERATE = "moderate"
    CHECK_USE = "check.use"
    CHECK_ON_BEHALF = "check.on_behalf"
    PROFILE_VIEW = "profile.view"
    METRICS_STATUS = "metrics.status"
    REGISTRY_REVIEW = "registry.review"
    METRICS_ENTER = "metrics.enter"


RULES: dict[Perm, Role] = {
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
    # Typing an organization's figures by hand. Staff only: the org admin role is a network
    # leader, not a manager of one organization, and no user is linked to an organization yet;
    # when one is, an organization's own managers can be let in here.
    Perm.METRICS_ENTER: Role.STAFF,
}


def role_of(user: Any) -> Role:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Role.ANONYMOUS
    if user.is_staff:
        return Role.STAFF
    if getattr(user, "is_org_admin", False):
        return Role.ORG_ADMIN
    if getattr(user, "is_member", False):
        return Role.MEMBER
    return Role.BASIC


def can(user: Any, perm: Perm) -> bool:
    return role_of(user) >= RULES[perm]


def require(perm: Perm) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: anonymous visitors are sent to sign in; others without the role get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if can(request.user, perm):
                return view(request, *args, **kwargs)
            if role_of(request.user) == Role.ANONYMOUS:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            raise PermissionDenied(f"Your account does not have access to this page ({perm}).")

        wrapped.required_perm = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


class DenyByDefault(BasePermission):
    """The API default: an endpoint that names no permission is closed."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return False


def api_permission(perm: Perm, *, read_only: bool = False) -> type[BasePermission]:
    """DRF permission for ``perm``; ``read_only`` also refuses every unsafe method, so a write
    handler added to a read endpoint later is closed until it names its own permission."""

    class HasPerm(BasePermission):
        message = f"Your account does not have access to this ({perm})."

        def has_permission(self, request: Any, view: Any) -> bool:
            if read_only and request.method not in SAFE_METHODS:
                return False
            return can(request.user, perm)

    HasPerm.__name__ = f"Has_{perm.name}"
    return HasPerm
