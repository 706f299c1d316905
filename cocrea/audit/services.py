"""Recording audit events. Called by every service of every app inside its transaction."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from cocrea.audit import chain
from cocrea.audit.models import AuditEvent, ChainHead
from cocrea.core.signals import data_changed
from cocrea.core.versioning import data_version_bump


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def model_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value differs, as {field: [old, new]}: old is None on creation, new is
    None on deletion."""
    before = before or {}
    names = list(after) + [name for name in before if name not in after]
    return {
        name: [_jsonable(before.get(name)), _jsonable(after.get(name))]
        for name in names
        if before.get(name) != after.get(name)
    }


def _stored_form(value: Any) -> Any:
    """The value as every database gives it back from a JSON column, so that what is hashed is
    what is stored: text keys, lists, and numbers other than integers as text (PostgreSQL's
    jsonb rewrites 1e+16 as 10000000000000000)."""
    if isinstance(value, dict):
        return {str(k): _stored_form(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_stored_form(v) for v in value]
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def event_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict | None = None,
    public: bool = False,
    context: models.Model | None = None,
    institution: str = "",
) -> AuditEvent:
    """Append one event to the log, chained on the last one.

    `public`: whether everyone may read what it says (the public history and download); private
    events (memberships, accounts, drafts) are chained too, but only their hashes are published.
    `context`: the object whose public history shows the event (a milestone's commitment); the
    target itself when None. `institution`: the public name of the institution the actor acted
    for, if any."""
    return events_record(
        [
            Entry(
                actor=actor,
                action=action,
                target=target,
                changes=changes,
                public=public,
                context=context,
                institution=institution,
            )
        ]
    )[0]


@dataclass(frozen=True)
class Entry:
    """One event to record (the arguments of `event_record`)."""

    actor: Any
    action: str
    target: models.Model
    changes: dict | None = None
    public: bool = False
    context: models.Model | None = None
    institution: str = ""


def events_record(entries: Sequence[Entry]) -> list[AuditEvent]:
    """Append events to the log in the given order, each chained on the one before, with one
    read of the head and one INSERT for all of them: what a bulk write (an import of thousands
    of rows) records in its transaction. The chain is the same as `event_record` called once per
    entry would make."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events are recorded inside the transaction of the change.")
    if not entries:
        return []
    # Everything but the chain and the time first, before the lock below is taken.
    events = [_event(entry) for entry in entries]
    # Then, before reading the head: the bump's UPDATE row-locks the data-version row until this
    # transaction ends, so concurrent writers queue here and each reads the head only once the
    # one before has committed. Two events can never chain on the same head (and the unique
    # prev_hash would refuse it).
    data_version_bump()
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    # The id is hashed, so it is chosen here, under the lock, rather than by the database after
    # the insert: one INSERT and no UPDATE of an append-only row.
    event_id, prev_hash = (head[0] + 1, head[1]) if head else (1, chain.GENESIS)
    now = timezone.now()  # in the chain's order, as its ids are
    for event in events:
        event.id, event.prev_hash, event.created_at = event_id, prev_hash, now
        event.payload_hash = chain.payload_hash(chain.event_payload(vars(event)))
        event.hash = chain.link_hash(prev_hash, event.payload_hash)
        event_id, prev_hash = event_id + 1, event.hash
    AuditEvent.objects.bulk_create(events, batch_size=500)
    last = events[-1]
    if ChainHead.objects.filter(pk=1).update(event_id=last.id, hash=last.hash) == 0:
        ChainHead.objects.create(pk=1, event_id=last.id, hash=last.hash)
    # Once the change is committed (never if it rolls back): robust, so that a receiver's
    # failure is logged and cannot turn a saved change into an error page.
    transaction.on_commit(_announce, robust=True)
    return events


def _event(entry: Entry) -> AuditEvent:
    """An event not chained yet (no id, time or hashes)."""
    actor, target = entry.actor, entry.target
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    context = target if entry.context is None else entry.context
    return AuditEvent(
        actor=actor if is_person else None,
        actor_name=((getattr(actor, "public_name", "") or "") if is_person else "")[:150],
        actor_institution=entry.institution[:200],
        action=entry.action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        # What people wrote may later be hidden: such models name themselves by id instead.
        target_repr=str(getattr(target, "audit_repr", target))[:300],
        context_type=context._meta.label_lower,
        context_id=str(context.pk),
        public=entry.public,
        changes=_stored_form(entry.changes or {}),
    )


def _announce() -> None:
    data_changed.send(sender=AuditEvent)
