"""Writes to the list. Views, the API, importers and tasks call these; nothing else saves
directory models."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from hcsm.core.errors import DomainError

from .models import (
    AccountStatus,
    Organization,
    OrganizationChange,
    OrganizationCountry,
    OrganizationRegion,
    SocialAccount,
    Submission,
)
from .platforms import PLATFORMS, AccountInputError, canonicalize
from .validation import (
    AccountData,
    InvalidOrganizationData,
    OrganizationData,
    fold,
    registrable_domain,
)

PLATFORM_BITS = {slug: 1 << i for i, slug in enumerate(PLATFORMS)}  # append-only order
SCALAR_FIELDS = ("name", "kind", "city", "website", "wikidata", "ccn")
# Every field a diff or a merge compares: the scalar ones, the parent (a slug), the lists.
COMPARED_FIELDS = (*SCALAR_FIELDS, "parent", "other_names", "countries", "regions")
# Kinds whose listings can have others in them ("Part of health system"): a system, or a
# public health agency that runs hospitals (a ministry or department of health).
SYSTEM_KINDS = (Organization.Kind.HEALTH_SYSTEM, Organization.Kind.PUBLIC_HEALTH_AGENCY)


class AccountTaken(DomainError):
    code = "account_taken"


class WikidataTaken(DomainError):
    code = "wikidata_taken"


class OrganizationNotListed(DomainError):
    code = "not_listed"
    status = 404


class InvalidParent(DomainError):
    """The health system named as parent cannot be one (see ``parent_check``)."""

    code = "invalid_parent"
    field = "parent"


class SubmissionAlreadyDecided(DomainError):
    code = "already_decided"
    status = 409


class SubmissionRateLimited(DomainError):
    code = "rate_limited"
    status = 429


# State and diffs ----------------------------------------------------------------------------


def account_line(acc: AccountData | SocialAccount) -> str:
    label = f" ({acc.label})" if acc.label else ""
    return f"{PLATFORMS[acc.platform].name}: {acc.handle}{label}"


def organization_state(org: Organization) -> OrganizationData:
    """The listing as it is now, in the shape submissions propose."""
    return OrganizationData(
        name=org.name,
        kind=org.kind,
        other_names=list(org.other_names),
        countries=[c.code for c in org.countries.all()],
        regions=[r.code for r in org.regions.all()],
        city=org.city,
        website=org.website,
        wikidata=org.wikidata,
        ccn=org.ccn,
        accounts=[
            AccountData(a.platform, a.handle, a.url, a.key, a.label) for a in org.accounts.all()
        ],
        parent=_parent_slug(org),
    )


def _parent_slug(org: Organization) -> str:
    """One query unless the parent was loaded with the listing (select_related)."""
    return org.parent.slug if org.parent_id is not None and org.parent else ""


def diff_states(old: OrganizationData | None, new: OrganizationData) -> dict[str, dict[str, Any]]:
    """Field by field: ``{field: {"old": ..., "new": ...}}``; accounts as readable lines."""
    out: dict[str, dict[str, Any]] = {}
    for name in COMPARED_FIELDS:
        before = getattr(old, name) if old else ("" if name in (*SCALAR_FIELDS, "parent") else [])
        after = getattr(new, name)
        if before != after:
            out[name] = {"old": before, "new": after}
    before_acc = sorted(account_line(a) for a in old.accounts) if old else []
    after_acc = sorted(account_line(a) for a in new.accounts)
    if before_acc != after_acc:
        out["accounts"] = {
            "old": before_acc,
            "new": after_acc,
            "added": [a for a in after_acc if a not in before_acc],
            "removed": [a for a in before_acc if a not in after_acc],
        }
    return out


# Writing a listing --------------------------------------------------------------------------


# Paths under /list/ that are pages, not organizations (directory and metrics urls.py).
RESERVED_SLUGS = frozenset({"add", "my-submissions", "leaderboards", "adoption", "export"})


def _unique_slug(name: str) -> str:
    base = slugify(fold(name))[:200].strip("-") or "organization"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_accounts_free(accounts: list[AccountData], org_id: int | None) -> None:
    if not accounts:
        return
    query = Q()
    for acc in accounts:
        query |= Q(platform=acc.platform, key=acc.key)
    taken = SocialAccount.objects.filter(query).select_related("organization")
    if org_id is not None:
        taken = taken.exclude(organization_id=org_id)
    clashes = [f"{account_line(a)} is already listed for {a.organization.name}." for a in taken[:5]]
    if clashes:
        raise AccountTaken(" ".join(clashes) + " An account belongs to one organization only.")


def denormalised_values(
    *,
    name: str,
    other_names: list[str],
    handles: list[str],
    platforms: list[str],
    countries: list[str],
    website: str,
) -> dict[str, Any]:
    """The grid's denormalised columns of an organization (see models.py). The bench builds
    its synthetic list with this too, so its rows are exactly what services would write."""
    mask = 0
    for slug in platforms:
        mask |= PLATFORM_BITS[slug]
    return {
        "search_text": fold(" | ".join([name, *other_names, *handles])),
        "sort_name": fold(name)[:200],
        "primary_country": countries[0] if countries else "",
        "platform_mask": mask,
        "account_count": len(handles),
        "website_domain": registrable_domain(website),
    }


def _check_wikidata_free(wikidata: str, org_id: int | None) -> None:
    if not wikidata:
        return
    holder = Organization.objects.filter(wikidata=wikidata)
    if org_id is not None:
        holder = holder.exclude(pk=org_id)
    other = holder.only("name").first()
    if other is not None:
        raise WikidataTaken(
            f"Wikidata {wikidata} is already listed as {other.name}. Merge into that listing "
            "instead, or correct the Wikidata id."
        )


_MAX_DEPTH = 20  # systems within systems; far more than any real hierarchy
_HIERARCHY_LOCK = 0x68637300  # "hcs\0": the PostgreSQL advisory lock of parent changes


def parent_check(*, slug: str, organization: Organization | None) -> Organization | None:
    """The listing ``slug`` names, if it may be the parent of ``organization`` (None for a
    listing not created yet): on the list, not the organization itself, of a system-like kind
    (``SYSTEM_KINDS``), and not inside the organization's own system, which would make a
    loop. Raises ``InvalidParent`` with the reason."""
    if not slug:
        return None
    parent = (
        Organization.objects.filter(slug=slug, status=Organization.Status.PUBLISHED)
        .only("pk", "name", "slug", "kind", "parent_id")
        .first()
    )
    if parent is None:
        raise InvalidParent(
            f"No organization on the list has the address /list/{slug}/; name a listed "
            "health system."
        )
    if organization is not None and parent.pk == organization.pk:
        raise InvalidParent("An organization cannot be part of itself.")
    if parent.kind not in SYSTEM_KINDS:
        raise InvalidParent(
            f"{parent.name} is listed as “{parent.get_kind_display()}”, and only a health system "
            "or a public health agency can have organizations in it. If it is a health system, "
            "suggest that change to its listing first."
        )
    if organization is not None and organization.pk is not None:
        node, depth = parent, 0
        while node.parent_id is not None:
            if node.parent_id == organization.pk:
                raise InvalidParent(
                    f"{parent.name} is itself part of {organization.name}'s system, so "
                    f"{organization.name} cannot be part of it (that would be a loop)."
                )
            depth += 1
            if depth >= _MAX_DEPTH:
                raise InvalidParent(
                    f"{parent.name} sits more than {_MAX_DEPTH} systems deep; name the "
                    "health system directly above this organization."
                )
            node = Organization.objects.only("pk", "parent_id").get(pk=node.parent_id)
    return parent


def _lock_hierarchy() -> None:
    """Serialise parent changes, so that two at once cannot close a loop that the check of
    each misses (A put into B while B is put into A). On PostgreSQL a transaction-level
    advisory lock, taken before ``parent_check`` reads the chain (each statement then sees
    the other change once it committed); SQLite's IMMEDIATE transactions already let one
    writer in at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_HIERARCHY_LOCK])


