"""`manage.py export_ogp_commitments FILE [--member CODE]`: every commitment with an OGP id, in
the columns of OGP's commitments database (opendata/ogp.py); with `--member`, those of one OGP
member's plans only."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cocrea.opendata.ogp import export_file
from cocrea.plans.models import Member


class Command(BaseCommand):
    help = "Export commitments in OGP's commitments database format (CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--member", default=None, help="An OGP member's code (GTM): its commitments only."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        member = None
        if options["member"] is not None:
            member = Member.objects.filter(code=options["member"]).first()
            if member is None:
                codes = ", ".join(Member.objects.order_by("code").values_list("code", flat=True))
                raise CommandError(
                    f"No OGP member has the code {options['member']!r}. Codes: {codes or '-'}."
                )
        count = export_file(options["file"], member=member)
        self.stdout.write(self.style.SUCCESS(f"{count} commitments written to {options['file']}."))
