"""The dashboards: their figures follow the progress rules, charts come with their tables, and
the query count does not grow with the data."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocrea.plans.models import Commitment, Milestone, PolicyArea
from cocrea.plans.tests.factories import ActionPlanFactory, InstitutionFactory
from cocrea.tracking import dashboards


def _plan_with(commitments: int, institution):
    """A plan with `commitments` commitments of two milestones each: the first overdue and
    limited, the second complete. Bulk-created, so 500 commitments take a moment."""
    plan = ActionPlanFactory()
    Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            number=n,
            slug=f"c-{n}",
            title=f"Compromiso {n}",
            lead_institution=institution,
        )
        for n in range(1, commitments + 1)
    )
    rows = []
    for commitment in Commitment.objects.filter(plan=plan):
        rows += [
            Milestone(
                commitment=commitment,
                number=1,
                description="Primero",
                start_date=date(2023, 1, 1),
                end_date=date(2024, 1, 1),
                responsible_institution=institution,
                completion="limited",
            ),
            Milestone(
                commitment=commitment,
                number=2,
                description="Segundo",
                start_date=date(2023, 6, 1),
                end_date=date(2024, 6, 1),
                responsible_institution=institution,
                completion="complete",
            ),
        ]
    Milestone.objects.bulk_create(rows)
    return plan


def test_the_plan_dashboard_counts_by_the_rules(db):
    institution = InstitutionFactory(acronym="MINEDUC")
    plan = _plan_with(3, institution)
    area = PolicyArea.objects.filter(parent__isnull=False).order_by("position").first()
    plan.commitments.get(number=2).policy_areas.add(area)
    board = dashboards.plan_dashboard(plan=plan, today=date(2025, 1, 1))
    # Commitments without a policy area count too; the area counts its commitment's milestones.
    assert board.commitments == 3 and board.milestones == 6
    assert [(f.label, f.value, f.count) for f in board.by_area] == [(area.name_es, 66, 2)]
    # (1/3 + 1) / 2 = 2/3 done: substantial, 66 % (rounded down)
    assert board.progress == 66
    completion = {f.css: f.value for f in board.completion}
    assert completion["bar--substantial"] == 3 and completion["bar--complete"] == 0
    status = {f.css: f.value for f in board.status}
    assert status["bar--overdue"] == 3 and status["bar--on_track"] == 0
    assert [(f.label, f.value, f.count) for f in board.by_institution] == [("MINEDUC", 66, 6)]
    assert len(board.overdue) == 3 and board.upcoming == []


def test_the_institution_dashboard_counts_what_it_leads_and_what_it_answers_for(db):
    own, other = InstitutionFactory(acronym="SEGEPLAN"), InstitutionFactory()
    older = _plan_with(1, other)  # it answers for none of these
    newer = ActionPlanFactory(start_date=date(2025, 9, 1), end_date=date(2027, 8, 31))
    led = Commitment.objects.create(
        plan=newer, number=1, slug="c-1", title="Con hitos", lead_institution=own
    )
    Commitment.objects.create(
        plan=newer, number=2, slug="c-2", title="Sin hitos", lead_institution=own
    )
    Milestone.objects.create(
        commitment=led,
        number=1,
        description="Hecho",
        end_date=date(2024, 1, 1),
        responsible_institution=other,
        completion="complete",
    )
    # Responsible for one milestone in each plan, without leading those commitments.
    older_commitment = older.commitments.get()
    for commitment, number in ((older_commitment, 3), (led, 2)):
        Milestone.objects.create(
            commitment=commitment,
            number=number,
            description=f"Suyo {number}",
            start_date=date(2024, 2, 1),
            end_date=date(2024, 3, 1),
            responsible_institution=own,
            completion="limited",
        )
    board = dashboards.institution_dashboard(institution=own, today=date(2025, 1, 1))
    assert board.commitments == 2 and board.milestones == 2
    # The newer plan first; its rows carry the commitment, plan and institution they belong to.
    assert [(m.commitment__plan__slug, m.code, m.description) for m in board.overdue] == [
        (newer.slug, "1.2", "Suyo 2"),
        (older.slug, "1.3", "Suyo 3"),
    ]
    assert board.overdue[0].responsible_institution__acronym == "SEGEPLAN"
    assert board.overdue[0].end_date == date(2024, 3, 1)
    status = {f.css: f.value for f in board.status}
    # Of the two it leads: one has an overdue milestone, the other none at all.
    assert status["bar--overdue"] == 1
    assert [f.value for f in board.status if f.css == "bar--none"] == [1]


@pytest.mark.parametrize("size", [5, 500])
def test_the_dashboards_cost_the_same_queries_at_5_and_500_commitments(client, db, size):
    institution = InstitutionFactory()
    plan = _plan_with(size, institution)
    counts = {}
    for name, kwargs in (
        ("tracking:plan_dashboard", {"slug": plan.slug}),
        ("tracking:institution_dashboard", {"slug": institution.slug}),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200
        counts[name] = len(queries)
    # plan, commitments with their areas, milestones | institution, its milestones, led with theirs
    assert counts == {"tracking:plan_dashboard": 3, "tracking:institution_dashboard": 3}


def test_the_charts_come_with_their_numbers_and_today_is_marked(client, db):
    institution = InstitutionFactory(acronym="MARN")
    plan = _plan_with(2, institution)
    html = client.get(reverse("tracking:plan_dashboard", kwargs={"slug": plan.slug})).content
    html = html.decode()
    assert html.count("<svg") == 5  # status, completion, areas, institutions, timeline
    assert 'class="today"' in html
    assert '<th scope="row">MARN</th><td>66 %</td><td>4</td>' in html
    assert timezone.localdate().strftime("%Y") in html


def test_an_institution_dashboard_of_an_institution_with_nothing_still_renders(client, db):
    institution = InstitutionFactory()
    response = client.get(
        reverse("tracking:institution_dashboard", kwargs={"slug": institution.slug})
    )
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


def test_unknown_dashboards_are_not_found(client, db):
    assert client.get(reverse("tracking:plan_dashboard", kwargs={"slug": "no"})).status_code == 404
    url = reverse("tracking:institution_dashboard", kwargs={"slug": "no"})
    assert client.get(url).status_code == 404


def test_names_in_the_charts_are_escaped(client, db):
    institution = InstitutionFactory(acronym='<script>alert("x")</script>')
    plan = _plan_with(1, institution)
    html = client.get(reverse("tracking:plan_dashboard", kwargs={"slug": plan.slug})).content
    assert b"<script>alert" not in html
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_the_milestone_tables_escape_shorten_and_link_each_row(client, db):
    institution = InstitutionFactory(acronym="MINFIN")
    plan = _plan_with(1, institution)
    commitment = plan.commitments.get()
    long = "Publicar <b>datos</b> " + "abiertos " * 20  # 185 characters
    commitment.milestones.filter(number=1).update(description=long)
    html = client.get(
        reverse("tracking:plan_dashboard", kwargs={"slug": plan.slug}), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    link = reverse("plans:commitment", kwargs={"plan_slug": plan.slug, "slug": commitment.slug})
    # The overdue table: the number links to the commitment, the text is escaped and cut at a
    # word, the end date and the overdue mark follow.
    assert (
        f'<tr><td><a href="{link}">1.1</a></td><td>Publicar &lt;b&gt;datos&lt;/b&gt; abiertos'
        in html
    )
    shortened = long[:119].rsplit(" ", 1)[0].replace("<", "&lt;").replace(">", "&gt;") + "…"
    assert f"<td>{shortened}</td><td>MINFIN</td>" in html
    assert '<time datetime="2024-01-01">' in html and '<strong class="overdue">' in html
    # The timeline's table: one row per milestone, with both dates.
    assert html.count("<tr><td>1.1</td>") == 1 and html.count("<tr><td>1.2</td>") == 1
