"""Follower metrics over time, and what is derived from them.

``Snapshot`` is the record: one value per account, day and metric, never overwritten. Taking a
day again keeps the first value; a *different* later value is kept beside it as a
``SnapshotCorrection`` (shown to staff, never applied silently).

``AccountStats`` and ``OrganizationScore`` are derived tables, one row per account and per
organization, rebuilt by ``services.stats_refresh`` after every ingest. They exist so the
leaderboards read a few hundred rows through an index instead of aggregating millions of
snapshots.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hcsm.directory.models import Organization, RegistryEntry, SocialAccount


class Metric(models.TextChoices):
    FOLLOWERS = "followers", "Followers"
    POSTS = "posts", "Posts or videos"
    VIEWS = "views", "Views"


class Source(models.TextChoices):
    API = "api", "Platform API"
    IMPORT = "import", "Import"
    MANUAL = "manual", "Manual"


class Snapshot(models.Model):
    # No index of its own: the unique (account, metric, day) index serves account lookups, and
    # one index fewer is a third less index work on bulk ingest. No foreign key in the database
    # either (checked once per inserted row, it was 40 % of a bulk ingest): snapshots_ingest
    # locks each account once instead and drops rows of missing ones, Django's cascade deletes
    # an account's snapshots, and on PostgreSQL a trigger on account deletion removes any an
    # ingest committed meanwhile (migration 0003; the race: tests/concurrency).
    account = models.ForeignKey(
        SocialAccount,
        on_delete=models.CASCADE,
        related_name="snapshots",
        db_index=False,
        db_constraint=False,
    )
    day = models.DateField()
    metric = models.CharField(max_length=10, choices=Metric.choices)
    value = models.BigIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    taken_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "metric", "day"], name="snapshot_one_per_day"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="snapshot_value_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.metric} {self.day}: {self.value}"


class SnapshotCorrection(models.Model):
    """A later, different value for a day already taken. Kept, not applied."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="corrections")
    value = models.BigIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    taken_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "value", "source"], name="correction_once"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id}: {self.value} ({self.source})"


class ManualEntry(models.Model):
    """Who typed which figure by hand, and what became of it: the audit trail of the figures
    page and API. The figure itself is a ``Snapshot`` (or a ``SnapshotCorrection``) like any
    other; this small table keeps the snapshot table free of a column nearly always empty."""

    class Outcome(models.TextChoices):
        STORED = "stored", "Stored"
        SAME = "same", "Already recorded"
        CORRECTION = "correction", "Kept as a correction"

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    metric = models.CharField(max_length=10, choices=Metric.choices)
    value = models.BigIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["account", "-entered_at"], name="manual_entry_recent")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.metric} {self.day}: {self.value} ({self.outcome})"


class AccountStats(models.Model):
    """Latest figures of one account and the change over 30 and 365 days (derived)."""

    account = models.OneToOneField(
        SocialAccount, on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(max_length=20)
    day = models.DateField()  # of the latest followers figure
    followers = models.BigIntegerField()
    followers_30d = models.BigIntegerField(null=True)  # value on or before day - 30
    followers_365d = models.BigIntegerField(null=True)
    growth_30d = models.BigIntegerField(null=True)
    growth_365d = models.BigIntegerField(null=True)
    posts = models.BigIntegerField(null=True)
    views = models.BigIntegerField(null=True)

    class Meta:
        # Exactly the boards' ORDER BY (ties broken by account), so a page is read off the
        # index without sorting the tied rows.
        indexes = [
            models.Index(
                fields=["platform", "-followers", "account"], name="stats_platform_followers"
            ),
            models.Index(
                fields=["platform", "-growth_30d", "account"], name="stats_platform_growth"
            ),
            models.Index(fields=["-followers", "account"], name="stats_followers"),
            models.Index(fields=["-growth_30d", "account"], name="stats_growth"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.followers}"


class OrganizationScore(models.Model):
    """The weighted score of one organization and its overall rank (derived)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="score"
    )
    followers = models.BigIntegerField()
    growth_30d = models.BigIntegerField()
    score = models.FloatField()
    rank = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["rank"], name="score_rank")]

    def __str__(self) -> str:
        return f"{self.organization_id}: #{self.rank}"


class RefreshBatch(models.Model):
    """One provider batch of a day's refresh: the unit of work of ``tasks.refresh_batch``.

    Unique per platform, day and batch number, so enqueuing a day twice creates nothing new;
    a batch is claimed with a conditional update and its accounts already taken today are
    skipped, so a worker killed half-way repeats nothing when the batch is run again."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    platform = models.CharField(max_length=20)
    day = models.DateField()
    number = models.PositiveIntegerField()
    account_ids = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requests = models.PositiveIntegerField(default=0)
    taken = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=dict, blank=True)  # {"not_found": 2, ...}
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "platform", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "day", "number"], name="refresh_batch_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.day} #{self.number} {self.status}"


class RegistryMatch(models.Model):
    """A listed organization linked to a registry hospital, with how sure we are."""

    class Method(models.TextChoices):
        CCN = "ccn", "CMS Certification Number"
        NAME_CITY = "name_city", "Name and city"
        NAME_STATE = "name_state", "Name and state"
        # No ZIP code or website-domain matching yet: listings have no ZIP code and the CMS
        # file has no website, so there is nothing to compare.

    class Status(models.TextChoices):
        AUTO = "auto", "Matched automatically"
        PENDING = "pending", "Waiting for review"
        CONFIRMED = "confirmed", "Confirmed by staff"
        REJECTED = "rejected", "Rejected by staff"

    entry = models.ForeignKey(RegistryEntry, on_delete=models.CASCADE, related_name="matches")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="registry_matches"
    )
    method = models.CharField(max_length=12, choices=Method.choices)
    confidence = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    COUNTED = (Status.AUTO, Status.CONFIRMED)

    class Meta:
        ordering = ["-confidence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "organization"], name="registry_match_once"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} ~ {self.organization_id} ({self.method} {self.confidence:.2f})"
