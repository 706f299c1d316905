"""Recording audit events. Called by every service of every app inside its transaction."""

from typing import Any

from django.db import models, transaction

from cocrea.audit.models import AuditEvent
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


def event_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, list[Any]] | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events are recorded inside the transaction of the change.")
    data_version_bump()
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_name=(getattr(actor, "public_name", "") or "") if is_person else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        changes=changes or {},
    )
