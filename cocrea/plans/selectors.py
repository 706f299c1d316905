"""Reads for the public pages, as ORM querysets: every one fetches the related rows its page
shows (`select_related`, `prefetch_related`), so a template never triggers a query and a page
costs the same number of queries whatever the data size (plans/tests/test_query_counts.py)."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cocrea.plans import progress
from cocrea.plans.models import (
    ActionPlan,
    Commitment,
    Institution,
    Member,
    Milestone,
    PolicyArea,
    natural_key,
)

SupportingLink = Commitment.supporting_institutions.through


def default_member() -> Member | None:
    return Member.objects.order_by("-is_default", "name").first()


def home_plan(
    today: date | None = None, member: Member | None = None
) -> tuple[Member | None, ActionPlan | None]:
    """A member (the default one unless given) and the plan its home page shows: the plan being
    implemented today (in implementation and not past its end date; `ActionPlan.is_current`),
    else one still in
    implementation past its end date (not yet closed), else its most recent plan; the most
    recent first among several. One query (the member comes with its plan); a second only when
    the member has no plan yet."""
    today = today or timezone.localdate()
    implementing = Q(status=ActionPlan.Status.IMPLEMENTATION)
    rank = Case(
        When(implementing & Q(end_date__gte=today), then=Value(2)),
        When(implementing, then=Value(1)),
        default=Value(0),
    )
    whose = (
        Q(member=member)
        if member is not None
        else Q(member_id=Subquery(Member.objects.order_by("-is_default", "name").values("pk")[:1]))
    )
    plan = (
        ActionPlan.objects.filter(whose)
        .select_related("member")
        .order_by(rank.desc(), "-start_date")
        .first()
    )
    if member is not None:
        return member, plan
    return (plan.member, plan) if plan is not None else (default_member(), None)


def _page(items: QuerySet, number: str | None) -> Page:
    """One page of a long list; an unknown page number gives the first or last page."""
    return Paginator(items, settings.COCREA_PAGE_SIZE).get_page(number)


def _count_of(queryset: QuerySet, key: str) -> Coalesce:
    """The number of rows of `queryset` whose `key` is the outer row's id, as an annotation: a
    subquery per row of the page, where joining both relations and counting would multiply the
    rows of one by the other."""
    counted = (
        queryset.filter(**{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def policy_area_choices() -> list[PolicyArea]:
    """OGP's policy areas (the themes' children) for a filter, in their order; `name` is in the
    active language."""
    return list(
        PolicyArea.objects.filter(parent__isnull=False)
        .only("id", "slug", "name_es", "name_en")
        .order_by("position", "pk")
    )


def plan_list_page(*, number: str | None, member_ids: list[int] | None = None) -> Page:
    """A page of action plans with their member and number of commitments; of the members
    `member_ids` only when given (selectors_members.filtered_member_ids). (Milestones are not
    counted here: at OGP scale that meant aggregating some 5,000 rows on every view of the list,
    the largest cost of the page on PostgreSQL.)"""
    plans = (
        ActionPlan.objects.all()
        if member_ids is None
        else ActionPlan.objects.filter(member_id__in=member_ids)
    )
    plans = (
        plans.select_related("member")
        .only(
            "id",
            "slug",
            "title",
            "ogp_id",
            "status",
            "start_date",
            "end_date",
            "member__name",
            "member__slug",
        )
        .annotate(commitment_count=_count_of(Commitment.objects.all(), "plan"))
        .order_by("member__name", "-start_date", "pk")
    )
    return _page(plans, number)


def plan_get(*, slug: str) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.select_related("member"), slug=slug)


# What progress.py reads of a milestone, with the commitment it counts for.
_FIGURES = ("commitment_id", "completion", "weight", "end_date")


def _figure_rows(milestones: QuerySet[Milestone]) -> QuerySet:
    """Named rows of what progress.py reads, not model instances: a plan has a hundred
    milestones or more, and building an instance for each cost more than the rest of the list."""
    # No ORDER BY: the model's default ordering would join the commitment, its plan and member
    # only to sort rows that are grouped by commitment anyway.
    return milestones.order_by().values_list(*_FIGURES, named=True)


def _set_figures(
    commitments: list[Commitment], milestones: Iterable[Any], today: date | None = None
) -> dict[int, list[Any]]:
    """Sets each commitment's `progress`, `completion` and `status` (progress.py's rules, the
    status as of today) from the rows of its milestones; returns those rows by commitment."""
    by_commitment: dict[int, list[Any]] = {c.pk: [] for c in commitments}
    for milestone in milestones:
        by_commitment[milestone.commitment_id].append(milestone)
    today = today or timezone.localdate()
    for commitment in commitments:
        rows = by_commitment[commitment.pk]
        commitment.progress = progress.commitment_progress(rows)
        commitment.completion = progress.commitment_completion(rows)
        commitment.status = progress.commitment_status(rows, today)
    return by_commitment


def _areas() -> Prefetch:
    """A commitment's policy areas as `areas`, in OGP's order."""
    return Prefetch(
        "policy_areas",
        queryset=PolicyArea.objects.only("id", "slug", "name_es", "name_en", "position").order_by(
            "position", "name_es"
        ),
        to_attr="areas",
    )


def _supporters(*extra: str) -> Prefetch:
    """A commitment's supporting institutions as `supporters`, by name."""
    return Prefetch(
        "supporting_institutions",
        queryset=Institution.objects.only("id", "slug", "name", *extra).order_by("name", "pk"),
        to_attr="supporters",
    )


