"""The dashboards: their figures follow the progress rules, charts come with their tables, and
the query count does not grow with the data."""

from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from markupsafe import escape

from cocrea.plans import progress
from cocrea.plans.models import Commitment, Milestone, PolicyArea, natural_key
from cocrea.plans.tests.factories import ActionPlanFactory, InstitutionFactory
from cocrea.tracking import dashboards


def _plan_with(commitments: int, institution):
    """A plan with `commitments` commitments of two milestones each: the first overdue and
    limited, the second complete. Bulk-created, so 500 commitments take a moment."""
    plan = ActionPlanFactory()
    rows = [
        Commitment(
            plan=plan,
            number=str(n),
            slug=f"c-{n}",
            title=f"Compromiso {n}",
            lead_institution=institution,
        )
        for n in range(1, commitments + 1)
    ]
    Commitment.objects.bulk_create(rows)
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
        plan=newer, number="1", slug="c-1", title="Con hitos", lead_institution=own
    )
    Commitment.objects.create(
        plan=newer, number="2", slug="c-2", title="Sin hitos", lead_institution=own
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


def _without_labels(html: str) -> str:
    """The page without the stacked tables' cell labels (data-label, for phones), so that the
    cells' content is compared as it reads."""
    import re

    return re.sub(r' data-label="[^"]*"', "", html)


def test_names_in_the_charts_and_tables_are_escaped(client, db):
    name = '<script>alert("x")</script>\''
    institution = InstitutionFactory(acronym=name)
    plan = _plan_with(1, institution)
    html = client.get(reverse("tracking:plan_dashboard", kwargs={"slug": plan.slug})).content
    html = _without_labels(html.decode())
    assert "<script>alert" not in html
    escaped = str(escape(name))  # markupsafe's, as Jinja's autoescape writes it
    assert escaped == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&#39;"
    assert f'class="chart-label">{escaped}</text>' in html  # the chart
    assert f'<th scope="row">{escaped}</th>' in html  # the chart's table
    assert f"<td>{escaped}</td>" in html  # the overdue milestones' responsible


def test_the_milestone_tables_escape_shorten_and_link_each_row(client, db):
    institution = InstitutionFactory(acronym="MINFIN")
    plan = _plan_with(1, institution)
    commitment = plan.commitments.get()
    long = "Publicar <b>datos</b> " + "abiertos " * 20  # 185 characters
    commitment.milestones.filter(number=1).update(description=long)
    html = client.get(
        reverse("tracking:plan_dashboard", kwargs={"slug": plan.slug}), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    html = _without_labels(html)
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


# Equivalence: the dashboards' rows and figures against an independent read of the same data
# (model instances and their relations, counted here), field by field by name, on data where
# fields of the same type differ (ids, numbers, weights; slugs, titles, names, acronyms; start
# and end dates), so that reading one field in place of another fails.

TODAY = date(2025, 1, 1)
ROW_FIELDS = [
    "id",
    "number",
    "description",
    "start_date",
    "end_date",
    "completion",
    "weight",
    "commitment_id",
    "commitment__number",
    "commitment__number_sort",
    "commitment__slug",
    "commitment__title",
    "commitment__plan__slug",
    "commitment__plan__number",
    "responsible_institution_id",
    "responsible_institution__name",
    "responsible_institution__acronym",
    "overdue",
    "code",
    "css",
]


def _expected_row(milestone: Milestone) -> dict:
    commitment, institution = milestone.commitment, milestone.responsible_institution
    overdue = (
        milestone.end_date is not None
        and milestone.end_date < TODAY
        and milestone.completion not in ("complete", "withdrawn")
    )
    return {
        "id": milestone.pk,
        "number": milestone.number,
        "description": milestone.description,
        "start_date": milestone.start_date,
        "end_date": milestone.end_date,
        "completion": milestone.completion,
        "weight": milestone.weight,
        "commitment_id": commitment.pk,
        "commitment__number": commitment.number,
        "commitment__number_sort": natural_key(commitment.number),
        "commitment__slug": commitment.slug,
        "commitment__title": commitment.title,
        "commitment__plan__slug": commitment.plan.slug,
        "commitment__plan__number": commitment.plan.number,
        "responsible_institution_id": institution.pk,
        "responsible_institution__name": institution.name,
        "responsible_institution__acronym": institution.acronym,
        "overdue": overdue,
        "code": f"{commitment.number}.{milestone.number}",
        "css": "bar--overdue" if overdue else f"bar--{milestone.completion}",
    }


def _as_read(rows) -> list[dict]:
    return [{name: getattr(row, name) for name in ROW_FIELDS} for row in rows]


def _expected_rows(milestones) -> list[dict]:
    return [
        _expected_row(m)
        for m in milestones.select_related("commitment__plan", "responsible_institution")
    ]


def _figures(figures) -> dict[str, tuple]:
    return {
        f.css if f.css != "bar--progress" else f.label: (f.label, f.value, f.count) for f in figures
    }


@pytest.fixture
def varied(db):
    """Two plans, three institutions (one without an acronym), commitments with and without
    milestones and policy areas; numbers, weights, dates and names all differ."""
    marn = InstitutionFactory(name="Ministerio de Ambiente", acronym="MARN", slug="marn")
    sat = InstitutionFactory(name="Superintendencia Tributaria", acronym="SAT", slug="sat")
    ine = InstitutionFactory(name="Instituto de Estadística", acronym="", slug="ine")
    plan = ActionPlanFactory(
        number=7, slug="plan-siete", start_date=date(2024, 1, 1), end_date=date(2026, 6, 30)
    )
    older = ActionPlanFactory(
        number=4, slug="plan-cuatro", start_date=date(2018, 9, 1), end_date=date(2020, 8, 31)
    )
    first = Commitment.objects.create(
        plan=plan, number="3", slug="datos-abiertos", title="Datos abiertos", lead_institution=marn
    )
    second = Commitment.objects.create(
        plan=plan, number="10", slug="agua", title="Agua potable", lead_institution=sat
    )
    Commitment.objects.create(
        plan=plan, number="8", slug="sin-hitos", title="Sin hitos", lead_institution=marn
    )
    old = Commitment.objects.create(
        plan=older, number="2", slug="antiguo", title="Antiguo", lead_institution=ine
    )
    areas = list(PolicyArea.objects.filter(parent__isnull=False).order_by("position")[:2])
    first.policy_areas.set(areas)
    second.policy_areas.set(areas[:1])

    columns = "commitment number responsible_institution completion start_date end_date weight"
    for row in [
        (first, 11, marn, "limited", date(2024, 2, 1), date(2024, 11, 30), 3),  # overdue
        (first, 12, ine, "complete", date(2024, 3, 1), date(2024, 12, 15), 2),
        (first, 14, marn, "not_started", None, date(2025, 2, 20), 5),  # upcoming
        (second, 21, sat, "substantial", date(2024, 5, 1), date(2025, 3, 1), 4),  # upcoming
        (second, 23, marn, "withdrawn", date(2024, 6, 1), date(2024, 7, 1), 1),
        (second, 25, ine, "not_started", date(2024, 7, 1), None, 2),
        (old, 31, marn, "limited", date(2018, 10, 1), date(2020, 6, 30), 6),  # overdue
        (old, 32, ine, "complete", date(2019, 1, 1), date(2024, 4, 1), 1),
    ]:
        values = dict(zip(columns.split(), row, strict=True))
        description = f"Hito {values['number']} de {values['commitment'].title}"
        Milestone.objects.create(description=description, **values)
    return {"plan": plan, "older": older, "marn": marn, "sat": sat, "ine": ine, "areas": areas}


def test_the_plan_dashboard_rows_are_its_milestones_field_by_field(varied):
    plan = varied["plan"]
    board = dashboards.plan_dashboard(plan=plan, today=TODAY)
    milestones = Milestone.objects.filter(commitment__plan=plan).order_by(
        "commitment__number_sort", "number"
    )
    assert _as_read(board.timeline) == _expected_rows(milestones)
    # commitment 10 after commitment 3, as numbers go (its text would sort first)
    codes = ["3.11", "3.12", "3.14", "10.21", "10.23", "10.25"]
    assert [r.code for r in board.timeline] == codes
    overdue = _expected_rows(
        milestones.filter(end_date__lt=TODAY).exclude(completion__in=["complete", "withdrawn"])
    )
    assert _as_read(board.overdue) == overdue and [r["code"] for r in overdue] == ["3.11"]
    upcoming = _expected_rows(
        milestones.filter(end_date__gte=TODAY, end_date__lte=date(2025, 4, 1))
        .exclude(completion__in=["complete", "withdrawn"])
        .order_by("end_date")
    )
    assert _as_read(board.upcoming) == upcoming
    assert [r["code"] for r in upcoming] == ["3.14", "10.21"]


def test_the_plan_dashboard_figures_match_an_independent_count(varied):
    plan, areas = varied["plan"], varied["areas"]
    board = dashboards.plan_dashboard(plan=plan, today=TODAY)
    commitments = list(plan.commitments.prefetch_related("milestones"))
    milestones = list(Milestone.objects.filter(commitment__plan=plan))
    assert (board.commitments, board.milestones) == (len(commitments), len(milestones)) == (3, 6)
    assert board.progress == progress.plan_progress(c.milestones.all() for c in commitments)
    completions = Counter(progress.commitment_completion(c.milestones.all()) for c in commitments)
    assert {f.css: f.count for f in board.completion} == {
        **{f"bar--{value}": completions[value] for value in Milestone.Completion.values},
        "bar--none": completions[None],
    }
    statuses = Counter(progress.commitment_status(c.milestones.all(), TODAY) for c in commitments)
    assert {f.css: f.value for f in board.status} == {
        **{f"bar--{s}": statuses[s] for s in ("on_track", "at_risk", "overdue", "complete")},
        "bar--none": statuses[None],
    }
    expected_areas = {}
    for area in areas:
        own = [m for m in milestones if area in m.commitment.policy_areas.all()]
        expected_areas[area.name] = (area.name, progress.commitment_progress(own), len(own))
    assert _figures(board.by_area) == expected_areas
    # the first area counts both commitments' milestones, the second only the first's
    assert [f.count for f in board.by_area if f.label == areas[1].name] == [3]
    expected_institutions = {}
    for institution in (varied["marn"], varied["sat"], varied["ine"]):
        own = [m for m in milestones if m.responsible_institution_id == institution.pk]
        label = institution.acronym or institution.name
        expected_institutions[label] = (label, progress.commitment_progress(own), len(own))
    assert _figures(board.by_institution) == expected_institutions
    assert "Instituto de Estadística" in expected_institutions  # no acronym: its name


def test_the_institution_dashboard_matches_an_independent_read(varied):
    marn = varied["marn"]
    board = dashboards.institution_dashboard(institution=marn, today=TODAY)
    responsible = Milestone.objects.filter(responsible_institution=marn)
    led = list(Commitment.objects.filter(lead_institution=marn).prefetch_related("milestones"))
    assert (board.commitments, board.milestones) == (len(led), responsible.count()) == (2, 4)
    # every milestone it answers for, the newer plan first, within a year of today in time order
    rows = _expected_rows(
        responsible.order_by("-commitment__plan__start_date", "commitment__number_sort", "number")
    )
    window = sorted(
        (r for r in rows if r["end_date"] and abs((r["end_date"] - TODAY).days) <= 365),
        key=lambda r: (r["end_date"], r["code"]),
    )
    assert _as_read(board.timeline) == window
    assert [r["code"] for r in window] == ["10.23", "3.11", "3.14"]
    assert _as_read(board.overdue) == sorted(
        (r for r in rows if r["overdue"]), key=lambda r: (r["end_date"], r["code"])
    )
    assert [r.commitment__plan__slug for r in board.overdue] == ["plan-cuatro", "plan-siete"]
    assert board.progress == progress.commitment_progress(responsible)
    statuses = Counter(progress.commitment_status(c.milestones.all(), TODAY) for c in led)
    assert {f.css: f.value for f in board.status} == {
        **{f"bar--{s}": statuses[s] for s in ("on_track", "at_risk", "overdue", "complete")},
        "bar--none": statuses[None],
    }
    completions = Counter(responsible.values_list("completion", flat=True))
    assert {f.css: f.value for f in board.completion} == {
        f"bar--{value}": completions[value] for value in Milestone.Completion.values
    }
    expected_plans = {}
    for plan in (varied["plan"], varied["older"]):
        own = list(responsible.filter(commitment__plan=plan))
        label = gettext("Plan %(number)s") % {"number": plan.number}
        expected_plans[label] = (label, progress.commitment_progress(own), len(own))
    assert _figures(board.by_plan) == expected_plans


def test_the_charts_are_drawn_for_a_phone_with_each_label_above_its_bar():
    """320 units wide (shown at 320 to 352 px, site.css), so 14-unit text stays above 12 px on a
    360 px screen (the browser gate, tests/e2e/test_phone_gate.py, measures it); a long name is
    shortened in the picture and whole in its tooltip, and no bar or value leaves the picture."""
    import re

    from cocrea.tracking.charts import WIDTH, Bar, Span, bar_chart, timeline

    name = "Secretaría de Planificación y Programación de la Presidencia de la República"
    svg = str(bar_chart(bars=[Bar(name, 100), Bar("MARN", 5)], label="Avance", maximum=100))
    assert WIDTH == 320 and 'viewBox="0 0 320 84"' in svg
    assert f"<title>{name}: 100</title>" in svg
    short = "Secretaría de Planificación y Programac…"
    assert f'<text x="0" y="15" class="chart-label">{short}</text>' in svg
    assert svg.index('class="chart-label"') < svg.index("<rect")  # the label first, above
    right_edges = [
        int(x) + int(w) for x, w in re.findall(r'<rect x="(\d+)" y="\d+" width="(\d+)"', svg)
    ]
    values = [int(x) for x in re.findall(r'<text x="(\d+)" y="32" class="chart-value">', svg)]
    assert max(right_edges) == WIDTH - 48 and max(values) + 40 <= WIDTH  # room for "100 %"

    today = date(2025, 6, 1)
    spans = [Span("12.20", date(2024, 1, 1), date(2026, 12, 31), "bar--limited")]
    drawn = str(timeline(spans=spans, label="Cronología", today=today))
    assert 'class="chart-label chart-label--small">12.20</text>' in drawn
    assert f'viewBox="0 0 {WIDTH} ' in drawn and "2025" in drawn
    late = str(timeline(spans=spans, label="Cronología", today=date(2026, 12, 30)))
    assert 'text-anchor="end" y=' in late  # "today" written left of its line near the edge
