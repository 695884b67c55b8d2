"""Reads of the list, with their joins decided up front."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count, Max, Prefetch, QuerySet

from .models import (
    AccountStatus,
    Organization,
    OrganizationChange,
    OrganizationCountry,
    SocialAccount,
    Submission,
)
from .platforms import PLATFORMS
from .services import PLATFORM_BITS, SYSTEM_KINDS
from .validation import OrganizationData, country_name, fold

T = TypeVar("T")

GRID_PLATFORMS = [p for p in PLATFORMS.values() if p.major]


def published_organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(status=Organization.Status.PUBLISHED)


def with_listing_relations(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    """What a grid row, an API result or an export line shows: three queries per page, however
    long the page."""
    return qs.prefetch_related(
        Prefetch("accounts", queryset=SocialAccount.objects.order_by("platform", "id")),
        "countries",
        "regions",
    )


def prefetched(obj: models.Model, name: str) -> list[models.Model] | QuerySet[models.Model]:
    """The rows of ``obj.<name>`` that ``with_listing_relations`` loaded.

    ``obj.<name>.all()`` on a prefetched relation still clones a queryset, which costs more than
    the rest of a grid row; the prefetch cache is iterated as it is. Falls back to a query for
    an object that was not prefetched.
    """
    cached = getattr(obj, "_prefetched_objects_cache", {})
    return cached[name] if name in cached else getattr(obj, name).all()


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Facets:
    total: int
    platforms: list[FacetValue] = field(default_factory=list)
    countries: list[FacetValue] = field(default_factory=list)
    kinds: list[FacetValue] = field(default_factory=list)


def list_facets(
    qs: QuerySet[Organization], *, unfiltered: bool = False, top_countries: int = 30
) -> Facets:
    """Counts for the current filter per kind, platform and country: two queries.

    One GROUP BY (kind, platform_mask) over the covering index ``org_facets`` gives the kind
    counts, the platform counts (each distinct mask adds its count to every bit it has) and the
    total, so the grid does not count twice. ``unfiltered`` (the whole published list) lets the
    country counts come from the small country index minus the few hidden listings.
    """
    kind_counts: dict[str, int] = {}
    platform_counts = dict.fromkeys(PLATFORM_BITS, 0)
    for kind, mask, n in qs.order_by().values_list("kind", "platform_mask").annotate(n=Count("*")):
        kind_counts[kind] = kind_counts.get(kind, 0) + n
        for slug, bit in PLATFORM_BITS.items():
            if mask & bit:
                platform_counts[slug] += n
    kind_labels = dict(Organization.Kind.choices)
    kinds = sorted(
        (FacetValue(k, kind_labels.get(k, k), n) for k, n in kind_counts.items()),
        key=lambda f: (-f.count, f.label),
    )
    platforms = sorted(
        (FacetValue(s, PLATFORMS[s].name, n) for s, n in platform_counts.items() if n),
        key=lambda f: -f.count,
    )
    total = sum(kind_counts.values())
    counts: dict[str, int] = {}
    if unfiltered:
        rows = OrganizationCountry.objects.values_list("code").annotate(n=Count("*"))
        for code, n in rows.order_by():
            counts[code] = n
        hidden = OrganizationCountry.objects.exclude(
            organization__status=Organization.Status.PUBLISHED
        )
        for code, n in hidden.values_list("code").annotate(n=Count("*")).order_by():
            counts[code] -= n
    elif total:
        rows = OrganizationCountry.objects.filter(organization__in=qs.order_by().values("pk"))
        for code, n in rows.values_list("code").annotate(n=Count("*")).order_by():
            counts[code] = n
    top = sorted(((n, c) for c, n in counts.items() if n > 0), key=lambda t: (-t[0], t[1]))
    countries = [FacetValue(c, country_name(c), n) for n, c in top[:top_countries]]
    return Facets(total=total, platforms=platforms, countries=countries, kinds=kinds)


def list_version() -> int:
    """A number that changes whenever the public list may have changed.

    Every write to a listing goes through a service that records an ``OrganizationChange``
    in the same transaction (create, update, import, merge, hide/publish, an account's status
    from the platform, an accepted rename), and listings are
    never deleted, so the highest change id only grows and becomes visible together with the
    data it describes. One primary-key lookup on either database.
    """
    return OrganizationChange.objects.aggregate(v=Max("id"))["v"] or 0


def cached_list_read(key: str, compute: Callable[[], T], *, version: int | None = None) -> T:
    """``compute()``, cached under the list's version and ``key``.

    The version is read *before* computing, so a write that commits in between can only put
    newer data under the older version, which no request asks for again. Entries also expire
    after ``HCSM_LIST_CACHE_SECONDS`` as a backstop (0 turns the cache off). The key holds the
    version, so a per-process memory cache is as correct as a shared one.
    """
    timeout = settings.HCSM_LIST_CACHE_SECONDS
    if not timeout:
        return compute()
    if version is None:
        version = list_version()
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    full_key = f"directory:list:{version}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def cached_list_facets(
    qs: QuerySet[Organization],
    *,
    filter_key: str,
    unfiltered: bool = False,
    top_countries: int = 30,
    version: int | None = None,
) -> Facets:
    """``list_facets`` for the filter named by ``filter_key`` (its cleaned values without
    ordering and page), cached under the list's version."""
    return cached_list_read(
        f"facets:{filter_key}:{unfiltered}:{top_countries}",
        lambda: list_facets(qs, unfiltered=unfiltered, top_countries=top_countries),
        version=version,
    )


