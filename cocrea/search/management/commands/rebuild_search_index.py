"""`manage.py rebuild_search_index`: index every public thing anew, with a progress bar."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cocrea.core.progress import ProgressBar
from cocrea.search.services import rebuild


class Command(BaseCommand):
    help = "Index every public thing anew (the index then follows the audit log by itself)."

    def handle(self, *args: Any, **options: Any) -> None:
        bar: ProgressBar | None = None

        def step(done: int, total: int) -> None:
            nonlocal bar
            if options["verbosity"] == 0:
                return
            bar = bar or ProgressBar(self.stdout, total)
            bar.update(done)

        written = rebuild(progress=step)
        if bar is not None:
            bar.close()
        if options["verbosity"]:
            self.stdout.write(_("%(entries)s entries indexed.") % {"entries": written})
