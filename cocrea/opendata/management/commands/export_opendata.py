"""`manage.py export_opendata [--output DIR]`: every public table as CSV, JSON and XLSX, and
the zipped data package, under COCREA_OPENDATA_ROOT (opendata/export.py)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from cocrea.core.versioning import data_version_bump
from cocrea.opendata.export import export


class Command(BaseCommand):
    help = "Export the public data as CSV, JSON, XLSX and a zipped Frictionless data package."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        folder = options["output"] or Path(settings.COCREA_OPENDATA_ROOT)
        folder.mkdir(parents=True, exist_ok=True)

        def progress(table: str, count: int) -> None:
            self.stdout.write(f"{table}: {count} rows")

        archive = export(folder, progress=progress)
        data_version_bump()  # the open-data page lists the new files at once
        self.stdout.write(self.style.SUCCESS(f"Open data written: {archive}"))
