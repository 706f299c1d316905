"""Public events become notifications for the people who follow what they concern: once per
person and event, never for the one who acted, never for what is private or hidden, whatever
number of times the fan-out runs."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from cocrea.audit.models import AuditEvent
from cocrea.notifications import selectors, services
from cocrea.notifications.models import Follow, Notification
from cocrea.participation import services as participation
from cocrea.participation.models import Proposal
from cocrea.tracking import services as tracking
from cocrea.tracking.tests.conftest import milestone  # noqa: F401 - a fixture
from conftest import build_plan, make_person
from tests.appchecks.participation import _proposal, open_consultation

pytestmark = pytest.mark.django_db


def _report(personas, milestone):  # noqa: F811
    report = tracking.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="substantial",
        percent=60,
        done="Portal publicado",
        facts_date=date(2025, 3, 1),
    )
    tracking.progress_report_submit(actor=personas["official"], report=report)
    return report


def _told(person) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=person).values_list("kind", "title"))


def test_a_published_report_tells_who_follows_its_commitment_or_plan_once(
    personas,
    milestone,  # noqa: F811
):
    commitment = milestone.commitment
    ana, beto, carla = (make_person(n) for n in ("Ana", "Beto", "Carla"))
    services.follow_add(actor=ana, target=commitment)
    services.follow_add(actor=beto, target=commitment.plan)
    services.follow_add(actor=beto, target=commitment)  # both: told once
    services.follow_add(actor=personas["point_of_contact"], target=commitment)  # who acts
    report = _report(personas, milestone)
    services.fan_out()
    assert _told(ana) == [] and _told(beto) == []  # a submitted report is private
    tracking.progress_report_publish(actor=personas["point_of_contact"], report=report)
    assert services.fan_out() == 2
    assert services.fan_out() == 0  # run again: nothing new
    assert _told(ana) == _told(beto) == [("report", str(commitment))]
    assert _told(carla) == [] and _told(personas["point_of_contact"]) == []
    notification = Notification.objects.get(recipient=ana)
    assert notification.url == commitment.get_absolute_url()
    assert notification.event.action == "progressreport.publish"
    assert selectors.unread_count(ana) == 1
    assert services.notifications_mark_read(actor=ana) == 1
    assert selectors.unread_count(ana) == 0 and selectors.unread_count(beto) == 1


def test_a_follower_of_the_lead_institution_is_told_too(personas, milestone):  # noqa: F811
    dora = make_person("Dora")
    services.follow_add(actor=dora, target=milestone.commitment.lead_institution)
    report = _report(personas, milestone)
    tracking.progress_report_publish(actor=personas["point_of_contact"], report=report)
    services.fan_out()
    assert _told(dora) == [("report", str(milestone.commitment))]


def test_comments_on_a_proposal_are_told_unless_hidden_first(personas):
    consultation = open_consultation(build_plan(commitments=1, slug="plan-n", number=1))
    proposal: Proposal = _proposal(consultation, personas["citizen"])
    eva = make_person("Eva")
    services.follow_add(actor=eva, target=proposal)
    participation.comment_add(
        actor=personas["cso_member"], proposal=proposal, body="Apoyo la idea."
    )
    hidden = participation.comment_add(
        actor=personas["cso_member"], proposal=proposal, body="Texto que se ocultará."
    )
    participation.content_hide(
        actor=personas["moderator"], target=hidden, reason="off_topic", note=""
    )
    services.fan_out()
    assert _told(eva) == [("comment", str(proposal))]
    assert Notification.objects.get(recipient=eva).url == proposal.get_absolute_url()


def test_only_what_can_be_followed_by_someone_signed_in(personas, milestone):  # noqa: F811
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.follow_add(actor=AnonymousUser(), target=milestone.commitment)
    with pytest.raises(PermissionDenied):  # a milestone's news are its commitment's
        services.follow_add(actor=personas["citizen"], target=milestone)
    first = services.follow_add(actor=personas["citizen"], target=milestone.commitment)
    again = services.follow_add(actor=personas["citizen"], target=milestone.commitment)
    assert first.pk == again.pk and Follow.objects.count() == 1
    assert AuditEvent.objects.filter(action="follow.create", public=False).count() == 1
    services.follow_remove(actor=personas["citizen"], target=milestone.commitment)
    assert not Follow.objects.exists()


def test_an_unpublished_consultation_cannot_be_followed(personas):
    plan = build_plan(commitments=1, slug="plan-u", number=1)
    from cocrea.participation.models import Consultation

    draft = Consultation.objects.create(plan=plan, slug="borrador", title="Consulta")
    with pytest.raises(PermissionDenied):
        services.follow_add(actor=personas["citizen"], target=draft)


def _queries_to_tell(followers: int, milestone, personas, name: str) -> int:  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cocrea.tracking.models import IrmReview

    for n in range(followers):
        services.follow_add(actor=make_person(f"{name} {n}"), target=milestone.commitment)
    services.fan_out()
    Notification.objects.all().delete()
    tracking.irm_review_import(
        actor=None,
        commitment=milestone.commitment,
        review=IrmReview(commitment=milestone.commitment, verifiable="verifiable"),
    )
    with CaptureQueriesContext(connection) as queries:
        assert services.fan_out() == followers
    return len(queries)


def test_the_fan_out_costs_the_same_queries_for_3_or_30_followers(
    personas,
    milestone,  # noqa: F811
):
    from cocrea.tracking.models import IrmReview

    few = _queries_to_tell(3, milestone, personas, "Pocos")
    Follow.objects.all().delete()
    IrmReview.objects.all().delete()
    many = _queries_to_tell(30, milestone, personas, "Muchos")
    assert few == many, (few, many)


def test_what_happened_before_one_followed_is_not_told(personas, milestone):  # noqa: F811
    report = _report(personas, milestone)
    tracking.progress_report_publish(actor=personas["point_of_contact"], report=report)
    late = make_person("Tardía")
    services.follow_add(actor=late, target=milestone.commitment)
    services.fan_out()  # the report was published before she followed
    assert _told(late) == []


def test_a_long_title_is_told_whole(personas, milestone):  # noqa: F811
    """OGP's commitments have titles of up to 603 characters (issue 22): none is cut."""
    commitment = milestone.commitment
    commitment.title = "Transparencia " * 45  # 630 characters
    commitment.save()
    reader = make_person("Lectora")
    services.follow_add(actor=reader, target=commitment)
    report = _report(personas, milestone)
    tracking.progress_report_publish(actor=personas["point_of_contact"], report=report)
    services.fan_out()
    assert Notification.objects.get(recipient=reader).title == str(commitment)
    assert len(str(commitment)) > 600
