"""News that no event records but the calendar brings: a consultation's phase opens, or closes
in a few days. Told to who follows the consultation or its plan, once per phase and notice
(the notification's unique key), by the periodic command; only for published consultations."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from cocrea.notifications import followable
from cocrea.notifications.models import Follow, Kind, Notification
from cocrea.participation.models import Phase

CLOSING_DAYS = 3  # "closes soon": within this many days
LATE_DAYS = 2  # a phase that opened while the command did not run is still told, this late


def phase_notices(*, today: date | None = None) -> int:
    """Make the notices due today; return how many were new. Safe to run twice or at once."""
    today = today or timezone.localdate()
    phases = list(
        Phase.objects.filter(consultation__published_at__isnull=False, ends_on__gte=today)
        .filter(
            Q(starts_on__range=(today - timedelta(days=LATE_DAYS), today))
            | Q(starts_on__lt=today, ends_on__lte=today + timedelta(days=CLOSING_DAYS))
        )
        .values_list("pk", "consultation_id", "kind", "starts_on", "ends_on")
    )
    if not phases:
        return 0
    consultations = {("participation.consultation", str(c)) for _pk, c, *_rest in phases}
    lineages = followable.lineage(consultations)
    concerned = {thing for chain in lineages.values() for thing in chain or []}
    followers: dict[followable.Thing, set[int]] = defaultdict(set)
    query = Q()
    for label, key in concerned:
        query |= Q(target_type=label, target_id=key)
    for user, label, target in Follow.objects.filter(query).values_list(
        "user_id", "target_type", "target_id"
    ):
        followers[(label, target)].add(user)
    shown = followable.pages(consultations)
    now = timezone.now()
    notifications = []
    for pk, consultation, kind, starts_on, ends_on in phases:
        thing = ("participation.consultation", str(consultation))
        if thing not in shown:
            continue
        notices = []
        if today - timedelta(days=LATE_DAYS) <= starts_on <= today:
            notices.append((Kind.PHASE, f"phase:{pk}:open"))
        if starts_on < today and ends_on <= today + timedelta(days=CLOSING_DAYS):
            notices.append((Kind.CLOSING, f"phase:{pk}:closing"))
        recipients = {user for link in lineages.get(thing) or [] for user in followers[link]}
        notifications += [
            Notification(
                recipient_id=user,
                kind=notice,
                key=key,
                title=shown[thing][0],
                url=shown[thing][1],
                facts={
                    "phase": kind,
                    "starts_on": starts_on.isoformat(),
                    "ends_on": ends_on.isoformat(),
                },
                created_at=now,
            )
            for notice, key in notices
            for user in sorted(recipients)
        ]
    if not notifications:
        return 0
    told = Notification.objects.filter(key__in={n.key for n in notifications})
    before = told.count()
    Notification.objects.bulk_create(notifications, batch_size=1000, ignore_conflicts=True)
    return told.count() - before
