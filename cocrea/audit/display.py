"""What the public pages show of an event: translated labels for actions and fields, values as
text (an id that points to another object as that object's name), and never a field that the
object's own public page does not show.

Models say which of their fields stay out of the public log with an `audit_private_fields`
attribute, read here through the app registry (audit imports no domain app)."""

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
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocrea.core import words

# What happened, as a sentence, for every action that a service records (a test reads the
# services and fails on an action missing here). `%(target)s` is the object's name as recorded;
# any other name is the new value of that change (`%(milestone)s`), shown as `value_text` does.
# When a name is missing from an event (older events, a withheld field) the sentence falls back
# to the one for an unknown action.
SENTENCES: dict[str, Promise] = {
    # plans
    "member.create": _("OGP member “%(target)s” added"),
    "member.update": _("Details of the OGP member “%(target)s” changed"),
    "institution.create": _("Institution “%(target)s” added"),
    "institution.update": _("Details of the institution “%(target)s” changed"),
    "actionplan.create": _("Action plan “%(target)s” created"),
    "actionplan.update": _("Action plan “%(target)s” changed"),
    "commitment.create": _("Commitment “%(target)s” created"),
    "commitment.update": _("Commitment “%(target)s” changed"),
    "milestone.create": _("Milestone added: %(target)s"),
    "milestone.update": _("Milestone changed: %(target)s"),
    "milestone.delete": _("Milestone removed: %(target)s"),
    "membership.create": _("Membership requested: %(target)s"),
    "membership.update": _("Membership request decided: %(target)s"),
    # tracking
    "progressreport.create": _("Draft progress report started on the milestone “%(milestone)s”"),
    "progressreport.update": _("Draft progress report changed: %(target)s"),
    "progressreport.submit": _("Progress report sent for publication: %(target)s"),
    "progressreport.return": _("Progress report returned to its institution: %(target)s"),
    "progressreport.publish": _(
        "Progress report published on the milestone “%(milestone)s”, with the facts as of "
        "%(facts_date)s"
    ),
    "assessment.publish": _("Civil-society assessment published: %(target)s"),
    "irmreview.create": _("Findings of the Independent Reporting Mechanism (IRM) recorded"),
    "irmreview.update": _("Findings of the Independent Reporting Mechanism (IRM) corrected"),
    # accounts
    "user.public_name": _("Public name changed"),
    "role.grant": _("Role granted to %(target)s"),
    "role.revoke": _("Role withdrawn from %(target)s"),
    "user.delete": _("Account deleted"),
    # forum
    "forum.create": _("Forum “%(target)s” created"),
    "forum.update": _("Forum “%(target)s” changed"),
    "forumseat.create": _("Forum member added: %(target)s"),
    "forumseat.update": _("Forum member changed: %(target)s"),
    "forumseat.end": _("Forum member's term ended: %(target)s"),
    "meeting.create": _("Meeting announced: %(target)s"),
    "meeting.update": _("Meeting changed: %(target)s"),
    "meeting.cancel": _("Meeting cancelled: %(target)s"),
    "meeting.minutes_publish": _("Minutes published of the meeting %(target)s"),
    "meetingdocument.add": _("Document “%(target)s” added to the meeting “%(meeting)s”"),
    # participation
    "consultation.create": _("Consultation “%(target)s” created"),
    "consultation.update": _("Consultation “%(target)s” changed"),
    "consultation.publish": _("Timeline of the consultation “%(target)s” published"),
    "phase.create": _("Consultation phase added: %(kind)s"),
    "phase.update": _("Consultation phase changed: %(kind)s"),
    "proposal.create": _("Proposal %(public_id)s published"),
    "proposal.support": _("Proposal supported: %(target)s"),
    # Private: only their hashes are published.
    "follow.create": _("Started following"),
    "follow.delete": _("Stopped following"),
    "comment.create": _("Comment published on the proposal %(proposal)s"),
    "response.save": _("Proposal %(proposal)s answered: %(kind)s"),
    "workshop.record": _("Workshop recorded: %(target)s"),
    "content.flag": _("Reported to the moderators: %(target)s"),
    "content.hide": _("Hidden by a moderator: %(target)s"),
    "content.restore": _("Shown again by a moderator: %(target)s"),
    "content.keep": _("Kept by a moderator: %(target)s"),
    "standard.assess": _("Civil society's reading of the standard %(standard)s published"),
    # drafting
    "draft.create": _("Draft commitment “%(target)s” published"),
    "draftversion.create": _("New version of a draft commitment: %(target)s"),
    "sectioncomment.create": _("Comment on version %(version)s of a draft, section %(section)s"),
    "sectioncomment.hide": _("Comment on a draft hidden by a moderator"),
    "draft.approve": _("Draft “%(target)s” approved by the forum"),
    "draft.withdraw": _("Draft “%(target)s” withdrawn"),
    # opendata
    "apitoken.create": _("API token created: %(target)s"),
    "apitoken.revoke": _("API token revoked: %(target)s"),
    "apitoken.use": _("API token used to send a progress report"),
    "ogpimport.upload": _("File of OGP commitments uploaded: %(file)s"),
    "ogpimport.confirm": _("Import of OGP commitments confirmed"),
    "ogpimport.finish": _("Import of OGP commitments finished"),
}
UNKNOWN_SENTENCE = _("Change recorded: %(target)s")

