"""What notifications say beyond their kind: an assessment that disputes the official progress
is marked so, a meeting carries its date and the notice given, and a consultation's phases are
told when they open and a few days before they close (once, whatever number of runs)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from cocrea.forum import services as forum_services
from cocrea.forum.tests.conftest import contact, forum  # noqa: F401 - fixtures
from cocrea.notifications import services
from cocrea.notifications.models import Notification
from cocrea.notifications.phases import phase_notices
from cocrea.notifications.wording import describe
from cocrea.participation.models import Consultation, Phase
from cocrea.tracking import services as tracking
from cocrea.tracking.tests.conftest import milestone  # noqa: F401 - a fixture
from conftest import build_plan, make_person
from tests.appchecks.participation import open_consultation

pytestmark = pytest.mark.django_db


def _assess(personas, institutions, milestone, completion):  # noqa: F811
    return tracking.assessment_publish(
        actor=personas["cso_member"],
        commitment=milestone.commitment,
        milestone=milestone,
        organisation=institutions["cso"],
        completion=completion,
        reading="Nuestra lectura de la evidencia.",
    )


def test_an_assessment_that_disputes_the_official_progress_is_marked(
    personas,
    institutions,
    milestone,  # noqa: F811
):
    ana = make_person("Ana")
    services.follow_add(actor=ana, target=milestone.commitment)
    agrees = _assess(personas, institutions, milestone, milestone.completion)
    disputes = _assess(personas, institutions, milestone, "complete")
    assert milestone.completion != "complete"
    services.fan_out()
    kinds = dict(Notification.objects.filter(recipient=ana).values_list("event__target_id", "kind"))
    assert kinds == {str(agrees.pk): "assessment", str(disputes.pk): "dispute"}


def test_a_meeting_is_told_with_its_date_and_the_notice_given(
    personas,
    forum,  # noqa: F811
    contact,  # noqa: F811
):
    beto = make_person("Beto")
    services.follow_add(actor=beto, target=forum)
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    forum_services.meeting_create(
        actor=contact,
        forum=forum,
        kind="forum",
        title="Sesión ordinaria",
        starts_at=starts + timedelta(days=3),
        place="Ciudad de Guatemala",
        agenda="1. Avances",
    )
    services.fan_out()
    told = Notification.objects.get(recipient=beto)
    assert told.kind == "meeting" and told.facts["notice_days"] == 3
    with translation.override("es"):
        assert describe(told).endswith("anunciada con 3 días de anticipación."), describe(told)
    with translation.override("en"):
        assert describe(told).endswith("announced 3 days before."), describe(told)


def test_a_phase_is_told_when_it_opens_and_before_it_closes_once(personas):
    consultation = open_consultation(build_plan(commitments=1, slug="plan-f", number=1))
    carla, dora = make_person("Carla"), make_person("Dora")
    services.follow_add(actor=carla, target=consultation)
    services.follow_add(actor=dora, target=consultation.plan)  # the plan covers it
    proposals = consultation.phases.get(kind=Phase.Kind.PROPOSALS)
    deliberation = consultation.phases.get(kind=Phase.Kind.DELIBERATION)
    day = proposals.starts_on
    assert phase_notices(today=day) == 2  # proposals open: both told
    assert phase_notices(today=day) == 0  # again: nothing new
    assert phase_notices(today=day + timedelta(days=1)) == 0  # still in its first days
    assert phase_notices(today=proposals.ends_on - timedelta(days=3)) == 2  # closes soon
    assert phase_notices(today=proposals.ends_on) == 0
    assert phase_notices(today=deliberation.starts_on) == 2
    keys = set(Notification.objects.filter(recipient=carla).values_list("key", "kind"))
    assert keys == {
        (f"phase:{deliberation.pk}:open", "phase"),
        (f"phase:{proposals.pk}:closing", "closing"),
        (f"phase:{proposals.pk}:open", "phase"),
    }
    opened = Notification.objects.get(recipient=dora, key=f"phase:{proposals.pk}:open")
    assert opened.url == consultation.get_absolute_url()
    with translation.override("es"):
        assert describe(opened).startswith("Propuestas: abre el "), describe(opened)


def test_an_unpublished_consultation_tells_nobody_of_its_phases(personas):
    consultation = open_consultation(build_plan(commitments=1, slug="plan-g", number=1))
    services.follow_add(actor=make_person("Eva"), target=consultation.plan)
    Consultation.objects.filter(pk=consultation.pk).update(published_at=None)
    day = consultation.phases.get(kind=Phase.Kind.PROPOSALS).starts_on
    assert phase_notices(today=day) == 0
    assert not Notification.objects.exists()


def test_facts_of_another_shape_add_nothing_rather_than_fail():
    broken = Notification(kind="meeting", facts={"starts_at": "not a date", "notice_days": 2})
    assert describe(broken) == ""
    assert describe(Notification(kind="report", facts={})) == ""
