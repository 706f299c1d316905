"""Reads for the consultation pages, each a fixed number of queries whatever the number of
proposals, comments and supports. Filters and orderings are whitelists (SECURITY.md): request
parameters never reach `filter()` or `order_by()` directly."""

import re
from dataclasses import asdict, dataclass, field
from statistics import median
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from cocrea.participation.models import (
    Comment,
    Consultation,
    ConsultationFigures,
    Department,
    Flag,
    Proposal,
    Response,
    StandardAssessment,
    Support,
    Workshop,
)
from cocrea.plans.models import Commitment, PolicyArea
from cocrea.plans.rules import allowed

SORTS = {
    "recientes": ("-created_at", "-id"),
    "apoyos": ("-support_count", "-created_at", "-id"),
    "comentarios": ("-comment_count", "-created_at", "-id"),
}
DEFAULT_SORT = "recientes"
UNANSWERED = "sin-respuesta"


def consultation_list() -> list[Consultation]:
    return list(
        Consultation.objects.filter(published_at__isnull=False)
        .select_related("plan", "plan__member")
        .prefetch_related("phases")
        .order_by("-plan__start_date")
    )


def _consultations() -> QuerySet[Consultation]:
    """Consultations with what every consultation page reads: the plan, the stored figures
    (None when not stored yet) and the phases (two queries)."""
    return Consultation.objects.select_related("plan", "figures").prefetch_related("phases")


def consultation_get(*, slug: str, user: Any) -> Consultation:
    """A published consultation, or an unpublished one for the point of contact preparing it."""
    consultation = _consultations().filter(slug=slug).first()
    if consultation is None or (
        not consultation.is_published
        and not allowed("participation.manage_consultation", user, consultation)
    ):
        raise Http404
    return consultation


def consultation_of_plan(*, plan_id: int) -> Consultation | None:
    """A plan's published consultation (a plan has one at most)."""
    return _consultations().filter(plan_id=plan_id, published_at__isnull=False).first()


@dataclass
class Figures:
    proposals: int = 0
    answered: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    median_days: float | None = None
    workshops: int = 0
    workshop_participants: int = 0
    from_workshops: int = 0
    departments: int = 0
    comments: int = 0
    supports: int = 0

    @property
    def answered_share(self) -> int | None:
        """Whole percent answered, rounded down: 100 only when every proposal has an answer."""
        if not self.proposals:
            return None
        return self.answered * 100 // self.proposals


FIGURE_FIELDS = tuple(asdict(Figures()))


def consultation_figures(*, consultation: Consultation) -> Figures:
    """Counts for the consultation page and the standards panel: the stored row (selected with
    the consultation by `consultation_get` and `consultation_of_plan`), or counted afresh when
    there is none."""
    try:
        stored = consultation.figures
    except ConsultationFigures.DoesNotExist:
        return figures_count(consultation=consultation)
    return Figures(**{name: getattr(stored, name) for name in FIGURE_FIELDS})


def figures_count(*, consultation: Consultation) -> Figures:
    """The counts from the rows: four queries (services.consultation_figures_refresh keeps
    their result)."""
    # The counters kept on each proposal, summed: no join of comments or supports.
    totals = Proposal.objects.filter(consultation=consultation).aggregate(
        proposals=Count("id"),
        from_workshops=Count("id", filter=Q(workshop__isnull=False)),
        departments=Count("department", filter=~Q(department=""), distinct=True),
        comments=Sum("comment_count"),
        supports=Sum("support_count"),
    )
    answers = Response.objects.filter(proposal__consultation=consultation)
    by_kind = dict(answers.values_list("kind").annotate(total=Count("id")).order_by())
    answered = sum(by_kind.values())
    workshops = Workshop.objects.filter(consultation=consultation).aggregate(
        count=Count("id"), people=Sum("participants")
    )
    return Figures(
        proposals=totals["proposals"],
        answered=answered,
        by_kind=by_kind,
        median_days=_median_days(answers, answered),
        workshops=workshops["count"],
        workshop_participants=workshops["people"] or 0,
        from_workshops=totals["from_workshops"],
        departments=totals["departments"],
        comments=totals["comments"] or 0,
        supports=totals["supports"] or 0,
    )