# Names in the changes that are not fields of the target's model.
EXTRA_LABELS: dict[str, Promise] = {
    "evidence": _("evidence"),
    "phases": _("phases"),
    "flags": _("flags closed"),
    "text_sha256": _("SHA-256 of the text"),
    "body_sha256": _("SHA-256 of the text"),
    "sha256": _("SHA-256"),
    "file": _("file"),
    "size": _("size"),
    "prefix": _("token prefix"),
    "report": _("progress report"),
    "created": _("created"),
    "changed": _("changed"),
    "bad rows": _("rows with errors"),
    "role": _("role"),
    "reading": _("reading"),
    "commitments": _("commitments"),
    "reason": _("reason"),
    "note": _("note"),
}

# Values that prove rather than tell (hashes, identifiers): in the folded details only.
_NOT_IN_SENTENCES = ("sha256", "slug", "public_id", "prefix")
_LONG = 160
_BLANK: tuple[Any, ...] = (None, "", [])


Names = Mapping[tuple[str, str], str]  # (model label, id) -> the object's name


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
    if label:
        return str(label)
    extra = EXTRA_LABELS.get(name)
    return str(extra) if extra is not None else name.replace("_", " ")


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
    if name == "phases" and isinstance(value, list):
        return "; ".join(_phase_text(target_type, v) for v in value)
    if isinstance(value, list):
        return ", ".join(value_text(target_type, name, v, names) for v in value)
    if isinstance(value, dict):
        return _dict_text(value)
    related = _related_model(target_type, name)
    if related is not None:
        return (names or {}).get((related._meta.label_lower, str(value)), str(value))
    field = _field(target_type, name)
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(field, models.DateTimeField):
        return words.moment(value)
    if isinstance(field, models.DateField) or name.endswith(("_date", "_on")):
        return words.day(value)
    return str(value)


def _phase_text(target_type: str, phase: Any) -> str:
    """One phase of a published timeline, recorded as [kind, first day, last day]."""
    if not (isinstance(phase, list) and len(phase) == 3):
        return str(phase)
    kind, starts, ends = phase
    kinds = getattr(_field("participation.phase", "kind"), "flatchoices", None) or ()
    label = dict(kinds).get(kind, kind)
    return gettext("%(phase)s from %(start)s to %(end)s") % {
        "phase": label,
        "start": words.day(starts),
        "end": words.day(ends),
    }


