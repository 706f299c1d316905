"""What the API returns, field by field: each schema names the public fields only (an email,
phone, legal name or draft has no field to travel in). Identifiers are the public ones the pages
use: slugs, OGP ids, public ids; never database integers."""

import datetime as _dt
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeAlias
from urllib.parse import urlencode

from django.urls import reverse
from ninja import Field, Schema


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs)


# Most fields are a value read from a related row, in the same way for every schema; these build
# their resolvers, so that a schema names what it reads instead of writing the reading again.
Resolve: TypeAlias = "staticmethod[[Any], Any]"


def _read(path: str) -> Resolve:
    """The value at the end of `path` ("commitment.plan.slug": the slug of the commitment's
    plan), or None where a relation on the way is empty (a proposal without a policy area). The
    selectors fetch these relations with the rows, so reading them costs no query."""
    names = path.split(".")

    def resolve(obj: Any) -> Any:
        for name in names:
            if obj is None:
                return None
            obj = getattr(obj, name)
        return obj

    return staticmethod(resolve)


def _each(relation: str, name: str) -> Resolve:
    """One value of each related row (prefetched by the selectors), in their order."""

    def resolve(obj: Any) -> list[Any]:
        return [getattr(row, name) for row in getattr(obj, relation).all()]

    return staticmethod(resolve)


def _absolute_url(obj: Any) -> str:
    return str(obj.get_absolute_url())


def _public_name(obj: Any) -> str:
    """The author's public name only (it may be a pseudonym); empty where the account is gone
    (the author is set to null when an account is erased)."""
    return obj.author.display_name if obj.author_id else ""


class MemberOut(Schema):
    """An OGP member: a national government, or an OGP Local jurisdiction with its national
    member. `code` is what the lists' `member` filter takes."""

    name: str
    code: str
    slug: str
    level: str = Field(description="national, local, legacy_local or other")
    region: str
    national: str | None = Field(description="The national member's slug (OGP Local only).")
    national_code: str | None
    url: str = Field(description="The member's page on this site.")
    feed: str = Field(description="The member's Atom feed of novelties.")
    plans: str = Field(description="The member's action plans in this API.")
    updated_at: datetime

    resolve_national = _read("national.slug")
    resolve_national_code = _read("national.code")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return _url("opendata:member_feed", slug=obj.slug).removesuffix("novedades.atom")

    @staticmethod
    def resolve_feed(obj: Any) -> str:
        return _url("opendata:member_feed", slug=obj.slug)

    @staticmethod
    def resolve_plans(obj: Any) -> str:
        return f"{reverse('api:plan_list')}?{urlencode({'member': obj.code})}"


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

    resolve_member = _read("member.name")
    resolve_member_code = _read("member.code")
    resolve_url = staticmethod(_absolute_url)


class CommitmentOut(Schema):
    plan: str
    slug: str
    ogp_id: str
    number: str = Field(
        description="As the plan writes it, which OGP does as text: `3`, `2.6`, `3.2.5`, `1.6A`."
    )
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
    carried_forward: bool | None  # null: not known
    url: str
    updated_at: datetime

    resolve_plan = _read("plan.slug")
    resolve_lead_institution = _read("lead_institution.slug")
    resolve_supporting_institutions = _each("supporting_institutions", "slug")
    resolve_policy_areas = _each("policy_areas", "slug")

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

    resolve_plan = _read("commitment.plan.slug")
    resolve_commitment = _read("commitment.slug")
    resolve_responsible_institution = _read("responsible_institution.slug")


class InstitutionOut(Schema):
    slug: str
    name: str
    acronym: str
    kind: str
    member: str = Field(description="Its OGP member's name.")
    member_code: str
    url: str
    updated_at: datetime

    resolve_member = _read("member.name")
    resolve_member_code = _read("member.code")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return _url("plans:institution", slug=obj.slug)


class PolicyAreaOut(Schema):
    slug: str
    ogp_column: str
    name_es: str
    name_en: str
    theme: str | None

    resolve_theme = _read("parent.slug")


class EvidenceOut(Schema):
    id: str
    title: str
    url: str
    file_name: str
    content_type: str
    size: int
    sha256: str

    resolve_id = _read("public_id")

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

    resolve_id = _read("public_id")
    resolve_plan = _read("milestone.commitment.plan.slug")
    resolve_commitment = _read("milestone.commitment.slug")
    resolve_milestone = _read("milestone.number")
    resolve_institution = _read("institution.slug")
    resolve_corrects = _read("corrects.public_id")


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

    resolve_id = _read("public_id")
    resolve_plan = _read("commitment.plan.slug")
    resolve_commitment = _read("commitment.slug")
    resolve_milestone = _read("milestone.number")
    resolve_organisation = _read("organisation.slug")


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
    starred: bool | None  # null: not known
    report_url: str  # an address, or what OGP published (a year, say)
    updated_at: datetime

    resolve_plan = _read("commitment.plan.slug")
    resolve_commitment = _read("commitment.slug")


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

    resolve_plan = _read("plan.slug")
    resolve_url = staticmethod(_absolute_url)

    @staticmethod
    def resolve_phases(obj: Any) -> list[Any]:
        return obj.ordered_phases()


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

    resolve_id = _read("public_id")
    resolve_consultation = _read("consultation.slug")
    resolve_policy_area = _read("policy_area.slug")
    resolve_author = staticmethod(_public_name)
    resolve_organisation = _read("organisation.slug")
    resolve_workshop = _read("workshop.title")
    resolve_url = staticmethod(_absolute_url)


class ResponseOut(Schema):
    proposal: str
    kind: str
    reasons: str
    commitments: list[str]
    merged_into: str | None
    answered_at: datetime

    resolve_proposal = _read("proposal.public_id")
    resolve_merged_into = _read("merged_into.public_id")

    @staticmethod
    def resolve_commitments(obj: Any) -> list[str]:
        return [f"{c.plan.slug}/{c.slug}" for c in obj.commitments.all()]


class CommentOut(Schema):
    id: str
    proposal: str
    in_reply_to: str | None
    author: str
    body: str
    created_at: datetime

    resolve_id = _read("public_id")
    resolve_proposal = _read("proposal.public_id")
    resolve_in_reply_to = _read("parent.public_id")
    resolve_author = staticmethod(_public_name)


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

    resolve_id = _read("public_id")
    resolve_forum = _read("forum.slug")
    resolve_plan = _read("plan.slug")
    resolve_decisions = _each("decisions", "text")
    resolve_url = staticmethod(_absolute_url)


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


class SearchHitOut(Schema):
    kind: str = Field(
        description="commitment, milestone, report, assessment, proposal, comment,"
        " answer, meeting, minutes, draft, institution or plan"
    )
    title: str = Field(
        description="Its title, the words that matched between <mark> and </mark>"
        " (HTML, escaped); empty for comments and answers, see `context`."
    )
    context: str = Field(
        description="What it belongs to: the commitment of a milestone, the"
        " proposal of a comment (plain text)."
    )
    snippet: str = Field(
        description="A piece of its text with the words that matched between"
        " <mark> and </mark> (HTML, escaped)."
    )
    url: str = Field(description="Its public page, as a path on this site.")
    date: _dt.date | None = Field(description="Its date (published, held, begun).")


class SearchPageOut(Schema):
    count: int = Field(description="How many results, counted up to 1,000.")
    more: bool = Field(description="Whether there are more than 1,000 results.")
    page: int
    pages: int
    results: list[SearchHitOut]


class ErrorOut(Schema):
    detail: Any