def _median_days(answers: QuerySet[Response], count: int) -> float | None:
    """The median time from proposal to answer, sorted by the database: the one or two middle
    rows are all that is read, however many answers there are."""
    if not count:
        return None
    delays = answers.order_by("days_to_answer").values_list("days_to_answer", flat=True)
    middle = list(delays[(count - 1) // 2 : count // 2 + 1])
    return round(median(middle), 1)


@dataclass
class ProposalFilters:
    sort: str = DEFAULT_SORT
    area: PolicyArea | None = None
    department: str = ""
    answer: str = ""

    def query(self) -> dict[str, str]:
        """The filters as query parameters, for links that keep them."""
        params = {"orden": self.sort} if self.sort != DEFAULT_SORT else {}
        if self.area:
            params["area"] = self.area.slug
        if self.department:
            params["departamento"] = self.department
        if self.answer:
            params["respuesta"] = self.answer
        return params


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def proposal_filters(params: Any) -> ProposalFilters:
    """Whitelisted filters from the query string; unknown values are ignored. The area is
    looked up only when it has the shape of a slug: any other text (a NUL, which PostgreSQL
    refuses to compare, or text longer than a slug) cannot name an area."""
    sort = params.get("orden", DEFAULT_SORT)
    area_slug = params.get("area", "")
    if not _SLUG.fullmatch(area_slug):
        area_slug = ""
    department = params.get("departamento", "")
    answer = params.get("respuesta", "")
    return ProposalFilters(
        sort=sort if sort in SORTS else DEFAULT_SORT,
        area=PolicyArea.objects.filter(slug=area_slug).first() if area_slug else None,
        department=department if department in Department.values else "",
        answer=answer if answer in {UNANSWERED, *Response.Kind.values} else "",
    )


def _proposals(consultation: Consultation, filters: ProposalFilters) -> QuerySet[Proposal]:
    queryset = Proposal.objects.filter(consultation=consultation)
    if filters.area:
        queryset = queryset.filter(policy_area=filters.area)
    if filters.department:
        queryset = queryset.filter(department=filters.department)
    if filters.answer == UNANSWERED:
        queryset = queryset.filter(response__isnull=True)
    elif filters.answer:
        queryset = queryset.filter(response__kind=filters.answer)
    return queryset


def proposal_page(*, consultation: Consultation, filters: ProposalFilters, number: Any) -> Page:
    """One page of proposals, with author, organisation, area, workshop and answer: two
    queries (the count and the page). The filters and sorts are whitelisted (ProposalFilters)."""
    queryset = (
        _proposals(consultation, filters)
        .select_related("author", "organisation", "policy_area", "workshop", "response")
        .only(
            "public_id",
            "title",
            "created_at",
            "department",
            "support_count",
            "comment_count",
            "hidden_at",
            "hidden_reason",
            "author__public_name",
            "author__deleted_at",
            "organisation__name",
            "policy_area__name_es",
            "policy_area__name_en",
            "workshop__title",
            "response__kind",
        )
        .order_by(*SORTS[filters.sort])
    )
    return Paginator(queryset, settings.COCREA_PROPOSALS_PAGE_SIZE).get_page(number)


# What a proposal's page reads of its author: the public fields, never the email or password
# (the account's other fields are deferred, so they are not even read).
_AUTHOR_SHOWN = {"id", "public_name", "public_id", "deleted_at"}
# What a proposal's page reads of the proposal an answer merged it into: its link and title.
_MERGED_SHOWN = {"id", "public_id", "title"}


def _deferred(path: str, model: type[Model], shown: set[str]) -> list[str]:
    """The fields of `model`, reached through `path`, that a page does not read."""
    return [f"{path}__{f.name}" for f in model._meta.concrete_fields if f.name not in shown]


def proposal_get(*, public_id: str) -> Proposal:
    """A proposal with what its page shows: its consultation with plan and phases, author,
    organisation, policy area, workshop and answer, with the proposal it was merged into (two
    queries)."""
    return get_object_or_404(
        Proposal.objects.select_related(
            "consultation__plan",
            "author",
            "organisation",
            "policy_area",
            "workshop",
            "response__merged_into",
        )
        .defer(
            *_deferred("author", get_user_model(), _AUTHOR_SHOWN),
            *_deferred("response__merged_into", Proposal, _MERGED_SHOWN),
        )
        .prefetch_related("consultation__phases"),
        public_id=public_id,
    )


def response_commitments(*, proposal: Proposal) -> list[Commitment]:
    """The commitments an answer adopted the proposal into, with what the page links to."""
    response = getattr(proposal, "response", None)
    if response is None or response.kind not in Response.INTO_COMMITMENTS:
        return []
    return list(
        response.commitments.select_related("plan")
        .only("number", "slug", "title", "plan__slug")
        .order_by("number_sort", "id")
    )


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def proposal_threads(*, proposal: Proposal) -> list[Thread]:
    """The comments as threads, from one ordered query. Of its author, only the public name is
    read, never the rest of the account."""
    threads: dict[int, Thread] = {}
    for comment in (
        Comment.objects.filter(proposal=proposal)
        .select_related("author")
        .only(
            "public_id",
            "parent_id",
            "author__public_name",
            "author__deleted_at",
            "body",
            "body_html",
            "created_at",
            "hidden_at",
            "hidden_reason",
            "hidden_note",
        )
        .order_by("created_at", "id")
    ):
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment)
        elif comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    return list(threads.values())


def supports(*, user: Any, proposal: Proposal) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and Support.objects.filter(user=user, proposal=proposal).exists()
    )


def merge_targets(*, proposal: Proposal) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(consultation_id=proposal.consultation_id, hidden_at__isnull=True)
        .exclude(pk=proposal.pk)
        .order_by("-created_at")
    )


