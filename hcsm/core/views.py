from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from hcsm.directory import selectors

from .permissions import Perm, require


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not. No permission: for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require(Perm.LIST_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    facets = selectors.cached_list_facets(
        selectors.published_organizations(), filter_key="{}", unfiltered=True, top_countries=8
    )
    return render(request, "core/home.html", {"facets": facets})
