"""The demo forum: 8 + 8 seats, public rules, held, upcoming and cancelled meetings, a gap in
the results meetings with civil society; and running the demo twice adds nothing."""

import pytest
from django.core.management import call_command

from cocrea.audit.models import AuditEvent
from cocrea.forum.models import Decision, Forum, ForumSeat, Meeting, MeetingDocument

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models = [Forum, ForumSeat, Meeting, Decision, MeetingDocument, AuditEvent]
    return {m.__name__: m.objects.count() for m in models}


def test_the_demo_forum_has_both_sectors_rules_and_meetings_of_every_kind():
    call_command("seed_demo", stdout=None)
    forum = Forum.objects.get()
    assert forum.member.is_default
    assert forum.has_public_rules and "Demostración" in forum.rules
    sectors = {s: forum.seats.filter(sector=s).count() for s in ForumSeat.Sector.values}
    assert sectors == {"government": 8, "non_government": 8}
    statuses = set(forum.meetings.values_list("status", flat=True))
    assert statuses == {"held", "scheduled", "cancelled"}
    held = forum.meetings.filter(status="held")
    assert all(m.minutes.startswith("Demostración:") for m in held)
    assert all(m.attendance.exists() for m in held)
    assert Decision.objects.exists()
    assert forum.meetings.get(status="cancelled").cancellation_reason
    assert any(m.short_notice for m in held)  # one session called three days ahead
    results = held.filter(kind="civil_society")
    assert 0 < results.count() < 4  # results meetings for part of the period only


def test_the_demo_forum_pages_open(client):
    call_command("seed_demo", stdout=None)
    forum = Forum.objects.get()
    assert client.get("/foro/").status_code == 200
    for meeting in forum.meetings.all():
        assert client.get(meeting.get_absolute_url()).status_code == 200


def test_running_the_demo_twice_adds_nothing():
    call_command("seed_demo", stdout=None)
    first = _counts()
    call_command("seed_demo", stdout=None)
    assert _counts() == first