def _refresh_denormalised(org: Organization) -> None:
    accounts = list(org.accounts.all())
    values = denormalised_values(
        name=org.name,
        other_names=list(org.other_names),
        handles=[a.handle for a in accounts],
        platforms=[a.platform for a in accounts],
        countries=list(org.countries.values_list("code", flat=True)),
        website=org.website,
    )
    Organization.objects.filter(pk=org.pk).update(**values)
    for field_name, value in values.items():
        setattr(org, field_name, value)


def _write_places(org: Organization, data: OrganizationData) -> None:
    OrganizationCountry.objects.filter(organization=org).exclude(code__in=data.countries).delete()
    OrganizationRegion.objects.filter(organization=org).exclude(code__in=data.regions).delete()
    for model, codes in ((OrganizationCountry, data.countries), (OrganizationRegion, data.regions)):
        existing = {o.code: o for o in model.objects.filter(organization=org)}
        for pos, code in enumerate(codes):
            row = existing.get(code)
            if row is None:
                model.objects.create(organization=org, code=code, position=pos)
            elif row.position != pos:
                model.objects.filter(pk=row.pk).update(position=pos)


def _accounts_delete(accounts: list[SocialAccount]) -> None:
    """Delete accounts with what hangs off them, after locking all their rows at once, in id
    order. A snapshot ingest holding one of them (hcsm.metrics locks the accounts it writes
    for, FOR KEY SHARE, in id order) has committed by the time the locks are ours, so the
    cascade sees every snapshot it wrote; an ingest that comes later finds the accounts gone
    and drops their rows. Locking first, and in the ingest's order, keeps the two from
    deadlocking (one account at a time in (platform, id) order did, now and then)."""
    if not accounts:
        return
    ids = sorted(a.pk for a in accounts)
    list(
        SocialAccount.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk")
    )
    SocialAccount.objects.filter(pk__in=ids).delete()


