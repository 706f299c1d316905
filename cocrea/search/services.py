"""Every write of the search index. The index is derived from the domain's tables, never
edited by hand: `index_things` writes the entries of some things as they now are (or removes
them), `index_from_log` does it for what the audit log says changed since the last run, and
`rebuild` for everything. Safe to run twice or at once (the cursor's row is locked for a step,
and writing the same entries twice gives the same rows). Not audited: it is derived data."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q

from cocrea.audit.models import AuditEvent
from cocrea.audit.readers import read_log
from cocrea.core.versioning import data_version_bump
from cocrea.search import documents, engine
from cocrea.search.models import Entry, IndexCursor

Thing = tuple[str, str]  # (model label, primary key as text), as the audit log names it
BATCH = 2000  # events read per step
REBUILD_BATCH = 500  # things per step of a rebuild


# The actions that change whether other things can be read: a proposal hidden or shown again
# hides or shows its comments and answer; a consultation published shows its proposals.
VISIBILITY = {"content.hide", "content.restore", "consultation.publish", "consultation.update"}


def _expand(things: set[Thing], visibility: set[Thing]) -> set[Thing]:
    """The things whose entries a change of these may change: a draft version is its draft;
    a change of visibility (`visibility`) is also its followers' (documents.FOLLOWERS)."""
    found: set[Thing] = set()
    for label, pk in things:
        if label in documents.STANDS_FOR:
            parent, attname = documents.STANDS_FOR[label]
            key = apps.get_model(label)._default_manager.filter(pk=pk).values_list(attname)
            found.update((parent, str(k)) for (k,) in key if k is not None)
        elif label in documents.BUILDERS:
            found.add((label, pk))
    level = {thing for thing in visibility if thing[0] in documents.FOLLOWERS}
    found |= level
    while level:
        following: set[Thing] = set()
        by_label: dict[str, set[str]] = defaultdict(set)
        for label, pk in level:
            by_label[label].add(pk)
        for label, pks in by_label.items():
            for child, attname in documents.FOLLOWERS[label]:
                rows = apps.get_model(child)._default_manager.filter(**{f"{attname}__in": pks})
                following.update((child, str(pk)) for pk in rows.values_list("pk", flat=True))
        following -= found
        found |= following
        level = {thing for thing in following if thing[0] in documents.FOLLOWERS}
    return found


def index_things(things: Iterable[Thing], *, visibility: Iterable[Thing] = ()) -> int:
    """Write the entries of these things as they are now, and of what belongs to those in
    `visibility`; return how many entries were written."""
    by_label: dict[str, set[str]] = defaultdict(set)
    for label, pk in _expand(set(things), set(visibility)):
        by_label[label].add(pk)
    written = 0
    for label, pks in by_label.items():
        entries = documents.BUILDERS[label](pks)
        with transaction.atomic():
            Entry.objects.filter(target_type=label, target_id__in=pks).delete()
            Entry.objects.bulk_create(entries, batch_size=500)
            created = list(
                Entry.objects.filter(target_type=label, target_id__in=pks).values_list(
                    "pk", flat=True
                )
            )
            engine.refresh(created)
        written += len(entries)
    return written


def index_from_log(*, batch: int = BATCH) -> int:
    """Index what the audit log says changed since the last run (read through
    `audit.readers.read_log`, safe to run twice or at once); return the entries written. The
    index is data the pages and the API show: a step that changed it moves the data version on
    in its own transaction, so no cached page or ETag keeps results from before."""
    written = 0

    def index(events: list[dict[str, Any]]) -> None:
        nonlocal written
        things = [(e["target_type"], e["target_id"]) for e in events]
        visibility = [
            thing for e, thing in zip(events, things, strict=True) if e["action"] in VISIBILITY
        ]
        written += index_things(things, visibility=visibility)
        if any(
            label in documents.BUILDERS or label in documents.STANDS_FOR for label, _pk in things
        ):
            data_version_bump()

    read_log(IndexCursor, ("action", "target_type", "target_id"), index, batch=batch)
    return written


def rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Index everything anew (after a restore, an import that bypassed the log, or a change of
    what is indexed); return the entries written. `progress(done, total)` after each step."""
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        IndexCursor.objects.update_or_create(pk=1, defaults={"last_event_id": last})
    things: list[Thing] = []
    for label in documents.BUILDERS:
        pks = apps.get_model(label)._default_manager.order_by("pk").values_list("pk", flat=True)
        things += [(label, str(pk)) for pk in pks]
    Entry.objects.filter(~Q(target_type__in=list(documents.BUILDERS))).delete()
    written = 0
    for start in range(0, len(things), REBUILD_BATCH):
        written += index_things(things[start : start + REBUILD_BATCH])
        if progress:
            progress(min(start + REBUILD_BATCH, len(things)), len(things))
    return written