# What a page that names a commitment reads of it: its plan and slug (its link), number, title
# and OGP id; and of its plan, when named with it, the plan's slug and title.
_COMMITMENT_NAMED = ("id", "plan_id", "number", "slug", "title", "ogp_id")
_PLAN_NAMED = ("plan__id", "plan__slug", "plan__title")


@dataclass(frozen=True)
class CommitmentFilters:
    """Slugs checked against the plan's own choices by the filter form."""

    policy_area: str | None = None
    institution: str | None = None
    completion: str | None = None
    disputed: bool = False


def plan_commitments(*, plan: ActionPlan, supporters: bool = False) -> list[Commitment]:
    """A plan's commitments with what lists show: the lead institution, `areas` (policy areas),
    `progress` and `completion` (progress.py), and with `supporters` the supporting institutions
    as `supporters` (for the plan's filters; otherwise an empty list)."""
    commitments = _plan_commitments(plan, supporters)
    _set_figures(commitments, _figure_rows(Milestone.objects.filter(commitment__plan=plan)))
    return commitments


def _plan_commitments(plan: ActionPlan, supporters: bool) -> list[Commitment]:
    """`plan_commitments` without their figures."""
    prefetches = [_areas()]
    if supporters:
        prefetches.append(_supporters("acronym"))
    commitments = list(
        Commitment.objects.filter(plan=plan)
        .select_related("lead_institution")
        .only(
            *_COMMITMENT_NAMED,
            "lead_institution__id",
            "lead_institution__name",
            "lead_institution__acronym",
            "lead_institution__slug",
        )
        .prefetch_related(*prefetches)
        .order_by("number_sort")
    )
    for commitment in commitments:
        commitment.plan = plan  # the caller's plan, already read: no query per row
        if not supporters:
            commitment.supporters = []  # type: ignore[attr-defined]
    return commitments


def commitment_filter_choices(
    commitments: list[Commitment],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(slug, label) of the policy areas and of the institutions (leading or supporting) that
    occur among a plan's commitments, for its filter form; from rows already fetched with
    `plan_commitments(supporters=True)`."""
    areas: dict[str, PolicyArea] = {}
    institutions: dict[str, Institution] = {}
    for commitment in commitments:
        for area in commitment.areas:  # type: ignore[attr-defined]
            areas[area.slug] = area
        lead = commitment.lead_institution
        institutions[lead.slug] = lead
        for backer in commitment.supporters:  # type: ignore[attr-defined]
            institutions[backer.slug] = backer
    return (
        [(a.slug, a.name) for a in sorted(areas.values(), key=lambda a: a.position)],
        [
            (slug, str(institution))
            for slug, institution in sorted(institutions.items(), key=lambda i: i[1].name)
        ],
    )


def commitments_filtered(
    commitments: list[Commitment],
    filters: CommitmentFilters,
    disputed_ids: Collection[int] = (),
) -> list[Commitment]:
    """The commitments that match every filter given. In Python, on rows already fetched: a plan
    has tens of commitments, and completion is derived, not stored. `disputed_ids`: the
    commitments where civil society's view differs (given by an app above plans)."""

    def matches(c: Commitment) -> bool:
        if filters.policy_area and filters.policy_area not in {
            a.slug
            for a in c.areas  # type: ignore[attr-defined]
        }:
            return False
        if filters.institution and filters.institution not in {
            c.lead_institution.slug,
            *(i.slug for i in c.supporters),  # type: ignore[attr-defined]
        }:
            return False
        if filters.disputed and c.pk not in disputed_ids:
            return False
        return not filters.completion or (c.completion or "none") == filters.completion

    return [c for c in commitments if matches(c)]


def commitment_get(*, plan_slug: str, slug: str) -> Commitment:
    """A commitment with its plan, lead institution and milestones (with their responsible
    institutions), and as `areas` and `supporters` its policy areas and supporting
    institutions."""
    return get_object_or_404(
        Commitment.objects.select_related("plan__member", "lead_institution").prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("responsible_institution").order_by(
                    "number"
                ),
            ),
            _areas(),
            _supporters("kind"),
        ),
        plan__slug=plan_slug,
        slug=slug,
    )


def commitment_heading(*, plan_slug: str, slug: str) -> Commitment:
    """A commitment with its plan, for pages about it that show only its title (its history)."""
    return get_object_or_404(
        Commitment.objects.select_related("plan").only(*_COMMITMENT_NAMED, *_PLAN_NAMED),
        plan__slug=plan_slug,
        slug=slug,
    )


