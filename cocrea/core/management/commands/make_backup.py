"""`manage.py make_backup [DEST] [--keep N]` (bin/backup): one archive of the database, the
uploaded files and a manifest (cocrea/core/backup.py, docs/backups.md)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from cocrea.core.backup import ArchiveError, backup_write


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (docs/backups.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination",
            nargs="?",
            type=Path,
            default=None,
            help="A folder (default COCREA_BACKUP_DIR), or the archive's path ending in .tar.",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.COCREA_BACKUP_KEEP,
            help="Backups kept in the folder, the oldest removed (0: all; default "
            "COCREA_BACKUP_KEEP).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(line: str) -> None:
            if options["verbosity"] >= 2:
                self.stderr.write(line)

        try:
            made = backup_write(options["destination"], keep=options["keep"], progress=progress)
        except (ArchiveError, DatabaseError) as error:
            raise CommandError(f"{str(error).strip()} No backup was written.") from None
        for old in made.pruned:
            self.stdout.write(f"Removed old backup {old}")
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Backup written: {made.path} ({made.size} bytes, {made.files} files)"
            )