def _dict_text(value: dict[str, Any]) -> str:
    """A file or a link of evidence as a reader names it; any other record as "key: value"."""
    if "file" in value:
        size = words.filesize(value["size"]) if value.get("size") is not None else ""
        return f"{value['file']} ({size})" if size else str(value["file"])
    if "link" in value:
        return f"{value.get('title') or value['link']} ({value['link']})"
    return "; ".join(f"{key}: {value[key]}" for key in sorted(value))


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
    sentence: str  # what happened, in the visitor's language
    details: list[str]  # one sentence per change worth telling (not on creation)
    target: str
    changes: list[Change]  # every public change, field by field, for the folded details
    hash: str
    history_url: str = ""


def who(actor_name: str, has_actor: bool) -> str:
    if actor_name:
        return actor_name
    return gettext("Someone without a public name") if has_actor else gettext("System")


def _new_values(event: Any, names: Names | None) -> dict[str, str]:
    """The new value of each public change as text, by the change's name."""
    hidden = private_fields(event.target_type)
    return {
        name: value_text(event.target_type, name, _pair(values)[1], names)
        for name, values in (event.changes or {}).items()
        if name not in hidden
    }


def sentence(event: Any, names: Names | None = None) -> str:
    """What happened, as one sentence in the active language."""
    values = {"target": event.target_repr, **_new_values(event, names)}
    template = SENTENCES.get(event.action)
    if template is not None:
        try:
            return str(template) % values
        except KeyError:  # an older event without the name the sentence uses
            pass
    return str(UNKNOWN_SENTENCE) % {"target": event.target_repr}


def _short(text: str) -> str:
    return text if len(text) <= _LONG else text[:_LONG].rstrip() + "…"


def details(event: Any, names: Names | None = None) -> list[str]:
    """The changes said one by one: each file or link of evidence added, and, when something
    existing changed, each field from its old value to its new one (long texts only named)."""
    hidden = private_fields(event.target_type)
    order = _field_order(event.target_type)
    items = sorted(
        ((name, _pair(values)) for name, values in (event.changes or {}).items()),
        key=lambda item: (order.get(item[0], len(order)), item[0]),
    )
    # A creation or a deletion is told by its sentence; its fields are in the folded table.
    whole = all(before is None for _n, (before, _a) in items) or all(
        after is None for _n, (_b, after) in items
    )
    said: list[str] = []
    for name, (before, after) in items:
        if name in hidden or name.endswith(_NOT_IN_SENTENCES):
            continue
        if name == "evidence":
            said.extend(_evidence_sentence(item) for item in after or [] if isinstance(item, dict))
            continue
        if whole or (before in _BLANK and after in _BLANK):
            continue
        label = capfirst(field_label(event.target_type, name))
        old = value_text(event.target_type, name, before, names)
        new = value_text(event.target_type, name, after, names)
        if max(len(old), len(new)) > _LONG or "\n" in old + new:
            said.append(gettext("%(field)s rewritten.") % {"field": label})
        elif before in _BLANK:
            said.append(gettext("%(field)s: %(after)s.") % {"field": label, "after": new})
        elif after in _BLANK:
            said.append(
                gettext("%(field)s removed (it was %(before)s).") % {"field": label, "before": old}
            )
        else:
            said.append(
                gettext("%(field)s changed from %(before)s to %(after)s.")
                % {"field": label, "before": _short(old), "after": _short(new)}
            )
    return said


def _evidence_sentence(item: dict[str, Any]) -> str:
    if "file" in item:
        return gettext("Evidence added: %(file)s.") % {"file": _dict_text(item)}
    return gettext("Link added as evidence: %(link)s.") % {"link": _dict_text(item)}


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
    """An `AuditEvent` (a public one) as the public pages show it: `changes=False` for a list
    that shows only the sentence."""
    return EventView(
        id=event.id,
        created_at=timezone.localtime(event.created_at),
        who=who(event.actor_name, event.actor_id is not None),
        institution=event.actor_institution,
        sentence=sentence(event, names),
        details=details(event, names) if changes else [],
        target=event.target_repr,
        changes=changes_shown(event, names) if changes else [],
        hash=event.hash,
        history_url=history_url,
    )
