"""`manage.py export_ogp_commitments FILE`: every commitment with an OGP id, in the columns of
OGP's commitments database (opendata/ogp.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cocrea.opendata.ogp import export_file


class Command(BaseCommand):
    help = "Export commitments in OGP's commitments database format (CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        count = export_file(options["file"])
        self.stdout.write(self.style.SUCCESS(f"{count} commitments written to {options['file']}."))
