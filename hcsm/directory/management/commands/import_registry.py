"""``manage.py import_registry PATH --source cms``: load an official registry into
RegistryEntry (docs/importing.md). The work is done by ``hcsm.directory.importers``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hcsm.directory import importers


class Command(BaseCommand):
    help = (
        "Load an official registry (--source cms: CMS Hospital General Information) into "
        "RegistryEntry: new ids are created, changed ones updated, the rest left alone. "
        "Rejected rows go to a report file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The registry's CSV file.")
        parser.add_argument("--source", required=True, choices=list(importers.REGISTRY_FORMATS))
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, then roll it all back."
        )
        parser.add_argument(
            "--report",
            help="Where to write the rejected rows "
            "(default var/import-reports/<source>-<timestamp>.csv).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = None if options["no_progress"] or not sys.stderr.isatty() else sys.stderr
        try:
            result = importers.registry_entries_import(
                path=options["path"],
                source=options["source"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except importers.ImportFileError as exc:
            raise CommandError(f"Nothing was imported. {exc.message}") from None
        report = Path(options["report"]) if options["report"] else None
        for line in importers.report_result(result, path=report):
            self.stdout.write(line)
        if result.dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written to the database."))
