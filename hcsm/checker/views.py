from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hcsm.core.errors import DomainError
from hcsm.core.permissions import Perm, require

from .check import run_check
from .forms import CheckForm
from .highlight import numbered, pieces
from .selectors import author_for
from .throttling import CheckThrottle, rate_limited_message


@require(Perm.CHECK_USE)
@require_http_methods(["GET", "POST"])
def check_page(request: HttpRequest) -> HttpResponse:
    form = CheckForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {"form": form, "max_chars": settings.HCSM_CHECKER_MAX_CHARS}
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        throttle = CheckThrottle()
        if not throttle.allow_request(request, None):
            form.add_error("text", rate_limited_message(throttle.wait()))
            status = 429
        else:
            try:
                result = run_check(text=form.cleaned_data["text"], author=author_for(request.user))
            except DomainError as exc:
                form.add_error("text", exc.message)
                status = exc.status
            else:
                context["result"] = result
                context["pieces"] = pieces(result.text, result.findings)
                context["findings"] = numbered(result.text, result.findings)
    response = render(request, "checker/check.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the draft is in the page: keep it out of caches
    return response
