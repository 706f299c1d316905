"""Reads for the consultation pages, each a fixed number of queries whatever the number of
proposals, comments and supports. Filters and orderings are whitelists (SECURITY.md): request
parameters never reach `filter()` or `order_by()` directly."""

from dataclasses import asdict, dataclass, field
from statistics import median
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from cocrea.accounts.models import display_name
from cocrea.core import sql
from cocrea.participation.models import (
    Comment,
    Consultation,
    ConsultationFigures,
    Department,
    Flag,
    Phase,
    Proposal,
    Response,
    StandardAssessment,
    Support,
    Workshop,
    comment_markup,
)
from cocrea.plans.models import ActionPlan, Commitment, Institution, PolicyArea, area_name
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


def _keep_phases(consultation: Consultation) -> Consultation:
    """Read the consultation's phases in plain SQL into model instances (`sql.instances`) and
    keep them on it: the phases are on every consultation page, and the ORM's prefetch of five
    rows cost twice the query (ADR 4)."""
    n = sql.name
    consultation.keep_phases(
        sql.instances(
            Phase,
            f"SELECT {sql.all_columns(Phase, 'h')} FROM {n(Phase)} h "  # noqa: S608 - names from the models
            f"WHERE h.{n(Phase, 'consultation')} = %s",
            [consultation.pk],
        )
    )
    return consultation


def _consultation(condition: str, params: list[Any]) -> Consultation | None:
    """The consultation that `condition` (on `k`, the consultation) selects, with its plan and
    its stored figures (None when not stored yet), from one query (`sql.instances`): building
    the ORM query with its two joins was a quarter of the proposal list (ADR 4)."""
    n = sql.name
    found = sql.instances(
        Consultation,
        f"SELECT {sql.all_columns(Consultation, 'k')}, "  # noqa: S608 - names from the models
        f"{sql.beside(ActionPlan, 'p')}, {sql.beside(ConsultationFigures, 'f')} "
        f"FROM {n(Consultation)} k INNER JOIN {n(ActionPlan)} p "
        f"ON p.{n(ActionPlan, 'id')} = k.{n(Consultation, 'plan')} "
        f"LEFT OUTER JOIN {n(ConsultationFigures)} f "
        f"ON f.{n(ConsultationFigures, 'consultation')} = k.{n(Consultation, 'id')} "
        f"WHERE {condition} ORDER BY k.{n(Consultation, 'id')} LIMIT 1",
        params,
    )
    if not found:
        return None
    consultation = found[0]
    consultation.plan = sql.attached_from(consultation, ActionPlan)
    sql.attach_one(consultation, "figures", sql.attached_from(consultation, ConsultationFigures))
    return _keep_phases(consultation)


def consultation_get(*, slug: str, user: Any) -> Consultation:
    """A published consultation, or an unpublished one for the point of contact preparing it."""
    consultation = _consultation(f"k.{sql.name(Consultation, 'slug')} = %s", [slug])
    if consultation is None or (
        not consultation.is_published
        and not allowed("participation.manage_consultation", user, consultation)
    ):
        raise Http404
    return consultation


def consultation_of_plan(*, plan_id: int) -> Consultation | None:
    """A plan's published consultation (a plan has one at most)."""
    n = sql.name
    return _consultation(
        f"k.{n(Consultation, 'plan')} = %s AND k.{n(Consultation, 'published_at')} IS NOT NULL",
        [plan_id],
    )


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


def proposal_filters(params: Any) -> ProposalFilters:
    """Whitelisted filters from the query string; unknown values are ignored."""
    sort = params.get("orden", DEFAULT_SORT)
    area_slug = params.get("area", "")
    department = params.get("departamento", "")
    answer = params.get("respuesta", "")
    return ProposalFilters(
        sort=sort if sort in SORTS else DEFAULT_SORT,
        area=PolicyArea.objects.filter(slug=area_slug).first() if area_slug else None,
        department=department if department in Department.values else "",
        answer=answer if answer in {UNANSWERED, *Response.Kind.values} else "",
    )


_ROW_VALUES = (
    "public_id",
    "title",
    "created_at",
    "department",
    "support_count",
    "comment_count",
    "hidden_at",
    "hidden_reason",
    "author_id",
    "author__public_name",
    "author__deleted_at",
    "organisation_id",
    "organisation__name",
    "workshop_id",
    "workshop__title",
    "policy_area_id",
    "policy_area__name_es",
    "policy_area__name_en",
    "response__kind",
)


