"""`manage.py send_notifications`: reminders of milestones due, notices of work waiting, the
fan-out of public events, then the emails (instant, and the digests due). Run it every few
minutes (`make run`, `make serve`, or a systemd timer: docs/deployment.md); safe to run twice or
at once (cocrea/notifications/periodic.py)."""

from typing import Any

from django.core.management.base import BaseCommand

from cocrea.notifications import periodic


class Command(BaseCommand):
    help = "Make due-date reminders and work notices, fan out events, and send the emails due."

    def handle(self, *args: Any, **options: Any) -> None:
        done = periodic.run()
        if options["verbosity"] >= 1:
            self.stdout.write(" ".join(f"{name}={count}" for name, count in done.items()))
