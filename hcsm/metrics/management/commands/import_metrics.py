"""``manage.py import_metrics PATH``: historic follower series from a CSV (platform, handle or
url, date, metric, value). The work is done by ``hcsm.metrics.importers``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hcsm.core.errors import DomainError
from hcsm.directory.importers import ImportFileError
from hcsm.metrics import importers


class Command(BaseCommand):
    help = (
        "Add historic snapshots from a CSV with the columns platform, handle (or url), date "
        "(YYYY-MM-DD), metric (followers, posts, views) and value. A day already taken keeps its "
        "value; rejected rows go to a report file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, then roll it all back."
        )
        parser.add_argument(
            "--report",
            help="Where to write the rejected rows "
            "(default var/import-reports/metrics-<timestamp>.csv).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = Path(options["report"]) if options["report"] else None
        try:
            result, path = importers.metrics_import(
                path=options["path"], dry_run=options["dry_run"], report=report
            )
        except ImportFileError as exc:
            raise CommandError(f"Nothing was imported. {exc.message}") from None
        except DomainError as exc:  # pragma: no cover - rows are checked before ingest
            raise CommandError(f"Nothing was imported. {exc.message}") from None
        for line in result.lines(path):
            self.stdout.write(line)
        if result.dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written to the database."))
