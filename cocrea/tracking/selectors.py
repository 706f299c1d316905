"""Reads for tracking's pages and sections, each a fixed number of queries."""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404

from cocrea.plans import progress
from cocrea.plans.models import Commitment, Membership, Milestone
from cocrea.tracking.models import Assessment, Evidence, IrmReview, ProgressReport


@dataclass
class Side:
    """One milestone (or the commitment as a whole, when `milestone` is None): the official
    view and civil society's, and whether they differ."""

    milestone: Milestone | None
    official: str | None
    reports: list[ProgressReport] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def latest_report(self) -> ProgressReport | None:
        return self.reports[0] if self.reports else None

    @property
    def disputed(self) -> bool:
        return differs(self.official, self.assessments)

    @property
    def declared(self) -> bool:
        """A milestone whose completion was set (by an import or the administration) without a
        published progress report behind it: shown as declared, not as reported."""
        return (
            self.milestone is not None
            and not self.reports
            and self.official not in (None, Milestone.Completion.NOT_STARTED)
        )

    @property
    def anchor(self) -> str:
        """The id of this side's block on the commitment's page."""
        return f"side-{self.milestone.number}" if self.milestone else "side-whole"


@dataclass
class Agreement:
    """What the top of a commitment's page says of civil society's view: over its milestone
    sides, those where views differ (`disputed`), how many were assessed, the same for the
    commitment as a whole, and the milestones whose completion is only declared."""

    total: int
    disputed: list[Side]
    assessed: int
    whole: Side
    declared: list[Side]


def agreement_of(sides: list[Side]) -> Agreement:
    """From `commitment_sides` (the whole first, then each milestone): no query."""
    whole, milestones = sides[0], sides[1:]
    return Agreement(
        total=len(milestones),
        disputed=[s for s in milestones if s.disputed],
        assessed=sum(1 for s in milestones if s.assessments),
        whole=whole,
        declared=[s for s in milestones if s.declared],
    )


def differs(official: str | None, current: Iterable[Any]) -> bool:
    """The rule of "views differ": some organisation's current reading is not the official
    completion. The commitment page and the plan's filter both ask it."""
    return any(a.completion != official for a in current)


def _current_per_organisation(assessments: list[Any]) -> list[Any]:
    """Each organisation's latest assessment: a newer one replaces its earlier reading."""
    seen: set[int] = set()
    current = []
    for assessment in assessments:  # newest first
        if assessment.organisation_id not in seen:
            seen.add(assessment.organisation_id)
            current.append(assessment)
    return current


@dataclass(frozen=True)
class Present:
    reports: bool
    assessments: bool
    irm: bool


def tracking_present(*, commitment: Commitment) -> Present:
    """Whether the commitment has published reports, assessments and IRM findings, in one
    query: most commitments have none yet, and asking first saves the three queries that would
    come back empty."""
    found = (
        Commitment.objects.filter(pk=commitment.pk)
        .order_by()
        .values(
            has_reports=Exists(
                ProgressReport.objects.filter(
                    milestone__commitment_id=OuterRef("pk"),
                    status=ProgressReport.Status.PUBLISHED,
                )
            ),
            has_assessments=Exists(Assessment.objects.filter(commitment_id=OuterRef("pk"))),
            has_irm=Exists(IrmReview.objects.filter(commitment_id=OuterRef("pk"))),
        )
        .get()
    )
    return Present(
        reports=bool(found["has_reports"]),
        assessments=bool(found["has_assessments"]),
        irm=bool(found["has_irm"]),
    )


def commitment_sides(*, commitment: Commitment, present: Present) -> list[Side]:
    """The commitment as a whole first, then each milestone: reports and their evidence,
    assessments and theirs, two queries each, only for what `present` says exists. Reads
    `commitment.milestones.all()`, prefetched by the commitment selector."""
    milestones = list(commitment.milestones.all())
    evidence = Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk"))
    reports: list[ProgressReport] = []
    if present.reports:
        reports = list(
            ProgressReport.objects.filter(
                milestone_id__in=[m.pk for m in milestones],
                status=ProgressReport.Status.PUBLISHED,
            )
            .select_related("institution")
            .prefetch_related(evidence)
            .order_by("-facts_date", "-published_at", "-pk")
        )
    assessments: list[Assessment] = []
    if present.assessments:
        assessments = list(
            Assessment.objects.filter(commitment=commitment)
            .select_related("organisation")
            .prefetch_related(evidence)
            .order_by("-published_at", "-pk")
        )
    whole = Side(
        milestone=None,
        official=commitment.completion,
        assessments=_current_per_organisation([a for a in assessments if a.milestone_id is None]),
    )
    sides = [whole]
    for milestone in milestones:
        sides.append(
            Side(
                milestone=milestone,
                official=milestone.completion,
                reports=[r for r in reports if r.milestone_id == milestone.pk],
                assessments=_current_per_organisation(
                    [a for a in assessments if a.milestone_id == milestone.pk]
                ),
            )
        )
    return sides


