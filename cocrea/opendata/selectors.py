"""What the public API may read: the same public rows the pages show, and nothing else. Drafts
(progress reports not published, consultations not published), hidden proposals and comments,
emails, phones, legal names and private audit events never leave through here; tests check each
against the API (cocrea/opendata/tests/test_privacy.py)."""

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from cocrea.audit.models import AuditEvent
from cocrea.forum.models import Meeting
from cocrea.participation.models import Comment, Consultation, Proposal, Response
from cocrea.plans.models import ActionPlan, Commitment, Institution, Milestone, PolicyArea
from cocrea.tracking.models import Assessment, Evidence, IrmReview, ProgressReport


def _since(queryset: QuerySet, since: datetime | None, field: str = "updated_at") -> QuerySet:
    return queryset.filter(**{f"{field}__gte": since}) if since else queryset


def plans(
    *, member: str | None = None, status: str | None = None, since: datetime | None = None
) -> QuerySet[ActionPlan]:
    queryset = ActionPlan.objects.select_related("member")
    if member:
        queryset = queryset.filter(member__code=member)
    if status:
        queryset = queryset.filter(status=status)
    return _since(queryset, since)


def commitments(
    *,
    plan: str | None = None,
    institution: str | None = None,
    area: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Commitment]:
    queryset = Commitment.objects.select_related("plan", "lead_institution").prefetch_related(
        Prefetch("supporting_institutions", Institution.objects.only("slug")),
        Prefetch("policy_areas", PolicyArea.objects.only("slug")),
    )
    if plan:
        queryset = queryset.filter(plan__slug=plan)
    if institution:
        queryset = queryset.filter(
            Q(lead_institution__slug=institution) | Q(supporting_institutions__slug=institution)
        ).distinct()
    if area:
        queryset = queryset.filter(policy_areas__slug=area)
    return _since(queryset, since)


def milestones(
    *,
    plan: str | None = None,
    commitment: str | None = None,
    institution: str | None = None,
    completion: str | None = None,
    due_before: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Milestone]:
    queryset = Milestone.objects.select_related(
        "commitment", "commitment__plan", "responsible_institution"
    )
    if plan:
        queryset = queryset.filter(commitment__plan__slug=plan)
    if commitment:
        queryset = queryset.filter(commitment__slug=commitment)
    if institution:
        queryset = queryset.filter(responsible_institution__slug=institution)
    if completion:
        queryset = queryset.filter(completion=completion)
    if due_before:
        queryset = queryset.filter(end_date__lt=due_before)
    return _since(queryset, since)


def institutions(
    *, kind: str | None = None, since: datetime | None = None
) -> QuerySet[Institution]:
    queryset = Institution.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    return _since(queryset, since)


def policy_areas() -> QuerySet[PolicyArea]:
    return PolicyArea.objects.select_related("parent")


_PUBLIC_EVIDENCE = Prefetch("evidence", Evidence.objects.order_by("created_at"))


def progress_reports(
    *,
    plan: str | None = None,
    institution: str | None = None,
    completion: str | None = None,
    since: datetime | None = None,
) -> QuerySet[ProgressReport]:
    queryset = (
        ProgressReport.objects.filter(status=ProgressReport.Status.PUBLISHED)
        .select_related(
            "milestone",
            "milestone__commitment",
            "milestone__commitment__plan",
            "institution",
            "corrects",
        )
        .prefetch_related(_PUBLIC_EVIDENCE)
    )
    if plan:
        queryset = queryset.filter(milestone__commitment__plan__slug=plan)
    if institution:
        queryset = queryset.filter(institution__slug=institution)
    if completion:
        queryset = queryset.filter(completion=completion)
    return _since(queryset, since, "published_at")


def assessments(*, plan: str | None = None, since: datetime | None = None) -> QuerySet[Assessment]:
    queryset = Assessment.objects.select_related(
        "commitment", "commitment__plan", "milestone", "organisation"
    ).prefetch_related(_PUBLIC_EVIDENCE)
    if plan:
        queryset = queryset.filter(commitment__plan__slug=plan)
    return _since(queryset, since, "published_at")


def irm_reviews(*, plan: str | None = None, since: datetime | None = None) -> QuerySet[IrmReview]:
    queryset = IrmReview.objects.select_related("commitment", "commitment__plan")
    if plan:
        queryset = queryset.filter(commitment__plan__slug=plan)
    return _since(queryset, since)


def consultations(*, plan: str | None = None) -> QuerySet[Consultation]:
    queryset = (
        Consultation.objects.filter(published_at__isnull=False)
        .select_related("plan")
        .prefetch_related("phases")
    )
    return queryset.filter(plan__slug=plan) if plan else queryset


def _public_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.filter(hidden_at__isnull=True, consultation__published_at__isnull=False)


def proposals(
    *,
    consultation: str | None = None,
    area: str | None = None,
    department: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Proposal]:
    queryset = _public_proposals().select_related(
        "consultation", "author", "organisation", "policy_area", "workshop"
    )
    if consultation:
        queryset = queryset.filter(consultation__slug=consultation)
    if area:
        queryset = queryset.filter(policy_area__slug=area)
    if department:
        queryset = queryset.filter(department=department)
    return _since(queryset, since)


def responses(
    *, consultation: str | None = None, kind: str | None = None, since: datetime | None = None
) -> QuerySet[Response]:
    queryset = (
        Response.objects.filter(proposal__in=_public_proposals())
        .select_related("proposal", "merged_into")
        .prefetch_related(Prefetch("commitments", Commitment.objects.select_related("plan")))
    )
    if consultation:
        queryset = queryset.filter(proposal__consultation__slug=consultation)
    if kind:
        queryset = queryset.filter(kind=kind)
    return _since(queryset, since)


def comments(*, proposal: str | None = None, since: datetime | None = None) -> QuerySet[Comment]:
    queryset = Comment.objects.filter(
        hidden_at__isnull=True, proposal__in=_public_proposals()
    ).select_related("proposal", "parent", "author")
    if proposal:
        queryset = queryset.filter(proposal__public_id=proposal)
    return _since(queryset, since)


def meetings(
    *, plan: str | None = None, kind: str | None = None, since: datetime | None = None
) -> QuerySet[Meeting]:
    queryset = Meeting.objects.select_related("forum", "plan").prefetch_related("decisions")
    if plan:
        queryset = queryset.filter(plan__slug=plan)
    if kind:
        queryset = queryset.filter(kind=kind)
    return _since(queryset, since)


def audit_events(
    *, since: datetime | None = None, context_type: str | None = None
) -> QuerySet[AuditEvent]:
    queryset = AuditEvent.objects.filter(public=True)
    if context_type:
        queryset = queryset.filter(context_type=context_type)
    return _since(queryset, since, "created_at")
