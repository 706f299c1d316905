"""`manage.py send_notifications`, travelling in time: milestones due in 14, 7 and 1 days and
overdue are reminded of once each to who reports on them and who follows them; work waiting is
told to who must act; and however many times the command runs, each email goes once."""

from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from cocrea.notifications.models import Follow, Kind, Notification
from cocrea.notifications.periodic import due_tag
from cocrea.participation.models import Flag, Proposal, Response
from cocrea.plans.models import ActionPlan, Milestone
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory
from cocrea.tracking import services as tracking
from conftest import make_member, make_person
from tests.appchecks.participation import _proposal, open_consultation

pytestmark = pytest.mark.django_db
GT = ZoneInfo("America/Guatemala")
DUE = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.COCREA_SITE_NAME = "Cocrea Guatemala"
    settings.COCREA_SITE_URL = "https://cocrea.example.gt"


@pytest.fixture
def milestone(institutions):
    commitment = CommitmentFactory(number="1", lead_institution=institutions["mineduc"])
    return MilestoneFactory(
        commitment=commitment,
        number=1,
        description="Portal de datos abiertos publicado",
        responsible_institution=institutions["mineduc"],
        end_date=DUE,
    )


def _run(when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        call_command("send_notifications", verbosity=0)


def _subjects(smtp, person) -> list[str]:
    return [
        " ".join(str(make_header(decode_header(m["Subject"]))).split())
        for m in smtp.messages
        if m["To"] == person.email
    ]


def _keys(person) -> list[str]:
    return sorted(Notification.objects.filter(recipient=person).values_list("key", flat=True))


@pytest.mark.parametrize(
    ("days", "tag"),
    [
        (15, None),
        (14, "14"),
        (8, "14"),
        (7, "7"),
        (2, "7"),
        (1, "1"),
        (0, "1"),
        (-1, "overdue"),
        (-30, "overdue"),
        (-31, None),
    ],
)
def test_which_reminder_a_milestone_gets(days, tag):
    assert due_tag(days) == tag


def test_an_official_gets_the_7_day_reminder_once_in_spanish_however_often_it_runs(
    smtp, personas, milestone
):
    for when in [
        datetime(2026, 3, 13, 8, 0, tzinfo=GT),
        datetime(2026, 3, 13, 8, 0, tzinfo=GT),
        datetime(2026, 3, 13, 17, 30, tzinfo=GT),
    ]:
        _run(when)

    subjects = _subjects(smtp, personas["official"])
    assert subjects == [
        "[Cocrea Guatemala] Hito que vence en 7 días: 1.1. Portal de datos abiertos publicado"
    ]
    assert len(_subjects(smtp, personas["coordinator"])) == 1  # coordinators report too
    assert _subjects(smtp, personas["other_official"]) == []  # another institution's
    assert _subjects(smtp, personas["citizen"]) == []


def test_the_14_7_1_and_overdue_reminders_come_once_each_over_the_days(smtp, personas, milestone):
    day = datetime(2026, 3, 1, 9, tzinfo=GT)
    while day < datetime(2026, 4, 30, tzinfo=GT):
        _run(day)
        day += timedelta(days=1)

    assert [s.split(":")[0] for s in _subjects(smtp, personas["official"])] == [
        "[Cocrea Guatemala] Hito que vence en 14 días",
        "[Cocrea Guatemala] Hito que vence en 7 días",
        "[Cocrea Guatemala] Hito que vence en 1 día",
        "[Cocrea Guatemala] Hito vencido",
    ]
    assert _keys(personas["official"]) == [
        f"due:{milestone.pk}:1",
        f"due:{milestone.pk}:14",
        f"due:{milestone.pk}:7",
        f"due:{milestone.pk}:overdue",
    ]
    when = dict(
        Notification.objects.filter(recipient=personas["official"]).values_list("key", "created_at")
    )
    assert timezone.localdate(when[f"due:{milestone.pk}:overdue"]) == date(2026, 3, 21)


def test_a_reminder_first_made_on_the_due_day_says_today(smtp, personas, milestone):
    _run(datetime(2026, 3, 20, 9, tzinfo=GT))  # the command did not run the day before
    assert _keys(personas["official"]) == [f"due:{milestone.pk}:1"]
    assert _subjects(smtp, personas["official"]) == [
        "[Cocrea Guatemala] Hito que vence hoy: 1.1. Portal de datos abiertos publicado"
    ]


def test_a_follower_of_the_commitment_is_reminded_and_an_english_one_in_english(
    smtp, personas, milestone
):
    follower = make_person("Seguidor", language="en")
    Follow.objects.create(
        user=follower, target_type="plans.commitment", target_id=str(milestone.commitment_id)
    )

    _run(datetime(2026, 3, 19, 9, tzinfo=GT))

    assert _keys(follower) == [f"due:{milestone.pk}:1"]
    assert _subjects(smtp, follower) == [
        "[Cocrea Guatemala] Milestone due in 1 day: 1.1. Portal de datos abiertos publicado"
    ]
    page = milestone.commitment.get_absolute_url()
    (email,) = [m for m in smtp.messages if m["To"] == follower.email]
    assert (
        f"https://cocrea.example.gt/en{page}"
        in email.get_payload(0).get_payload(decode=True).decode()
    )


def test_a_complete_milestone_or_a_closed_plan_is_not_reminded_of(personas, milestone):
    other = MilestoneFactory(
        responsible_institution=milestone.responsible_institution,
        end_date=DUE,
        commitment=CommitmentFactory(
            plan__status=ActionPlan.Status.CLOSED,
            lead_institution=milestone.responsible_institution,
        ),
    )
    Milestone.objects.filter(pk=milestone.pk).update(completion=Milestone.Completion.COMPLETE)

    _run(datetime(2026, 3, 19, 9, tzinfo=GT))

    assert _keys(personas["official"]) == []
    assert other.pk


def test_a_report_awaiting_publication_is_work_for_the_point_of_contact(smtp, personas, milestone):
    report = tracking.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="substantial",
        percent=60,
        done="Portal publicado",
        facts_date=date(2025, 3, 1),
    )
    tracking.progress_report_submit(actor=personas["official"], report=report)

    call_command("send_notifications", verbosity=0)
    call_command("send_notifications", verbosity=0)

    assert [k.rsplit(":", 1)[0] for k in _keys(personas["point_of_contact"])] == [
        f"work:report:{report.pk}"
    ]
    assert _subjects(smtp, personas["point_of_contact"]) == [
        "[Cocrea Guatemala] Un informe de avance espera su publicación: "
        "1.1. Portal de datos abiertos publicado"
    ]
    assert _keys(personas["official"]) == []
    assert _keys(personas["moderator"]) == []


