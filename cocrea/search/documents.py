"""What each kind of public thing becomes in the index, read in bulk: `build(label, pks)` gives
the entries of the things among `pks` that anyone may read now; a thing that is not (a hidden
comment, a report not yet published, a consultation not yet published, a deleted milestone)
gives none, and its entries are removed. Things are named as the audit log names them."""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone

from cocrea.drafting.models import COMMITMENT_FIELDS, Draft, DraftVersion
from cocrea.forum.models import Meeting
from cocrea.participation.models import Comment, Proposal, Response
from cocrea.plans.models import ActionPlan, Commitment, Institution, Milestone
from cocrea.search.models import Entry, Kind
from cocrea.tracking.models import Assessment, ProgressReport

# A draft's words: the template's text fields of its latest version.
TEXT_FIELDS = [
    name
    for name in COMMITMENT_FIELDS
    if name not in {"title", "start_date", "end_date", "lead_institution"}
]

Builder = Callable[[set[str]], list[Entry]]
BUILDERS: dict[str, Builder] = {}

# What else to index again when a thing changes: its entries carry the thing's words or
# visibility (a proposal hidden hides its comments and answer; a draft's versions are the draft).
FOLLOWERS: dict[str, tuple[tuple[str, str], ...]] = {
    "participation.proposal": (
        ("participation.comment", "proposal_id"),
        ("participation.response", "proposal_id"),
    ),
    "participation.consultation": (("participation.proposal", "consultation_id"),),
}
# A thing whose entries are another's: a draft version is indexed as its draft.
STANDS_FOR: dict[str, tuple[str, str]] = {"drafting.draftversion": ("drafting.draft", "draft_id")}


def builder(label: str) -> Callable[[Builder], Builder]:
    def register(function: Builder) -> Builder:
        BUILDERS[label] = function
        return function

    return register


def _text(*parts: Any) -> str:
    return "\n".join(str(part) for part in parts if part)


def _entry(obj: Any, kind: str, label: str, **fields: Any) -> Entry:
    return Entry(
        kind=kind,
        target_type=label,
        target_id=str(obj.pk),
        language=settings.LANGUAGE_CODE,
        **fields,
    )