def organization_detail(slug: str) -> Organization:
    return with_listing_relations(published_organizations()).select_related("parent").get(slug=slug)


def listed_parent(org: Organization) -> Organization | None:
    """The health system ``org`` is part of, when that is on the list (a hidden one is not
    shown). No query for a listing read by ``organization_detail``."""
    parent = org.parent if org.parent_id is not None else None
    return parent if parent is not None and parent.status == Organization.Status.PUBLISHED else None


MEMBERS_SHOWN = 500


def organization_members(org: Organization) -> tuple[list[Organization], int]:
    """The listed organizations in ``org``'s system, by name (at most ``MEMBERS_SHOWN``), and
    how many there are."""
    qs = published_organizations().filter(parent=org).only("pk", "name", "slug", "kind", "city")
    members = list(qs.order_by("sort_name", "id")[: MEMBERS_SHOWN + 1])
    total = len(members) if len(members) <= MEMBERS_SHOWN else qs.count()
    return members[:MEMBERS_SHOWN], total


@dataclass
class ParentReference:
    """What a typed "Part of health system" names: one listing, or the ones it may mean."""

    organization: Organization | None
    ambiguous: list[Organization] = field(default_factory=list)  # same name, several listings
    suggestions: list[Organization] = field(default_factory=list)  # systems with it in the name


_PAGE_ADDRESS = re.compile(r"/list/([-a-zA-Z0-9_]+)/?(?:[?#].*)?$")
_SLUG_TEXT = re.compile(r"^[-a-zA-Z0-9_]+$")


def parent_reference(text: str, *, limit: int = 5) -> ParentReference:
    """Resolve what people type as a parent: the address of its page (…/list/mayo-clinic/), its
    slug, or its name as listed (case and accents ignored). Among several listings of that
    name, the one health system wins; otherwise the caller asks which."""
    text = text.strip()
    listed = published_organizations().only("pk", "name", "slug", "kind", "city", "parent_id")
    match = _PAGE_ADDRESS.search(text)
    slug = match.group(1) if match else text
    if _SLUG_TEXT.match(slug):
        by_slug = listed.filter(slug=slug).first()
        if by_slug is not None:
            return ParentReference(by_slug)
    key = fold(re.sub(r"\s+", " ", text))[:200]
    if not key:
        return ParentReference(None)
    named = list(listed.filter(sort_name=key).order_by("id")[:20])
    systems = [o for o in named if o.kind in SYSTEM_KINDS]
    if len(named) == 1 or len(systems) == 1:
        return ParentReference(systems[0] if systems else named[0])
    if named:
        return ParentReference(None, ambiguous=named[:limit])
    similar = listed.filter(kind__in=SYSTEM_KINDS, search_text__contains=key).order_by(
        "sort_name", "id"
    )
    return ParentReference(None, suggestions=list(similar[:limit]))


