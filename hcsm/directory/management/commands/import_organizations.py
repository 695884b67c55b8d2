"""``manage.py import_organizations PATH --format nsi|csv [--mapping M.json]``: see
docs/importing.md. The work is done by ``hcsm.directory.importers``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hcsm.directory import importers


class Command(BaseCommand):
    help = (
        "Create or update listings from a name-suggestion-index export (--format nsi) or any "
        "CSV described by a JSON mapping (--format csv --mapping FILE). Runs in one "
        "transaction; rejected rows and accounts go to a report file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV file to import.")
        parser.add_argument("--format", required=True, choices=["nsi", "csv"])
        parser.add_argument(
            "--mapping", help="JSON file naming the CSV's columns (--format csv only)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, then roll it all back."
        )
        parser.add_argument(
            "--report",
            help="Where to write the rejected rows and accounts "
            "(default var/import-reports/<source>-<timestamp>.csv).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, mapping_path = options["format"], options["mapping"]
        if fmt == "nsi" and mapping_path:
            raise CommandError("--mapping is for --format csv; the nsi format needs none.")
        if fmt == "csv" and not mapping_path:
            raise CommandError("--format csv needs --mapping MAPPING.json (docs/importing.md).")
        progress = None if options["no_progress"] or not sys.stderr.isatty() else sys.stderr
        try:
            if fmt == "nsi":
                result = importers.organizations_import_nsi(
                    path=options["path"], dry_run=options["dry_run"], progress=progress
                )
            else:
                mapping = importers.load_mapping(mapping_path)
                result = importers.organizations_import_csv(
                    path=options["path"],
                    mapping=mapping,
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