def reporting_institution_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(
            user=user, role__in=Membership.REPORTING_ROLES, status=Membership.Status.APPROVED
        ).values_list("institution_id", flat=True)
    )


def milestone_get(*, plan_slug: str, commitment_slug: str, number: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related(
            "commitment__plan", "commitment__lead_institution", "responsible_institution"
        ),
        commitment__plan__slug=plan_slug,
        commitment__slug=commitment_slug,
        number=number,
    )


def report_get(*, public_id: str) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.select_related(
            "milestone__commitment__plan",
            "milestone__responsible_institution",
            "institution",
            "author",
            "corrects",
        ).prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))),
        public_id=public_id,
    )


def evidence_get(*, public_id: str) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related("report", "assessment").exclude(file=""),
        public_id=public_id,
    )


def reports_in_progress(*, institution_ids: set[int]) -> list[ProgressReport]:
    """Drafts and returned reports of the institutions a person reports for."""
    return list(
        ProgressReport.objects.filter(
            institution_id__in=institution_ids,
            status__in=[ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED],
        )
        .select_related("milestone__commitment__plan", "institution")
        .order_by("-updated_at")[:50]
    )


def reports_awaiting_publication(*, member_ids: set[int] | None = None) -> list[ProgressReport]:
    """Submitted reports, oldest first: of these members only (None: every member)."""
    reports = ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED)
    if member_ids is not None:
        reports = reports.filter(milestone__commitment__plan__member_id__in=member_ids)
    return list(
        reports.select_related("milestone__commitment__plan", "institution").order_by(
            "submitted_at"
        )[:100]
    )


def disputed_commitment_ids(commitments: list[Commitment]) -> set[int]:
    """The commitments among these where views differ, for the milestone an assessment is
    about or for the commitment as a whole (its official completion read from
    `commitment.completion`, which the plan's selector has set). One query of `values()` rows."""
    completion_of = {c.pk: c.completion for c in commitments}
    readings: dict[tuple[int, int | None], list[SimpleNamespace]] = defaultdict(list)
    official: dict[tuple[int, int | None], str | None] = {}
    for row in (
        Assessment.objects.filter(commitment_id__in=completion_of)
        .order_by("-published_at", "-pk")
        .values(
            "commitment_id",
            "milestone_id",
            "organisation_id",
            "completion",
            "milestone__completion",
        )
    ):
        key = (row["commitment_id"], row["milestone_id"])
        readings[key].append(
            SimpleNamespace(organisation_id=row["organisation_id"], completion=row["completion"])
        )
        official[key] = (
            row["milestone__completion"]
            if row["milestone_id"]
            else completion_of[row["commitment_id"]]
        )
    return {
        commitment_id
        for (commitment_id, milestone_id), rows in readings.items()
        if differs(official[(commitment_id, milestone_id)], _current_per_organisation(rows))
    }


def disputed_milestone_ids(milestone_ids: Collection[int]) -> set[int]:
    """The milestones among these where some organisation's current reading differs from the
    milestone's official completion (the institution page's marks). One query of `values()`
    rows; none without milestones."""
    if not milestone_ids:
        return set()
    readings: dict[int, list[SimpleNamespace]] = defaultdict(list)
    official: dict[int, str] = {}
    for row in (
        Assessment.objects.filter(milestone_id__in=list(milestone_ids))
        .order_by("-published_at", "-pk")
        .values("milestone_id", "organisation_id", "completion", "milestone__completion")
    ):
        readings[row["milestone_id"]].append(
            SimpleNamespace(organisation_id=row["organisation_id"], completion=row["completion"])
        )
        official[row["milestone_id"]] = row["milestone__completion"]
    return {
        milestone_id
        for milestone_id, rows in readings.items()
        if differs(official[milestone_id], _current_per_organisation(rows))
    }


def irm_review_of(*, commitment: Commitment, present: Present) -> IrmReview | None:
    return IrmReview.objects.filter(commitment=commitment).first() if present.irm else None


def disagreeing_assessment_ids(assessment_ids: Collection[int]) -> set[int]:
    """The assessments among these whose reading is not the official completion as it stands:
    the milestone's, or for the commitment as a whole the one its milestones give (the rule of
    `differs`). Notifications mark an assessment that disputes the official view. Two queries
    at most, none without assessments."""
    if not assessment_ids:
        return set()
    rows = list(
        Assessment.objects.filter(pk__in=list(assessment_ids)).values(
            "pk", "completion", "commitment_id", "milestone_id", "milestone__completion"
        )
    )
    whole = {row["commitment_id"] for row in rows if row["milestone_id"] is None}
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    if whole:
        for milestone in Milestone.objects.filter(commitment_id__in=whole).only(
            "commitment_id", "completion", "weight"
        ):
            milestones[milestone.commitment_id].append(milestone)
    return {
        row["pk"]
        for row in rows
        if differs(
            row["milestone__completion"]
            if row["milestone_id"]
            else progress.commitment_completion(milestones[row["commitment_id"]]),
            [SimpleNamespace(completion=row["completion"])],
        )
    }
