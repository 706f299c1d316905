"""The accountability answer first (issue 21, item 4): the top of a commitment's page says its
status, progress and whether civil society agrees, linking to the milestones where it does not;
a milestone's completion is reported (a published report) or shown as declared; the plan,
institution and home tables mark each row's status and disagreement."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cocrea.plans.models import Milestone
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory
from cocrea.tracking import services

DISPUTED_MARK = '<strong class="disputed">Civil society disagrees</strong>'


def _en(url_name: str, **kwargs: str) -> str:
    with translation.override("en"):
        return reverse(url_name, kwargs=kwargs)


def _page(client, commitment) -> str:
    url = _en("plans:commitment", plan_slug=commitment.plan.slug, slug=commitment.slug)
    return client.get(url).content.decode()


def _publish(personas, milestone, completion="complete"):
    report = services.progress_report_create(
        actor=personas["official"],
        milestone=milestone,
        completion=completion,
        percent=100,
        done="Portal en línea.",
        facts_date=milestone.commitment.start_date,
    )
    services.progress_report_submit(actor=personas["official"], report=report)
    return services.progress_report_publish(actor=personas["point_of_contact"], report=report)


def _assess(personas, institutions, milestone, completion, whole=False):
    return services.assessment_publish(
        actor=personas["cso_member"],
        commitment=milestone.commitment,
        milestone=None if whole else milestone,
        organisation=institutions["cso"],
        completion=completion,
        reading="Nuestra lectura de la evidencia.",
    )


def _four(milestone, institutions) -> list[Milestone]:
    """The fixture's milestone and three more of its commitment."""
    more = [
        MilestoneFactory(
            commitment=milestone.commitment,
            number=n,
            responsible_institution=institutions["mineduc"],
        )
        for n in (2, 3, 4)
    ]
    return [milestone, *more]


def _top(html: str) -> str:
    """The page from its heading to the milestones' table."""
    return html.split("<h1", 1)[1].split('<h2 id="milestones">', 1)[0]


def _block(html: str, anchor: str) -> str:
    return html.split(f'<h3 id="{anchor}">', 1)[1].split("</article>", 1)[0]


@pytest.mark.django_db
def test_the_top_says_civil_society_disagrees_on_1_of_4_milestones_with_a_link(
    client, personas, institutions, milestone
):
    milestones = _four(milestone, institutions)
    for m in milestones:
        _publish(personas, m)
    _assess(personas, institutions, milestones[2], "limited")  # differs from "complete"
    _assess(personas, institutions, milestones[0], "complete")  # agrees
    html = _page(client, milestone.commitment)
    top = _top(html)
    assert "Civil society disagrees on 1 of 4 milestones:" in top
    assert '<a href="#side-3">Milestone 3</a>.' in top
    assert "Status" in top and "Progress" in top
    assert 'id="side-3"' in html  # the link leads to that milestone's assessments
    # The milestone's row says so too, linking to the same place; the others do not.
    assert html.count('<a class="disputed" href="#side-3">Civil society disagrees</a>') == 1
    assert 'href="#side-1">Civil society disagrees' not in html


@pytest.mark.django_db
def test_the_whole_commitment_block_names_the_disputed_milestones_instead_of_no_assessment(
    client, personas, institutions, milestone
):
    milestones = _four(milestone, institutions)
    _publish(personas, milestones[1])
    _assess(personas, institutions, milestones[1], "not_started")
    whole = _block(_page(client, milestone.commitment), "side-whole")
    assert "No civil-society assessment yet." not in whole
    assert "No assessment of the commitment as a whole. Civil society disagrees on these" in whole
    assert '<a href="#side-2">Milestone 2</a>' in whole


@pytest.mark.django_db
def test_the_top_says_when_assessments_agree_and_when_there_are_none(
    client, personas, institutions, milestone
):
    html = _page(client, milestone.commitment)
    assert "No civil-society organisation has assessed this commitment yet." in _top(html)
    _publish(personas, milestone)
    _assess(personas, institutions, milestone, "complete")
    top = _top(_page(client, milestone.commitment))
    assert "agree with the official view (1 of 1 milestone assessed)" in top
    assert "disagrees" not in top


@pytest.mark.django_db
def test_the_commitment_as_a_whole_disputed_is_said_at_the_top(
    client, personas, institutions, milestone
):
    _publish(personas, milestone)
    _assess(personas, institutions, milestone, "limited", whole=True)
    top = _top(_page(client, milestone.commitment))
    assert "disagrees with the official completion of the commitment as a whole" in top
    assert 'href="#side-whole"' in top


@pytest.mark.django_db
def test_a_completion_without_a_published_report_is_shown_as_declared(
    client, personas, institutions, milestone
):
    Milestone.objects.filter(pk=milestone.pk).update(completion="complete")
    html = _page(client, milestone.commitment)
    block = _block(html, "side-1")
    assert "No published progress report yet." not in block
    assert "Declared, without a published progress report" in block
    assert '<span class="tag">declared, without a published report</span>' in html
    assert "1 of 1 milestone has a completion declared without a published" in _top(html)
    _publish(personas, milestone)  # now reported
    html = _page(client, milestone.commitment)
    assert "declared, without a published report" not in html
    assert "Declared, without" not in html


