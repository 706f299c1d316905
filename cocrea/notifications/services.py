"""Every write of notifications: follows (private events in the audit log, as supports are),
the fan-out of public events into notifications, and marking them read. Notifications and their
read marks are not audited: they are derived from the log, each person's own."""

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cocrea.audit.readers import read_log
from cocrea.audit.services import event_record
from cocrea.forum.models import Meeting
from cocrea.notifications import followable
from cocrea.notifications.models import FanOutCursor, Follow, Kind, Notification
from cocrea.plans.rules import allowed
from cocrea.tracking.selectors import disagreeing_assessment_ids

BATCH = 2000  # events read per step of the fan-out


def follow_add(*, actor: Any, target: models.Model) -> Follow:
    """Follow a public thing; following it again changes nothing."""
    if not allowed("notifications.follow", actor, target):
        raise PermissionDenied
    label, pk = followable.label_of(target)
    existing = Follow.objects.filter(user=actor, target_type=label, target_id=pk).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            follow = Follow.objects.create(user=actor, target_type=label, target_id=pk)
            event_record(actor=actor, action="follow.create", target=follow, context=target)
    except IntegrityError:  # followed at the same moment from another tab
        return Follow.objects.get(user=actor, target_type=label, target_id=pk)
    return follow


def follow_remove(*, actor: Any, target: models.Model) -> None:
    """Stop following; not following is not an error."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    label, pk = followable.label_of(target)
    with transaction.atomic():
        follow = Follow.objects.filter(user=actor, target_type=label, target_id=pk).first()
        if follow is None:
            return
        event_record(actor=actor, action="follow.delete", target=follow, context=target)
        follow.delete()


def notifications_mark_read(*, actor: Any, ids: list[int] | None = None) -> int:
    """Mark the person's notifications read: these, or all of them."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        if not all(isinstance(i, int) for i in ids):
            raise ValidationError(_("Choose notifications from the list."))
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def fan_out(*, batch: int = BATCH) -> int:
    """Turn the public events recorded since the last run into notifications for the people who
    follow what they concern (the actor excepted), in bulk; return how many were made. Read
    through `audit.readers.read_log` (safe to run twice or at once); each notification is
    unique per person and event."""
    made = 0

    def tell(events: list[dict[str, Any]]) -> None:
        nonlocal made
        made += _notify([e for e in events if e["public"] and e["action"] in followable.ACTIONS])

    fields = ("action", "public", "target_type", "target_id", "actor_id", "created_at")
    read_log(FanOutCursor, fields, tell, batch=batch)
    return made


def _notify(events: list[dict[str, Any]]) -> int:
    if not events:
        return 0
    targets = {(e["target_type"], e["target_id"]) for e in events}
    lineages = followable.lineage(targets)
    concerned: set[followable.Thing] = set()
    for chain in lineages.values():
        concerned.update(chain or [])
    followers: dict[followable.Thing, list[tuple[int, Any]]] = defaultdict(list)
    by_label: dict[str, set[str]] = defaultdict(set)
    for label, pk in concerned:
        by_label[label].add(pk)
    if by_label:
        query = Q()
        for label, pks in by_label.items():
            query |= Q(target_type=label, target_id__in=pks)
        for user_id, label, pk, since in Follow.objects.filter(query).values_list(
            "user_id", "target_type", "target_id", "created_at"
        ):
            followers[(label, pk)].append((user_id, since))
    shown = followable.pages(concerned)
    details = _details(events)
    notifications = []
    for event in events:
        chain = lineages.get((event["target_type"], event["target_id"])) or []
        page = next((shown[thing] for thing in chain if thing in shown), None)
        if page is None:
            continue
        # Told what happened since they followed, not what came before.
        recipients = {
            user
            for thing in chain
            for user, since in followers.get(thing, [])
            if since <= event["created_at"]
        }
        recipients.discard(event["actor_id"])
        kind, facts = details.get(event["id"], (followable.ACTIONS[event["action"]], {}))
        notifications += [
            Notification(
                recipient_id=user,
                kind=kind,
                key=f"event:{event['id']}",
                event_id=event["id"],
                title=page[0],
                url=page[1],
                facts=facts,
                created_at=event["created_at"],  # when it happened
            )
            for user in sorted(recipients)
        ]
    Notification.objects.bulk_create(notifications, batch_size=1000, ignore_conflicts=True)
    return len(notifications)


def _details(events: list[dict[str, Any]]) -> dict[int, tuple[str, dict[str, Any]]]:
    """What some events' notifications say beyond their kind, read in one query per kind of
    event: an assessment that disputes the official progress is marked so; an announced meeting
    carries its date and the notice given (DOMAIN.md: civil society asked for 15 days)."""
    by_action: dict[str, dict[int, int]] = defaultdict(dict)  # action -> target pk -> event id
    for event in events:
        if event["target_id"].isdigit():
            by_action[event["action"]][int(event["target_id"])] = event["id"]
    details: dict[int, tuple[str, dict[str, Any]]] = {}
    assessments = by_action.get("assessment.publish", {})
    for pk in disagreeing_assessment_ids(assessments):
        details[assessments[pk]] = (Kind.DISPUTE, {})
    meetings = by_action.get("meeting.create", {})
    if meetings:
        for pk, starts_at, announced_at in Meeting.objects.filter(pk__in=meetings).values_list(
            "pk", "starts_at", "announced_at"
        ):
            notice = (timezone.localdate(starts_at) - timezone.localdate(announced_at)).days
            details[meetings[pk]] = (
                Kind.MEETING,
                {"starts_at": starts_at.isoformat(), "notice_days": notice},
            )
    return details
