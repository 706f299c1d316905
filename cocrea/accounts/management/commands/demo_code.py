"""`manage.py demo_code`: the code the demo's accounts are asked for after their password (on a
development machine, where `make run` opened them: cocrea/accounts/demo.py)."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cocrea.accounts.demo import current_code


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo's accounts (development only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.COCREA_DEMO_PASSWORD:
            raise CommandError(
                "The demo's accounts are closed here (COCREA_DEMO_PASSWORD is not set)."
            )
        now = time.time()
        self.stdout.write(current_code(settings.COCREA_DEMO_TOTP_SECRET, now))
        self.stdout.write(f"(valid for {30 - int(now) % 30} more seconds)", self.style.NOTICE)