def institution_list_page(*, number: str | None, member_ids: list[int] | None = None) -> Page:
    """A page of institutions with their member, how many commitments each leads (`led_count`)
    and supports (`supported_count`); of the members `member_ids` only when given."""
    institutions = (
        Institution.objects.all()
        if member_ids is None
        else Institution.objects.filter(member_id__in=member_ids)
    )
    institutions = (
        institutions.select_related("member")
        .only("id", "name", "acronym", "kind", "slug", "member__name", "member__slug")
        .annotate(
            led_count=_count_of(Commitment.objects.all(), "lead_institution"),
            supported_count=_count_of(SupportingLink.objects.all(), "institution"),
        )
        .order_by("name", "pk")
    )
    return _page(institutions, number)


def institution_get(*, slug: str) -> Institution:
    return get_object_or_404(Institution.objects.select_related("member"), slug=slug)


def institution_commitments(*, institution: Institution) -> list[Commitment]:
    """The commitments an institution leads or supports, newest plan first, with their plan and
    `progress`."""
    # The ids as a UNION: an OR across the two relations' joins multiplied rows, and an OR with
    # a subquery made PostgreSQL scan every commitment.
    ids = (
        Commitment.objects.filter(lead_institution=institution)
        .order_by()
        .values("pk")
        .union(SupportingLink.objects.filter(institution=institution).values("commitment_id"))
    )
    commitments = list(
        Commitment.objects.filter(pk__in=ids)
        .select_related("plan")
        .only(*_COMMITMENT_NAMED, "lead_institution_id", *_PLAN_NAMED, "plan__start_date")
        .order_by("-plan__start_date", "number_sort")
    )
    if commitments:
        milestones = Milestone.objects.filter(commitment_id__in=[c.pk for c in commitments])
        _set_figures(commitments, _figure_rows(milestones))
    return commitments


@dataclass
class InstitutionMilestone:
    """A row of the institution page's milestones, by the names `values()` reads (the related
    ones through their lookups), and whether it is `overdue` (progress.py reads it as a
    milestone, weight included)."""

    id: int
    description: str
    end_date: date | None
    completion: str
    weight: int
    commitment__slug: str
    commitment__number: str
    commitment__title: str
    commitment__plan__slug: str
    commitment__plan__number: int
    overdue: bool = False


_INSTITUTION_MILESTONE_VALUES = [
    f.name for f in fields(InstitutionMilestone) if f.name != "overdue"
]


def institution_milestones_page(
    *, institution: Institution, number: str | None, today: date
) -> Page:
    """A page of the milestones an institution is responsible for, newest plan first, as rows
    with their commitment, plan and `overdue` flag on `today`: a page of fifty model instances
    with their commitment and plan cost twice the rows."""
    page = _page(
        Milestone.objects.filter(responsible_institution=institution)
        .order_by("-commitment__plan__start_date", "commitment__number_sort", "number", "pk")
        .values(*_INSTITUTION_MILESTONE_VALUES),
        number,
    )
    rows = [InstitutionMilestone(**values) for values in page.object_list]
    for row in rows:
        row.overdue = progress.milestone_is_overdue(row, today)
    page.object_list = rows
    return page


@dataclass
class MilestoneRow:
    """A milestone as the home page shows it, by the names `values()` reads, with its
    `commitment` (already in memory) and whether it `is_overdue`."""

    commitment_id: int
    number: int
    description: str
    completion: str
    weight: int
    end_date: date | None
    commitment: Commitment
    is_overdue: bool = False


# What `values()` reads is the row's own field names, so each value lands in its field by name.
_MILESTONE_ROW_VALUES = [
    f.name for f in fields(MilestoneRow) if f.name not in ("commitment", "is_overdue")
]


@dataclass
class PlanGlance:
    plan: ActionPlan
    commitments: list[Commitment]
    progress: int | None
    overdue: list[MilestoneRow]
    upcoming: list[MilestoneRow]


def plan_glance(*, plan: ActionPlan, today: date, upcoming: int = 5) -> PlanGlance:
    """The home page's summary of a plan, from its commitments and one read of their milestones
    (which also gives each commitment its progress)."""
    commitments = _plan_commitments(plan, supporters=False)
    by_id = {c.pk: c for c in commitments}
    milestones = [
        MilestoneRow(**values, commitment=by_id[values["commitment_id"]])
        for values in Milestone.objects.filter(commitment__plan=plan)
        .order_by()
        .values(*_MILESTONE_ROW_VALUES)
    ]
    by_commitment = _set_figures(commitments, milestones, today)
    for milestone in milestones:
        milestone.is_overdue = progress.milestone_is_overdue(milestone, today)

    def order(m: MilestoneRow) -> tuple[date, str, int]:
        return (m.end_date or today, natural_key(m.commitment.number), m.number)

    overdue = sorted((m for m in milestones if m.is_overdue), key=order)
    pending = sorted(
        (
            m
            for m in milestones
            if m.end_date is not None
            and m.end_date >= today
            and m.completion not in (progress.COMPLETE, progress.WITHDRAWN)
        ),
        key=order,
    )
    return PlanGlance(
        plan=plan,
        commitments=commitments,
        progress=progress.plan_progress(by_commitment.values()),
        overdue=overdue,
        upcoming=pending[:upcoming],
    )
