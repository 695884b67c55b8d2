"""Writes on accounts: credentials people add and staff decide, and API tokens."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from hcsm.core.errors import DomainError

from .models import User, VerifiedCredential


class CredentialInvalid(DomainError):
    code = "invalid_credential"


def credential_add(
    *, user: User, credential: str, issuer: str = "", evidence: str = ""
) -> VerifiedCredential:
    value = " ".join(credential.split())
    if not value:
        raise CredentialInvalid("Enter the credential as it is written after your name, e.g. RN.")
    if len(value) > 120 or any(c in value for c in "<>=") or value.startswith(("+", "-", "@")):
        raise CredentialInvalid(
            "A credential is a short title such as MD, RN, PA-C or 'Board certified in "
            "cardiology' (at most 120 characters, no symbols)."
        )
    try:
        with transaction.atomic():
            return VerifiedCredential.objects.create(
                user=user,
                credential=value,
                issuer=issuer.strip()[:200],
                evidence=evidence.strip()[:300],
            )
    except IntegrityError:
        raise CredentialInvalid(f"'{value}' is already on your profile.") from None


def credential_decide(*, credential_id: int, by: User, confirm: bool) -> VerifiedCredential:
    """Staff confirm or reject a credential (after checking the issuer's public register)."""
    if not by.is_staff:
        raise DomainError("Only staff can confirm credentials.")
    with transaction.atomic():
        cred = VerifiedCredential.objects.select_for_update().get(pk=credential_id)
        cred.status = (
            VerifiedCredential.Status.CONFIRMED if confirm else VerifiedCredential.Status.REJECTED
        )
        cred.decided_by = by
        cred.decided_at = timezone.now()
        cred.save(update_fields=["status", "decided_by", "decided_at"])
    return cred


def api_token_reset(*, user: User) -> str:
    """A new API token for ``user``; any earlier one stops working. Returns the key, which is
    shown once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user).key
