"""Reads for the forum's pages and for other apps (the co-creation standards panel): each a fixed
number of queries, whatever the number of seats, meetings or documents."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cocrea.forum.models import Attendance, Forum, ForumSeat, Meeting, MeetingDocument
from cocrea.plans.models import Member

_ROLE_ORDER = {value: index for index, value in enumerate(ForumSeat.Role.values)}


def forum_of_member(member: Member) -> Forum | None:
    """The member's forum, with the member given rather than joined again."""
    forum = Forum.objects.filter(member=member).order_by("name", "pk").first()
    if forum is not None:
        forum.member = member
    return forum


def forum_default() -> Forum | None:
    """The forum of the default OGP member, else of the first member (by name) that has one."""
    return (
        Forum.objects.select_related("member")
        .order_by("-member__is_default", "member__name", "pk")
        .first()
    )


def forum_get(slug: str) -> Forum:
    return get_object_or_404(Forum.objects.select_related("member"), slug=slug)


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _seat_order(seat: ForumSeat) -> tuple[str, int, str]:
    return (seat.sector, _ROLE_ORDER.get(seat.role, 99), seat.institution.name.lower())


def active_seats(forum: Forum, on: date) -> list[ForumSeat]:
    """The seats in use on a day, government first, chair first, then by institution."""
    seats = (
        ForumSeat.objects.filter(forum=forum, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("institution")
    )
    return sorted(seats, key=_seat_order)


def meetings_held(forum: Forum, start: date, end: date, kind: str | None = None) -> list[Meeting]:
    """Meetings held whose local date (America/Guatemala) is within [start, end], oldest
    first."""
    meetings = Meeting.objects.filter(
        forum=forum,
        status=Meeting.Status.HELD,
        starts_at__gte=_local_start(start),
        starts_at__lt=_local_start(end + timedelta(days=1)),
    )
    if kind is not None:
        meetings = meetings.filter(kind=kind)
    return list(meetings.order_by("starts_at", "pk"))


@dataclass
class SectorGroup:
    sector: str
    label: str
    seats: list = field(default_factory=list)


def by_sector(seats: list[ForumSeat]) -> list[SectorGroup]:
    """Seats grouped as the forum is composed: government, then non-government (both always
    present, so a missing sector shows as empty)."""
    groups = [SectorGroup(value, str(label)) for value, label in ForumSeat.Sector.choices]
    index = {group.sector: group for group in groups}
    for seat in seats:
        index[seat.sector].seats.append(seat)
    return groups


@dataclass
class ForumMeetings:
    upcoming: list[Meeting]
    past: list[Meeting]


def forum_meetings(forum: Forum, now: datetime | None = None) -> ForumMeetings:
    """Every meeting of the forum in one query: those still to come (soonest first, cancelled
    ones included so their cancellation is seen) and the rest (latest first)."""
    now = now or timezone.now()
    meetings = list(
        Meeting.objects.filter(forum=forum)
        .select_related("plan")
        .order_by("-starts_at", "-pk")
        .defer("agenda", "minutes", "cancellation_reason")
    )
    upcoming = [m for m in reversed(meetings) if m.starts_at >= now]
    past = [m for m in meetings if m.starts_at < now]
    return ForumMeetings(upcoming=upcoming, past=past)


def meeting_get(slug: str, public_id: str) -> Meeting:
    """The meeting with everything its page shows: forum, plan, documents, decisions and the
    seats present with their institutions (four queries)."""
    return get_object_or_404(
        Meeting.objects.select_related("forum__member", "plan").prefetch_related(
            Prefetch("documents", queryset=MeetingDocument.objects.order_by("created_at", "pk")),
            "decisions",
            Prefetch("attendance", queryset=Attendance.objects.select_related("seat__institution")),
        ),
        forum__slug=slug,
        public_id=public_id,
    )


def attendance_by_sector(meeting: Meeting) -> list[SectorGroup]:
    """The seats present, grouped by sector; reads the prefetched attendance."""
    return by_sector(sorted((a.seat for a in meeting.attendance.all()), key=_seat_order))


def document_get(public_id: str) -> MeetingDocument:
    return get_object_or_404(
        MeetingDocument.objects.select_related("meeting").exclude(file=""), public_id=public_id
    )
