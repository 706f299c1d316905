"""`manage.py export_opendata [--output DIR]`: every public table as CSV, JSON and XLSX, and
the zipped data package, under COCREA_OPENDATA_ROOT (opendata/export.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cocrea.opendata.export import export, export_published


class Command(BaseCommand):
    help = "Export the public data as CSV, JSON, XLSX and a zipped Frictionless data package."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(table: str, count: int) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(f"{table}: {count} rows")

        if options["output"]:
            archive = export(options["output"], progress=progress)
        else:  # where the open-data page offers it, which then lists the new files at once
            archive = export_published(progress=progress)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Open data written: {archive}"))