def _write_accounts(
    org: Organization, accounts: list[AccountData], *, source: str | None, remove_missing: bool
) -> None:
    wanted = {(a.platform, a.key): a for a in accounts}
    current = {(a.platform, a.key): a for a in org.accounts.all()}
    removed = []
    for ident, row in current.items():
        if ident in wanted:
            new = wanted[ident]
            if (row.handle, row.url, row.label) != (new.handle, new.url, new.label or row.label):
                SocialAccount.objects.filter(pk=row.pk).update(
                    handle=new.handle, url=new.url, label=new.label or row.label
                )
        elif remove_missing and (source is None or row.source == source):
            removed.append(row)
    _accounts_delete(removed)
    for ident, new in wanted.items():
        if ident not in current:
            SocialAccount.objects.create(
                organization=org,
                platform=new.platform,
                handle=new.handle,
                key=new.key,
                url=new.url,
                label=new.label,
                source=source or "",
            )


def _apply(
    org: Organization,
    data: OrganizationData,
    *,
    account_source: str | None,
    remove_missing_accounts: bool,
    parent_before: str = "",
) -> None:
    _check_accounts_free(data.accounts, org.pk)
    _check_wikidata_free(data.wikidata, org.pk)
    if data.parent != parent_before:  # a parent kept as it was is not checked again
        _lock_hierarchy()
        org.parent = parent_check(slug=data.parent, organization=org if org.pk else None)
    for name in SCALAR_FIELDS:
        setattr(org, name, getattr(data, name))
    org.other_names = list(data.other_names)
    org.save()
    _write_places(org, data)
    _write_accounts(
        org, data.accounts, source=account_source, remove_missing=remove_missing_accounts
    )
    _refresh_denormalised(org)


def organization_create(
    *,
    data: OrganizationData,
    actor: Any = None,
    actor_label: str = "",
    submission: Submission | None = None,
    import_source: str = "",
    import_key: str = "",
    account_source: str | None = None,
) -> Organization:
    with transaction.atomic():
        _check_accounts_free(data.accounts, None)
        org = Organization(
            slug=_unique_slug(data.name), import_source=import_source, import_key=import_key
        )
        _apply(org, data, account_source=account_source, remove_missing_accounts=False)
        OrganizationChange.objects.create(
            organization=org,
            action=OrganizationChange.Action.CREATED,
            changes=diff_states(None, data),
            actor=actor,
            actor_label=actor_label,
            submission=submission,
        )
    return org


def organization_update(
    *,
    organization: Organization,
    data: OrganizationData,
    actor: Any = None,
    actor_label: str = "",
    submission: Submission | None = None,
    action: str = OrganizationChange.Action.UPDATED,
    account_source: str | None = None,
    remove_missing_accounts: bool = True,
) -> dict[str, Any]:
    """Make the listing equal ``data``. Returns the recorded diff ({} when nothing changed).

    With ``account_source`` (an importer's name), only accounts that importer added are removed
    when missing from ``data``; accounts people added stay.
    """
    with transaction.atomic():
        # FOR NO KEY UPDATE, not FOR UPDATE: the foreign-key check of a listing put into this
        # system (KEY SHARE on this row) must not wait for it, or two systems put into each
        # other at once deadlock (tests/concurrency/test_parent_loops.py).
        org = Organization.objects.select_for_update(no_key=True).get(pk=organization.pk)
        before = organization_state(org)
        if account_source is not None:
            # Keep accounts people added; the importer only manages its own rows.
            wanted = {(a.platform, a.key) for a in data.accounts}
            foreign = set(
                org.accounts.exclude(source=account_source).values_list("platform", "key")
            )
            keep = [
                a
                for a in before.accounts
                if (a.platform, a.key) in foreign and (a.platform, a.key) not in wanted
            ]
            data = dataclasses.replace(data, accounts=[*data.accounts, *keep])
        changes = diff_states(before, data)
        if not changes:
            return {}
        _apply(
            org,
            data,
            account_source=account_source,
            remove_missing_accounts=remove_missing_accounts,
            parent_before=before.parent,
        )
        OrganizationChange.objects.create(
            organization=org,
            action=action,
            changes=changes,
            actor=actor,
            actor_label=actor_label,
            submission=submission,
        )
    organization.refresh_from_db()
    return changes


