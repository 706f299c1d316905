"""Reading the log in order, from where a reader stopped: the one way the apps that derive
data from it (notifications, search) follow it. Safe to run twice or at once: the reader's
cursor row is locked for each step, and a step's work and the cursor's move commit together,
so an event is handled once. The log is committed in the order of its ids (the chain's lock),
so no event is skipped."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction

from cocrea.audit.models import AuditEvent, LogCursor

BATCH = 2000  # events read per step


def read_log(
    cursor: type[LogCursor],
    fields: Sequence[str],
    handle: Callable[[list[dict[str, Any]]], None],
    *,
    batch: int = BATCH,
) -> int:
    """Hand each step's events (dicts of `fields`, `id` always among them) to `handle` inside
    the step's transaction, until the log's end; return how many events were read."""
    read = 0
    while True:
        with transaction.atomic():
            place, _created = cursor._default_manager.select_for_update().get_or_create(pk=1)
            events = [
                dict(row)
                for row in AuditEvent.objects.filter(id__gt=place.last_event_id)
                .order_by("id")
                .values("id", *fields)[:batch]
            ]
            if not events:
                return read
            handle(events)
            place.last_event_id = events[-1]["id"]
            place.save(update_fields=["last_event_id"])
            read += len(events)
