"""One rate limit for the check, shared by the page and the API: per account when signed in,
per network address otherwise (``settings.HCSM_CHECKER_RATE``, e.g. "60/min")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class CheckThrottle(SimpleRateThrottle):
    scope = "check"

    def get_rate(self) -> str:
        return settings.HCSM_CHECKER_RATE

    def get_cache_key(self, request: Any, view: Any) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ident = f"user-{user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return f"hcsm-check-{ident}"


def rate_limited_message(wait: float | None) -> str:
    seconds = int(wait or 60) + 1
    return f"You have checked many drafts in a short time. Try again in {seconds} seconds."