def three_way_merge(
    *, base: OrganizationData | None, current: OrganizationData, proposed: OrganizationData
) -> OrganizationData:
    """Apply what ``proposed`` changed relative to ``base`` onto ``current``.

    Used by importers (base = what the last import wrote) and by change suggestions (base =
    the listing as the submitter saw it): a field takes the proposed value only where the
    proposal changed it; accounts the proposal added are added, accounts it removed are
    removed, and everything else — corrections by moderators, other approved suggestions —
    stays. Without a base the proposal is taken whole.
    """
    if base is None:
        return proposed
    values = {}
    for name in COMPARED_FIELDS:
        new = getattr(proposed, name)
        values[name] = new if new != getattr(base, name) else getattr(current, name)
    base_acc = {(a.platform, a.key): a for a in base.accounts}
    prop_acc = {(a.platform, a.key): a for a in proposed.accounts}
    accounts = []
    for a in current.accounts:
        ident = (a.platform, a.key)
        if ident in base_acc and ident not in prop_acc:
            continue  # the proposal removed it
        if ident in prop_acc and ident in base_acc and prop_acc[ident] != base_acc[ident]:
            a = prop_acc[ident]  # the proposal changed its label
        accounts.append(a)
    now = {(a.platform, a.key) for a in current.accounts}
    accounts += [a for k, a in prop_acc.items() if k not in base_acc and k not in now]
    return OrganizationData(**values, accounts=accounts)


def _stored_data(stored: dict[str, Any] | None) -> OrganizationData | None:
    """Stored listing data cleaned again; None when absent or no longer valid."""
    if not stored:
        return None
    try:
        return OrganizationData.from_dict(stored)
    except InvalidOrganizationData:
        return None


def organization_import(
    *, source: str, key: str, data: OrganizationData, organization: Organization | None = None
) -> tuple[Organization, str]:
    """Create or update the listing an importer keys as ``(source, key)``; returns it with
    "created", "updated" or "unchanged". Changes are recorded as ``import:<source>``."""
    label = f"import:{source}"
    snapshot = data.as_dict()
    with transaction.atomic():
        if organization is None:
            org = organization_create(
                data=data,
                actor_label=label,
                import_source=source,
                import_key=key,
                account_source=source,
            )
            Organization.objects.filter(pk=org.pk).update(import_snapshot=snapshot)
            return org, "created"
        last = _stored_data(organization.import_snapshot)
        merged = three_way_merge(base=last, current=organization_state(organization), proposed=data)
        changes = organization_update(
            organization=organization, data=merged, actor_label=label, account_source=source
        )
        if organization.import_snapshot != snapshot:
            Organization.objects.filter(pk=organization.pk).update(import_snapshot=snapshot)
            organization.import_snapshot = snapshot
    return organization, "updated" if changes else "unchanged"


def organization_set_status(*, organization: Organization, status: str, actor: Any) -> int:
    """Hide a listing from the public list or publish it again; recorded in its history."""
    if status not in Organization.Status.values:
        raise DomainError("Unknown status.")
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        if org.status == status:
            return 0
        OrganizationChange.objects.create(
            organization=org,
            action=OrganizationChange.Action.UPDATED,
            changes={"status": {"old": org.status, "new": status}},
            actor=actor,
            actor_label=f"moderator:{actor.pk}" if actor else "",
        )
        Organization.objects.filter(pk=org.pk).update(status=status)
    return 1


class RenameNotPending(DomainError):
    code = "not_renamed"
    status = 409


