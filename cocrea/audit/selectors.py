"""Reads for the public log pages and the download: public events only, except for the hashes,
and a fixed number of queries at any size of the log."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from cocrea.audit import chain, display
from cocrea.audit.models import AuditEvent

# What the pages read of an event: not the actor's row, nor the hashes they do not show.
_SHOWN = [
    "id",
    "created_at",
    "actor_id",
    "actor_name",
    "actor_institution",
    "action",
    "target_type",
    "target_repr",
    "context_type",
    "context_id",
    "changes",
    "hash",
]


def _public() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(public=True).only(*_SHOWN)


def history_page(*, context_type: str, context_id: str, number: str | None) -> Page:
    """One page (newest first) of the public events whose context is this object, as
    `display.EventView`s. Besides the page, one query per kind of object that the changes point
    to by id (a milestone's responsible institution), whatever the number of events."""
    events = _public().filter(context_type=context_type, context_id=context_id).order_by("-id")
    page = Paginator(events, settings.COCREA_PAGE_SIZE).get_page(number)
    rows = list(page.object_list)
    names = display.related_names(rows)
    views: list[Any] = [display.event_view(event, names=names) for event in rows]
    page.object_list = views
    return page


@dataclass(frozen=True)
class Head:
    count: int
    hash: str
    created_at: datetime | None


def log_head() -> Head:
    """The number of events and the current head of the chain (the hash to compare a download
    with)."""
    count = AuditEvent.objects.count()
    last = AuditEvent.objects.order_by("-id").values_list("hash", "created_at").first()
    return (
        Head(count, last[0], timezone.localtime(last[1])) if last else Head(0, chain.GENESIS, None)
    )


def _history_urls(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """The public history page of each event's context, for the kinds of object that have one:
    their model says so with an `audit_history_urls(ids)` class method (one query per kind)."""
    ids: dict[str, set[str]] = {}
    for event in events:
        ids.setdefault(event.context_type, set()).add(event.context_id)
    urls: dict[tuple[str, str], str] = {}
    for context_type, context_ids in sorted(ids.items()):
        model = display.model_of(context_type)
        history_urls = getattr(model, "audit_history_urls", None)
        if history_urls is not None:
            for context_id, url in history_urls(context_ids).items():
                urls[(context_type, context_id)] = url
    return urls


def latest_public(limit: int = 20) -> list[display.EventView]:
    events = list(_public().order_by("-id")[:limit])
    urls = _history_urls(events)
    return [
        display.event_view(
            e, history_url=urls.get((e.context_type, e.context_id), ""), changes=False
        )
        for e in events
    ]


_DOWNLOAD_FIELDS = ["id", *chain.PAYLOAD_FIELDS[1:], "payload_hash", "prev_hash", "hash"]
_PRIVATE_LINE = ["id", "created_at", "public", "payload_hash", "prev_hash", "hash"]
_CHUNK = 2000


def log_lines() -> Iterator[bytes]:
    """The whole log as JSON Lines, in id order, a chunk of lines at a time. Public events carry
    their payload and hashes; private ones only their id, time and hashes, enough to verify the
    chain without disclosing what they say. Fields a public event may not show (private
    fields, `display.withheld`) are left out and named in `withheld`: its link can be checked,
    its content only by the server."""
    rows = AuditEvent.objects.order_by("id").values(*_DOWNLOAD_FIELDS).iterator(_CHUNK)
    lines: list[str] = []
    for row in rows:
        row["created_at"] = chain.timestamp(row["created_at"])
        if row["public"]:
            if hidden := display.withheld(row["target_type"], row["changes"]):
                row["changes"] = {k: v for k, v in row["changes"].items() if k not in hidden}
                row["withheld"] = hidden
            line = row
        else:
            line = {name: row[name] for name in _PRIVATE_LINE}
        lines.append(chain.canonical(line).decode())
        if len(lines) == _CHUNK:
            yield ("\n".join(lines) + "\n").encode()
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Updates:
    """How often the public record of some objects changed: public events per window, and
    when the newest one happened."""

    per_window: list[int]
    latest: datetime | None


def public_updates(
    *,
    contexts: dict[str, list[str] | QuerySet[Any]],
    windows: list[tuple[datetime, datetime]],
) -> Updates:
    """Public events whose context is one of `contexts` (model label to a list of ids, or a
    queryset of the objects, which becomes a subquery: the ids never travel to Python and
    back), counted in each window [start, end): two queries, whatever the size of the log."""
    where = Q()
    for context_type, ids in contexts.items():
        if isinstance(ids, QuerySet):
            # Events name their context by id as text (any model's key fits).
            ids = ids.annotate(as_text=Cast("pk", CharField())).values("as_text")
        elif not ids:
            continue
        where |= Q(context_type=context_type, context_id__in=ids)
    if not where:
        return Updates([0] * len(windows), None)
    events = AuditEvent.objects.filter(where, public=True)
    per_window = [0] * len(windows)
    if windows:
        totals = events.aggregate(
            **{
                f"w{i}": Count("id", filter=Q(created_at__gte=start, created_at__lt=end))
                for i, (start, end) in enumerate(windows)
            }
        )
        per_window = [totals[f"w{i}"] for i in range(len(windows))]
    latest = events.order_by("-id").values_list("created_at", flat=True).first()
    return Updates(per_window, latest)
