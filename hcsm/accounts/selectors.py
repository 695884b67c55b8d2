"""Reads on accounts."""

from __future__ import annotations

from rest_framework.authtoken.models import Token

from .models import User, VerifiedCredential


def credentials_of(user: User) -> list[VerifiedCredential]:
    return list(VerifiedCredential.objects.filter(user=user).order_by("credential"))


def has_api_token(user: User) -> bool:
    return Token.objects.filter(user=user).exists()
