"""The permission matrix of reporting: who may report, publish, return, see and assess."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cocrea.plans.rules import allowed
from cocrea.tracking import services
from cocrea.tracking.models import ProgressReport

PERSONAS = [
    "anonymous",
    "citizen",
    "cso_member",
    "official",
    "coordinator",
    "other_official",
    "point_of_contact",
    "moderator",
    "administrator",
    "wrong_member",
]
REPORTERS = {"official", "coordinator"}  # of MINEDUC, which is responsible for the milestone


def _report(milestone, author, status=ProgressReport.Status.DRAFT):
    return ProgressReport.objects.create(
        milestone=milestone,
        institution=milestone.responsible_institution,
        author=author,
        completion="limited",
        percent=20,
        done="Avance",
        facts_date=timezone.localdate(),
        status=status,
        published_at=timezone.now() if status == ProgressReport.Status.PUBLISHED else None,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_officials_of_the_responsible_institution_report(personas, milestone, persona):
    assert allowed("tracking.report_progress", personas[persona], milestone) == (
        persona in REPORTERS
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_point_of_contact_publishes_a_submitted_report(personas, milestone, persona):
    report = _report(milestone, personas["official"], ProgressReport.Status.SUBMITTED)
    runs = persona in {"point_of_contact", "administrator"}  # the administrator: every member
    assert allowed("tracking.publish_report", personas[persona], report) == runs
    assert allowed("tracking.return_report", personas[persona], report) == runs


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("permission", ["tracking.edit_report", "tracking.submit_report"])
def test_nobody_edits_a_published_report(personas, milestone, persona, permission):
    report = _report(milestone, personas["official"], ProgressReport.Status.PUBLISHED)
    assert not allowed(permission, personas[persona], report)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_is_edited_only_by_its_institutions_officials(personas, milestone, persona):
    report = _report(milestone, personas["official"])
    assert allowed("tracking.edit_report", personas[persona], report) == (persona in REPORTERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_is_seen_only_by_its_institution_and_the_point_of_contact(
    personas, milestone, persona
):
    report = _report(milestone, personas["official"])
    assert allowed("tracking.view_report", personas[persona], report) == (
        persona in REPORTERS | {"point_of_contact", "administrator"}
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_civil_society_members_assess(personas, milestone, persona):
    assert allowed("tracking.assess", personas[persona], milestone.commitment) == (
        persona == "cso_member"
    )


def test_a_point_of_contact_without_two_factor_cannot_publish(personas, milestone):
    personas["point_of_contact"].authenticator_set.all().delete()
    report = _report(milestone, personas["official"], ProgressReport.Status.SUBMITTED)
    assert not allowed("tracking.publish_report", personas["point_of_contact"], report)


def test_the_service_refuses_to_change_a_published_report(personas, milestone):
    report = _report(milestone, personas["official"], ProgressReport.Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.progress_report_update(
            actor=personas["official"],
            report=report,
            completion="complete",
            percent=100,
            done="Cambiado",
            facts_date=report.facts_date,
        )
    report.refresh_from_db()
    assert (report.completion, report.done) == ("limited", "Avance")


def test_the_service_refuses_a_cso_member_publishing(personas, milestone):
    report = _report(milestone, personas["official"], ProgressReport.Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.progress_report_publish(actor=personas["cso_member"], report=report)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


def test_a_cso_member_cannot_assess_for_an_organisation_they_do_not_belong_to(
    personas, milestone, institutions
):
    from cocrea.plans.tests.factories import InstitutionFactory

    other = InstitutionFactory(kind="civil_society", slug="otra-red")
    with pytest.raises(PermissionDenied):
        services.assessment_publish(
            actor=personas["cso_member"],
            commitment=milestone.commitment,
            organisation=other,
            completion="limited",
            reading="Lectura",
        )
