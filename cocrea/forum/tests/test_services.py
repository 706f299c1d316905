"""Every write goes through a service: checked, validated, recorded in the public audit log."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cocrea.audit.models import AuditEvent
from cocrea.forum import selectors, services
from cocrea.forum.models import Attendance, Decision, ForumSeat, Meeting
from cocrea.forum.tests.conftest import future
from conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def _events(action: str):
    return AuditEvent.objects.filter(action=action)


def test_creating_a_meeting_records_a_public_event_in_the_forums_history(meeting, forum):
    event = _events("meeting.create").get()
    assert event.public
    assert event.context_type == "forum.forum" and event.context_id == str(forum.pk)
    assert event.changes["title"] == [None, "Sesión ordinaria"]
    assert meeting.schedule_changed_at == meeting.announced_at


def test_seats_and_the_forum_are_audited_too(forum):
    assert _events("forum.create").filter(public=True).count() == 1
    assert _events("forumseat.create").count() == 3
    assert _events("forumseat.end").get().changes == {"end_date": [None, "2023-06-30"]}


def test_changing_the_date_moves_the_schedule_change_and_shortens_the_notice(meeting, contact):
    announced = meeting.announced_at
    notice = meeting.notice_days
    services.meeting_update(
        actor=contact,
        meeting=meeting,
        kind=meeting.kind,
        title=meeting.title,
        starts_at=timezone.now() + timedelta(days=3, hours=2),
        place=meeting.place,
        agenda=meeting.agenda,
    )
    meeting.refresh_from_db()
    assert meeting.announced_at == announced
    assert meeting.schedule_changed_at > announced
    assert meeting.notice_days == 3 < notice
    assert meeting.short_notice and meeting.schedule_changed
    assert "starts_at" in _events("meeting.update").get().changes


def test_changing_the_place_moves_the_schedule_change(meeting, contact):
    services.meeting_update(
        actor=contact,
        meeting=meeting,
        kind=meeting.kind,
        title=meeting.title,
        starts_at=meeting.starts_at,
        place="Otro salón",
        agenda=meeting.agenda,
    )
    meeting.refresh_from_db()
    assert meeting.schedule_changed_at > meeting.announced_at


def test_changing_only_the_agenda_keeps_the_notice(meeting, contact):
    services.meeting_update(
        actor=contact,
        meeting=meeting,
        kind=meeting.kind,
        title="Otro título",
        starts_at=meeting.starts_at,
        place=meeting.place,
        agenda="Otra agenda",
    )
    meeting.refresh_from_db()
    assert meeting.schedule_changed_at == meeting.announced_at
    assert meeting.title == "Otro título"


def test_cancelling_without_a_reason_is_refused_and_changes_nothing(meeting, contact):
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=contact, meeting=meeting, reason="   ")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert not _events("meeting.cancel").exists()


def test_a_cancelled_meeting_cannot_be_changed_or_cancelled_again(meeting, contact):
    services.meeting_cancel(actor=contact, meeting=meeting, reason="Sin quórum")
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=contact, meeting=meeting, reason="Otra vez")
    with pytest.raises(ValidationError):
        services.meeting_update(
            actor=contact,
            meeting=meeting,
            kind="forum",
            title="x",
            starts_at=future(),
            place="x",
            agenda="x",
        )


def test_publishing_minutes_marks_the_meeting_held_with_decisions_and_attendance(
    past_meeting, forum, contact
):
    seats = selectors.active_seats(forum, timezone.localdate(past_meeting.starts_at))
    services.meeting_minutes_publish(
        actor=contact,
        meeting=past_meeting,
        minutes="Acta",
        decisions=["Uno", " ", "Dos"],
        seats=seats,
        other_participants=5,
    )
    past_meeting.refresh_from_db()
    assert past_meeting.status == Meeting.Status.HELD
    assert past_meeting.minutes_published_at is not None
    assert list(past_meeting.decisions.values_list("number", "text")) == [(1, "Uno"), (2, "Dos")]
    assert past_meeting.attendance.count() == 2
    assert past_meeting.other_participants == 5
    event = _events("meeting.minutes_publish").get()
    assert event.public and event.changes["decisions"] == [[], ["Uno", "Dos"]]


def test_publishing_again_replaces_the_decisions_and_attendance(past_meeting, forum, contact):
    seats = selectors.active_seats(forum, timezone.localdate(past_meeting.starts_at))
    services.meeting_minutes_publish(
        actor=contact, meeting=past_meeting, minutes="Acta", decisions=["Uno"], seats=seats
    )
    services.meeting_minutes_publish(
        actor=contact, meeting=past_meeting, minutes="Acta corregida", decisions=["Otra"]
    )
    assert list(Decision.objects.values_list("text", flat=True)) == ["Otra"]
    assert not Attendance.objects.exists()


def test_minutes_before_the_meeting_are_refused(meeting, contact):
    with pytest.raises(ValidationError):
        services.meeting_minutes_publish(actor=contact, meeting=meeting, minutes="Acta")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_minutes_without_text_are_refused(past_meeting, contact):
    with pytest.raises(ValidationError):
        services.meeting_minutes_publish(actor=contact, meeting=past_meeting, minutes=" ")


def test_a_seat_that_had_ended_cannot_attend(past_meeting, forum, contact):
    ended = forum.seats.get(end_date__isnull=False)
    with pytest.raises(ValidationError):
        services.meeting_minutes_publish(
            actor=contact, meeting=past_meeting, minutes="Acta", seats=[ended]
        )
    assert not Attendance.objects.exists()


def test_attendance_is_unique_per_seat_in_the_database(past_meeting, forum):
    from django.db import IntegrityError, transaction

    seat = forum.seats.first()
    Attendance.objects.create(meeting=past_meeting, seat=seat)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=past_meeting, seat=seat)


def test_a_meeting_ending_before_it_starts_is_refused(forum, contact):
    starts = future()
    with pytest.raises(ValidationError) as refused:
        services.meeting_create(
            actor=contact,
            forum=forum,
            kind="forum",
            title="Sesión",
            starts_at=starts,
            ends_at=starts - timedelta(hours=1),
            place="Sala",
            agenda="Agenda",
        )
    assert "ends_at" in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_a_meeting_needs_a_place_or_a_link(forum, contact):
    with pytest.raises(ValidationError) as refused:
        services.meeting_create(
            actor=contact, forum=forum, kind="forum", title="S", starts_at=future(), agenda="A"
        )
    assert "place" in refused.value.message_dict


def test_a_meeting_cannot_be_announced_in_the_future(forum, contact):
    with pytest.raises(ValidationError):
        services.meeting_create(
            actor=contact,
            forum=forum,
            kind="forum",
            title="S",
            starts_at=future(),
            place="Sala",
            agenda="A",
            announced_at=timezone.now() + timedelta(days=1),
        )


def test_a_plan_of_another_member_is_refused(forum, contact):
    from cocrea.plans.tests.factories import ActionPlanFactory, MemberFactory

    other = ActionPlanFactory(
        member=MemberFactory(code="HND", slug="honduras", name="Honduras", is_default=False)
    )
    with pytest.raises(ValidationError):
        services.meeting_create(
            actor=contact,
            forum=forum,
            kind="forum",
            title="S",
            starts_at=future(),
            place="Sala",
            agenda="A",
            plan=other,
        )


def test_a_document_needs_exactly_one_of_link_and_file(meeting, contact):
    with pytest.raises(ValidationError):
        services.meeting_document_add(actor=contact, meeting=meeting, title="Nada")
    assert not meeting.documents.exists()


def test_a_seat_ending_before_it_starts_is_refused(forum, contact, institutions):
    seat = ForumSeat(
        forum=forum,
        institution=institutions["marn"],
        sector="government",
        start_date=date(2024, 1, 1),
        end_date=date(2023, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.seat_save(actor=contact, seat=seat)
    assert not ForumSeat.objects.filter(institution=institutions["marn"]).exists()


@pytest.mark.parametrize(
    "persona", ["citizen", "cso_member", "official", "moderator", "wrong_member"]
)
def test_only_the_point_of_contact_may_write(personas, meeting, forum, persona):
    actor = personas[persona]
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(actor=actor, meeting=meeting, reason="x")
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=actor,
            forum=forum,
            kind="forum",
            title="S",
            starts_at=future(),
            place="S",
            agenda="A",
        )
    with pytest.raises(PermissionDenied):
        services.forum_save(actor=actor, forum=forum)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_meetings_held_counts_local_dates_and_kinds(forum, contact):
    from datetime import datetime, time

    def held_on(day: date, hour: int, kind: str) -> Meeting:
        starts = timezone.make_aware(datetime.combine(day, time(hour)))
        meeting = services.meeting_create(
            actor=contact,
            forum=forum,
            kind=kind,
            title="S",
            starts_at=starts,
            place="S",
            agenda="A",
            announced_at=starts - timedelta(days=20),
        )
        return services.meeting_minutes_publish(actor=contact, meeting=meeting, minutes="Acta")

    late = held_on(date(2024, 6, 30), 22, "forum")  # 04:00 UTC on 1 July, still 30 June here
    early = held_on(date(2024, 1, 1), 7, "civil_society")
    services.meeting_create(
        actor=contact,
        forum=forum,
        kind="forum",
        title="No celebrada",
        starts_at=timezone.make_aware(datetime(2024, 3, 1, 10)),
        place="S",
        agenda="A",
        announced_at=timezone.make_aware(datetime(2024, 2, 1, 10)),
    )
    first_half = selectors.meetings_held(forum, date(2024, 1, 1), date(2024, 6, 30))
    assert first_half == [early, late]
    assert selectors.meetings_held(forum, date(2024, 7, 1), date(2024, 12, 31)) == []
    assert selectors.meetings_held(
        forum, date(2024, 1, 1), date(2024, 12, 31), kind="civil_society"
    ) == [early]


def test_the_forum_of_a_member(forum, django_assert_num_queries):
    from cocrea.forum.models import Forum
    from cocrea.plans.tests.factories import MemberFactory

    member = forum.member
    with django_assert_num_queries(1):
        read = selectors.forum_of_member(member)
        assert read.member is member  # given, not read again
    stored = Forum.objects.get(pk=forum.pk)
    assert {f.attname: getattr(read, f.attname) for f in Forum._meta.concrete_fields} == {
        f.attname: getattr(stored, f.attname) for f in Forum._meta.concrete_fields
    }
    other = MemberFactory(code="HND", slug="honduras", name="Honduras", is_default=False)
    assert selectors.forum_of_member(other) is None


def test_active_seats_on_a_day(forum):
    assert len(selectors.active_seats(forum, date(2023, 3, 1))) == 3
    seats = selectors.active_seats(forum, date(2024, 3, 1))
    assert seats[0].role == "chair"
    assert len(seats) == 2
    assert selectors.active_seats(forum, date(2022, 1, 1)) == []


def test_the_admin_saves_seats_through_the_service(client, personas, forum, institutions):
    from cocrea.accounts.models import RoleGrant
    from conftest import grant

    admin = personas["administrator"]
    grant(admin, RoleGrant.Role.POINT_OF_CONTACT)
    sign_in_with_second_factor(client, admin)
    assert client.get("/admin/forum/forum/").status_code == 200
    assert client.get("/admin/forum/meeting/").status_code == 200
    response = client.post(
        "/admin/forum/forumseat/add/",
        {
            "forum": forum.pk,
            "institution": institutions["marn"].pk,
            "sector": "government",
            "role": "alternate",
            "representative": "",
            "start_date": "2024-01-01",
            "end_date": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _events("forumseat.create").filter(actor=admin).exists()
