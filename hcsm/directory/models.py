"""The Health Care Social Media List: organizations, their official accounts, the changes
made to them, submissions from the public, and the official registries we compare against.

Denormalised columns on Organization (``search_text``, ``primary_country``, ``platform_mask``,
``account_count``) exist for the grid's speed at 100,000 organizations. They are written only by
``services._refresh_denormalised`` — never by ``save()`` — so there is one place to keep true.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from .platforms import PLATFORMS


class Organization(models.Model):
    class Kind(models.TextChoices):
        HOSPITAL = "hospital", "Hospital"
        HEALTH_SYSTEM = "health_system", "Health system"
        CLINIC = "clinic", "Clinic"
        PHYSICIAN_PRACTICE = "physician_practice", "Physician practice"
        LABORATORY = "laboratory", "Laboratory"
        DENTAL = "dental", "Dental"
        LONG_TERM_CARE = "long_term_care", "Long-term care"
        PUBLIC_HEALTH_AGENCY = "public_health_agency", "Public health agency"
        ASSOCIATION = "association", "Association"
        PAYER = "payer", "Payer"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden"

    name = models.CharField(max_length=200)
    other_names = models.JSONField(default=list, blank=True)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    city = models.CharField(max_length=120, blank=True)
    website = models.URLField(max_length=500, blank=True)
    website_domain = models.CharField(max_length=253, blank=True, db_index=True)
    wikidata = models.CharField("Wikidata QID", max_length=20, blank=True, db_index=True)
    ccn = models.CharField("CMS Certification Number", max_length=6, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    # The health system this organization belongs to (hcsm.metrics counts a system's accounts
    # for its hospitals only when the reader asks: "including parent system").
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    # Where it came from, for idempotent imports: ("nsi", "Q123"), ("cms", "010001"), ...
    import_source = models.CharField(max_length=40, blank=True)
    import_key = models.CharField(max_length=100, blank=True)
    # What the importer last wrote (OrganizationData.as_dict()), for three-way merges: a later
    # import changes only the fields that changed upstream, never what moderators corrected.
    import_snapshot = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Denormalised for the grid (see module docstring).
    search_text = models.TextField(blank=True, editable=False)
    sort_name = models.CharField(max_length=200, blank=True, editable=False)
    primary_country = models.CharField(max_length=2, blank=True, editable=False)
    platform_mask = models.BigIntegerField(default=0, editable=False)
    account_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["import_source", "import_key"],
                condition=~models.Q(import_key=""),
                name="organization_unique_import_key",
            ),
            models.UniqueConstraint(
                fields=["wikidata"],
                condition=~models.Q(wikidata=""),
                name="organization_unique_wikidata",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "sort_name", "id"], name="org_status_name"),
            # Covers the facet query: GROUP BY kind, platform_mask without reading rows.
            models.Index(fields=["status", "kind", "platform_mask"], name="org_facets"),
            models.Index(
                fields=["status", "primary_country", "sort_name"], name="org_status_country"
            ),
            models.Index(fields=["status", "-created_at"], name="org_status_newest"),
            models.Index(
                fields=["status", "-account_count", "sort_name"], name="org_status_accounts"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organization", kwargs={"slug": self.slug})


class OrganizationCountry(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="countries"
    )
    code = models.CharField(max_length=2)  # ISO 3166-1 alpha-2
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="org_country_unique"),
        ]
        indexes = [models.Index(fields=["code", "organization"], name="org_country_code")]

    def __str__(self) -> str:
        return self.code


class OrganizationRegion(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="regions")
    code = models.CharField(max_length=6)  # ISO 3166-2, e.g. US-MN
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="org_region_unique"),
        ]
        indexes = [models.Index(fields=["code", "organization"], name="org_region_code")]

    def __str__(self) -> str:
        return self.code


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    NOT_FOUND = "not_found", "Not found"
    SUSPENDED = "suspended", "Suspended"
    RENAMED = "renamed", "Renamed"


GONE_STATUSES = frozenset({AccountStatus.NOT_FOUND, AccountStatus.SUSPENDED})


def account_status_text(status: str, since: object, detail: str) -> str:
    """What the list says about an account's status: "" while it is active, else
    ``not found since 2026-11-30``, ``suspended since …``, ``renamed to NewName since …``.
    ``since`` is a date, its ISO text (as a raw cursor returns it) or None."""
    if status == AccountStatus.ACTIVE or status not in AccountStatus.values:
        return ""
    text = str(AccountStatus(status).label).lower()
    if status == AccountStatus.RENAMED and detail:
        text = f"renamed to {detail}"
    return f"{text} since {str(since)[:10]}" if since else text


class SocialAccount(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="accounts"
    )
    platform = models.CharField(
        max_length=20, choices=[(p.slug, p.name) for p in PLATFORMS.values()]
    )
    handle = models.CharField(max_length=300)
    key = models.CharField(max_length=300)  # platforms.CanonicalAccount.key
    url = models.URLField(max_length=600)
    label = models.CharField(max_length=100, blank=True)
    # Which importer owns this row ("nsi"), or "" when people added it.
    source = models.CharField(max_length=40, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    # What the platform last said about the account (written by hcsm.metrics services).
    status = models.CharField(
        max_length=16, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    status_since = models.DateField(null=True, blank=True)
    status_detail = models.CharField(max_length=300, blank=True)  # e.g. the new handle
    # The platform's own id for the account (X user id, Bluesky DID, YouTube channel id,
    # Facebook page id, Mastodon account id), stored on the first successful lookup so later
    # refreshes ask by id and see a renamed handle as renamed, not as not found.
    platform_uid = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["platform", "id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "key"], name="account_one_organization"),
        ]
        indexes = [models.Index(fields=["organization", "platform"], name="account_org_platform")]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"

    @property
    def is_gone(self) -> bool:
        """Not found or suspended: the list shows it struck, not as a live link."""
        return self.status in GONE_STATUSES

    @property
    def status_text(self) -> str:
        return account_status_text(self.status, self.status_since, self.status_detail)

    @property
    def renamed_url(self) -> str:
        """The profile URL of the new handle of a renamed account ("" when it is not renamed
        or the platform's answer is not a handle the list would accept)."""
        if self.status != AccountStatus.RENAMED or not self.status_detail:
            return ""
        from .platforms import AccountInputError, canonicalize

        try:
            return canonicalize(self.status_detail, self.platform).url
        except AccountInputError:
            return ""


class OrganizationChange(models.Model):
    """One recorded change to a listing: who, when, what, and from which submission."""

    class Action(models.TextChoices):
        CREATED = "created", "Listed"
        UPDATED = "updated", "Updated"
        MERGED = "merged", "Merged a submission"
        STATUS = "status", "Account status from the platform"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=16, choices=Action.choices)
    changes = models.JSONField(default=dict)  # {field: {"old": ..., "new": ...}}
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True)  # "import:nsi" for system actors
    submission = models.ForeignKey(
        "Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="applied"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.action} {self.created_at:%Y-%m-%d}"


class Submission(models.Model):
    """A proposed new listing or change. Submitting never changes the public list."""

    class Kind(models.TextChoices):
        NEW = "new", "New organization"
        CHANGE = "change", "Suggested change"

    class Relationship(models.TextChoices):
        WORKS_THERE = "works_there", "I work there or represent it"
        PUBLIC = "public", "I am a member of the public"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    # The listing a change is about; for a new one, the listing it became (or was merged into).
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    proposed = models.JSONField()  # services.OrganizationData.as_dict()
    # For a change: the listing as the submitter saw it, so approval applies only their edits.
    base = models.JSONField(null=True, blank=True)
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    comment = models.TextField(blank=True, max_length=2000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=2000)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["submitter", "created_at"], name="submission_user_recent"),
            models.Index(fields=["ip_address", "created_at"], name="submission_ip_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.proposed.get('name', '?')}"


class RegistryEntry(models.Model):
    """A row of an official registry (the CMS hospital list): the denominator for adoption
    figures. Not part of the list; an organization may point at one by its CCN."""

    class Source(models.TextChoices):
        CMS = "cms", "CMS Hospital General Information"

    source = models.CharField(max_length=16, choices=Source.choices)
    registry_id = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=6, blank=True)  # ISO 3166-2, e.g. US-MN
    postal_code = models.CharField(max_length=10, blank=True)
    county = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    facility_type = models.CharField(max_length=100, blank=True)
    ownership = models.CharField(max_length=100, blank=True)
    emergency_services = models.BooleanField(null=True)
    data = models.JSONField(default=dict)  # the full upstream row
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source", "registry_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "registry_id"], name="registry_unique_id"),
        ]
        indexes = [models.Index(fields=["source", "region"], name="registry_source_region")]

    def __str__(self) -> str:
        return f"{self.source}:{self.registry_id} {self.name}"
