"""`manage.py compile_catalogues`: compile the .po catalogues to .mo with polib, so a machine with
only Python can run Cocrea (Django's compilemessages needs GNU gettext). With --fill-english, the
English catalogue is made the identity (our source strings are English)."""

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo) without GNU gettext."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fill-english",
            action="store_true",
            help="Make the English catalogue the identity (msgstr = msgid) first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                if options["fill_english"] and po_path.parts[-3] == "en":
                    for entry in catalogue:
                        if entry.msgid_plural:
                            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                        else:
                            entry.msgstr = entry.msgid
                        if "fuzzy" in entry.flags:
                            entry.flags.remove("fuzzy")
                        entry.previous_msgid = entry.previous_msgid_plural = None
                    catalogue.save()
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"{po_path}: {catalogue.percent_translated()}% translated")
