"""`manage.py import_ogp_commitments FILE [--dry-run]`: OGP's commitments database (CSV or
XLSX) into Cocrea, all or nothing (opendata/ogp.py). Exits with an error, changing nothing, if
any row is bad; every bad row is listed with its reason."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cocrea.opendata.ogp import import_file


class Command(BaseCommand):
    help = "Import OGP's commitments database (CSV or XLSX); all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file() or path.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError(f"{path}: give a .csv or .xlsx file.")

        def progress(rows: int) -> None:
            if rows % 100 == 0:
                self.stdout.write(f"\r{rows} rows read", ending="")

        report = import_file(path, dry_run=options["dry_run"], progress=progress)
        self.stdout.write(f"\r{report.rows} rows read.")
        if report.unknown_columns:
            self.stdout.write(
                f"{len(report.unknown_columns)} columns not used: "
                + ", ".join(report.unknown_columns)
            )
        for line, warning in report.warnings:
            self.stdout.write(f"row {line}: {warning}")
        if not report.ok:
            for line, error in report.errors:
                self.stderr.write(f"row {line}: {error}")
            raise CommandError(f"{len(report.errors)} bad rows: nothing was imported.")
        verb = "would be" if report.dry_run else "were"
        for label, counts in (("created", report.created), ("changed", report.changed)):
            summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "nothing"
            self.stdout.write(f"{label.capitalize()} ({verb}): {summary}.")
        self.stdout.write(
            self.style.SUCCESS("Dry run: nothing changed." if report.dry_run else "Imported.")
        )
