from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hcsm.core.errors import DomainError
from hcsm.core.permissions import Perm, require
from hcsm.directory.exports import safe_cell
from hcsm.directory.models import Organization
from hcsm.directory.platforms import PLATFORMS

from . import charts, selectors, services
from .connectors import CONNECTORS
from .forms import BoardForm, ManualFigureForm
from .models import Metric
from .selectors import Adoption, Board


def _board(request: HttpRequest) -> tuple[BoardForm, Board | None]:
    form = BoardForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, selectors.leaderboard(form.query())


@require(Perm.LIST_VIEW)
def leaderboards(request: HttpRequest) -> HttpResponse:
    form, board = _board(request)
    query = request.GET.copy()
    query.pop("page", None)
    weights = services.leaderboard_weights()
    return render(
        request,
        "metrics/leaderboards.html",
        {
            "form": form,
            "board": board,
            "errors": form.error_list() if board is None else [],
            "querystring": query.urlencode(),
            "weights": sorted(weights.items(), key=lambda item: (-item[1], item[0])),
            "platform_names": {slug: p.name for slug, p in PLATFORMS.items()},
        },
        status=200 if board is not None else 400,
    )


def _csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_request(lines: list[str]) -> HttpResponse:
    return HttpResponse(
        "\n".join(lines) + "\nFix the address and try again.\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def board_rows(board: Board, site: str) -> Iterable[list[Any]]:
    for r in board.rows:
        yield [
            r.position,
            r.organization.name,
            site + r.organization.get_absolute_url(),
            r.account.platform if r.account else "",
            r.account.handle if r.account else "",
            r.followers,
            "" if r.growth_30d is None else r.growth_30d,
            "" if r.score is None else r.score,
            "" if r.rank is None else r.rank,
        ]


BOARD_HEADER = [
    "position", "organization", "url", "platform", "handle", "followers", "growth_30d",
    "score", "overall_rank",
]  # fmt: skip


@require(Perm.LIST_EXPORT)
def leaderboards_csv(request: HttpRequest) -> HttpResponse:
    form, board = _board(request)
    if board is None:
        return _bad_request(form.error_list())
    site = request.build_absolute_uri("/").rstrip("/")
    return _csv_response("hcsm-leaderboard.csv", BOARD_HEADER, board_rows(board, site))


@require(Perm.LIST_VIEW)
def badge(request: HttpRequest, slug: str) -> HttpResponse:
    org = Organization.objects.filter(slug=slug, status=Organization.Status.PUBLISHED).first()
    if org is None:
        raise Http404("No organization with that address is on the list.")
    ranked = selectors.organization_rank(org)
    right = f"#{ranked[0]:,} of {ranked[1]:,}" if ranked else "not ranked yet"
    response = HttpResponse(charts.badge_svg("HCSM rank", right), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def _include_parent(request: HttpRequest) -> bool:
    return request.GET.get("parent") in ("1", "on", "true", "yes")


def _state_href(state: str) -> str:
    return reverse("metrics:leaderboards") + f"?country=US&region=US-{state}"


@require(Perm.LIST_VIEW)
def adoption(request: HttpRequest) -> HttpResponse:
    include_parent = _include_parent(request)
    fingerprint = selectors.adoption_fingerprint()
    figures = selectors.adoption_figures(include_parent=include_parent, fingerprint=fingerprint)
    shares = {
        s.key.removeprefix("US-"): (s.share, s.label)
        for s in figures.by_state
        if s.key.startswith("US-") and s.total
    }
    other = selectors.adoption_figures(include_parent=not include_parent, fingerprint=fingerprint)
    return render(
        request,
        "metrics/adoption.html",
        {
            "a": figures,
            "other": other,
            "map_svg": charts.us_tile_map(shares, href=_state_href),
            "platform_names": {slug: p.name for slug, p in PLATFORMS.items()},
            "parent_query": "parent=1" if include_parent else "",
            "tables": ADOPTION_TABLES,
        },
    )


def _share_rows(shares: list[selectors.Share], platforms: list[str]) -> Iterable[list[Any]]:
    for s in shares:
        yield [s.key, s.label, s.total, s.present, s.percent] + [
            s.by_platform.get(p, 0) for p in platforms
        ]


def _year_rows(rows: list[dict[str, Any]], platforms: list[str]) -> Iterable[list[Any]]:
    for r in rows:
        yield [r["year"], r["total"]] + [
            v for p in platforms for v in (r["values"].get(p, 0), _pct(r["yoy"].get(p)))
        ]


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value}"


ADOPTION_TABLES = {
    "platforms": "Share by platform",
    "states": "By state",
    "types": "By hospital type",
    "ownership": "By ownership",
    "accounts-by-year": "Accounts by year first listed",
    "followers-by-year": "Total followers by year",
}


def adoption_table(a: Adoption, table: str) -> tuple[list[str], Iterable[list[Any]]]:
    platforms = a.platforms
    share_header = ["key", "label", "hospitals", "with_presence", "percent"] + [
        f"on_{p}" for p in platforms
    ]
    if table == "platforms":
        return ["platform", "name", "hospitals", "with_presence", "percent"], (
            [s.key, s.label, s.total, s.present, s.percent] for s in a.by_platform
        )
    if table in ("states", "types", "ownership"):
        shares = {"states": a.by_state, "types": a.by_type, "ownership": a.by_ownership}[table]
        return share_header, _share_rows(shares, platforms)
    rows = a.accounts_by_year if table == "accounts-by-year" else a.followers_by_year
    return ["year", "total"] + [c for p in platforms for c in (p, f"{p}_yoy_percent")], _year_rows(
        rows, platforms
    )


@require(Perm.LIST_EXPORT)
def adoption_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in ADOPTION_TABLES:
        raise Http404("There is no such table; see the links on the adoption page.")
    a = selectors.adoption_figures(include_parent=_include_parent(request))
    header, rows = adoption_table(a, table)
    suffix = "-including-parent" if a.include_parent else ""
    return _csv_response(f"hcsm-adoption-{table}{suffix}.csv", header, rows)


@require(Perm.REGISTRY_REVIEW)
@require_http_methods(["GET", "POST"])
def match_review(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            match_id = int(request.POST.get("match", ""))
        except ValueError:
            match_id = 0
        if action not in ("confirm", "reject") or not match_id:
            messages.error(request, "Choose confirm or reject on one of the matches below.")
        else:
            try:
                match = services.registry_match_decide(
                    match_id=match_id, confirm=action == "confirm", staff=request.user
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    f"{match.get_status_display()}: {match.organization.name} ↔ "
                    f"{match.entry.name} ({match.entry.registry_id}).",
                )
        return redirect("metrics:review")
    pending = selectors.pending_matches()
    return render(
        request,
        "metrics/review.html",
        {"matches": list(pending[:200]), "pending_count": pending.count()},
    )


@require(Perm.METRICS_STATUS)
def refresh_status(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    status = selectors.refresh_status(day)
    platforms = []
    for slug, cls in sorted(CONNECTORS.items()):
        connector = cls()
        platforms.append(
            {
                "slug": slug,
                "name": cls.name,
                "skip": connector.skip_reason(),
                "url": connector.base_url or "(each account's own server)",
                "budget": connector.daily_budget,
                "batch_size": cls.batch_size,
                "docs": cls.docs,
                "today": dict(status["batches"].get(slug, {})),
                "failure": status["failures"].get(slug, ""),
                "statuses": status["statuses"].get(slug, {}),
            }
        )
    return render(
        request,
        "metrics/status.html",
        {
            "platforms": platforms,
            "day": day,
            "corrections": status["corrections"],
            "weights": settings.HCSM_LEADERBOARD_WEIGHTS,
        },
    )


def _account_choices(org: Organization) -> list[tuple[int, str]]:
    return [
        (a.pk, f"{PLATFORMS[a.platform].name if a.platform in PLATFORMS else a.platform}: "
               f"{a.handle}{f' ({a.label})' if a.label else ''}")
        for a in org.accounts.order_by("platform", "id")
    ]  # fmt: skip


@require(Perm.METRICS_ENTER)
@require_http_methods(["GET", "POST"])
def figures_enter(request: HttpRequest, slug: str) -> HttpResponse:
    """Type an account's figure for a day; stored through the ingest with source manual."""
    org = Organization.objects.filter(slug=slug, status=Organization.Status.PUBLISHED).first()
    if org is None:
        raise Http404("No organization with that address is on the list.")
    choices = _account_choices(org)
    status = 200
    if request.method == "POST":
        form = ManualFigureForm(request.POST, accounts=choices)
        if form.is_valid():
            try:
                figure = services.manual_figure_record(
                    organization=org, actor=request.user, **form.figure()
                )
            except services.InvalidFigure as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                level = {"stored": messages.SUCCESS, "same": messages.INFO}.get(
                    figure.outcome, messages.WARNING
                )
                messages.add_message(request, level, figure.message)
                # Back to an empty form for the same account and metric: the next day of a
                # series is one date and one number away.
                query = urlencode({"account": figure.account.pk, "metric": figure.metric})
                return redirect(reverse("metrics:figures", kwargs={"slug": org.slug}) + "?" + query)
        status = 400
    else:
        form = ManualFigureForm(
            initial={
                "day": timezone.localdate(),
                "account": request.GET.get("account", ""),
                "metric": request.GET.get("metric", Metric.FOLLOWERS),
            },
            accounts=choices,
        )
    return render(
        request,
        "metrics/figures_enter.html",
        {
            "org": org,
            "form": form,
            "has_accounts": bool(choices),
            "recent": selectors.manual_figures_recent(org),
            "corrections": selectors.manual_corrections_recent(org),
        },
        status=status,
    )
