"""`manage.py import_ogp_commitments FILE [--dry-run]`: OGP's commitments database (CSV or
XLSX) into Cocrea, all or nothing (opendata/ogp.py). Exits with an error, changing nothing, if
any row is bad; every bad row is listed with its reason."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocrea.core.progress import ProgressBar
from cocrea.opendata.ogp import KINDS, count_rows
from cocrea.opendata.ogp_import import import_file


class Command(BaseCommand):
    help = "Import OGP's commitments database (CSV or XLSX); all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file() or path.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError(_("%(file)s: give a .csv or .xlsx file.") % {"file": path})

        total = count_rows(path)
        bar = ProgressBar(self.stdout, total)
        report = import_file(path, dry_run=options["dry_run"], progress=bar.update)
        bar.close()
        self.stdout.write("\r" + _("%(rows)s rows read.") % {"rows": report.rows})
        if report.unknown_columns:
            self.stdout.write(
                _("Columns not used (%(count)s): %(columns)s")
                % {
                    "count": len(report.unknown_columns),
                    "columns": ", ".join(report.unknown_columns),
                }
            )
        for line, warning in report.warnings:
            self.stdout.write(_("row %(line)s: %(message)s") % {"line": line, "message": warning})
        if not report.ok:
            for line, error in report.errors:
                self.stderr.write(_("row %(line)s: %(message)s") % {"line": line, "message": error})
            count = len(report.errors)
            raise CommandError(
                ngettext(
                    "%(count)s bad row: nothing was imported.",
                    "%(count)s bad rows: nothing was imported.",
                    count,
                )
                % {"count": count}
            )
        lines = (
            (_("Would be created:"), _("Would be changed:"))
            if report.dry_run
            else (_("Created:"), _("Changed:"))
        )
        nothing = _("nothing")
        for label, counts in zip(lines, (report.created, report.changed), strict=True):
            summary = ", ".join(
                f"{n} {KINDS.get(what, what)}" for what, n in sorted(counts.items())
            )
            self.stdout.write(f"{label} {summary or nothing}.")
        self.stdout.write(
            self.style.SUCCESS(_("Dry run: nothing changed.") if report.dry_run else _("Imported."))
        )
