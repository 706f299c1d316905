"""What the public pages show of an event: translated labels for actions and fields, values as
text (an id that points to another object as that object's name), and never a field that the
object's own public page does not show.

Models say which of their fields stay out of the public log with an `audit_private_fields`
attribute, read here through the app registry (audit imports no domain app)."""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The public actions of every app; any other action is shown as it is recorded.
ACTION_LABELS: dict[str, Promise] = {
    "member.create": _("OGP member added"),
    "member.update": _("OGP member updated"),
    "institution.create": _("Institution added"),
    "institution.update": _("Institution updated"),
    "actionplan.create": _("Action plan created"),
    "actionplan.update": _("Action plan updated"),
    "commitment.create": _("Commitment created"),
    "commitment.update": _("Commitment updated"),
    "milestone.create": _("Milestone added"),
    "milestone.update": _("Milestone updated"),
    "milestone.delete": _("Milestone deleted"),
    "progressreport.publish": _("Progress report published"),
    "assessment.publish": _("Civil-society assessment published"),
    "irmreview.create": _("IRM findings recorded"),
    "irmreview.update": _("IRM findings corrected"),
    "consultation.create": _("Consultation created"),
    "consultation.update": _("Consultation updated"),
    "consultation.publish": _("Consultation timeline published"),
    "phase.create": _("Consultation phase added"),
    "phase.update": _("Consultation phase changed"),
    "proposal.create": _("Proposal published"),
    "comment.create": _("Comment published"),
    "response.save": _("Proposal answered"),
    "workshop.record": _("Workshop recorded"),
    "content.hide": _("Hidden by a moderator"),
    "content.restore": _("Shown again by a moderator"),
    "content.keep": _("Kept by a moderator"),
    "standard.assess": _("Civil society's reading of a standard published"),
    "forum.create": _("Forum created"),
    "forum.update": _("Forum updated"),
    "forumseat.create": _("Forum member added"),
    "forumseat.update": _("Forum member updated"),
    "forumseat.end": _("Forum member's term ended"),
    "meeting.create": _("Meeting announced"),
    "meeting.update": _("Meeting changed"),
    "meeting.cancel": _("Meeting cancelled"),
    "meeting.minutes_publish": _("Minutes published"),
    "meetingdocument.add": _("Meeting document added"),
    "draft.create": _("Draft commitment published"),
    "draftversion.create": _("New version of a draft commitment"),
    "sectioncomment.create": _("Comment on a draft commitment"),
    "sectioncomment.hide": _("Comment on a draft hidden by a moderator"),
    "draft.approve": _("Draft approved by the forum"),
    "draft.withdraw": _("Draft withdrawn"),
}

Names = Mapping[tuple[str, str], str]  # (model label, id) -> the object's name


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


@lru_cache(maxsize=64)
def model_of(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@lru_cache(maxsize=1024)
def _field(target_type: str, name: str) -> Any:
    model = model_of(target_type)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)  # the attname (plan_id) is found too
    except FieldDoesNotExist:
        return None


def _related_model(target_type: str, name: str) -> type[models.Model] | None:
    field = _field(target_type, name)
    return field.related_model if field is not None and field.many_to_one else None


@lru_cache(maxsize=64)
def _field_order(target_type: str) -> dict[str, int]:
    """Each field's place in its model, by name and attname: PostgreSQL's jsonb does not keep
    the order in which the changes were written."""
    model = model_of(target_type)
    order: dict[str, int] = {}
    for position, field in enumerate(model._meta.get_fields() if model else ()):
        order.setdefault(field.name, position)
        order.setdefault(getattr(field, "attname", field.name), position)
    return order


def private_fields(target_type: str) -> frozenset[str]:
    """Fields whose values the public log never shows (the full change is still hashed)."""
    return frozenset(getattr(model_of(target_type), "audit_private_fields", ()))


def _pair(values: Any) -> list[Any]:
    return list(values) if isinstance(values, list) and len(values) == 2 else [None, values]


def withheld(target_type: str, changes: dict[str, Any]) -> list[str]:
    """The private fields that this change really discloses (a blank value discloses nothing)."""
    hidden = private_fields(target_type)
    return sorted(
        name
        for name, values in changes.items()
        if name in hidden and any(v not in (None, "") for v in _pair(values))
    )


def field_label(target_type: str, name: str) -> str:
    field = _field(target_type, name)
    label = getattr(field, "verbose_name", None)
    return str(label) if label else name


def related_names(events: Iterable[Any]) -> dict[tuple[str, str], str]:
    """The names of the objects that these events' changes point to by id (foreign keys), in one
    query per kind of object; an object since deleted keeps showing its id."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for event in events:
        hidden = private_fields(event.target_type)
        for name, values in (event.changes or {}).items():
            model = _related_model(event.target_type, name)
            if model is None or name in hidden:
                continue
            for value in _pair(values):
                try:
                    pk = model._meta.pk.to_python(value) if value is not None else None
                except ValidationError:
                    pk = None
                if pk is not None:
                    wanted.setdefault(model, set()).add(pk)
    names: dict[tuple[str, str], str] = {}
    for model, ids in sorted(wanted.items(), key=lambda item: item[0]._meta.label_lower):
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            names[(model._meta.label_lower, str(pk))] = str(obj)
    return names


def value_text(target_type: str, name: str, value: Any, names: Names | None = None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(value_text(target_type, name, v, names) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    related = _related_model(target_type, name)
    if related is not None:
        return (names or {}).get((related._meta.label_lower, str(value)), str(value))
    choices = getattr(_field(target_type, name), "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class EventView:
    id: int
    created_at: datetime
    who: str
    institution: str
    what: str
    target: str
    changes: list[Change]
    hash: str
    history_url: str = ""


def who(actor_name: str, has_actor: bool) -> str:
    if actor_name:
        return actor_name
    return gettext("Someone without a public name") if has_actor else gettext("System")


def changes_shown(event: Any, names: Names | None = None) -> list[Change]:
    """The event's changes in the order of its model's fields, without its private fields."""
    hidden = private_fields(event.target_type)
    order = _field_order(event.target_type)
    items = sorted(
        (event.changes or {}).items(), key=lambda item: (order.get(item[0], len(order)), item[0])
    )
    return [
        Change(
            field=field_label(event.target_type, name),
            before=value_text(event.target_type, name, _pair(values)[0], names),
            after=value_text(event.target_type, name, _pair(values)[1], names),
        )
        for name, values in items
        if name not in hidden
    ]


def event_view(
    event: Any, *, history_url: str = "", names: Names | None = None, changes: bool = True
) -> EventView:
    """An `AuditEvent` (a public one) as the public pages show it."""
    return EventView(
        id=event.id,
        created_at=timezone.localtime(event.created_at),
        who=who(event.actor_name, event.actor_id is not None),
        institution=event.actor_institution,
        what=action_label(event.action),
        target=event.target_repr,
        changes=changes_shown(event, names) if changes else [],
        hash=event.hash,
        history_url=history_url,
    )
