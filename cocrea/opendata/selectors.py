"""What the public API may read: the same public rows the pages show, and nothing else. Drafts
(progress reports not published, consultations not published), hidden proposals and comments,
emails, phones, legal names and private audit events never leave through here; tests check each
against the API (cocrea/opendata/tests/test_api.py), and compare every list and filter with an
independent read of the same rows (test_reads.py).

Every list takes `member`, an OGP member's code (GTM, GTM-XELA): the rows of that member only,
reached through the plan (or the forum, or the institution's own member); an unknown code finds
nothing, like an unknown plan slug."""

from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from cocrea.audit.models import AuditEvent
from cocrea.forum.models import Meeting
from cocrea.participation.models import Comment, Consultation, Proposal, Response
from cocrea.plans.models import (
    ActionPlan,
    Commitment,
    Institution,
    Member,
    Milestone,
    PolicyArea,
)
from cocrea.tracking.models import Assessment, Evidence, IrmReview, ProgressReport


def _matching(queryset: QuerySet, **lookups: Any) -> QuerySet:
    """The rows that match every lookup given a value: a filter the client left out (None, or
    empty) does not narrow the list. Every lookup here follows single-valued relations, so one
    filter() call means the same as one per lookup."""
    return queryset.filter(**{lookup: value for lookup, value in lookups.items() if value})


def _since(queryset: QuerySet, since: datetime | None, field: str = "updated_at") -> QuerySet:
    """The rows changed (or, for `field`, published or recorded) at `since` or after."""
    return _matching(queryset, **{f"{field}__gte": since})


def plans(
    *, member: str | None = None, status: str | None = None, since: datetime | None = None
) -> QuerySet[ActionPlan]:
    queryset = _matching(
        ActionPlan.objects.select_related("member"), member__code=member, status=status
    )
    return _since(queryset, since)


def commitments(
    *,
    member: str | None = None,
    plan: str | None = None,
    institution: str | None = None,
    area: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Commitment]:
    queryset = Commitment.objects.select_related("plan", "lead_institution").prefetch_related(
        Prefetch("supporting_institutions", Institution.objects.only("slug")),
        Prefetch("policy_areas", PolicyArea.objects.only("slug")),
    )
    if institution:
        queryset = queryset.filter(
            Q(lead_institution__slug=institution) | Q(supporting_institutions__slug=institution)
        ).distinct()
    if area:  # many-valued, like the institution: a filter() of its own
        queryset = queryset.filter(policy_areas__slug=area)
    return _since(_matching(queryset, plan__member__code=member, plan__slug=plan), since)


def milestones(
    *,
    member: str | None = None,
    plan: str | None = None,
    commitment: str | None = None,
    institution: str | None = None,
    completion: str | None = None,
    due_before: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Milestone]:
    queryset = _matching(
        Milestone.objects.select_related(
            "commitment", "commitment__plan", "responsible_institution"
        ),
        commitment__plan__member__code=member,
        commitment__plan__slug=plan,
        commitment__slug=commitment,
        responsible_institution__slug=institution,
        completion=completion,
        end_date__lt=due_before,
    )
    return _since(queryset, since)


def institutions(
    *, member: str | None = None, kind: str | None = None, since: datetime | None = None
) -> QuerySet[Institution]:
    queryset = Institution.objects.select_related("member")
    return _since(_matching(queryset, member__code=member, kind=kind), since)


def members(*, national: str | None = None) -> QuerySet[Member]:
    """Every OGP member in Cocrea (all of them are public), with its national member."""
    return _matching(Member.objects.select_related("national"), national__code=national)


def policy_areas() -> QuerySet[PolicyArea]:
    return PolicyArea.objects.select_related("parent")


_PUBLIC_EVIDENCE = Prefetch("evidence", Evidence.objects.order_by("created_at"))


def progress_reports(
    *,
    member: str | None = None,
    plan: str | None = None,
    institution: str | None = None,
    completion: str | None = None,
    since: datetime | None = None,
) -> QuerySet[ProgressReport]:
    queryset = _matching(
        ProgressReport.objects.filter(status=ProgressReport.Status.PUBLISHED)
        .select_related(
            "milestone",
            "milestone__commitment",
            "milestone__commitment__plan",
            "institution",
            "corrects",
        )
        .prefetch_related(_PUBLIC_EVIDENCE),
        milestone__commitment__plan__member__code=member,
        milestone__commitment__plan__slug=plan,
        institution__slug=institution,
        completion=completion,
    )
    return _since(queryset, since, "published_at")


def assessments(
    *, member: str | None = None, plan: str | None = None, since: datetime | None = None
) -> QuerySet[Assessment]:
    queryset = _matching(
        Assessment.objects.select_related(
            "commitment", "commitment__plan", "milestone", "organisation"
        ).prefetch_related(_PUBLIC_EVIDENCE),
        commitment__plan__member__code=member,
        commitment__plan__slug=plan,
    )
    return _since(queryset, since, "published_at")


def irm_reviews(
    *, member: str | None = None, plan: str | None = None, since: datetime | None = None
) -> QuerySet[IrmReview]:
    queryset = _matching(
        IrmReview.objects.select_related("commitment", "commitment__plan"),
        commitment__plan__member__code=member,
        commitment__plan__slug=plan,
    )
    return _since(queryset, since)


def consultations(*, member: str | None = None, plan: str | None = None) -> QuerySet[Consultation]:
    return _matching(
        Consultation.objects.filter(published_at__isnull=False)
        .select_related("plan")
        .prefetch_related("phases"),
        plan__member__code=member,
        plan__slug=plan,
    )


def _public_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.filter(hidden_at__isnull=True, consultation__published_at__isnull=False)


def proposals(
    *,
    member: str | None = None,
    consultation: str | None = None,
    area: str | None = None,
    department: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Proposal]:
    queryset = _matching(
        _public_proposals().select_related(
            "consultation", "author", "organisation", "policy_area", "workshop"
        ),
        consultation__plan__member__code=member,
        consultation__slug=consultation,
        policy_area__slug=area,
        department=department,
    )
    return _since(queryset, since)


def responses(
    *,
    member: str | None = None,
    consultation: str | None = None,
    kind: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Response]:
    queryset = _matching(
        Response.objects.filter(proposal__in=_public_proposals())
        .select_related("proposal", "merged_into")
        .prefetch_related(Prefetch("commitments", Commitment.objects.select_related("plan"))),
        proposal__consultation__plan__member__code=member,
        proposal__consultation__slug=consultation,
        kind=kind,
    )
    return _since(queryset, since)


def comments(
    *, member: str | None = None, proposal: str | None = None, since: datetime | None = None
) -> QuerySet[Comment]:
    queryset = _matching(
        Comment.objects.filter(
            hidden_at__isnull=True, proposal__in=_public_proposals()
        ).select_related("proposal", "parent", "author"),
        proposal__consultation__plan__member__code=member,
        proposal__public_id=proposal,
    )
    return _since(queryset, since)


def meetings(
    *,
    member: str | None = None,
    plan: str | None = None,
    kind: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Meeting]:
    queryset = _matching(
        Meeting.objects.select_related("forum", "plan").prefetch_related("decisions"),
        forum__member__code=member,
        plan__slug=plan,
        kind=kind,
    )
    return _since(queryset, since)


def audit_events(
    *, since: datetime | None = None, context_type: str | None = None
) -> QuerySet[AuditEvent]:
    queryset = _matching(AuditEvent.objects.filter(public=True), context_type=context_type)
    return _since(queryset, since, "created_at")
