"""What the API returns, field by field: each schema names the public fields only (an email,
phone, legal name or draft has no field to travel in). Identifiers are the public ones the pages
use: slugs, OGP ids, public ids; never database integers."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from ninja import Schema


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs)


class PlanOut(Schema):
    slug: str
    ogp_id: str
    member: str
    member_code: str
    number: int
    title: str
    start_date: date
    end_date: date
    status: str
    summary: str
    url: str
    updated_at: datetime

    @staticmethod
    def resolve_member(obj: Any) -> str:
        return str(obj.member.name)

    @staticmethod
    def resolve_member_code(obj: Any) -> str:
        return str(obj.member.code)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class CommitmentOut(Schema):
    plan: str
    slug: str
    ogp_id: str
    number: int
    title: str
    short_description: str
    problem: str
    causes: str
    description: str
    how_it_helps: str
    ambition: str
    access_to_information: bool
    civic_participation: bool
    public_accountability: bool
    technology_innovation: bool
    inclusion: bool
    start_date: date | None
    end_date: date | None
    lead_institution: str
    supporting_institutions: list[str]
    policy_areas: list[str]
    responsible_name: str
    responsible_position: str
    budget_amount: Decimal | None
    budget_currency: str
    carried_forward: bool
    url: str
    updated_at: datetime

    @staticmethod
    def resolve_plan(obj: Any) -> str:
        return str(obj.plan.slug)

    @staticmethod
    def resolve_lead_institution(obj: Any) -> str:
        return str(obj.lead_institution.slug)

    @staticmethod
    def resolve_supporting_institutions(obj: Any) -> list[str]:
        return [i.slug for i in obj.supporting_institutions.all()]

    @staticmethod
    def resolve_policy_areas(obj: Any) -> list[str]:
        return [a.slug for a in obj.policy_areas.all()]

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return _url("plans:commitment", plan_slug=obj.plan.slug, slug=obj.slug)


class MilestoneOut(Schema):
    plan: str
    commitment: str
    number: int
    description: str
    expected_output: str
    start_date: date | None
    end_date: date | None
    responsible_institution: str
    weight: int
    completion: str
    carried_over: bool
    updated_at: datetime

    @staticmethod
    def resolve_plan(obj: Any) -> str:
        return str(obj.commitment.plan.slug)

    @staticmethod
    def resolve_commitment(obj: Any) -> str:
        return str(obj.commitment.slug)

    @staticmethod
    def resolve_responsible_institution(obj: Any) -> str:
        return str(obj.responsible_institution.slug)


class InstitutionOut(Schema):
    slug: str
    name: str
    acronym: str
    kind: str
    url: str
    updated_at: datetime

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return _url("plans:institution", slug=obj.slug)


class PolicyAreaOut(Schema):
    slug: str
    ogp_column: str
    name_es: str
    name_en: str
    theme: str | None

    @staticmethod
    def resolve_theme(obj: Any) -> str | None:
        return obj.parent.slug if obj.parent_id else None


class EvidenceOut(Schema):
    id: str
    title: str
    url: str
    file_name: str
    content_type: str
    size: int
    sha256: str

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return str(obj.public_id)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        if obj.url:
            return str(obj.url)
        return _url("tracking:evidence", public_id=obj.public_id)


class ProgressReportOut(Schema):
    id: str
    plan: str
    commitment: str
    milestone: int
    institution: str
    completion: str
    percent: int
    done: str
    facts_date: date
    published_at: datetime
    corrects: str | None
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return str(obj.public_id)

    @staticmethod
    def resolve_plan(obj: Any) -> str:
        return str(obj.milestone.commitment.plan.slug)

    @staticmethod
    def resolve_commitment(obj: Any) -> str:
        return str(obj.milestone.commitment.slug)

    @staticmethod
    def resolve_milestone(obj: Any) -> int:
        return int(obj.milestone.number)

    @staticmethod
    def resolve_institution(obj: Any) -> str:
        return str(obj.institution.slug)

    @staticmethod
    def resolve_corrects(obj: Any) -> str | None:
        return obj.corrects.public_id if obj.corrects_id else None

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return list(obj.evidence.all())


class AssessmentOut(Schema):
    id: str
    plan: str
    commitment: str
    milestone: int | None
    organisation: str
    completion: str
    reading: str
    published_at: datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return str(obj.public_id)

    @staticmethod
    def resolve_plan(obj: Any) -> str:
        return str(obj.commitment.plan.slug)

    @staticmethod
    def resolve_commitment(obj: Any) -> str:
        return str(obj.commitment.slug)

    @staticmethod
    def resolve_milestone(obj: Any) -> int | None:
        return obj.milestone.number if obj.milestone_id else None

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return str(obj.organisation.slug)

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return list(obj.evidence.all())


class IrmReviewOut(Schema):
    plan: str
    commitment: str
    verifiable: str
    specificity: str
    # The IRM's relevance findings: null where the review did not assess it.
    access_to_information: bool | None
    civic_participation: bool | None
    public_accountability: bool | None
    technology_innovation: bool | None
    potential_for_results: str
    potential_impact: str
    promising: bool
    completion_midterm: str
    completion_end: str
    early_results: str
    opened_government: str
    starred: bool
    report_url: str
    updated_at: datetime

    @staticmethod
    def resolve_plan(obj: Any) -> str:
        return str(obj.commitment.plan.slug)

    @staticmethod
    def resolve_commitment(obj: Any) -> str:
        return str(obj.commitment.slug)


class PhaseOut(Schema):
    kind: str
    starts_on: date
    ends_on: date


class ConsultationOut(Schema):
    slug: str
    plan: str
    title: str
    description: str
    published_at: datetime
    phases: list[PhaseOut]
    url: str

    @staticmethod
    def resolve_plan(obj: Any) -> str:
        return str(obj.plan.slug)

    @staticmethod
    def resolve_phases(obj: Any) -> list[Any]:
        return obj.ordered_phases()

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class ProposalOut(Schema):
    id: str
    consultation: str
    title: str
    problem: str
    proposal: str
    policy_area: str | None
    department: str
    municipality: str
    author: str
    organisation: str | None
    workshop: str | None
    support_count: int
    comment_count: int
    created_at: datetime
    url: str

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return str(obj.public_id)

    @staticmethod
    def resolve_consultation(obj: Any) -> str:
        return str(obj.consultation.slug)

    @staticmethod
    def resolve_policy_area(obj: Any) -> str | None:
        return obj.policy_area.slug if obj.policy_area_id else None

    @staticmethod
    def resolve_author(obj: Any) -> str:
        """The public name only (it may be a pseudonym)."""
        return obj.author.display_name if obj.author_id else ""

    @staticmethod
    def resolve_organisation(obj: Any) -> str | None:
        return obj.organisation.slug if obj.organisation_id else None

    @staticmethod
    def resolve_workshop(obj: Any) -> str | None:
        return obj.workshop.title if obj.workshop_id else None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class ResponseOut(Schema):
    proposal: str
    kind: str
    reasons: str
    commitments: list[str]
    merged_into: str | None
    answered_at: datetime

    @staticmethod
    def resolve_proposal(obj: Any) -> str:
        return str(obj.proposal.public_id)

    @staticmethod
    def resolve_commitments(obj: Any) -> list[str]:
        return [f"{c.plan.slug}/{c.slug}" for c in obj.commitments.all()]

    @staticmethod
    def resolve_merged_into(obj: Any) -> str | None:
        return obj.merged_into.public_id if obj.merged_into_id else None


class CommentOut(Schema):
    id: str
    proposal: str
    in_reply_to: str | None
    author: str
    body: str
    created_at: datetime

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return str(obj.public_id)

    @staticmethod
    def resolve_proposal(obj: Any) -> str:
        return str(obj.proposal.public_id)

    @staticmethod
    def resolve_in_reply_to(obj: Any) -> str | None:
        return obj.parent.public_id if obj.parent_id else None

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return obj.author.display_name if obj.author_id else ""


class MeetingOut(Schema):
    id: str
    forum: str
    plan: str | None
    kind: str
    status: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    online_url: str
    agenda: str
    minutes: str
    decisions: list[str]
    notice_days: int
    url: str

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return str(obj.public_id)

    @staticmethod
    def resolve_forum(obj: Any) -> str:
        return str(obj.forum.slug)

    @staticmethod
    def resolve_plan(obj: Any) -> str | None:
        return obj.plan.slug if obj.plan_id else None

    @staticmethod
    def resolve_decisions(obj: Any) -> list[str]:
        return [d.text for d in obj.decisions.all()]

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class AuditEventOut(Schema):
    """A public event of the hash-chained log, as in the download (docs/audit-log.md)."""

    id: int
    created_at: datetime
    actor_name: str
    actor_institution: str
    action: str
    target_type: str
    target_repr: str
    context_type: str
    changes: dict[str, Any]
    withheld: list[str]
    payload_hash: str
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_changes(obj: Any) -> dict[str, Any]:
        from cocrea.audit import display

        hidden = set(display.withheld(obj.target_type, obj.changes))
        return {k: v for k, v in obj.changes.items() if k not in hidden}

    @staticmethod
    def resolve_withheld(obj: Any) -> list[str]:
        from cocrea.audit import display

        return display.withheld(obj.target_type, obj.changes)


class ErrorOut(Schema):
    detail: Any