def organization_history(org: Organization) -> QuerySet[OrganizationChange]:
    return org.changes.order_by("-created_at", "-id")


def renamed_accounts() -> QuerySet[SocialAccount]:
    """Accounts a platform reported renamed, waiting for a moderator to accept the new
    handle (``services.account_rename_accept``); longest waiting first."""
    return (
        SocialAccount.objects.filter(
            status=AccountStatus.RENAMED, organization__status=Organization.Status.PUBLISHED
        )
        .exclude(status_detail="")
        .select_related("organization")
        .order_by("status_since", "id")
    )


def submissions_of(user: object) -> QuerySet[Submission]:
    return Submission.objects.filter(submitter=user).select_related("organization")


def pending_submissions() -> QuerySet[Submission]:
    return (
        Submission.objects.filter(status=Submission.Status.PENDING)
        .select_related("submitter", "organization")
        .order_by("created_at", "id")
    )


# Duplicates ---------------------------------------------------------------------------------

_STOPWORDS = {
    "the",
    "of",
    "and",
    "for",
    "de",
    "del",
    "la",
    "le",
    "des",
    "der",
    "die",
    "und",
    "y",
    "e",
    "hospital",
    "hospitals",
    "health",
    "medical",
    "center",
    "centre",
    "clinic",
    "clinica",
    "system",
    "care",
    "healthcare",
    "inc",
    "llc",
    "ltd",
    "group",
    "st",
    "saint",
    "san",
}


@dataclass
class DuplicateCandidate:
    organization: Organization
    reasons: list[str]


def _name_key(name: str) -> str:
    return " ".join(re.findall(r"\w+", fold(name)))


def find_duplicates(
    data: OrganizationData, *, exclude_id: int | None = None, limit: int = 5
) -> list[DuplicateCandidate]:
    """Listings that look like ``data``: a similar name in the same country, the same
    registrable website domain, or an account already listed."""
    from .validation import registrable_domain

    found: dict[int, DuplicateCandidate] = {}
    base = published_organizations()
    if exclude_id is not None:
        base = base.exclude(pk=exclude_id)

    def add(org: Organization, reason: str) -> None:
        cand = found.setdefault(org.pk, DuplicateCandidate(org, []))
        if reason not in cand.reasons:
            cand.reasons.append(reason)

    if data.accounts:
        q = models.Q()
        for a in data.accounts:
            q |= models.Q(platform=a.platform, key=a.key)
        listed = SocialAccount.objects.filter(q, organization__in=base.values("pk"))
        for acc in listed.select_related("organization")[:20]:
            if acc.organization_id != exclude_id:
                add(acc.organization, f"already lists {PLATFORMS[acc.platform].name} {acc.handle}")
    if data.wikidata:
        for org in base.filter(wikidata=data.wikidata)[:1]:
            add(org, f"same Wikidata id ({data.wikidata})")
    domain = registrable_domain(data.website)
    if domain:
        for org in base.filter(website_domain=domain)[:10]:
            add(org, f"same website domain ({domain})")
    key = _name_key(data.name)
    words = sorted((w for w in key.split() if w not in _STOPWORDS and len(w) > 2), key=len)
    if words and data.countries:
        probe = base.filter(
            countries__code__in=data.countries, search_text__contains=words[-1]
        ).distinct()[:200]
        for org in probe:
            ratio = difflib.SequenceMatcher(None, key, _name_key(org.name)).ratio()
            if ratio >= 0.75:
                add(org, f"similar name in the same country ({int(ratio * 100)}% alike)")
    return list(found.values())[:limit]