def proposals_that_shaped(*, commitment: Commitment) -> list[Proposal]:
    """The proposals adopted, fully or partly, into a commitment: one query."""
    return list(
        Proposal.objects.filter(
            response__commitments=commitment,
            response__kind__in=Response.INTO_COMMITMENTS,
            hidden_at__isnull=True,
        )
        .select_related("author", "organisation", "workshop", "response")
        .order_by("created_at")
    )


@dataclass
class ModerationLog:
    by_reason: list[tuple[str, int, int]]  # (reason label, proposals, comments)
    hidden: list[Any]
    flags_received: int
    flags_open: int


def moderation_log(*, limit: int = 100) -> ModerationLog:
    """What moderators hid and why, in figures and as a list without the hidden text."""
    counts: dict[str, list[int]] = {value: [0, 0] for value in Proposal.HideReason.values}
    for reason, total in (
        Proposal.objects.filter(hidden_at__isnull=False)
        .values_list("hidden_reason")
        .annotate(total=Count("id"))
        .order_by()
    ):
        counts.setdefault(reason, [0, 0])[0] = total
    for reason, total in (
        Comment.objects.filter(hidden_at__isnull=False)
        .values_list("hidden_reason")
        .annotate(total=Count("id"))
        .order_by()
    ):
        counts.setdefault(reason, [0, 0])[1] = total
    labels = dict(Proposal.HideReason.choices)
    proposals = list(
        Proposal.objects.filter(hidden_at__isnull=False)
        .only("public_id", "hidden_at", "hidden_reason", "hidden_note")
        .order_by("-hidden_at")[:limit]
    )
    comments = list(
        Comment.objects.filter(hidden_at__isnull=False)
        .select_related("proposal")
        .only("public_id", "hidden_at", "hidden_reason", "hidden_note", "proposal__public_id")
        .order_by("-hidden_at")[:limit]
    )
    for item in proposals:
        item.kind = "proposal"  # type: ignore[attr-defined]
        item.proposal_public_id = item.public_id  # type: ignore[attr-defined]
    for item in comments:  # type: ignore[assignment]
        item.kind = "comment"  # type: ignore[attr-defined]
        item.proposal_public_id = item.proposal.public_id  # type: ignore[attr-defined]
    hidden: list[Any] = sorted(
        [*proposals, *comments], key=lambda item: item.hidden_at or item.created_at, reverse=True
    )
    flag_totals = Flag.objects.aggregate(
        received=Count("id"), open=Count("id", filter=Q(resolved_at__isnull=True))
    )
    return ModerationLog(
        by_reason=[(str(labels.get(reason, reason)), p, c) for reason, (p, c) in counts.items()],
        hidden=hidden[:limit],
        flags_received=flag_totals["received"],
        flags_open=flag_totals["open"],
    )


def open_flags(*, member_ids: set[int] | None = None) -> list[Flag]:
    """Flags awaiting a moderator, oldest first (the moderator's space): of these members only
    (None: every member)."""
    flags = Flag.objects.filter(resolved_at__isnull=True)
    if member_ids is not None:
        flags = flags.filter(
            Q(proposal__consultation__plan__member_id__in=member_ids)
            | Q(comment__proposal__consultation__plan__member_id__in=member_ids)
        )
    return list(
        flags.select_related("proposal", "comment", "comment__proposal").order_by("created_at")[
            :200
        ]
    )


def my_proposals(*, user: Any) -> list[Proposal]:
    return list(
        Proposal.objects.filter(author=user, workshop__isnull=True)
        .select_related("consultation", "response")
        .order_by("-created_at")
    )


def standard_assessments(*, plan_id: int) -> list[StandardAssessment]:
    """Each organisation's latest reading of each standard, newest first, with the organisation
    (one query)."""
    seen: set[tuple[int, int]] = set()
    current = []
    for assessment in (
        StandardAssessment.objects.filter(plan_id=plan_id)
        .select_related("organisation")
        .order_by("-published_at", "-id")
    ):
        key = (assessment.standard, assessment.organisation_id)
        if key not in seen:
            seen.add(key)
            current.append(assessment)
    return current


@dataclass(frozen=True)
class AnswerQueue:
    """The proposals still owed a reasoned answer, oldest first, and how many in all."""

    proposals: list[Proposal]
    total: int


def proposals_awaiting_answer(
    *, member_ids: set[int] | None = None, limit: int = 50
) -> AnswerQueue:
    """The point of contact's queue: visible proposals without a response, oldest first (the
    longest wait on top), from every consultation of these members (None: every member); two
    queries at any size."""
    waiting = Proposal.objects.filter(response__isnull=True, hidden_at__isnull=True)
    if member_ids is not None:
        waiting = waiting.filter(consultation__plan__member_id__in=member_ids)
    proposals = list(waiting.select_related("consultation").order_by("created_at", "id")[:limit])
    return AnswerQueue(proposals=proposals, total=waiting.count())