@pytest.mark.django_db
def test_a_milestone_not_started_and_unreported_is_not_declared(client, milestone):
    assert milestone.completion == "not_started"
    html = _page(client, milestone.commitment)
    assert "No published progress report yet." in _block(html, "side-1")
    assert "declared" not in html.lower()


def _plan_with_disputes(personas, institutions, milestone, disputed: int):
    """The fixture's commitment (disputed) and `disputed` - 1 more disputed, plus one that
    civil society agrees with, all in one plan."""
    plan = milestone.commitment.plan
    _publish(personas, milestone)
    _assess(personas, institutions, milestone, "limited")
    for n in range(disputed - 1):
        other = MilestoneFactory(
            commitment=CommitmentFactory(
                plan=plan, number=str(10 + n), lead_institution=institutions["mineduc"]
            ),
            responsible_institution=institutions["mineduc"],
        )
        _publish(personas, other)
        _assess(personas, institutions, other, "no_evidence")
    agreed = MilestoneFactory(
        commitment=CommitmentFactory(
            plan=plan,
            number="99",
            title="Compromiso de acuerdo",
            lead_institution=institutions["mineduc"],
        ),
        responsible_institution=institutions["mineduc"],
    )
    _publish(personas, agreed)
    _assess(personas, institutions, agreed, "complete")
    return plan


def _row(html: str, title: str) -> str:
    """The table row that names `title`."""
    bodies = [part.split("</tbody>", 1)[0] for part in html.split("<tbody>")[1:]]
    return next(row for body in bodies for row in re.split(r"<tr[ >]", body) if title in row)


@pytest.mark.django_db
def test_plan_institution_and_home_tables_mark_each_rows_status_and_disagreement(
    client, personas, institutions, milestone
):
    plan = _plan_with_disputes(personas, institutions, milestone, disputed=1)
    title = milestone.commitment.title
    pages = {
        "plan": client.get(_en("plans:plan", slug=plan.slug)).content.decode(),
        "institution": client.get(_en("plans:institution", slug="mineduc")).content.decode(),
        "home": client.get("/en/").content.decode(),
    }
    for name, html in pages.items():
        # On the institution page, its commitments' row and its milestones' row.
        assert html.count(DISPUTED_MARK) == (2 if name == "institution" else 1), name
        disputed_row = _row(html, title)
        assert DISPUTED_MARK in disputed_row, name
        assert '<span class="status status--complete">Complete</span>' in disputed_row, name
        assert '<td data-label="Status">' in disputed_row, name
        agreed_row = _row(html, "Compromiso de acuerdo")
        assert "disagrees" not in agreed_row, name
        assert '<span class="status status--complete">Complete</span>' in agreed_row, name
    milestones = pages["institution"].split('id="inst-milestones"', 1)[1]
    assert DISPUTED_MARK in _row(milestones, f">{milestone.description}</td>")
    assert "disagrees" not in _row(milestones, "Compromiso de acuerdo")
    # The home page lists the disputed commitments in their own section.
    where = pages["home"].split('<h2 id="disputed">', 1)[1].split("</section>", 1)[0]
    assert title in where and "Compromiso de acuerdo" not in where


@pytest.mark.django_db
def test_the_marks_cost_the_same_queries_at_1_and_6_disputed_commitments(
    client, personas, institutions, milestone
):
    def counts() -> list[int]:
        found = []
        for url in (
            _en("plans:plan", slug=milestone.commitment.plan.slug),
            _en("plans:institution", slug="mineduc"),
            "/en/",
            _en(
                "plans:commitment",
                plan_slug=milestone.commitment.plan.slug,
                slug=milestone.commitment.slug,
            ),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    _plan_with_disputes(personas, institutions, milestone, disputed=1)
    few = counts()
    for n in range(5):
        other = MilestoneFactory(
            commitment=CommitmentFactory(
                plan=milestone.commitment.plan,
                number=str(50 + n),
                lead_institution=institutions["mineduc"],
            ),
            responsible_institution=institutions["mineduc"],
        )
        MilestoneFactory(commitment=milestone.commitment, number=10 + n)
        _publish(personas, other)
        _assess(personas, institutions, other, "limited")
    assert counts() == few


@pytest.mark.django_db
def test_disputed_milestone_ids_reads_each_organisations_current_reading(
    personas, institutions, milestone, django_assert_num_queries
):
    from cocrea.tracking.selectors import disputed_milestone_ids

    agreed, unassessed = (
        MilestoneFactory(commitment=milestone.commitment, number=n) for n in (2, 3)
    )
    for m in (milestone, agreed):
        _publish(personas, m)
    _assess(personas, institutions, milestone, "complete")
    _assess(personas, institutions, milestone, "limited")  # the newer reading differs
    _assess(personas, institutions, agreed, "limited")
    _assess(personas, institutions, agreed, "complete")  # the newer reading agrees
    ids = [milestone.pk, agreed.pk, unassessed.pk]
    with django_assert_num_queries(1):
        assert disputed_milestone_ids(ids) == {milestone.pk}
    with django_assert_num_queries(0):
        assert disputed_milestone_ids([]) == set()