def proposal_page(*, consultation: Consultation, filters: ProposalFilters, number: Any) -> Page:
    """One page of proposals, with author, organisation, area, workshop and answer: two plain
    queries (the count and the page, cocrea.core.sql.Rows). The filters and sorts are
    whitelisted (ProposalFilters), so the SQL has one shape per combination, every value a
    parameter. The rows are plain namespaces shaped like the proposal and its related rows as
    the templates read them: building the ORM's six-table query cost more than running it, and
    a model instance for each proposal, author, area and answer was a tenth of the page."""
    n, account = sql.name, get_user_model()
    where = [f"p.{n(Proposal, 'consultation')} = %s"]
    params: list[Any] = [consultation.pk]
    if filters.area:
        where.append(f"p.{n(Proposal, 'policy_area')} = %s")
        params.append(filters.area.pk)
    if filters.department:
        where.append(f"p.{n(Proposal, 'department')} = %s")
        params.append(filters.department)
    if filters.answer == UNANSWERED:
        where.append(f"r.{n(Response, 'id')} IS NULL")
    elif filters.answer:
        where.append(f"r.{n(Response, 'kind')} = %s")
        params.append(filters.answer)
    answers = (
        f"LEFT OUTER JOIN {n(Response)} r ON r.{n(Response, 'proposal')} = p.{n(Proposal, 'id')} "
    )
    condition = " AND ".join(where)
    order = ", ".join(
        f"p.{n(Proposal, key.lstrip('-'))}{' DESC' if key.startswith('-') else ''}"
        for key in SORTS[filters.sort]
    )
    hidden_labels = dict(Proposal.HideReason.choices)

    def row(values: tuple[Any, ...]) -> SimpleNamespace:
        named = dict(zip(_ROW_VALUES, values, strict=True))
        named["created_at"] = sql.moment(named["created_at"])
        named["hidden_at"] = sql.moment(named["hidden_at"])
        return _list_row(named, hidden_labels)

    rows = sql.Rows(
        f"SELECT COUNT(*) FROM {n(Proposal)} p "  # noqa: S608 - names from the models
        f"{answers if filters.answer else ''}WHERE {condition}",
        f"SELECT p.{n(Proposal, 'public_id')}, p.{n(Proposal, 'title')}, "  # noqa: S608
        f"p.{n(Proposal, 'created_at')}, p.{n(Proposal, 'department')}, "
        f"p.{n(Proposal, 'support_count')}, p.{n(Proposal, 'comment_count')}, "
        f"p.{n(Proposal, 'hidden_at')}, p.{n(Proposal, 'hidden_reason')}, "
        f"p.{n(Proposal, 'author')}, u.{n(account, 'public_name')}, u.{n(account, 'deleted_at')}, "
        f"p.{n(Proposal, 'organisation')}, o.{n(Institution, 'name')}, "
        f"p.{n(Proposal, 'workshop')}, w.{n(Workshop, 'title')}, "
        f"p.{n(Proposal, 'policy_area')}, a.{n(PolicyArea, 'name_es')}, "
        f"a.{n(PolicyArea, 'name_en')}, r.{n(Response, 'kind')} "
        f"FROM {n(Proposal)} p "
        f"LEFT OUTER JOIN {n(account)} u ON u.{n(account, 'id')} = p.{n(Proposal, 'author')} "
        f"LEFT OUTER JOIN {n(Institution)} o "
        f"ON o.{n(Institution, 'id')} = p.{n(Proposal, 'organisation')} "
        f"LEFT OUTER JOIN {n(Workshop)} w ON w.{n(Workshop, 'id')} = p.{n(Proposal, 'workshop')} "
        f"LEFT OUTER JOIN {n(PolicyArea)} a "
        f"ON a.{n(PolicyArea, 'id')} = p.{n(Proposal, 'policy_area')} "
        f"{answers}WHERE {condition} ORDER BY {order}",
        params,
        row,
    )
    return Paginator(rows, settings.COCREA_PROPOSALS_PAGE_SIZE).get_page(number)  # type: ignore[arg-type]


def _list_row(values: dict[str, Any], hidden_labels: dict[str, Any]) -> SimpleNamespace:
    def related(key: str, **fields: Any) -> SimpleNamespace | None:
        return SimpleNamespace(**fields) if values[key] is not None else None

    return SimpleNamespace(
        public_id=values["public_id"],
        title=values["title"],
        created_at=values["created_at"],
        department=values["department"],
        support_count=values["support_count"],
        comment_count=values["comment_count"],
        hidden_at=values["hidden_at"],
        hidden_reason_label=hidden_labels.get(values["hidden_reason"], ""),
        author=related(
            "author_id",
            display_name=display_name(values["author__public_name"], values["author__deleted_at"]),
        ),
        organisation=related("organisation_id", name=values["organisation__name"]),
        workshop=related("workshop_id", title=values["workshop__title"]),
        policy_area=related(
            "policy_area_id",
            name=area_name(values["policy_area__name_es"], values["policy_area__name_en"]),
        ),
        response=related("response__kind", kind=values["response__kind"]),
    )