def _short(text: str, length: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _ids(pks: Iterable[str]) -> list[int]:
    return [int(pk) for pk in pks if str(pk).isdigit()]


def _areas(slugs: Iterable[str]) -> str:
    slugs = sorted(set(slugs))
    return f"|{'|'.join(slugs)}|" if slugs else ""


@builder("plans.actionplan")
def _plans(pks: set[str]) -> list[Entry]:
    return [
        _entry(
            plan,
            Kind.PLAN,
            "plans.actionplan",
            title=plan.title,
            body=plan.summary,
            url=plan.get_absolute_url(),
            plan=plan,
            date=plan.start_date,
        )
        for plan in ActionPlan.objects.filter(pk__in=_ids(pks))
    ]


@builder("plans.institution")
def _institutions(pks: set[str]) -> list[Entry]:
    return [
        _entry(
            institution,
            Kind.INSTITUTION,
            "plans.institution",
            title=institution.name,
            body=institution.acronym,
            url=institution.get_absolute_url(),
            institution=institution,
        )
        for institution in Institution.objects.filter(pk__in=_ids(pks))
    ]


@builder("plans.commitment")
def _commitments(pks: set[str]) -> list[Entry]:
    found = Commitment.objects.filter(pk__in=_ids(pks)).select_related("plan")
    return [
        _entry(
            c,
            Kind.COMMITMENT,
            "plans.commitment",
            title=f"{c.number}. {c.title}",
            body=_text(
                c.short_description, c.problem, c.causes, c.description, c.how_it_helps, c.ambition
            ),
            url=c.get_absolute_url(),
            plan_id=c.plan_id,
            institution_id=c.lead_institution_id,
            policy_areas=_areas(area.slug for area in c.policy_areas.all()),
            date=c.start_date,
        )
        for c in found.prefetch_related("policy_areas")
    ]


@builder("plans.milestone")
def _milestones(pks: set[str]) -> list[Entry]:
    found = Milestone.objects.filter(pk__in=_ids(pks)).select_related("commitment__plan")
    return [
        _entry(
            m,
            Kind.MILESTONE,
            "plans.milestone",
            title=_short(m.description),
            body=_text(m.description, m.expected_output),
            context=f"{m.commitment.number}. {m.commitment.title}",
            url=f"{m.commitment.get_absolute_url()}#milestones",
            plan_id=m.commitment.plan_id,
            institution_id=m.responsible_institution_id or m.commitment.lead_institution_id,
            date=m.end_date,
        )
        for m in found
    ]


@builder("tracking.progressreport")
def _reports(pks: set[str]) -> list[Entry]:
    found = ProgressReport.objects.filter(
        pk__in=_ids(pks), status=ProgressReport.Status.PUBLISHED
    ).select_related("milestone__commitment__plan")
    return [
        _entry(
            r,
            Kind.REPORT,
            "tracking.progressreport",
            title=_short(r.milestone.description),
            body=r.done,
            context=f"{r.milestone.commitment.number}. {r.milestone.commitment.title}",
            url=r.milestone.commitment.get_absolute_url(),
            plan_id=r.milestone.commitment.plan_id,
            institution_id=r.institution_id,
            date=timezone.localdate(r.published_at) if r.published_at else None,
        )
        for r in found
    ]


@builder("tracking.assessment")
def _assessments(pks: set[str]) -> list[Entry]:
    found = Assessment.objects.filter(pk__in=_ids(pks)).select_related(
        "commitment__plan", "organisation"
    )
    return [
        _entry(
            a,
            Kind.ASSESSMENT,
            "tracking.assessment",
            title=a.organisation.short_name,
            body=a.reading,
            context=f"{a.commitment.number}. {a.commitment.title}",
            url=a.commitment.get_absolute_url(),
            plan_id=a.commitment.plan_id,
            institution_id=a.organisation_id,
            date=timezone.localdate(a.published_at),
        )
        for a in found
    ]


def _visible_proposals() -> Any:
    return Proposal.objects.filter(hidden_at__isnull=True, consultation__published_at__isnull=False)


@builder("participation.proposal")
def _proposals(pks: set[str]) -> list[Entry]:
    found = (
        _visible_proposals()
        .filter(pk__in=_ids(pks))
        .select_related("consultation", "policy_area", "organisation")
    )
    return [
        _entry(
            p,
            Kind.PROPOSAL,
            "participation.proposal",
            title=p.title,
            body=_text(p.problem, p.proposal, p.municipality),
            url=p.get_absolute_url(),
            plan_id=p.consultation.plan_id,
            institution_id=p.organisation_id,
            department=p.department,
            policy_areas=_areas([p.policy_area.slug] if p.policy_area else []),
            date=timezone.localdate(p.created_at),
        )
        for p in found
    ]


@builder("participation.comment")
def _comments(pks: set[str]) -> list[Entry]:
    found = Comment.objects.filter(
        pk__in=_ids(pks), hidden_at__isnull=True, proposal__in=_visible_proposals()
    ).select_related("proposal__consultation")
    return [
        _entry(
            c,
            Kind.COMMENT,
            "participation.comment",
            title="",
            body=c.body,
            context=c.proposal.title,
            url=f"{c.proposal.get_absolute_url()}#c-{c.public_id}",
            plan_id=c.proposal.consultation.plan_id,
            department=c.proposal.department,
            date=timezone.localdate(c.created_at),
        )
        for c in found
    ]


@builder("participation.response")
def _answers(pks: set[str]) -> list[Entry]:
    found = Response.objects.filter(
        pk__in=_ids(pks), proposal__in=_visible_proposals()
    ).select_related("proposal__consultation")
    return [
        _entry(
            r,
            Kind.ANSWER,
            "participation.response",
            title="",
            body=r.reasons,
            context=r.proposal.title,
            url=f"{r.proposal.get_absolute_url()}#answer",
            plan_id=r.proposal.consultation.plan_id,
            department=r.proposal.department,
            date=timezone.localdate(r.answered_at),
        )
        for r in found
    ]


@builder("forum.meeting")
def _meetings(pks: set[str]) -> list[Entry]:
    entries = []
    for m in Meeting.objects.filter(pk__in=_ids(pks)).select_related("forum"):
        url, day = m.get_absolute_url(), timezone.localdate(m.starts_at)
        entries.append(
            _entry(
                m,
                Kind.MEETING,
                "forum.meeting",
                title=m.title,
                body=m.agenda,
                url=url,
                plan_id=m.plan_id,
                date=day,
            )
        )
        if m.minutes_published_at and m.minutes:
            entries.append(
                _entry(
                    m,
                    Kind.MINUTES,
                    "forum.meeting",
                    title=m.title,
                    body=m.minutes,
                    url=f"{url}#minutes",
                    plan_id=m.plan_id,
                    date=day,
                )
            )
    return entries


@builder("drafting.draft")
def _drafts(pks: set[str]) -> list[Entry]:
    drafts = {
        d.pk: d
        for d in Draft.objects.filter(
            pk__in=_ids(pks), consultation__published_at__isnull=False
        ).select_related("consultation")
    }
    latest: dict[int, DraftVersion] = {}
    for version in DraftVersion.objects.filter(draft_id__in=drafts).order_by("draft_id", "number"):
        latest[version.draft_id] = version
    entries = []
    for pk, version in latest.items():
        draft = drafts[pk]
        texts = [getattr(version, name) for name in TEXT_FIELDS]
        entries.append(
            _entry(
                draft,
                Kind.DRAFT,
                "drafting.draft",
                title=version.title,
                body=_text(*(t for t in texts if isinstance(t, str))),
                url=draft.get_absolute_url(),
                plan_id=draft.consultation.plan_id,
                institution_id=version.lead_institution_id,
                date=timezone.localdate(version.created_at),
            )
        )
    return entries
