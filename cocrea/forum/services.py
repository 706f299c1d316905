"""Every write to the forum. Each checks the rule, validates with `full_clean()`, saves inside a
transaction and records a public audit event there, in the forum's history: everything the
forum does is public."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.audit.services import event_record, model_changes
from cocrea.core.filecheck import CheckedFile
from cocrea.forum import rules as _rules  # noqa: F401 - registers the permissions
from cocrea.forum.models import (
    Attendance,
    Decision,
    Forum,
    ForumSeat,
    Meeting,
    MeetingDocument,
)
from cocrea.plans.models import ActionPlan
from cocrea.plans.rules import allowed

_NOT_AUDITED = {"id", "created_at", "updated_at"}
# What moves the notice: a change of any of these resets `schedule_changed_at`.
_SCHEDULE = ("starts_at", "ends_at", "place", "online_url")


def _require(actor: Any, thing: Forum | ForumSeat | Meeting) -> None:
    """The forum's own member decides (`forum.manage` with the forum or meeting)."""
    if not allowed("forum.manage", actor, thing):
        raise PermissionDenied


def _values(instance: models.Model) -> dict[str, Any]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in _NOT_AUDITED
    }


def _save_audited(*, actor: Any, instance: Forum | ForumSeat, context: Forum) -> None:
    model = type(instance)
    before = None
    if instance.pk is not None:
        old = model._default_manager.filter(pk=instance.pk).first()
        before = _values(old) if old is not None else None
    instance.full_clean()
    instance.save()
    changes = model_changes(before, _values(instance))
    if before is None or changes:
        event_record(
            actor=actor,
            action=f"{model._meta.model_name}.{'create' if before is None else 'update'}",
            target=instance,
            changes=changes,
            public=True,
            context=context,
        )


def forum_save(*, actor: Any, forum: Forum) -> Forum:
    """Create the forum or change its name, mandate or rules."""
    _require(actor, forum)
    with transaction.atomic():
        _save_audited(actor=actor, instance=forum, context=forum)
    return forum


def seat_save(*, actor: Any, seat: ForumSeat) -> ForumSeat:
    """Add a seat or correct one (institution, sector, role, representative, dates)."""
    _require(actor, seat)
    with transaction.atomic():
        _save_audited(actor=actor, instance=seat, context=seat.forum)
    return seat


def seat_end(*, actor: Any, seat: ForumSeat, end_date: date) -> ForumSeat:
    """The institution leaves the seat: the seat stays, with the day it ended."""
    _require(actor, seat)
    with transaction.atomic():
        seat = ForumSeat.objects.select_for_update().select_related("forum").get(pk=seat.pk)
        if seat.end_date is not None:
            raise ValidationError({"end_date": _("This seat has already ended.")})
        seat.end_date = end_date
        seat.full_clean()
        seat.save()
        event_record(
            actor=actor,
            action="forumseat.end",
            target=seat,
            changes={"end_date": [None, end_date.isoformat()]},
            public=True,
            context=seat.forum,
        )
    return seat


def _meeting_record(meeting: Meeting) -> dict[str, Any]:
    return {
        "kind": meeting.kind,
        "status": meeting.status,
        "title": meeting.title,
        "plan": str(meeting.plan) if meeting.plan else None,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "agenda": meeting.agenda,
    }


def meeting_create(
    *,
    actor: Any,
    forum: Forum,
    kind: str,
    title: str,
    starts_at: datetime,
    agenda: str,
    ends_at: datetime | None = None,
    place: str = "",
    online_url: str = "",
    plan: ActionPlan | None = None,
    announced_at: datetime | None = None,
) -> Meeting:
    """Announce a meeting. `announced_at` is now, unless an earlier meeting is being recorded
    with the day it was really announced elsewhere (never in the future)."""
    _require(actor, forum)
    now = timezone.now()
    announced_at = announced_at or now
    if announced_at > now:
        raise ValidationError({"announced_at": _("A meeting cannot be announced in the future.")})
    if plan is not None and plan.member_id != forum.member_id:
        raise ValidationError({"plan": _("Choose an action plan of this forum's OGP member.")})
    meeting = Meeting(
        forum=forum,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_url=online_url,
        agenda=agenda,
        plan=plan,
        announced_at=announced_at,
        schedule_changed_at=announced_at,
    )
    with transaction.atomic():
        meeting.full_clean()
        meeting.save()
        event_record(
            actor=actor,
            action="meeting.create",
            target=meeting,
            changes=model_changes(None, _meeting_record(meeting)),
            public=True,
            context=forum,
        )
    return meeting


def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    kind: str,
    title: str,
    starts_at: datetime,
    agenda: str,
    ends_at: datetime | None = None,
    place: str = "",
    online_url: str = "",
    plan: ActionPlan | None = None,
) -> Meeting:
    """Change a scheduled meeting. A new date, time or place is dated (`schedule_changed_at`),
    so the notice shown counts from the change, not from the first announcement."""
    _require(actor, meeting)
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("forum", "plan")
            .get(pk=meeting.pk)
        )
        if meeting.status != Meeting.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled meeting can be changed."))
        if plan is not None and plan.member_id != meeting.forum.member_id:
            raise ValidationError({"plan": _("Choose an action plan of this forum's OGP member.")})
        before = _meeting_record(meeting)
        meeting.kind = kind
        meeting.title = title.strip()
        meeting.starts_at = starts_at
        meeting.ends_at = ends_at
        meeting.place = place.strip()
        meeting.online_url = online_url
        meeting.agenda = agenda
        meeting.plan = plan
        after = _meeting_record(meeting)
        if any(before[name] != after[name] for name in _SCHEDULE):
            meeting.schedule_changed_at = timezone.now()
        meeting.full_clean()
        meeting.save()
        changes = model_changes(before, after)
        if changes:
            if meeting.schedule_changed_at != meeting.announced_at:
                changes["schedule_changed_at"] = [None, meeting.schedule_changed_at.isoformat()]
            event_record(
                actor=actor,
                action="meeting.update",
                target=meeting,
                changes=changes,
                public=True,
                context=meeting.forum,
            )
    return meeting


