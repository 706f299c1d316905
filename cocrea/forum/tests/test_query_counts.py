"""The forum's public pages cost the same number of queries at any number of seats, meetings,
documents, decisions and attendees."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocrea.forum.models import (
    Attendance,
    Decision,
    Forum,
    ForumSeat,
    Meeting,
    MeetingDocument,
)
from cocrea.plans.tests.factories import ActionPlanFactory, InstitutionFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _forum(code: str, size: int) -> tuple[Forum, Meeting]:
    member = MemberFactory(code=code, slug=code.lower(), name=code, is_default=code == "AAA")
    plan = ActionPlanFactory(member=member, slug=f"plan-{code.lower()}")
    forum = Forum.objects.create(
        member=member, name=f"Foro {code}", slug=f"foro-{code.lower()}", rules="Reglas"
    )
    seats = [
        ForumSeat.objects.create(
            forum=forum,
            institution=InstitutionFactory(),
            sector="government" if i % 2 else "non_government",
            role="member",
            start_date=date(2020, 1, 1),
        )
        for i in range(size)
    ]
    now = timezone.now()
    meetings = []
    for i in range(size):
        starts = now + timedelta(days=(i - size // 2) * 30)
        meetings.append(
            Meeting.objects.create(
                forum=forum,
                plan=plan,
                title=f"Sesión {i}",
                status="held" if starts < now else "scheduled",
                starts_at=starts,
                place="Sala",
                agenda="Agenda",
                minutes="Acta" if starts < now else "",
                announced_at=starts - timedelta(days=i),
                schedule_changed_at=starts - timedelta(days=i),
            )
        )
    meeting = meetings[0]
    for i in range(size):
        Decision.objects.create(meeting=meeting, number=i + 1, text=f"Decisión {i}")
        MeetingDocument.objects.create(meeting=meeting, title=f"Doc {i}", url="https://e.org/d")
        Attendance.objects.create(meeting=meeting, seat=seats[i])
    return forum, meeting


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_forum_and_meeting_pages_cost_the_same_at_2_and_20(client):
    small_forum, small_meeting = _forum("AAA", 2)
    large_forum, large_meeting = _forum("BBB", 20)
    assert _count(client, small_forum.get_absolute_url()) == _count(
        client, large_forum.get_absolute_url()
    )
    small = _count(client, small_meeting.get_absolute_url())
    assert small == _count(client, large_meeting.get_absolute_url())
    assert small <= 8
    assert _count(client, "/foro/") <= 8
