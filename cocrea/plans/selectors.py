"""Reads for the public pages: every queryset here has its related rows fetched, so a template
never triggers a query and a page costs the same number of queries whatever the data size."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from cocrea.plans import progress
from cocrea.plans.models import ActionPlan, Commitment, Institution, Member, Milestone, PolicyArea


def default_member() -> Member | None:
    return Member.objects.order_by("-is_default", "name").first()


def plan_current(member: Member) -> ActionPlan | None:
    """The plan being implemented (the most recent if several), else the most recent plan."""
    plans = ActionPlan.objects.filter(member=member).select_related("member")
    return (
        plans.filter(status=ActionPlan.Status.IMPLEMENTATION).order_by("-start_date").first()
        or plans.order_by("-start_date").first()
    )


def plan_list() -> QuerySet[ActionPlan]:
    return (
        ActionPlan.objects.select_related("member")
        .annotate(
            commitment_count=Count("commitments", distinct=True),
            milestone_count=Count("commitments__milestones"),
        )
        .order_by("member__name", "-start_date")
    )


def plan_get(*, slug: str) -> ActionPlan:
    plan = ActionPlan.objects.select_related("member").filter(slug=slug).first()
    if plan is None:
        raise Http404
    return plan


def _milestones_for_progress() -> Prefetch:
    return Prefetch(
        "milestones",
        queryset=Milestone.objects.only(
            "id",
            "commitment_id",
            "number",
            "weight",
            "completion",
            "end_date",
            "description",
        ).order_by("number"),
    )


@dataclass(frozen=True)
class CommitmentFilters:
    policy_area: PolicyArea | None = None
    institution: Institution | None = None
    completion: str | None = None


def plan_commitments(
    *, plan: ActionPlan, filters: CommitmentFilters | None = None
) -> list[Commitment]:
    """A plan's commitments with what the plan page shows: lead institution, policy areas and
    milestones (for progress). The completion filter applies the derived rule, so it runs on
    the fetched rows; a plan has tens of commitments, not thousands."""
    filters = filters or CommitmentFilters()
    commitments = (
        Commitment.objects.filter(plan=plan)
        .select_related("lead_institution")
        .prefetch_related("policy_areas", _milestones_for_progress())
        .order_by("number")
    )
    if filters.policy_area is not None:
        commitments = commitments.filter(policy_areas=filters.policy_area)
    if filters.institution is not None:
        commitments = commitments.filter(
            Q(lead_institution=filters.institution) | Q(supporting_institutions=filters.institution)
        ).distinct()
    rows = list(commitments)
    if filters.completion:
        rows = [c for c in rows if (c.completion or "none") == filters.completion]
    return rows


def plan_filter_choices(*, plan: ActionPlan) -> tuple[QuerySet[PolicyArea], QuerySet[Institution]]:
    """The policy areas and institutions that occur in the plan, for its filter form."""
    areas = PolicyArea.objects.filter(commitments__plan=plan).distinct().order_by("position")
    institutions = (
        Institution.objects.filter(
            Q(led_commitments__plan=plan) | Q(supported_commitments__plan=plan)
        )
        .distinct()
        .order_by("name")
    )
    return areas, institutions


def commitment_get(*, plan_slug: str, slug: str) -> Commitment:
    commitment = (
        Commitment.objects.select_related("plan__member", "lead_institution")
        .prefetch_related(
            "policy_areas",
            "supporting_institutions",
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("responsible_institution").order_by(
                    "number"
                ),
            ),
        )
        .filter(plan__slug=plan_slug, slug=slug)
        .first()
    )
    if commitment is None:
        raise Http404
    return commitment


def institution_list() -> QuerySet[Institution]:
    return Institution.objects.annotate(
        led_count=Count("led_commitments", distinct=True),
        supported_count=Count("supported_commitments", distinct=True),
    ).order_by("name")


def institution_get(*, slug: str) -> Institution:
    institution = Institution.objects.filter(slug=slug).first()
    if institution is None:
        raise Http404
    return institution


def institution_commitments(*, institution: Institution) -> list[Commitment]:
    return list(
        Commitment.objects.filter(
            Q(lead_institution=institution) | Q(supporting_institutions=institution)
        )
        .distinct()
        .select_related("plan", "lead_institution")
        .prefetch_related(_milestones_for_progress())
        .order_by("-plan__start_date", "number")
    )


def institution_milestones(*, institution: Institution) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(responsible_institution=institution)
        .select_related("commitment__plan")
        .order_by("-commitment__plan__start_date", "commitment__number", "number")
    )


@dataclass
class PlanGlance:
    plan: ActionPlan
    commitments: list[Commitment]
    progress: int | None
    overdue: list[Milestone]
    upcoming: list[Milestone]


def plan_glance(*, plan: ActionPlan, today: date, upcoming: int = 5) -> PlanGlance:
    """The home page's summary of a plan, computed from one fetch of its commitments."""
    commitments = plan_commitments(plan=plan)
    milestones = [m for c in commitments for m in c.milestones.all()]
    commitment_by_id = {c.id: c for c in commitments}
    for milestone in milestones:  # attach the parent already in memory: no query per row
        milestone.commitment = commitment_by_id[milestone.commitment_id]
    overdue = sorted(
        (m for m in milestones if progress.milestone_is_overdue(m, today)),
        key=lambda m: (m.end_date or today, m.commitment.number, m.number),
    )
    pending = sorted(
        (
            m
            for m in milestones
            if m.end_date is not None
            and m.end_date >= today
            and m.completion not in (progress.COMPLETE, progress.WITHDRAWN)
        ),
        key=lambda m: (m.end_date or today, m.commitment.number, m.number),
    )
    return PlanGlance(
        plan=plan,
        commitments=commitments,
        progress=progress.plan_progress(c.milestones.all() for c in commitments),
        overdue=overdue,
        upcoming=pending[:upcoming],
    )
