"""Periodic work of notifications (`manage.py send_notifications`, every few minutes): reminders
of milestones coming due, notices of work waiting for someone, then the fan-out of public events
and the emails.

Safe to run twice or at once: each reminder or notice is a Notification with a key unique per
person (`due:<milestone>:<14|7|1|overdue>`, `work:report:<report>:<submitted>`, ...), made with
`ignore_conflicts`, so a second run finds it made; the emails claim what they send
(delivery.py). A reminder is made on the first run of its window (a milestone due in 10 days
gets the 14-day reminder), so a day without a run skips nothing."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from cocrea.accounts.models import RoleGrant
from cocrea.notifications import delivery
from cocrea.notifications.followable import label_of
from cocrea.notifications.models import Follow, Kind, Notification
from cocrea.notifications.phases import phase_notices
from cocrea.notifications.services import fan_out
from cocrea.participation.models import Flag, Proposal
from cocrea.plans.models import ActionPlan, Membership, Milestone
from cocrea.tracking.models import ProgressReport

OVERDUE_DAYS = 30  # overdue milestones are reminded of once, within this many days


def due_tag(days_left: int) -> str | None:
    """Which reminder a milestone due in `days_left` days gets: 14, 7, 1, overdue, or none."""
    if days_left < -OVERDUE_DAYS or days_left > 14:
        return None
    if days_left < 0:
        return "overdue"
    if days_left <= 1:
        return "1"
    if days_left <= 7:
        return "7"
    return "14"


def _by_member(role: str) -> dict[int, set[int]]:
    """{member id: the people who hold this role in it}: roles are per OGP member, so work is
    told only to the people of the member it belongs to."""
    holders: dict[int, set[int]] = {}
    for member_id, user_id in RoleGrant.objects.filter(
        role=role, user__is_active=True, user__deleted_at__isnull=True
    ).values_list("member_id", "user_id"):
        holders.setdefault(member_id, set()).add(user_id)
    return holders


def _make(rows: list[Notification]) -> int:
    """Save the notices not made before (read through the unique index on person and key, so
    a run that finds all made writes nothing); one made meanwhile by another run is skipped by
    the unique constraint."""
    people = sorted({row.recipient_id for row in rows})
    keys = sorted({row.key for row in rows})
    made: set[tuple[int, str]] = set()
    for start in range(0, len(keys), 500):
        made.update(
            Notification.objects.filter(
                recipient_id__in=people, key__in=keys[start : start + 500]
            ).values_list("recipient_id", "key")
        )
    new = [row for row in rows if (row.recipient_id, row.key) not in made]
    Notification.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def due_reminders(*, now: datetime) -> int:
    """Milestones of plans in implementation, not complete or withdrawn, due in 14, 7 or 1 days
    or overdue: to the reporting officials and coordinators of the responsible institution
    (who report its progress: tracking/rules.py) and the followers of the milestone or its
    commitment."""
    today = timezone.localdate(now)
    milestones = list(
        Milestone.objects.filter(
            commitment__plan__status=ActionPlan.Status.IMPLEMENTATION,
            end_date__gte=today - timedelta(days=OVERDUE_DAYS),
            end_date__lte=today + timedelta(days=14),
        )
        .exclude(completion__in=[Milestone.Completion.COMPLETE, Milestone.Completion.WITHDRAWN])
        .select_related("commitment__plan")
    )
    if not milestones:
        return 0
    institutions = {m.responsible_institution_id for m in milestones}
    reporters: dict[int, set[int]] = {}
    for user_id, institution_id in Membership.objects.filter(
        institution_id__in=institutions,
        role__in=Membership.REPORTING_ROLES,
        status=Membership.Status.APPROVED,
        user__is_active=True,
        user__deleted_at__isnull=True,
    ).values_list("user_id", "institution_id"):
        reporters.setdefault(institution_id, set()).add(user_id)
    followed = Q()
    for m in milestones:
        followed |= Q(target_type="plans.milestone", target_id=str(m.pk))
        followed |= Q(target_type="plans.commitment", target_id=str(m.commitment_id))
    followers: dict[tuple[str, str], set[int]] = {}
    for user_id, label, pk in Follow.objects.filter(followed).values_list(
        "user_id", "target_type", "target_id"
    ):
        followers.setdefault((label, pk), set()).add(user_id)
    rows = []
    for m in milestones:
        if m.end_date is None:  # the query asked for a date; for the type checker
            continue
        tag = due_tag((m.end_date - today).days)
        if tag is None:
            continue
        people = (
            reporters.get(m.responsible_institution_id, set())
            | followers.get(label_of(m), set())
            | followers.get(("plans.commitment", str(m.commitment_id)), set())
        )
        url = m.commitment.get_absolute_url()
        rows += [
            Notification(
                recipient_id=user_id,
                kind=Kind.DUE,
                key=f"due:{m.pk}:{tag}",
                title=f"{m.commitment.number}.{m}",
                url=url,
                facts={"due_on": m.end_date.isoformat()},
                created_at=now,
            )
            for user_id in sorted(people)
        ]
    return _make(rows)


def work_notices(*, now: datetime) -> int:
    """Work waiting for someone: a progress report for the point of contact to publish, a flag
    for the moderators (and the point of contact), a proposal unanswered for more than
    COCREA_UNANSWERED_DAYS days for the point of contact, a membership request for the
    institution's coordinators and the point of contact."""
    contacts = _by_member(RoleGrant.Role.POINT_OF_CONTACT)
    moderating = _by_member(RoleGrant.Role.MODERATOR)

    def contacts_of(member_id: int) -> set[int]:
        return contacts.get(member_id, set())

    def moderators_of(member_id: int) -> set[int]:
        return moderating.get(member_id, set()) | contacts_of(member_id)

    rows: list[Notification] = []

    def tell(people: set[int], key: str, title: str, url: str) -> None:
        rows.extend(
            Notification(
                recipient_id=user_id,
                kind=Kind.WORK,
                key=key,
                title=title,
                url=url,
                created_at=now,
            )
            for user_id in sorted(people)
        )

    reports = ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED).select_related(
        "milestone__commitment__plan"
    )
    for report in reports:
        submitted = int(report.submitted_at.timestamp()) if report.submitted_at else 0
        tell(
            contacts_of(report.milestone.commitment.plan.member_id),
            f"work:report:{report.pk}:{submitted}",
            f"{report.milestone.commitment.number}.{report.milestone}",
            reverse("tracking:report", kwargs={"public_id": report.public_id}),
        )
    flags = Flag.objects.filter(resolved_at__isnull=True).select_related(
        "proposal__consultation__plan", "comment__proposal__consultation__plan"
    )
    for flag in flags:
        proposal = flag.proposal or flag.comment.proposal  # type: ignore[union-attr]
        tell(
            moderators_of(proposal.consultation.plan.member_id),
            f"work:flag:{flag.pk}",
            proposal.title,
            proposal.get_absolute_url(),
        )
    waiting = Proposal.objects.filter(
        response__isnull=True,
        hidden_at__isnull=True,
        created_at__lt=now - timedelta(days=settings.COCREA_UNANSWERED_DAYS),
    ).select_related("consultation__plan")
    for proposal in waiting:
        tell(
            contacts_of(proposal.consultation.plan.member_id),
            f"work:unanswered:{proposal.pk}",
            proposal.title,
            proposal.get_absolute_url(),
        )
    pending = Membership.objects.filter(status=Membership.Status.PENDING).select_related(
        "user", "institution"
    )
    coordinators: dict[int, set[int]] = {}
    for user_id, institution_id in Membership.objects.filter(
        institution_id__in={m.institution_id for m in pending},
        role=Membership.Role.COORDINATOR,
        status=Membership.Status.APPROVED,
        user__is_active=True,
        user__deleted_at__isnull=True,
    ).values_list("user_id", "institution_id"):
        coordinators.setdefault(institution_id, set()).add(user_id)
    for membership in pending:
        tell(
            (
                coordinators.get(membership.institution_id, set())
                | contacts_of(membership.institution.member_id)
            )
            - {membership.user_id},
            f"work:membership:{membership.pk}",
            f"{membership.user.display_name} · {membership.institution.short_name}",
            reverse("accounts:my_space"),
        )
    return _make(rows)


def run(*, now: datetime | None = None) -> dict[str, int]:
    """All the periodic work, in order: reminders, work notices and a consultation's phases, the
    fan-out, the emails."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):  # the addresses stored, unprefixed
        done = {
            "due": due_reminders(now=now),
            "work": work_notices(now=now),
            "phases": phase_notices(today=timezone.localdate(now)),
        }
        done["fan_out"] = fan_out()
    done.update(delivery.deliver(now=now))
    return done