def account_rename_accept(*, account_id: int, actor: Any) -> SocialAccount:
    """Take the new handle a platform reported for a renamed account (``status`` renamed,
    the new handle in ``status_detail``, written by ``hcsm.metrics``) into the listing.

    Refreshes never change a listing by themselves: a rename is shown as "renamed to …"
    until a moderator accepts it here. The row is kept (its figures, its platform id), its
    handle, key and URL become the new ones, its status active again, and the change is
    recorded in the organization's history like any edit.
    """
    gone = RenameNotPending("That account is no longer on the list; nothing was changed.")
    org_id = (
        SocialAccount.objects.filter(pk=account_id)
        .values_list("organization_id", flat=True)
        .first()
    )
    if org_id is None:
        raise gone
    with transaction.atomic():
        # The listing first, then its account: the order every writer of a listing keeps.
        org = Organization.objects.select_for_update().get(pk=org_id)
        acc = (
            SocialAccount.objects.select_for_update()
            .select_related("organization")
            .filter(pk=account_id, organization_id=org_id)
            .first()
        )
        if acc is None:
            raise gone
        if acc.status != AccountStatus.RENAMED or not acc.status_detail:
            raise RenameNotPending(
                f"{account_line(acc)} is not marked as renamed (any more); nothing was changed."
            )
        try:
            new = canonicalize(acc.status_detail, acc.platform)
        except AccountInputError as exc:
            raise RenameNotPending(
                f"The new name the platform gave, “{acc.status_detail[:100]}”, is not one the "
                f"list accepts ({exc}). Correct the listing with a suggested change instead."
            ) from exc
        before = organization_state(org)
        clash = (
            SocialAccount.objects.filter(platform=acc.platform, key=new.key)
            .exclude(pk=acc.pk)
            .select_related("organization")
            .first()
        )
        if clash is not None:
            raise AccountTaken(
                f"{account_line(clash)} is already listed for {clash.organization.name}. An "
                "account belongs to one organization only; nothing was changed."
            )
        SocialAccount.objects.filter(pk=acc.pk).update(
            handle=new.handle,
            key=new.key,
            url=new.url,
            status=AccountStatus.ACTIVE,
            status_detail="",
            status_since=timezone.localdate(),
        )
        _refresh_denormalised(org)
        OrganizationChange.objects.create(
            organization=org,
            action=OrganizationChange.Action.UPDATED,
            changes=diff_states(before, organization_state(org)),
            actor=actor,
            actor_label=f"moderator:{actor.pk}" if actor else "",
        )
    acc.refresh_from_db()
    return acc


def merged_data(current: OrganizationData, proposed: OrganizationData) -> OrganizationData:
    """Merge a proposal into an existing listing: keep what is there, fill blanks, add names,
    places and accounts that are new. Nothing is removed."""
    other = list(current.other_names)
    for n in [proposed.name, *proposed.other_names]:
        if n != current.name and n not in other:
            other.append(n)
    keys = {(a.platform, a.key) for a in current.accounts}
    return OrganizationData(
        name=current.name,
        kind=current.kind if current.kind != "other" else proposed.kind,
        other_names=other[:20],
        countries=current.countries + [c for c in proposed.countries if c not in current.countries],
        regions=current.regions + [r for r in proposed.regions if r not in current.regions],
        city=current.city or proposed.city,
        website=current.website or proposed.website,
        wikidata=current.wikidata or proposed.wikidata,
        ccn=current.ccn or proposed.ccn,
        parent=current.parent or proposed.parent,
        accounts=current.accounts
        + [a for a in proposed.accounts if (a.platform, a.key) not in keys],
    )


# Submissions --------------------------------------------------------------------------------