def test_a_flag_is_work_for_the_moderators_and_the_point_of_contact(personas, plan):
    proposal = _proposal(open_consultation(plan), personas["citizen"])
    Flag.objects.create(proposal=proposal, user=personas["cso_member"], reason="spam")

    call_command("send_notifications", verbosity=0)

    for who in ("moderator", "point_of_contact"):
        assert Notification.objects.filter(
            recipient=personas[who], kind=Kind.WORK, key__startswith="work:flag:"
        ).exists()
    for who in ("citizen", "cso_member", "official"):
        assert _keys(personas[who]) == []


def test_a_proposal_unanswered_for_more_than_the_set_days_is_work_for_the_point_of_contact(
    settings, personas, plan
):
    settings.COCREA_UNANSWERED_DAYS = 14
    consultation = open_consultation(plan)
    old = _proposal(consultation, personas["citizen"], title="Propuesta antigua")
    recent = _proposal(consultation, personas["citizen"], title="Propuesta reciente")
    answered = _proposal(consultation, personas["citizen"], title="Propuesta respondida")
    Proposal.objects.filter(pk__in=[old.pk, answered.pk]).update(
        created_at=timezone.now() - timedelta(days=15)
    )
    Proposal.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=13))
    Response.objects.create(
        proposal=answered,
        kind=Response.Kind.values[0],
        reasons="Se incorporó.",
        answered_at=timezone.now(),
        days_to_answer=15,
    )

    call_command("send_notifications", verbosity=0)

    assert _keys(personas["point_of_contact"]) == [f"work:unanswered:{old.pk}"]
    assert _keys(personas["citizen"]) == []