# What a proposal's page reads of its author: the public fields (never the email or password).
_AUTHOR_FIELDS = ("id", "public_name", "public_id", "deleted_at")


def proposal_get(*, public_id: str) -> Proposal:
    """A proposal with what its page shows: its consultation and plan, author, organisation,
    policy area, workshop and answer, from one query through `sql.instances` (building the ORM query
    with its seven joins was a third of the page; ADR 4). The proposal an answer merged it into
    is read when shown: one query for the few merged proposals, rather than joining the
    proposal table's columns a second time on every view."""
    n, beside, user = sql.name, sql.beside, get_user_model()
    joined = (
        (Consultation, "k", "consultation", None, "INNER"),
        (user, "u", "author", _AUTHOR_FIELDS, "LEFT OUTER"),
        (Institution, "o", "organisation", None, "LEFT OUTER"),
        (PolicyArea, "a", "policy_area", None, "LEFT OUTER"),
        (Workshop, "w", "workshop", None, "LEFT OUTER"),
    )
    found = sql.instances(
        Proposal,
        f"SELECT {sql.all_columns(Proposal, 'p')}, "  # noqa: S608 - names from the models
        + "".join(f"{beside(model, a, fields)}, " for model, a, _, fields, _ in joined)
        + f"{beside(ActionPlan, 'ap')}, {beside(Response, 'r')} FROM {n(Proposal)} p "
        + "".join(
            f"{join} JOIN {n(model)} {a} ON {a}.{n(model, 'id')} = p.{n(Proposal, attr)} "
            for model, a, attr, _, join in joined
        )
        + f"INNER JOIN {n(ActionPlan)} ap "
        f"ON ap.{n(ActionPlan, 'id')} = k.{n(Consultation, 'plan')} "
        f"LEFT OUTER JOIN {n(Response)} r "
        f"ON r.{n(Response, 'proposal')} = p.{n(Proposal, 'id')} "
        f"WHERE p.{n(Proposal, 'public_id')} = %s",
        [public_id],
    )
    if not found:
        raise Http404
    proposal = found[0]
    for model, _, attr, fields, _ in joined:
        setattr(proposal, attr, sql.attached_from(proposal, model, fields))
    proposal.consultation.plan = sql.attached_from(proposal, ActionPlan)
    sql.attach_one(proposal, "response", sql.attached_from(proposal, Response))
    _keep_phases(proposal.consultation)
    return proposal


def response_commitments(*, proposal: Proposal) -> list[SimpleNamespace]:
    """The commitments an answer adopted the proposal into, as plain rows of plain SQL (number,
    slug, title and the plan's slug): the ORM read every column of both to show four."""
    response = getattr(proposal, "response", None)
    if response is None or response.kind not in Response.INTO_COMMITMENTS:
        return []
    n, link = sql.name, Response.commitments.through
    return [
        SimpleNamespace(number=number, slug=slug, title=title, plan=SimpleNamespace(slug=plan))
        for number, slug, title, plan in sql.fetch_all(
            f"SELECT c.{n(Commitment, 'number')}, c.{n(Commitment, 'slug')}, "  # noqa: S608
            f"c.{n(Commitment, 'title')}, p.{n(ActionPlan, 'slug')} FROM {n(link)} l "
            f"INNER JOIN {n(Commitment)} c ON c.{n(Commitment, 'id')} = l.{n(link, 'commitment')} "
            f"INNER JOIN {n(ActionPlan)} p ON p.{n(ActionPlan, 'id')} = c.{n(Commitment, 'plan')} "
            f"WHERE l.{n(link, 'response')} = %s "
            f"ORDER BY c.{n(Commitment, 'number')}, c.{n(Commitment, 'id')}",
            [response.pk],
        )
    ]


@dataclass
class Thread:
    comment: SimpleNamespace
    replies: list[SimpleNamespace] = field(default_factory=list)


