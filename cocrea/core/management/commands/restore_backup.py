"""`manage.py restore_backup ARCHIVE` (bin/restore): restore a backup into an empty database
and check it (cocrea/core/restore.py, docs/backups.md). Exit status 2: refused, nothing was
changed; 1: restored, but a check failed; 0: restored and every check passed."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cocrea.core.backup import ArchiveError
from cocrea.core.restore import RefusedError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database, then check it (docs/backups.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive bin/backup wrote.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore(options["archive"], progress=self.stdout.write)
        except (ArchiveError, RefusedError) as error:
            raise CommandError(
                f"Restore refused: {error}\nNothing was changed.", returncode=2
            ) from None
        self.stdout.write(
            f"Files: {result.files_written} written, {result.files_kept} already in storage."
        )
        for check in result.checks:
            mark = "ok  " if check.ok else "FAIL"
            self.stdout.write(f"{mark} {check.name}: {check.detail}")
        if result.failed:
            raise CommandError(
                f"Restored, but {len(result.failed)} check(s) failed: "
                + ", ".join(check.name for check in result.failed),
                returncode=1,
            )
        self.stdout.write("Restore complete: every check passed.")
