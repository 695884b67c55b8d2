from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hcsm.core.errors import DomainError
from hcsm.core.permissions import Perm, require

from . import selectors, services
from .forms import CredentialForm


@require(Perm.PROFILE_VIEW)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Your credentials (which the professionalism check compares claims with) and your API
    token."""
    form = CredentialForm(request.POST if request.POST.get("action") == "credential" else None)
    token = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "token":
            token = services.api_token_reset(user=request.user)  # type: ignore[arg-type]
        elif action == "credential" and form.is_valid():
            try:
                services.credential_add(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error("credential", exc.message)
                status = 400
            else:
                messages.success(
                    request,
                    "Added. Staff will check it with the issuer; until then the check treats it "
                    "as unverified.",
                )
                return redirect("accounts:profile")
        elif action == "credential":
            status = 400
        else:
            messages.error(request, "That action is not known; nothing was changed.")
            return redirect("accounts:profile")
    response = render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "credentials": selectors.credentials_of(request.user),  # type: ignore[arg-type]
            "has_token": selectors.has_api_token(request.user),  # type: ignore[arg-type]
            "token": token,
        },
        status=status,
    )
    if token:
        response["Cache-Control"] = "no-store"
    return response
