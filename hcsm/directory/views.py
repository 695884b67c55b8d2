from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from hcsm.core.errors import DomainError
from hcsm.core.permissions import Perm, require

from . import selectors, services
from .exports import csv_stream, export_records, export_rows, json_stream
from .filters import OrganizationFilter, filter_errors
from .forms import ApproveForm, MergeForm, OrganizationForm, RejectForm, SubmissionForm
from .models import Organization, SocialAccount, Submission
from .platforms import PLATFORMS
from .templatetags.directory import field_label
from .validation import InvalidOrganizationData, OrganizationData, country_name, region_name


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _filtered(request: HttpRequest) -> tuple[OrganizationFilter, QuerySet[Organization]]:
    filterset = OrganizationFilter(request.GET, queryset=selectors.published_organizations())
    if not filterset.is_valid():
        return filterset, selectors.published_organizations().none()
    return filterset, filterset.qs


def _filter_key(filterset: OrganizationFilter) -> str:
    """The filter's cleaned values without the ordering: what the facets depend on."""
    if not filterset.is_valid():
        return "invalid"
    values = filterset.form.cleaned_data
    return json.dumps({k: v for k, v in sorted(values.items()) if v and k != "ordering"})


class _CountedPaginator(Paginator):
    """The facets already counted the filter; reuse that instead of a second COUNT."""

    def __init__(self, *args: object, known_count: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._known = known_count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known


@require(Perm.LIST_VIEW)
def organization_list(request: HttpRequest) -> HttpResponse:
    filterset, qs = _filtered(request)
    version = selectors.list_version() if settings.HCSM_LIST_CACHE_SECONDS else None
    # The results (counts, rows, links) depend on the query string and the list only, never on
    # who asks: they are rendered once per list version and query string.
    raw_query = urlencode(sorted(request.GET.lists()), doseq=True)
    computed: dict[str, object] = {}

    def render_results() -> str:
        computed.update(_results_context(request, filterset, qs, version))
        return render_to_string("directory/list.html#results", computed, request=request)

    results = selectors.cached_list_read(f"results:{raw_query}", render_results, version=version)
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return HttpResponse(results)
    # ``computed`` (facets, page, …) is empty when the results came from the cache; the page
    # itself needs only the filter form and the rendered results.
    context = {**computed, "filter": filterset, "results": mark_safe(results)}  # noqa: S308
    return render(request, "directory/list.html", context)


def _results_context(
    request: HttpRequest,
    filterset: OrganizationFilter,
    qs: QuerySet[Organization],
    version: int | None,
) -> dict[str, object]:
    valid = filterset.is_valid()
    cleaned = filterset.form.cleaned_data if valid else {}
    filtered = any(v for k, v in cleaned.items() if k != "ordering")
    facets = selectors.cached_list_facets(
        qs, filter_key=_filter_key(filterset), unfiltered=valid and not filtered, version=version
    )
    paginator = _CountedPaginator(
        selectors.with_listing_relations(qs),
        settings.HCSM_LIST_PAGE_SIZE,
        known_count=facets.total,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "errors": filter_errors(filterset),
        "facets": facets,
        "page": paginator.get_page(request.GET.get("page")),
        "grid_platforms": selectors.GRID_PLATFORMS,
        "querystring": query.urlencode(),
        "active": {k: v for k, v in cleaned.items() if v},
        "country_name": country_name(cleaned["country"]) if cleaned.get("country") else "",
        "region_name": region_name(cleaned["region"]) if cleaned.get("region") else "",
    }


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _export_meta(request: HttpRequest) -> dict[str, object]:
    return {
        "source": "The Health Care Social Media List",
        "generated": timezone.now().isoformat(),
        "filter": {k: v for k, v in request.GET.items() if k != "page"},
        "license": "See /list/ for terms; imported rows keep their upstream license.",
    }


@require(Perm.LIST_EXPORT)
def export_csv(request: HttpRequest) -> HttpResponse:
    filterset, qs = _filtered(request)
    if filterset.errors:
        return HttpResponse(
            "\n".join(filter_errors(filterset)),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(
        csv_stream(export_records(qs, _site(request))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="hcsm-list.csv"'
    return response


@require(Perm.LIST_EXPORT)
def export_json(request: HttpRequest) -> HttpResponse:
    filterset, qs = _filtered(request)
    if filterset.errors:
        return HttpResponse(
            json.dumps({"errors": filter_errors(filterset)}),
            status=400,
            content_type="application/json",
        )
    response = StreamingHttpResponse(
        json_stream(export_rows(qs, _site(request)), _export_meta(request)),
        content_type="application/json",
    )
    response["Content-Disposition"] = 'attachment; filename="hcsm-list.json"'
    return response


@require(Perm.LIST_VIEW)
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        org = selectors.organization_detail(slug)
    except Organization.DoesNotExist:
        raise Http404("No organization with that address is on the list.") from None
    members, member_count = selectors.organization_members(org)
    return render(
        request,
        "directory/organization.html",
        {
            "org": org,
            "parent": selectors.listed_parent(org),
            "members": members,
            "member_count": member_count,
            "members_all_hospitals": all(m.kind == Organization.Kind.HOSPITAL for m in members),
            "accounts": list(org.accounts.all()),
            "countries": [(c.code, country_name(c.code)) for c in org.countries.all()],
            "regions": [(r.code, region_name(r.code)) for r in org.regions.all()],
            "history": selectors.organization_history(org)[:50],
            "platforms": PLATFORMS,
        },
    )


def _submission_page(request: HttpRequest, *, organization: Organization | None) -> HttpResponse:
    duplicates: list[selectors.DuplicateCandidate] = []
    current = services.organization_state(organization) if organization else None
    if request.method == "POST":
        form = SubmissionForm(request.POST)
        if form.is_valid():
            data: OrganizationData = form.organization_data
            if organization is None:
                duplicates = selectors.find_duplicates(data)
            if duplicates and not form.cleaned_data.get("not_duplicate"):
                form.add_error(
                    None,
                    "This looks like an organization already on the list (see below). If yours "
                    "is one of them, use “Suggest a change” on its page instead; if it is a "
                    "different organization, tick the box and send again.",
                )
            else:
                try:
                    services.submission_create(
                        submitter=request.user,
                        data=data,
                        relationship=form.cleaned_data["relationship"],
                        organization=organization,
                        comment=form.cleaned_data.get("comment", ""),
                        ip_address=client_ip(request),
                    )
                except DomainError as exc:
                    form.add_error(getattr(exc, "field", None), exc.message)
                else:
                    messages.success(
                        request,
                        "Thank you. Your submission is waiting for a moderator; you will get an "
                        "email when it is decided.",
                    )
                    return redirect("directory:my_submissions")
    else:
        initial = OrganizationForm.initial_from(current) if current else {}
        form = SubmissionForm(initial=initial)
    return render(
        request,
        "directory/submit.html",
        {
            "form": form,
            "organization": organization,
            "duplicates": duplicates,
        },
    )


@require(Perm.SUBMISSION_CREATE)
@require_http_methods(["GET", "POST"])
def submission_new(request: HttpRequest) -> HttpResponse:
    return _submission_page(request, organization=None)


@require(Perm.SUBMISSION_CREATE)
@require_http_methods(["GET", "POST"])
def submission_change(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(
        selectors.with_listing_relations(selectors.published_organizations()), slug=slug
    )
    return _submission_page(request, organization=org)


@require(Perm.SUBMISSION_VIEW_OWN)
def my_submissions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/my_submissions.html",
        {
            "submissions": selectors.submissions_of(request.user)[:200],
        },
    )


# Moderation ---------------------------------------------------------------------------------


@require(Perm.MODERATE)
def moderation_queue(request: HttpRequest) -> HttpResponse:
    pending = selectors.pending_submissions()
    return render(
        request,
        "directory/moderation_queue.html",
        {
            "submissions": pending[:500],
            "pending_count": pending.count(),
            "renamed": selectors.renamed_accounts()[:200],
            "now": timezone.now(),
        },
    )


@require(Perm.MODERATE)
@require_http_methods(["GET", "POST"])
def account_rename_accept(request: HttpRequest, account_id: int) -> HttpResponse:
    """Take a platform-reported new handle into the listing. GET asks (the buttons on the
    organization page and the queue post directly); POST does it and goes back."""
    account = get_object_or_404(SocialAccount.objects.select_related("organization"), pk=account_id)
    if request.method == "GET":
        return render(request, "directory/accept_rename.html", {"account": account})
    try:
        acc = services.account_rename_accept(account_id=account.pk, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{acc.organization.name} now lists {acc.handle}.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "directory:moderation")


@require(Perm.MODERATE)
@require_http_methods(["GET", "POST"])
def moderation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(
        Submission.objects.select_related("submitter", "organization", "decided_by"), pk=pk
    )
    status = 200
    if request.method == "POST" and sub.status != Submission.Status.PENDING:
        messages.error(request, services.already_decided_message(sub) + " Nothing was changed.")
        status = 409
    proposal_error = ""
    try:
        proposal: OrganizationData | None = OrganizationData.from_dict(sub.proposed)
    except InvalidOrganizationData as exc:
        proposal, proposal_error = (
            None,
            "; ".join(f"{field_label(k)}: {' '.join(v)}" for k, v in exc.errors.items()),
        )
    approve_form = ApproveForm(initial=OrganizationForm.initial_from(proposal or sub.proposed))
    reject_form = RejectForm()
    if request.method == "POST" and status == 200:
        action = request.POST.get("action")
        try:
            if action == "approve":
                approve_form = ApproveForm(request.POST)
                if approve_form.is_valid():
                    org = services.submission_approve(
                        submission_id=sub.pk,
                        moderator=request.user,
                        data=approve_form.organization_data,
                        note=approve_form.cleaned_data.get("note", ""),
                    )
                    messages.success(request, f"Approved: {org.name} is on the list.")
                    return redirect("directory:moderation")
            elif action == "reject":
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    services.submission_reject(
                        submission_id=sub.pk,
                        moderator=request.user,
                        reason=reject_form.cleaned_data["reason"],
                    )
                    messages.success(request, "Rejected; the submitter will be told why.")
                    return redirect("directory:moderation")
            elif action == "merge":
                merge_form = MergeForm(request.POST)
                if proposal is None:
                    messages.error(
                        request,
                        "This proposal no longer passes the list's rules; correct it in the "
                        "approve form first.",
                    )
                elif merge_form.is_valid():
                    org = services.submission_approve(
                        submission_id=sub.pk,
                        moderator=request.user,
                        data=proposal,
                        merge_into=merge_form.cleaned_data["organization"],
                        note=merge_form.cleaned_data.get("note", ""),
                    )
                    messages.success(request, f"Merged into {org.name}.")
                    return redirect("directory:moderation")
                else:
                    messages.error(
                        request, "Give the listed id of an organization on the list to merge into."
                    )
            else:
                messages.error(request, "Choose approve, reject or merge.")
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "directory/moderation_detail.html",
        {
            "sub": sub,
            "proposal": proposal,
            "proposal_error": proposal_error,
            **_moderation_preview(sub, proposal),
            "approve_form": approve_form,
            "reject_form": reject_form,
        },
        status=status,
    )


def _moderation_preview(sub: Submission, proposal: OrganizationData | None) -> dict[str, object]:
    """The diff a moderator decides on (against the listing as it is now) and the duplicate
    candidates; for a proposal that no longer passes the rules, the raw values."""
    current = None
    if sub.kind == Submission.Kind.CHANGE and sub.organization_id:
        current = services.organization_state(
            selectors.with_listing_relations(Organization.objects).get(pk=sub.organization_id)
        )
    if proposal is None:
        diff = {
            name: {"old": getattr(current, name, "") if current else "", "new": value}
            for name, value in sub.proposed.items()
            if name != "accounts"
        }
        return {"current": current, "diff": diff, "duplicates": []}
    result = services.suggestion_result(sub, proposal) if current is not None else proposal
    duplicates = (
        selectors.find_duplicates(proposal, exclude_id=sub.organization_id)
        if sub.status == Submission.Status.PENDING
        else []
    )
    return {
        "current": current,
        "diff": services.diff_states(current, result),
        "duplicates": duplicates,
    }