def test_a_membership_request_is_work_for_the_coordinator_and_the_point_of_contact(smtp, personas):
    asker = make_person("Solicitante")
    membership = make_member(asker, personas["coordinator"].memberships.get().institution)
    membership.status = "pending"
    membership.save()

    call_command("send_notifications", verbosity=0)

    key = f"work:membership:{membership.pk}"
    assert _keys(personas["coordinator"]) == [key]
    assert _keys(personas["point_of_contact"]) == [key]
    for who in ("official", "other_official", "moderator"):  # not who decides
        assert _keys(personas[who]) == []
    assert _keys(asker) == []
    assert _subjects(smtp, personas["coordinator"]) == [
        "[Cocrea Guatemala] Una solicitud de membresía espera decisión: Solicitante · MINEDUC"
    ]


def test_a_notice_is_recorded_once_per_person_and_key(personas, milestone):
    _run(datetime(2026, 3, 19, 9, tzinfo=GT))
    made = Notification.objects.get(recipient=personas["official"])

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=made.recipient,
            kind=made.kind,
            key=made.key,
            title="Otra vez",
            url=made.url,
            created_at=made.created_at,
        )


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_email_once(smtp, personas, milestone):
    """Two commands started together (a timer and `make run`, say): each reminder and each
    digest is claimed by one of them; on PostgreSQL the rows are locked and skipped. The
    suite's SQLite database is shared memory, whose table locks do not wait as the file's
    IMMEDIATE transactions do (settings.py): there the two runs start one after the other."""
    from threading import Barrier, Thread

    from django.db import connection

    reader = make_person("Lectora Diaria")
    for n in range(3):
        Notification.objects.create(
            recipient=reader,
            kind=Kind.COMMENT,
            key=f"event:test-{n}",
            title=f"Novedad {n}",
            url="/",
            created_at=datetime(2026, 3, 18, 10 + n, tzinfo=GT),
        )
    barrier = Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            call_command("send_notifications", verbosity=0)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    together = connection.vendor == "postgresql"
    if not together:
        barrier = Barrier(1)
    with time_machine.travel(datetime(2026, 3, 19, 9, tzinfo=GT), tick=False):
        threads = [Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
            if not together:
                thread.join()
        for thread in threads:
            thread.join()

    assert errors == []
    assert len(_subjects(smtp, personas["official"])) == 1
    assert len(_subjects(smtp, personas["coordinator"])) == 1
    assert len(_subjects(smtp, reader)) == 1  # one digest of three items


def test_an_event_seen_through_two_follows_is_one_line_of_the_next_days_digest(
    smtp, personas, milestone
):
    from cocrea.notifications import services

    beto = make_person("Beto")
    services.follow_add(actor=beto, target=milestone.commitment.plan)
    services.follow_add(actor=beto, target=milestone.commitment)
    report = tracking.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="substantial",
        percent=60,
        done="Portal publicado",
        facts_date=date(2025, 3, 1),
    )
    tracking.progress_report_submit(actor=personas["official"], report=report)
    tracking.progress_report_publish(actor=personas["point_of_contact"], report=report)

    call_command("send_notifications", verbosity=0)  # the same day: told on the site only
    assert _subjects(smtp, beto) == []
    tomorrow = timezone.localdate() + timedelta(days=1)
    _run(datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 30, tzinfo=GT))
    _run(datetime(tomorrow.year, tomorrow.month, tomorrow.day, 12, 0, tzinfo=GT))

    assert _subjects(smtp, beto) == ["[Cocrea Guatemala] Su día: 1 notificación"]
    (email,) = [m for m in smtp.messages if m["To"] == beto.email]
    text = email.get_payload(0).get_payload(decode=True).decode()
    assert text.count("Informe de avance publicado") == 1


def test_a_second_run_makes_nothing_new(personas, milestone):
    from cocrea.notifications import periodic

    make_member(make_person("Pendiente"), milestone.responsible_institution, status="pending")
    when = datetime(2026, 3, 13, 8, tzinfo=GT)
    with time_machine.travel(when, tick=False):
        first = periodic.run()
        second = periodic.run()

    assert first["due"] == 2 and first["work"] == 2  # official, coordinator; coordinator, contact
    assert second["due"] == second["work"] == second["instant"] == 0
