"""Reads for the check: whom a signed-in person's drafts are checked against."""

from __future__ import annotations

from typing import Any

from hcsm.accounts.models import VerifiedCredential

from .findings import Author


def author_for(user: Any) -> Author:
    """The signed-in author: name, confirmed credentials (verified) and pending ones (claimed).
    Anonymous visitors get an unknown author: every credential claim is unverifiable."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Author()
    rows = VerifiedCredential.objects.filter(user=user).exclude(
        status=VerifiedCredential.Status.REJECTED
    )
    verified = tuple(r.credential for r in rows if r.status == VerifiedCredential.Status.CONFIRMED)
    claimed = tuple(r.credential for r in rows if r.status == VerifiedCredential.Status.PENDING)
    return Author(name=user.name, verified=verified, claimed=claimed, known=True)


def author_from_payload(*, name: str, credentials: list[str], handles: list[str]) -> Author:
    """An author a staff caller vouches for (the evaluation checks posts this way)."""
    return Author(name=name, handles=tuple(handles), verified=tuple(credentials), known=True)