def proposal_threads(*, proposal: Proposal) -> list[Thread]:
    """The comments as threads, from one ordered query of plain rows (ADR 4), shaped as the
    page reads a comment. Of its author, only the public name is read, never the rest of the
    account."""
    n, account = sql.name, get_user_model()
    hidden_labels = dict(Comment.HideReason.choices)
    threads: dict[int, Thread] = {}
    for (
        pk,
        public_id,
        parent_id,
        author_id,
        body,
        body_html,
        created_at,
        hidden_at,
        hidden_reason,
        hidden_note,
        public_name,
        deleted_at,
    ) in sql.fetch_all(
        f"SELECT c.{n(Comment, 'id')}, c.{n(Comment, 'public_id')}, "  # noqa: S608
        f"c.{n(Comment, 'parent')}, c.{n(Comment, 'author')}, c.{n(Comment, 'body')}, "
        f"c.{n(Comment, 'body_html')}, c.{n(Comment, 'created_at')}, "
        f"c.{n(Comment, 'hidden_at')}, c.{n(Comment, 'hidden_reason')}, "
        f"c.{n(Comment, 'hidden_note')}, u.{n(account, 'public_name')}, "
        f"u.{n(account, 'deleted_at')} FROM {n(Comment)} c "
        f"LEFT OUTER JOIN {n(account)} u ON u.{n(account, 'id')} = c.{n(Comment, 'author')} "
        f"WHERE c.{n(Comment, 'proposal')} = %s "
        f"ORDER BY c.{n(Comment, 'created_at')}, c.{n(Comment, 'id')}",
        [proposal.pk],
    ):
        comment = SimpleNamespace(
            pk=pk,
            id=pk,
            public_id=public_id,
            parent_id=parent_id,
            author_id=author_id,
            author=SimpleNamespace(display_name=display_name(public_name, deleted_at))
            if author_id is not None
            else None,
            body_markup=comment_markup(body_html, body),
            created_at=sql.moment(created_at),
            hidden_at=sql.moment(hidden_at),
            hidden_reason_label=str(hidden_labels.get(hidden_reason, "")),
            hidden_note=hidden_note,
        )
        if parent_id is None:
            threads[pk] = Thread(comment)
        elif parent_id in threads:
            threads[parent_id].replies.append(comment)
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
    """The proposals adopted, fully or partly, into a commitment. Asked first in plain SQL
    (cocrea.core.sql): most commitments were shaped by no proposal made here (every plan from
    before Cocrea), and the query below took a millisecond to build only to find nothing."""
    n, link = sql.name, Response.commitments.through
    kinds = Response.INTO_COMMITMENTS
    shaped = sql.fetch_one(
        f"SELECT 1 FROM {n(link)} l "  # noqa: S608 - names from the models, values as parameters
        f"INNER JOIN {n(Response)} r ON l.{n(link, 'response')} = r.{n(Response, 'id')} "
        f"INNER JOIN {n(Proposal)} p ON r.{n(Response, 'proposal')} = p.{n(Proposal, 'id')} "
        f"WHERE l.{n(link, 'commitment')} = %s "
        f"AND r.{n(Response, 'kind')} IN ({', '.join(['%s'] * len(kinds))}) "
        f"AND p.{n(Proposal, 'hidden_at')} IS NULL LIMIT 1",
        [commitment.pk, *kinds],
    )
    if shaped is None:
        return []
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


def open_flags() -> list[Flag]:
    """Flags awaiting a moderator, oldest first (the moderator's space)."""
    return list(
        Flag.objects.filter(resolved_at__isnull=True)
        .select_related("proposal", "comment", "comment__proposal")
        .order_by("created_at")[:200]
    )


def my_proposals(*, user: Any) -> list[Proposal]:
    return list(
        Proposal.objects.filter(author=user, workshop__isnull=True)
        .select_related("consultation", "response")
        .order_by("-created_at")
    )


def standard_assessments(*, plan_id: int) -> list[StandardAssessment]:
    """Each organisation's latest reading of each standard, newest first, with the organisation,
    through `sql.instances`: building the ORM query was a tenth of the standards panel (ADR 4)."""
    n = sql.name
    seen: set[tuple[int, int]] = set()
    current = []
    for assessment in sql.instances(
        StandardAssessment,
        f"SELECT {sql.all_columns(StandardAssessment, 's')}, "  # noqa: S608 - names from the models
        f"{sql.beside(Institution, 'o')} FROM {n(StandardAssessment)} s "
        f"INNER JOIN {n(Institution)} o "
        f"ON o.{n(Institution, 'id')} = s.{n(StandardAssessment, 'organisation')} "
        f"WHERE s.{n(StandardAssessment, 'plan')} = %s "
        f"ORDER BY s.{n(StandardAssessment, 'published_at')} DESC, "
        f"s.{n(StandardAssessment, 'id')} DESC",
        [plan_id],
    ):
        key = (assessment.standard, assessment.organisation_id)
        if key not in seen:
            seen.add(key)
            assessment.organisation = sql.attached_from(assessment, Institution)
            current.append(assessment)
    return current