def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a scheduled meeting, saying why. It stays public, marked cancelled."""
    _require(actor, meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"cancellation_reason": _("Say why the meeting is cancelled.")})
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("forum")
            .get(pk=meeting.pk)
        )
        if meeting.status != Meeting.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled meeting can be cancelled."))
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancellation_reason = reason
        meeting.full_clean()
        meeting.save()
        event_record(
            actor=actor,
            action="meeting.cancel",
            target=meeting,
            changes={"status": ["scheduled", "cancelled"], "cancellation_reason": [None, reason]},
            public=True,
            context=meeting.forum,
        )
    return meeting


def meeting_minutes_publish(
    *,
    actor: Any,
    meeting: Meeting,
    minutes: str,
    decisions: Iterable[str] = (),
    seats: Iterable[ForumSeat] = (),
    other_participants: int = 0,
) -> Meeting:
    """Publish what happened at a meeting once it has started: the minutes, the decisions (in
    order), the seats present and how many other people took part. The meeting is then held.
    Publishing again corrects them; the earlier version stays in the audit log."""
    _require(actor, meeting)
    minutes = (minutes or "").strip()
    texts = [text.strip() for text in decisions if text and text.strip()]
    seats = list(seats)
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes of the meeting.")})
    if other_participants < 0:
        raise ValidationError({"other_participants": _("The number cannot be negative.")})
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("forum")
            .get(pk=meeting.pk)
        )
        if meeting.status == Meeting.Status.CANCELLED:
            raise ValidationError(_("A cancelled meeting has no minutes."))
        if meeting.starts_at > timezone.now():
            raise ValidationError(_("Minutes are published once the meeting has taken place."))
        day = timezone.localdate(meeting.starts_at)
        for seat in seats:
            if seat.forum_id != meeting.forum_id or not seat.is_active_on(day):
                raise ValidationError(
                    {"attendance": _("Only seats of this forum on the day of the meeting count.")}
                )
        before = {
            "status": meeting.status,
            "minutes": meeting.minutes,
            "decisions": list(meeting.decisions.values_list("text", flat=True)),
            "attendance": sorted(str(a.seat) for a in meeting.attendance.select_related("seat")),
            "other_participants": meeting.other_participants,
        }
        meeting.minutes = minutes
        meeting.other_participants = other_participants
        meeting.status = Meeting.Status.HELD
        meeting.minutes_published_at = timezone.now()
        meeting.full_clean()
        meeting.save()
        meeting.decisions.all().delete()
        Decision.objects.bulk_create(
            [Decision(meeting=meeting, number=n, text=t) for n, t in enumerate(texts, start=1)]
        )
        meeting.attendance.all().delete()
        unique = {seat.pk: seat for seat in seats}
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, seat=s) for s in unique.values()]
        )
        after = {
            "status": meeting.status,
            "minutes": minutes,
            "decisions": texts,
            "attendance": sorted(str(s) for s in unique.values()),
            "other_participants": other_participants,
        }
        event_record(
            actor=actor,
            action="meeting.minutes_publish",
            target=meeting,
            changes=model_changes(before, after),
            public=True,
            context=meeting.forum,
        )
    return meeting


@contextmanager
def _stored_files() -> Iterator[list[str]]:
    """Files are written to storage before their rows; if the transaction then fails, nothing
    may stay behind, so the names written are removed."""
    names: list[str] = []
    try:
        yield names
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise


def meeting_document_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    url: str = "",
    file: CheckedFile | None = None,
) -> MeetingDocument:
    """A document of the meeting (call, presentation, list of attendance, recording): a link or
    a file already checked from its content, exactly one."""
    _require(actor, meeting)
    if bool(url) == (file is not None):
        raise ValidationError(_("Give either a link or a file, not both."))
    title = (title or "").strip() or (file.name if file is not None else url)
    document = MeetingDocument(meeting=meeting, title=title[:200], url=url)
    with _stored_files() as stored, transaction.atomic():
        if file is not None:
            document.file_name = file.name
            document.content_type = file.content_type
            document.size = file.size
            document.sha256 = file.sha256
            document.file.save(f"{document.public_id}.{file.extension}", file.upload, save=False)
            stored.append(str(document.file.name))
        document.full_clean()
        document.save()
        record = (
            {"file": document.file_name, "sha256": document.sha256, "size": document.size}
            if file is not None
            else {"link": url}
        )
        event_record(
            actor=actor,
            action="meetingdocument.add",
            target=document,
            changes={
                "meeting": [None, str(meeting)],
                "title": [None, document.title],
                **{k: [None, v] for k, v in record.items()},
            },
            public=True,
            context=meeting.forum,
        )
    return document
