"""The figures of the dashboards, per plan and per institution, each from a fixed number of
queries of `values()` rows; the rules are those of `plans.progress` (docs/progress.md)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cocrea.plans import progress
from cocrea.plans.models import (
    STATUS_LABELS,
    ActionPlan,
    Commitment,
    Institution,
    Milestone,
    area_name,
)
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
class MilestoneRow:
    """A milestone as both dashboards show it: the fields are the names read with `values()`
    (the related ones through their lookups), plus whether it is overdue today."""

    id: int
    number: int
    description: str
    start_date: date | None
    end_date: date | None
    completion: str
    weight: int
    commitment_id: int
    commitment__number: str
    commitment__number_sort: str
    commitment__slug: str
    commitment__title: str
    commitment__plan__slug: str
    commitment__plan__number: int
    responsible_institution_id: int
    responsible_institution__name: str
    responsible_institution__acronym: str
    overdue: bool = False

    @property
    def code(self) -> str:
        return f"{self.commitment__number}.{self.number}"

    @property
    def order(self) -> tuple[str, int]:
        """Where it sorts among milestones that end the same day: by commitment, naturally."""
        return (self.commitment__number_sort, self.number)

    @property
    def css(self) -> str:
        return "bar--overdue" if self.overdue else f"bar--{self.completion}"


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
    overdue: list[MilestoneRow]
    upcoming: list[MilestoneRow]
    timeline: list[MilestoneRow]
    timeline_cut: bool

    def bars(self, name: str) -> list[Bar]:
        return [f.bar for f in getattr(self, name)]

    def spans(self) -> list[Span]:
        return [Span(m.code, m.start_date, m.end_date, m.css) for m in self.timeline]


# What `values()` reads is the row's own field names, so each value lands in its field by name.
_ROW_VALUES = [f.name for f in fields(MilestoneRow) if f.name != "overdue"]


def _rows(milestones: QuerySet[Milestone], today: date) -> list[MilestoneRow]:
    rows = []
    for values in milestones.values(*_ROW_VALUES):
        row = MilestoneRow(**values)
        row.overdue = progress.milestone_is_overdue(row, today)
        rows.append(row)
    return rows


def _plan_commitment_areas(plan: ActionPlan) -> dict[int, list[str]]:
    """{commitment id: the names of its policy areas} for every commitment of the plan, those
    without an area included (an empty list)."""
    areas: dict[int, list[str]] = {}
    for row in (
        Commitment.objects.filter(plan=plan)
        .order_by("number_sort", "policy_areas__position")
        .values("id", "policy_areas__name_es", "policy_areas__name_en")
    ):
        names = areas.setdefault(row["id"], [])
        if row["policy_areas__name_es"] is not None:
            names.append(area_name(row["policy_areas__name_es"], row["policy_areas__name_en"]))
    return areas


@dataclass
class _Counted:
    """What the progress rules read of a milestone of a commitment the institution leads."""

    completion: str
    weight: int
    end_date: date | None


def _led_milestones(institution: Institution) -> dict[int, list[_Counted]]:
    """{commitment id: its milestones} for every commitment the institution leads, those without
    milestones included (an empty list)."""
    led: dict[int, list[_Counted]] = {}
    for row in (
        Commitment.objects.filter(lead_institution=institution)
        .order_by()
        .values("id", "milestones__completion", "milestones__weight", "milestones__end_date")
    ):
        milestones = led.setdefault(row["id"], [])
        if row["milestones__completion"] is not None:
            milestones.append(
                _Counted(
                    completion=row["milestones__completion"],
                    weight=row["milestones__weight"],
                    end_date=row["milestones__end_date"],
                )
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


def _soon(rows: list[MilestoneRow], today: date) -> list[MilestoneRow]:
    horizon = today + timedelta(days=UPCOMING_DAYS)
    return sorted(
        (
            r
            for r in rows
            if r.end_date is not None
            and today <= r.end_date <= horizon
            and r.completion not in (progress.COMPLETE, progress.WITHDRAWN)
        ),
        key=lambda r: (r.end_date, r.order),
    )[:UPCOMING_LIMIT]


def _late(rows: list[MilestoneRow]) -> list[MilestoneRow]:
    return sorted((r for r in rows if r.overdue), key=lambda r: (r.end_date, r.order))


def plan_dashboard(*, plan: ActionPlan, today: date) -> Dashboard:
    """Two queries (with the plan already fetched by the view): its commitments with their
    policy areas, and its milestones."""
    areas = _plan_commitment_areas(plan)
    rows = _rows(
        Milestone.objects.filter(commitment__plan=plan).order_by(
            "commitment__number_sort", "number", "id"
        ),
        today,
    )
    by_commitment: dict[int, list[MilestoneRow]] = defaultdict(list)
    for row in rows:
        by_commitment[row.commitment_id].append(row)
    by_area: dict[str, list[MilestoneRow]] = defaultdict(list)
    exact = []
    for commitment_id, area_names in areas.items():
        own = by_commitment.get(commitment_id, [])
        figure = progress.exact_progress(own)
        if figure is not None:
            exact.append(figure)
        for name in area_names:
            by_area[name].extend(own)
    by_institution: dict[str, list[MilestoneRow]] = defaultdict(list)
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
    rows = _rows(
        Milestone.objects.filter(responsible_institution=institution).order_by(
            "-commitment__plan__start_date", "commitment__number_sort", "number", "id"
        ),
        today,
    )
    led_milestones = _led_milestones(institution)
    by_plan: dict[str, list[MilestoneRow]] = defaultdict(list)
    for row in rows:
        by_plan[_("Plan %(number)s") % {"number": row.commitment__plan__number}].append(row)
    window = [r for r in rows if r.end_date is not None and abs((r.end_date - today).days) <= 365]
    window.sort(key=lambda r: (r.end_date, r.order))
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
