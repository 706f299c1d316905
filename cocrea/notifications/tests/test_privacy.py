"""Nobody is told of what they cannot see (issue 23's acceptance): a hidden comment, a progress
report not yet published and anything of a consultation not yet published make no
notification, whoever follows what they concern. Built through the services; the fan-out runs
as the worker runs it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cocrea.notifications import services
from cocrea.notifications.models import Notification
from cocrea.participation import services as participation
from cocrea.participation.models import Consultation, Phase
from cocrea.tracking import services as tracking
from cocrea.tracking.tests.conftest import milestone  # noqa: F401 - a fixture
from conftest import build_plan, make_person
from tests.appchecks.participation import _proposal, open_consultation

pytestmark = pytest.mark.django_db


def _told(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_a_comment_hidden_before_the_fan_out_tells_nobody(personas):
    plan = build_plan(commitments=1, slug="plan-p", number=1)
    proposal = _proposal(open_consultation(plan), personas["citizen"])
    of_proposal, of_consultation, of_plan = (make_person(n) for n in ("Ana", "Beto", "Carla"))
    services.follow_add(actor=of_proposal, target=proposal)
    services.follow_add(actor=of_consultation, target=proposal.consultation)
    services.follow_add(actor=of_plan, target=plan)
    comment = participation.comment_add(
        actor=personas["cso_member"], proposal=proposal, body="Un insulto."
    )
    participation.content_hide(
        actor=personas["moderator"], target=comment, reason="off_topic", note=""
    )
    services.fan_out()
    assert _told(of_proposal) == _told(of_consultation) == _told(of_plan) == []


def test_a_report_not_yet_published_tells_nobody(personas, milestone):  # noqa: F811
    commitment = milestone.commitment
    ana, beto = make_person("Ana"), make_person("Beto")
    services.follow_add(actor=ana, target=commitment)
    services.follow_add(actor=beto, target=commitment.plan)
    report = tracking.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="substantial",
        percent=60,
        done="Portal publicado",
        facts_date=date(2025, 3, 1),
    )
    services.fan_out()  # a draft
    tracking.progress_report_submit(actor=personas["official"], report=report)
    services.fan_out()  # submitted, waiting for the point of contact
    assert _told(ana) == _told(beto) == []
    tracking.progress_report_publish(actor=personas["point_of_contact"], report=report)
    services.fan_out()
    assert _told(ana) == _told(beto) == ["report"]  # the same news, once published


def test_an_unpublished_consultation_tells_nobody_until_published(personas):
    from cocrea.drafting.services import _draft_save
    from cocrea.drafting.tests.conftest import VERSION_1

    plan = build_plan(commitments=1, slug="plan-r", number=1)
    ana = make_person("Ana")
    services.follow_add(actor=ana, target=plan)
    consultation = participation.consultation_save(
        actor=personas["point_of_contact"],
        consultation=Consultation(plan=plan, slug="en-preparacion", title="Consulta"),
    )
    # A draft written before the timeline is public (the path the demo takes): its version is
    # a public event, but of a consultation nobody can see yet.
    _draft_save(
        actor=personas["point_of_contact"],
        consultation=consultation,
        title="Borrador",
        version=VERSION_1,
    )
    today = timezone.localdate()
    participation.phase_save(
        actor=personas["point_of_contact"],
        phase=Phase(
            consultation=consultation,
            kind="proposals",
            starts_on=today,
            ends_on=today + timedelta(days=9),
        ),
    )
    services.fan_out()
    assert _told(ana) == []
    participation.consultation_publish(
        actor=personas["point_of_contact"], consultation=consultation
    )
    services.fan_out()
    assert _told(ana) == ["consultation"]
