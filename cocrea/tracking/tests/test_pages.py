"""The commitment page shows the official view and civil society's side by side; evidence files
are served only to who may see them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocrea.plans.tests.factories import MilestoneFactory
from cocrea.tracking import services
from cocrea.tracking.tests.conftest import PDF, upload
from cocrea.tracking.uploads import evidence_file_check


def _draft(personas, milestone, completion="complete", files=(), **fields):
    return services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion=completion,
        percent=fields.pop("percent", 100),
        done=fields.pop("done", "Portal en línea."),
        facts_date=fields.pop("facts_date", milestone.commitment.start_date),
        files=list(files),
        **fields,
    )


def _publish(personas, report):
    services.progress_report_submit(actor=personas["official"], report=report)
    return services.progress_report_publish(actor=personas["point_of_contact"], report=report)


def _published(personas, milestone, completion="complete", files=()):
    return _publish(personas, _draft(personas, milestone, completion, files))


def _assess(personas, institutions, milestone, completion):
    return services.assessment_publish(
        actor=personas["cso_member"],
        commitment=milestone.commitment,
        milestone=milestone,
        organisation=institutions["cso"],
        completion=completion,
        reading="El portal no tiene datos.",
    )


def _page(client, milestone):
    return client.get(milestone.commitment.get_absolute_url()).content.decode()


def test_both_views_side_by_side_and_the_difference_marked(
    client, personas, institutions, milestone
):
    _published(personas, milestone)
    _assess(personas, institutions, milestone, "limited")
    html = _page(client, milestone)
    assert "Portal en línea." in html
    assert "El portal no tiene datos." in html
    assert "Red Ciudadana" in html
    assert "Las opiniones difieren" in html


def test_no_difference_is_marked_when_they_agree(client, personas, institutions, milestone):
    _published(personas, milestone)
    _assess(personas, institutions, milestone, "complete")
    assert "Las opiniones difieren" not in _page(client, milestone)


def test_a_newer_assessment_replaces_the_organisations_earlier_reading(
    client, personas, institutions, milestone
):
    _published(personas, milestone)
    _assess(personas, institutions, milestone, "limited")
    _assess(personas, institutions, milestone, "complete")
    assert "Las opiniones difieren" not in _page(client, milestone)


def test_drafts_are_not_on_the_public_page(client, personas, milestone):
    services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="complete",
        percent=100,
        done="Borrador secreto",
        facts_date=milestone.commitment.start_date,
    )
    assert "Borrador secreto" not in _page(client, milestone)


def test_officials_see_the_report_link_only_for_their_institutions_milestones(
    client, personas, milestone
):
    url = reverse(
        "tracking:report_new",
        kwargs={
            "plan_slug": milestone.commitment.plan.slug,
            "slug": milestone.commitment.slug,
            "number": 1,
        },
    )
    client.force_login(personas["official"])
    assert url in _page(client, milestone)
    client.force_login(personas["other_official"])
    assert url not in _page(client, milestone)


@pytest.mark.parametrize("size", [1, 8])
def test_the_commitment_page_costs_the_same_queries_at_any_size(
    client, personas, institutions, milestone, size, django_assert_num_queries
):
    for n in range(2, size + 2):
        extra = MilestoneFactory(commitment=milestone.commitment, number=n)
        _published(personas, extra, files=[evidence_file_check(upload("a.pdf", PDF))])
        _assess(personas, institutions, extra, "limited")
    with CaptureQueriesContext(connection) as queries:
        client.get(milestone.commitment.get_absolute_url())
    # commitment, milestones, areas, supporters; what tracking data exists; reports, their
    # evidence; assessments, theirs (no IRM findings here); the proposals that shaped it
    # (participation's section)
    assert len(queries) == 10


def _draft_evidence(personas, milestone):
    report = services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="limited",
        percent=10,
        done="x",
        facts_date=milestone.commitment.start_date,
        files=[evidence_file_check(upload("informe.pdf", PDF))],
    )
    return report, report.evidence.get()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 404),
        ("citizen", 404),
        ("cso_member", 404),
        ("other_official", 404),
        ("official", 200),
        ("coordinator", 200),
        ("point_of_contact", 200),
    ],
)
def test_a_drafts_evidence_is_served_only_to_who_may_see_the_report(
    client, personas, milestone, persona, status
):
    _, evidence = _draft_evidence(personas, milestone)
    if personas[persona]:
        client.force_login(personas[persona])
    response = client.get(reverse("tracking:evidence", kwargs={"public_id": evidence.public_id}))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"


def test_a_published_reports_evidence_is_public_and_a_download(client, personas, milestone):
    report, evidence = _draft_evidence(personas, milestone)
    services.progress_report_submit(actor=personas["official"], report=report)
    services.progress_report_publish(actor=personas["point_of_contact"], report=report)
    response = client.get(reverse("tracking:evidence", kwargs={"public_id": evidence.public_id}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_unknown_evidence_is_not_found(client, db):
    assert client.get(reverse("tracking:evidence", kwargs={"public_id": "nope"})).status_code == 404


def test_the_plan_can_be_filtered_to_disputed_commitments(
    client, personas, institutions, milestone
):
    from cocrea.plans.tests.factories import CommitmentFactory

    agreed = MilestoneFactory(
        commitment=CommitmentFactory(plan=milestone.commitment.plan, title="Compromiso de acuerdo"),
        responsible_institution=institutions["mineduc"],
    )
    _published(personas, milestone)
    _assess(personas, institutions, milestone, "limited")  # differs from "complete"
    _published(personas, agreed)
    _assess(personas, institutions, agreed, "complete")
    plan_url = milestone.commitment.plan.get_absolute_url()
    everything = client.get(plan_url).content.decode()
    assert milestone.commitment.title in everything and "Compromiso de acuerdo" in everything
    disputed = client.get(plan_url, {"agreement": "disputed"}).content.decode()
    assert milestone.commitment.title in disputed
    assert "Compromiso de acuerdo" not in disputed


def test_an_unknown_agreement_filter_is_refused_with_a_message(client, milestone):
    response = client.get(milestone.commitment.plan.get_absolute_url(), {"agreement": "x"})
    assert response.status_code == 200
    assert "no se pudieron aplicar" in response.content.decode()


def test_a_published_correction_says_so_and_the_corrected_report_stays_public(
    client, personas, milestone
):
    first = _published(personas, milestone, completion="complete")
    correction = _draft(
        personas,
        milestone,
        "limited",
        percent=30,
        done="Corrección: solo la mitad del portal.",
        facts_date=first.facts_date,
        corrects=first,
    )
    _publish(personas, correction)
    html = _page(client, milestone)
    assert "Corrige un informe anterior." in html
    assert "Corrección: solo la mitad del portal." in html
    assert "Portal en línea." in html  # the earlier report, folded under "earlier reports"


def test_a_commitment_without_tracking_data_costs_one_query_for_it(client, milestone):
    with CaptureQueriesContext(connection) as queries:
        client.get(milestone.commitment.get_absolute_url())
    # commitment, milestones, areas, supporters; then one to learn there is nothing to track,
    # and participation's one for the proposals that shaped it
    assert len(queries) == 6


def test_a_publication_shows_at_once_on_cached_pages_and_a_draft_does_not_leak(
    client, personas, institutions, milestone, settings
):
    from cocrea.core.pagecache import HEADER

    settings.COCREA_PAGE_CACHE = True
    commitment_url = milestone.commitment.get_absolute_url()
    dashboard = reverse("tracking:plan_dashboard", kwargs={"slug": milestone.commitment.plan.slug})
    for page in (commitment_url, dashboard):
        client.get(page)
        assert client.get(page)[HEADER] == "hit"
    report = services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion="complete",
        percent=100,
        done="Texto del borrador",
        facts_date=milestone.commitment.start_date,
    )
    assert "Texto del borrador" not in client.get(commitment_url).content.decode()
    services.progress_report_submit(actor=personas["official"], report=report)
    services.progress_report_publish(actor=personas["point_of_contact"], report=report)
    response = client.get(commitment_url)
    assert response[HEADER] == "miss"
    assert "Texto del borrador" in response.content.decode()
    assert client.get(dashboard)[HEADER] == "miss"


def test_what_is_present_is_told_for_each_kind_and_only_once_published(
    personas, institutions, milestone
):
    from cocrea.tracking.models import IrmReview
    from cocrea.tracking.selectors import Present, tracking_present

    commitment = milestone.commitment
    # another commitment's published report never counts
    other = MilestoneFactory(number=9, responsible_institution=institutions["mineduc"])
    _published(personas, other)
    assert tracking_present(commitment=commitment) == Present(False, False, False)
    draft = _draft(personas, milestone, "limited", percent=10, done="Borrador.")
    assert draft.status != "published"
    assert tracking_present(commitment=commitment) == Present(False, False, False)
    _assess(personas, institutions, milestone, "limited")
    assert tracking_present(commitment=commitment) == Present(False, True, False)
    services.irm_review_save(
        actor=personas["point_of_contact"],
        commitment=commitment,
        review=IrmReview(verifiable="verifiable", potential_for_results="modest", promising=True),
    )
    assert tracking_present(commitment=commitment) == Present(False, True, True)
    _publish(personas, draft)
    assert tracking_present(commitment=commitment) == Present(True, True, True)