def _check_rate_limit(*, submitter: Any, ip_address: str | None) -> None:
    now = timezone.now()
    limits = settings.HCSM_SUBMISSION_LIMITS
    checks: list[tuple[str, Q, list[tuple[int, int]]]] = [
        ("your account", Q(submitter=submitter), limits["user"]),
    ]
    if ip_address:
        checks.append(("your network address", Q(ip_address=ip_address), limits["address"]))
    for who, query, rules in checks:
        for count, seconds in rules:
            since = now - dt.timedelta(seconds=seconds)
            recent = Submission.objects.filter(query, created_at__gte=since)
            if recent.count() >= count:
                oldest = recent.order_by("created_at").values_list("created_at", flat=True)[0]
                wait = oldest + dt.timedelta(seconds=seconds) - now
                minutes = max(1, int(wait.total_seconds() // 60) + 1)
                span = "hour" if seconds == 3600 else "day" if seconds == 86400 else f"{seconds}s"
                raise SubmissionRateLimited(
                    f"{who.capitalize()} has sent {count} submissions in the last {span}, the "
                    f"most we accept. Please try again in about {minutes} minutes; what you "
                    "typed is kept below."
                )


def submission_create(
    *,
    submitter: Any,
    data: OrganizationData,
    relationship: str,
    organization: Organization | None = None,
    comment: str = "",
    ip_address: str | None = None,
) -> Submission:
    if relationship not in Submission.Relationship.values:
        raise DomainError("Say how you relate to the organization.")
    if organization is not None and organization.status != Organization.Status.PUBLISHED:
        raise OrganizationNotListed("That organization is not on the list.")
    if organization is not None and not diff_states(organization_state(organization), data):
        raise DomainError(
            "Your suggestion is the same as the current listing; change a field first."
        )
    if data.parent and data.parent != (_parent_slug(organization) if organization else ""):
        parent_check(slug=data.parent, organization=organization)  # checked again on approval
    with transaction.atomic():
        _check_rate_limit(submitter=submitter, ip_address=ip_address)
        return Submission.objects.create(
            kind=Submission.Kind.CHANGE if organization else Submission.Kind.NEW,
            submitter=submitter,
            organization=organization,
            proposed=data.as_dict(),
            base=organization_state(organization).as_dict() if organization else None,
            relationship=relationship,
            comment=comment,
            ip_address=ip_address,
        )


def _decide(sub: Submission, *, status: str, moderator: Any, note: str) -> None:
    sub.status = status
    sub.decided_by = moderator
    sub.decided_at = timezone.now()
    sub.decision_note = note
    sub.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "organization"])


def _locked_pending(submission_id: int) -> Submission:
    sub = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=submission_id)
    )
    if sub.status != Submission.Status.PENDING:
        raise SubmissionAlreadyDecided(already_decided_message(sub))
    return sub


def already_decided_message(sub: Submission) -> str:
    by = f" by {sub.decided_by}" if sub.decided_by else ""
    return f"This submission was already {sub.get_status_display().lower()}{by}."


def _notify_later(submission_id: int) -> None:
    from .tasks import notify_submitter

    transaction.on_commit(partial(notify_submitter.enqueue, submission_id=submission_id))


def suggestion_result(sub: Submission, proposal: OrganizationData) -> OrganizationData:
    """What approving change suggestion ``sub`` (as ``proposal``) makes of the listing now:
    the submitter's edits applied onto the current listing, whatever changed meanwhile."""
    assert sub.organization is not None
    current = organization_state(sub.organization)
    return three_way_merge(base=_stored_data(sub.base), current=current, proposed=proposal)


def submission_approve(
    *,
    submission_id: int,
    moderator: Any,
    data: OrganizationData | None = None,
    merge_into: Organization | None = None,
    note: str = "",
) -> Organization:
    """Apply a pending submission: create the listing, change it, or merge it into
    ``merge_into``. ``data`` is the moderator's edited version of the proposal."""
    with transaction.atomic(durable=True):
        sub = _locked_pending(submission_id)
        proposal = data or OrganizationData.from_dict(sub.proposed)
        label = f"moderator:{moderator.pk}"
        if merge_into is not None:
            target = Organization.objects.get(pk=merge_into.pk)
            organization_update(
                organization=target,
                data=merged_data(organization_state(target), proposal),
                actor=moderator,
                actor_label=label,
                submission=sub,
                action=OrganizationChange.Action.MERGED,
            )
            org = target
        elif sub.kind == Submission.Kind.CHANGE and sub.organization is not None:
            org = sub.organization
            organization_update(
                organization=org,
                data=suggestion_result(sub, proposal),
                actor=moderator,
                actor_label=label,
                submission=sub,
            )
        else:
            org = organization_create(
                data=proposal, actor=moderator, actor_label=label, submission=sub
            )
        sub.organization = org
        _decide(sub, status=Submission.Status.APPROVED, moderator=moderator, note=note)
        _notify_later(sub.pk)
    return org


def submission_reject(*, submission_id: int, moderator: Any, reason: str) -> Submission:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the submitter a reason for the rejection.")
    if len(reason) > 2000:
        raise DomainError("The reason is too long (at most 2,000 characters).")
    with transaction.atomic(durable=True):
        sub = _locked_pending(submission_id)
        _decide(sub, status=Submission.Status.REJECTED, moderator=moderator, note=reason)
        _notify_later(sub.pk)
    return sub
