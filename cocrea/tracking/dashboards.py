"""The figures of the dashboards, per plan and per institution, each from a fixed number of
queries of plain rows; the rules are those of `plans.progress` (docs/progress.md)."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _

from cocrea.core import sql
from cocrea.plans import progress
from cocrea.plans import selectors as plan_selectors
from cocrea.plans.models import STATUS_LABELS, ActionPlan, Commitment, Institution, Milestone
from cocrea.tracking.charts import Bar, Span

UPCOMING_DAYS = 90
UPCOMING_LIMIT = 20
TIMELINE_LIMIT = 120


@dataclass
class Figure:
    """A row of a chart and of its table: a label, its value (None: no figure) and how many
    things it counts."""

    label: str
    value: int | None
    count: int
    css: str = ""

    @property
    def bar(self) -> Bar:
        return Bar(self.label, self.value or 0, self.css)


@dataclass
class Dashboard:
    progress: int | None
    commitments: int
    milestones: int
    completion: list[Figure]
    status: list[Figure]
    by_area: list[Figure]
    by_institution: list[Figure]
    by_plan: list[Figure]
    overdue: list[SimpleNamespace]
    upcoming: list[SimpleNamespace]
    timeline: list[SimpleNamespace]
    timeline_cut: bool

    def bars(self, name: str) -> list[Bar]:
        return [f.bar for f in getattr(self, name)]

    def spans(self) -> list[Span]:
        return [Span(m.code, m.start_date, m.end_date, m.css) for m in self.timeline]


# The milestone rows of both dashboards, named as the templates read them.
_ROW_FIELDS = [
    "id",
    "number",
    "description",
    "start_date",
    "end_date",
    "completion",
    "weight",
    "commitment_id",
    "commitment__number",
    "commitment__slug",
    "commitment__title",
    "commitment__plan__slug",
    "commitment__plan__number",
    "responsible_institution_id",
    "responsible_institution__name",
    "responsible_institution__acronym",
]


def _milestone_sql(where: str, order: str) -> str:
    """The dashboards' milestone rows in plain SQL (cocrea.core.sql, ADR 4): one fixed shape,
    filtered and ordered by one of the two clauses below. Building it through the ORM (four
    tables, sixteen columns) cost more than running it."""
    n = sql.name
    return (
        f"SELECT m.{n(Milestone, 'id')}, m.{n(Milestone, 'number')}, "  # noqa: S608
        f"m.{n(Milestone, 'description')}, m.{n(Milestone, 'start_date')}, "
        f"m.{n(Milestone, 'end_date')}, m.{n(Milestone, 'completion')}, "
        f"m.{n(Milestone, 'weight')}, m.{n(Milestone, 'commitment')}, "
        f"c.{n(Commitment, 'number')}, c.{n(Commitment, 'slug')}, c.{n(Commitment, 'title')}, "
        f"p.{n(ActionPlan, 'slug')}, p.{n(ActionPlan, 'number')}, "
        f"m.{n(Milestone, 'responsible_institution')}, i.{n(Institution, 'name')}, "
        f"i.{n(Institution, 'acronym')} "
        f"FROM {n(Milestone)} m "
        f"INNER JOIN {n(Commitment)} c "
        f"ON c.{n(Commitment, 'id')} = m.{n(Milestone, 'commitment')} "
        f"INNER JOIN {n(ActionPlan)} p ON p.{n(ActionPlan, 'id')} = c.{n(Commitment, 'plan')} "
        f"INNER JOIN {n(Institution)} i "
        f"ON i.{n(Institution, 'id')} = m.{n(Milestone, 'responsible_institution')} "
        f"WHERE {where} ORDER BY {order}"
    )


def _plan_milestones_sql() -> str:
    n = sql.name
    return _milestone_sql(
        f"c.{n(Commitment, 'plan')} = %s",
        f"c.{n(Commitment, 'number')}, m.{n(Milestone, 'number')}, m.{n(Milestone, 'id')}",
    )


def _institution_milestones_sql() -> str:
    n = sql.name
    return _milestone_sql(
        f"m.{n(Milestone, 'responsible_institution')} = %s",
        f"p.{n(ActionPlan, 'start_date')} DESC, c.{n(Commitment, 'number')}, "
        f"m.{n(Milestone, 'number')}, m.{n(Milestone, 'id')}",
    )


def _rows(query: str, key: int, today: date) -> list[SimpleNamespace]:
    rows = []
    for values in sql.fetch_all(query, [key]):
        row = SimpleNamespace(**dict(zip(_ROW_FIELDS, values, strict=True)))
        row.overdue = progress.milestone_is_overdue(row, today)
        row.code = f"{row.commitment__number}.{row.number}"
        row.css = "bar--overdue" if row.overdue else f"bar--{row.completion}"
        rows.append(row)
    return rows


def _led_rows(institution_id: int) -> dict[int, list[Any]]:
    """{commitment id: its milestones' (completion, weight, end_date)} for every commitment the
    institution leads, those without milestones included (an empty list): one plain query."""
    n = sql.name
    led: dict[int, list[Any]] = {}
    for commitment_id, completion, weight, end_date in sql.fetch_all(
        f"SELECT c.{n(Commitment, 'id')}, m.{n(Milestone, 'completion')}, "  # noqa: S608
        f"m.{n(Milestone, 'weight')}, m.{n(Milestone, 'end_date')} "
        f"FROM {n(Commitment)} c LEFT OUTER JOIN {n(Milestone)} m "
        f"ON m.{n(Milestone, 'commitment')} = c.{n(Commitment, 'id')} "
        f"WHERE c.{n(Commitment, 'lead_institution')} = %s",
        [institution_id],
    ):
        milestones = led.setdefault(commitment_id, [])
        if completion is not None:
            milestones.append(
                SimpleNamespace(completion=completion, weight=weight, end_date=end_date)
            )
    return led


def _completion_figures(completions: list[str | None]) -> list[Figure]:
    counts = Counter(completions)
    figures = [
        Figure(str(label), counts.get(value, 0), counts.get(value, 0), f"bar--{value}")
        for value, label in Milestone.Completion.choices
    ]
    if counts.get(None):
        figures.append(Figure(_("No milestones"), counts[None], counts[None], "bar--none"))
    return figures


def _status_figures(statuses: list[str | None]) -> list[Figure]:
    counts = Counter(statuses)
    order = [progress.ON_TRACK, progress.AT_RISK, progress.OVERDUE, progress.COMPLETE]
    figures = [
        Figure(str(STATUS_LABELS[s]), counts.get(s, 0), counts.get(s, 0), f"bar--{s}")
        for s in order
    ]
    if counts.get(None):
        figures.append(Figure(_("No milestones"), counts[None], counts[None], "bar--none"))
    return figures


def _progress_figures(groups: dict[str, list[Any]]) -> list[Figure]:
    """Per group of milestones: the weighted progress (percent, rounded down)."""
    return sorted(
        (
            Figure(label, progress.commitment_progress(rows), len(rows), "bar--progress")
            for label, rows in groups.items()
        ),
        key=lambda f: (-1 if f.value is None else -f.value, f.label),
    )


def _mean(figures: list[Fraction]) -> int | None:
    return progress.as_percent(sum(figures, Fraction(0)) / len(figures)) if figures else None


def _soon(rows: list[SimpleNamespace], today: date) -> list[SimpleNamespace]:
    horizon = today + timedelta(days=UPCOMING_DAYS)
    return sorted(
        (
            r
            for r in rows
            if r.end_date is not None
            and today <= r.end_date <= horizon
            and r.completion not in (progress.COMPLETE, progress.WITHDRAWN)
        ),
        key=lambda r: (r.end_date, r.code),
    )[:UPCOMING_LIMIT]


def _late(rows: list[SimpleNamespace]) -> list[SimpleNamespace]:
    return sorted((r for r in rows if r.overdue), key=lambda r: (r.end_date, r.code))


def plan_dashboard(*, plan: ActionPlan, today: date) -> Dashboard:
    """Two queries (with the plan already fetched by the view): its commitments with their
    policy areas, and its milestones."""
    areas = plan_selectors.plan_commitment_areas(plan.pk)
    rows = _rows(_plan_milestones_sql(), plan.pk, today)
    by_commitment: dict[int, list[SimpleNamespace]] = defaultdict(list)
    for row in rows:
        by_commitment[row.commitment_id].append(row)
    by_area: dict[str, list[SimpleNamespace]] = defaultdict(list)
    exact = []
    for commitment_id, commitment_areas in areas.items():
        own = by_commitment.get(commitment_id, [])
        figure = progress.exact_progress(own)
        if figure is not None:
            exact.append(figure)
        for area in commitment_areas:
            by_area[area.name].extend(own)
    by_institution: dict[str, list[SimpleNamespace]] = defaultdict(list)
    for row in rows:
        name = row.responsible_institution__acronym or row.responsible_institution__name
        by_institution[name].append(row)
    return Dashboard(
        progress=_mean(exact),
        commitments=len(areas),
        milestones=len(rows),
        completion=_completion_figures(
            [progress.commitment_completion(by_commitment.get(pk, [])) for pk in areas]
        ),
        status=_status_figures(
            [progress.commitment_status(by_commitment.get(pk, []), today) for pk in areas]
        ),
        by_area=_progress_figures(by_area),
        by_institution=_progress_figures(by_institution),
        by_plan=[],
        overdue=_late(rows),
        upcoming=_soon(rows, today),
        timeline=rows[:TIMELINE_LIMIT],
        timeline_cut=len(rows) > TIMELINE_LIMIT,
    )


def institution_dashboard(*, institution: Institution, today: date) -> Dashboard:
    """Two queries: the milestones it is responsible for, and the commitments it leads with
    their milestones (for their status). The timeline shows its milestones that end within a year of
    today, soonest first."""
    rows = _rows(_institution_milestones_sql(), institution.pk, today)
    led_milestones = _led_rows(institution.pk)
    by_plan: dict[str, list[SimpleNamespace]] = defaultdict(list)
    for row in rows:
        by_plan[_("Plan %(number)s") % {"number": row.commitment__plan__number}].append(row)
    window = [r for r in rows if r.end_date is not None and abs((r.end_date - today).days) <= 365]
    window.sort(key=lambda r: (r.end_date, r.code))
    return Dashboard(
        progress=progress.commitment_progress(rows),
        commitments=len(led_milestones),
        milestones=len(rows),
        completion=_completion_figures([r.completion for r in rows]),
        status=_status_figures(
            [progress.commitment_status(ms, today) for ms in led_milestones.values()]
        ),
        by_area=[],
        by_institution=[],
        by_plan=_progress_figures(by_plan),
        overdue=_late(rows),
        upcoming=_soon(rows, today),
        timeline=window[:TIMELINE_LIMIT],
        timeline_cut=len(window) > TIMELINE_LIMIT,
    )
