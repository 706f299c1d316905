"""Recompute the whole hash chain of the audit log and name the first event that does not fit."""

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cocrea.audit import chain
from cocrea.audit.models import AuditEvent, ChainHead

FIELDS = ["id", *chain.PAYLOAD_FIELDS[1:], "payload_hash", "prev_hash", "hash"]
CHUNK = 2000
PROGRESS_EVERY = 100_000


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain; fail naming the first event that does not fit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size", type=int, default=CHUNK, help="Rows read from the database at a time."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = AuditEvent.objects.order_by("id").values(*FIELDS).iterator(options["chunk_size"])
        try:
            result = chain.verify(chain.links_from_rows(self._progress(rows, options["verbosity"])))
        finally:
            rows.close()  # the verification may stop early: close PostgreSQL's cursor now
        if result.broken is not None:
            raise CommandError(f"Audit log broken: {result.broken}.")
        recorded = ChainHead.objects.filter(pk=1).values_list("event_id", "hash").first()
        if recorded is not None and recorded[1] != result.head:
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
            raise CommandError(
                f"Audit log broken: it ends at event {last} with hash {result.head}, but the "
                f"recorded head is event {recorded[0]} with hash {recorded[1]}: events were "
                "removed from its end."
            )
        self.stdout.write(f"Audit log verified: {result.count} events, head {result.head}")

    def _progress(self, rows: Iterator[dict[str, Any]], verbosity: int) -> Iterator[dict[str, Any]]:
        for number, row in enumerate(rows, 1):
            if verbosity > 1 and number % PROGRESS_EVERY == 0:
                self.stderr.write(f"{number} events checked")
            yield row
