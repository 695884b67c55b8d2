"""``manage.py refresh_metrics [--platform P] [--organization ID] [--enqueue]``: take today's
snapshots from the platforms. Without ``--enqueue`` the batches run here with a progress bar;
with it they are handed to the ``db_worker`` as ``django.tasks`` tasks (docs/operations.md)."""

from __future__ import annotations

import sys
from functools import partial
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from hcsm.directory.models import Organization
from hcsm.metrics import services, tasks
from hcsm.metrics.connectors import CONNECTORS


class Command(BaseCommand):
    help = (
        "Take today's follower snapshots from the platform APIs. Platforms without a key are "
        "skipped (and say so). Safe to run again: accounts already taken today are not asked "
        "again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--platform", choices=sorted(CONNECTORS), action="append")
        parser.add_argument("--organization", type=int, help="Only this organization (its id).")
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the batches to the background worker."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        org_id = options["organization"]
        if org_id is not None and not Organization.objects.filter(pk=org_id).exists():
            raise CommandError(f"There is no organization with id {org_id}.")
        platforms = options["platform"] or sorted(CONNECTORS)
        day = timezone.localdate()
        batches, skipped = services.refresh_plan(
            day=day, platforms=platforms, organization_id=org_id
        )
        for platform, reason in sorted(skipped.items()):
            self.stdout.write(f"{platform}: skipped ({reason}).")
        if options["enqueue"]:
            with transaction.atomic():
                for b in batches:
                    transaction.on_commit(partial(tasks.refresh_batch.enqueue, batch_id=b.pk))
            self.stdout.write(f"{len(batches)} batches for {day} handed to the worker.")
            return
        quiet = options["no_progress"] or not sys.stderr.isatty()
        totals: dict[str, list[int]] = {}
        for b in tqdm(batches, desc="batches", unit="batch", disable=quiet, file=sys.stderr):
            done = services.refresh_batch_run(batch_id=b.pk)
            if done is None:
                continue
            t = totals.setdefault(b.platform, [0, 0, 0])
            t[0] += done.taken
            t[1] += sum(done.problems.values())
            t[2] += done.requests
            if done.message:
                self.stdout.write(
                    self.style.WARNING(f"{b.platform} batch {b.number}: {done.message}")
                )
        services.scores_recompute()
        services.adoption_warm()
        for platform, (taken, problems, requests) in sorted(totals.items()):
            self.stdout.write(
                f"{platform}: {taken} accounts taken, {problems} not found, suspended or "
                f"renamed, {requests} requests."
            )
        self.stdout.write(f"Done: {len(batches)} batches for {day}.")
