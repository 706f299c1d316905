"""The life of a report: draft, submitted, returned or published, corrected; and assessments."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocrea.audit.models import AuditEvent
from cocrea.plans.models import Milestone
from cocrea.tracking import services
from cocrea.tracking.models import Evidence, ProgressReport
from cocrea.tracking.tests.conftest import PDF, upload
from cocrea.tracking.uploads import evidence_file_check


def _draft(personas, milestone, completion="substantial", facts_date=date(2025, 3, 1), **kw):
    return services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion=completion,
        percent=60,
        done="Portal publicado",
        facts_date=facts_date,
        **kw,
    )


def _publish(personas, report):
    services.progress_report_submit(actor=personas["official"], report=report)
    return services.progress_report_publish(actor=personas["point_of_contact"], report=report)


def test_publishing_sets_the_milestones_official_completion(personas, milestone):
    report = _publish(personas, _draft(personas, milestone))
    milestone.refresh_from_db()
    assert report.status == ProgressReport.Status.PUBLISHED
    assert report.published_by == personas["point_of_contact"]
    assert milestone.completion == Milestone.Completion.SUBSTANTIAL


def test_an_older_report_published_later_does_not_override_a_newer_one(personas, milestone):
    _publish(personas, _draft(personas, milestone, "complete", date(2025, 6, 1)))
    _publish(personas, _draft(personas, milestone, "limited", date(2025, 1, 1)))
    milestone.refresh_from_db()
    assert milestone.completion == Milestone.Completion.COMPLETE


def test_a_draft_changes_nothing_public(personas, milestone):
    _draft(personas, milestone)
    milestone.refresh_from_db()
    assert milestone.completion == Milestone.Completion.NOT_STARTED


def test_a_correction_names_a_published_report_of_the_same_milestone(personas, milestone):
    first = _publish(personas, _draft(personas, milestone))
    correction = _draft(personas, milestone, "limited", corrects=first)
    assert correction.corrects == first
    unpublished = _draft(personas, milestone)
    with pytest.raises(ValidationError):
        _draft(personas, milestone, corrects=unpublished)


def test_a_return_needs_a_reason_and_reopens_the_draft(personas, milestone):
    report = _draft(personas, milestone)
    services.progress_report_submit(actor=personas["official"], report=report)
    with pytest.raises(ValidationError):
        services.progress_report_return(
            actor=personas["point_of_contact"], report=report, reason=" "
        )
    services.progress_report_return(
        actor=personas["point_of_contact"], report=report, reason="Falta la evidencia."
    )
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.RETURNED
    assert report.is_editable


def test_facts_cannot_be_dated_in_the_future(personas, milestone):
    with pytest.raises(ValidationError):
        _draft(personas, milestone, facts_date=timezone.localdate() + timedelta(days=1))
    assert not ProgressReport.objects.exists()


def test_evidence_is_stored_under_our_name_with_its_hash(personas, milestone):
    report = _draft(personas, milestone, files=[evidence_file_check(upload("../../x.pdf", PDF))])
    evidence = Evidence.objects.get(report=report)
    assert evidence.file_name == "x.pdf"
    assert evidence.file.name.startswith("evidence/") and evidence.public_id in evidence.file.name
    assert evidence.file.read() == PDF


def test_a_failed_write_leaves_no_file_behind(personas, milestone, _media):
    checked = evidence_file_check(upload("informe.pdf", PDF))
    with pytest.raises(ValidationError):
        services.progress_report_create(
            actor=personas["official"],
            milestone=milestone,
            completion="not-a-completion",
            percent=10,
            done="x",
            facts_date=date(2025, 1, 1),
            files=[checked],
        )
    assert not any(p.is_file() for p in _media.rglob("*"))


def test_drafts_are_private_events_and_the_publication_is_public(personas, milestone):
    report = _publish(personas, _draft(personas, milestone))
    events = AuditEvent.objects.filter(target_type="tracking.progressreport").order_by("id")
    assert [(e.action, e.public) for e in events] == [
        ("progressreport.create", False),
        ("progressreport.submit", False),
        ("progressreport.publish", True),
    ]
    published = events.last()
    assert published.context_id == str(milestone.commitment_id)
    assert published.actor_institution == milestone.responsible_institution.name
    assert published.changes["percent"] == [None, report.percent]


def test_an_assessment_is_published_at_once_with_its_evidence(personas, milestone, institutions):
    assessment = services.assessment_publish(
        actor=personas["cso_member"],
        commitment=milestone.commitment,
        milestone=milestone,
        organisation=institutions["cso"],
        completion="no_evidence",
        reading="No encontramos el portal.",
        links=[("https://ejemplo.org/captura", "Captura")],
    )
    assert assessment.evidence.get().url == "https://ejemplo.org/captura"
    event = AuditEvent.objects.get(action="assessment.publish")
    assert event.public and event.actor_institution == institutions["cso"].name


def test_an_assessment_of_another_commitments_milestone_is_refused(
    personas, milestone, institutions
):
    from cocrea.plans.tests.factories import MilestoneFactory

    other = MilestoneFactory()
    with pytest.raises(ValidationError):
        services.assessment_publish(
            actor=personas["cso_member"],
            commitment=milestone.commitment,
            milestone=other,
            organisation=institutions["cso"],
            completion="limited",
            reading="x",
        )


def test_irm_findings_are_recorded_corrected_and_shown(client, personas, milestone):
    from cocrea.tracking.models import IrmReview

    commitment = milestone.commitment
    services.irm_review_save(
        actor=personas["point_of_contact"],
        commitment=commitment,
        review=IrmReview(verifiable="verifiable", potential_for_results="modest", promising=True),
    )
    services.irm_review_save(
        actor=personas["point_of_contact"],
        commitment=commitment,
        review=IrmReview(
            verifiable="verifiable", potential_for_results="substantial", promising=True
        ),
    )
    review = IrmReview.objects.get(commitment=commitment)
    assert review.potential_for_results == "substantial"
    update = AuditEvent.objects.filter(action="irmreview.update").get()
    assert update.public
    assert update.changes == {"potential_for_results": ["modest", "substantial"]}
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Sustancial" in html and "compromiso prometedor" in html.lower()


def test_irm_findings_are_refused_to_anyone_but_the_point_of_contact(personas, milestone):
    from django.core.exceptions import PermissionDenied

    from cocrea.tracking.models import IrmReview

    for persona in ("citizen", "cso_member", "official", "wrong_member"):
        with pytest.raises(PermissionDenied):
            services.irm_review_save(
                actor=personas[persona],
                commitment=milestone.commitment,
                review=IrmReview(verifiable="verifiable"),
            )
    assert not IrmReview.objects.exists()


def test_a_bad_irm_value_is_refused_with_a_message(client, personas, milestone):
    from django.urls import reverse

    commitment = milestone.commitment
    client.force_login(personas["point_of_contact"])
    url = reverse(
        "tracking:irm_review", kwargs={"plan_slug": commitment.plan.slug, "slug": commitment.slug}
    )
    response = client.post(url, {"verifiable": "maybe", "report_url": "javascript:alert(1)"})
    assert response.status_code == 400
    from cocrea.tracking.models import IrmReview

    assert not IrmReview.objects.exists()


@pytest.mark.parametrize(
    ("published", "link"),
    [("2019", False), ("https://www.opengovpartnership.org/documents/costa-rica-report/", True)],
)
def test_the_irms_latest_report_shows_as_ogp_published_it(
    client, personas, milestone, published, link
):
    """OGP's "Latest IRM Report" often holds a year: shown as text, a link only when it is one."""
    from cocrea.tracking.models import IrmReview

    commitment = milestone.commitment
    services.irm_review_save(
        actor=personas["point_of_contact"],
        commitment=commitment,
        review=IrmReview(verifiable="verifiable", report_url=published),
    )
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert (f'href="{published}"' in html) is link
    if not link:
        assert f"El informe más reciente del MRI: {published}" in html


def test_an_unknown_carried_forward_is_said_to_be_unknown(client, milestone):
    commitment = milestone.commitment
    for value, shown in (
        (None, "No se sabe"),
        (True, "Sí, de un plan anterior"),
        (False, "No, es nuevo en este plan"),
    ):
        type(commitment).objects.filter(pk=commitment.pk).update(carried_forward=value)
        html = client.get(commitment.get_absolute_url()).content.decode()
        assert shown in html, value
