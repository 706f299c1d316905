"""The public read API, `/api/v1/` (django-ninja; OpenAPI 3.1 at `/api/v1/openapi.json`, read as
a page at /datos-abiertos/api/). Everything here is public already on the pages; the selectors
(opendata/selectors.py) keep drafts, hidden content and personal data out.

Every list is cursor-paginated in a stable order (`?cursor=`, `page_size` up to 200), filters
are typed and whitelisted (an unknown value is a 422, never a query), answers carry an ETag and
Last-Modified and honour If-None-Match / If-Modified-Since, reads are open to any origin (CORS),
and each client (by address) has a rate limit (COCREA_API_RATE)."""

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, File, NinjaAPI, Query, Schema, Status, UploadedFile
from ninja.errors import ValidationError as InputError
from ninja.pagination import CursorPagination, paginate
from ninja.params import functions as params
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from cocrea.forum.models import Meeting
from cocrea.opendata import schemas, selectors, services
from cocrea.participation.models import Department, Response
from cocrea.plans.models import ActionPlan, Institution, Milestone
from cocrea.search import selectors as search_selectors
from cocrea.search.models import Kind as SearchEntryKind
from cocrea.tracking.models import ProgressReport


class PerClient(SimpleRateThrottle):
    """Requests per client address, at the rate of the COCREA_API_RATE setting (read on each
    request, so a deployment can change it without code)."""

    scope = "client"

    def __init__(self) -> None:
        super().__init__(rate="1/s")

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.COCREA_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return bool(super().allow_request(request))

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


api = NinjaAPI(
    title="Cocrea",
    version="1",
    description=(
        "Open government action plans, their co-creation and their progress, as open data. "
        "Licence: CC BY 4.0."
    ),
    urls_namespace="api",
    docs_url=None,  # the documentation is a server-rendered page (opendata:api_docs), no JS
    throttle=[PerClient()],
)


@api.exception_handler(InputError)
def input_refused(request: HttpRequest, error: InputError) -> HttpResponse:
    """Ninja's 422 for input that does not fit the schema; but a file the upload handler
    stopped reading as too large (cocrea.core.uploads) never arrives, and a 422 saying the file
    is missing would mislead: it is a 400 that says the file is too large."""
    oversized = getattr(request, "oversized_upload", None)
    if oversized:
        message = gettext("The file %(name)s is larger than %(limit)s.") % {
            "name": oversized,
            "limit": filesizeformat(settings.COCREA_EVIDENCE_MAX_BYTES),
        }
        return api.create_response(request, {"detail": [message]}, status=400)
    return api.create_response(request, {"detail": error.errors}, status=422)


# Moments and days are ISO 8601 text. Pydantic would also read a number as seconds since 1970
# (`updated_since=0.5` was half a second past midnight, 1 January 1970): a number is refused.
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MOMENT_HELP = (
    "A moment in ISO 8601 (RFC 3339), such as 2025-01-31T08:00:00Z or 2025-01-31T08:00:00-06:00;"
    " without an offset it is the server's time zone (COCREA_TIME_ZONE, America/Guatemala), and"
    " a date alone (2025-01-31) is the start of that day there. Not a number."
)
DAY_HELP = "A date in ISO 8601, such as 2025-01-31. Not a number."


def _iso_text(value: Any) -> Any:
    if isinstance(value, date):  # a date or a datetime given from Python
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise PydanticCustomError(
            "iso_8601",
            "Give a date-time or a date in ISO 8601, such as 2025-01-31T08:00:00Z or 2025-01-31;"
            " a number is not accepted.",
        )
    return value


Moment = Annotated[
    datetime,
    BeforeValidator(_iso_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date-time"},
                {"type": "string", "format": "date"},
            ],
            "description": MOMENT_HELP,
        }
    ),
]
Day = Annotated[
    date,
    BeforeValidator(_iso_text),
    WithJsonSchema({"type": "string", "format": "date", "description": DAY_HELP}),
]


def _aware(moment: datetime | None) -> datetime | None:
    """A moment in UTC: naive ones are local time; any offset Python reads (even -19:29, which
    PostgreSQL refuses) becomes UTC; a moment beyond the calendar's ends is clamped to it."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        edge = datetime.min if moment.year < 2 else datetime.max
        return edge.replace(tzinfo=UTC)


# A cursor is a direction (n: onwards, r: backwards), how many rows to skip that sit exactly at
# the position, a dot, and the position: the ordering field's value as a whole number (a moment
# as microseconds since 1970-01-01 UTC). Every text the pattern admits names a place in the list,
# so the OpenAPI document says exactly which cursors are accepted; anything else is a 422.
CURSOR = r"^([nr][0-9]{1,6}\.-?[0-9]{1,18})?$"  # empty: the first page, as if left out
CURSOR_HELP = (
    "Where a page starts: take it from the `next` or `previous` link of the page before, and"
    " leave it out for the first page. A well-formed cursor this API did not give still names a"
    " place in the list (the answer may be empty); anything else is refused."
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


CURSOR_PARTS = re.compile(r"([nr])([0-9]+)\.(-?[0-9]+)")
CURSOR_REFUSED = (
    "Not a cursor of this API: follow the `next` or `previous` link of a page as it is,"
    " or leave `cursor` out to start from the first page."
)


def _cursor_text(value: str) -> str:
    if not re.fullmatch(CURSOR, value):
        raise PydanticCustomError("cursor", CURSOR_REFUSED)
    return value


CursorText = Annotated[
    str,
    AfterValidator(_cursor_text),
    WithJsonSchema({"type": "string", "pattern": CURSOR, "description": CURSOR_HELP}),
]


def _moment_at(microseconds: int) -> datetime:
    """The moment a cursor names; one past the calendar's ends is clamped to it."""
    try:
        return EPOCH + microseconds * MICROSECOND
    except OverflowError:
        edge = datetime.min if microseconds < 0 else datetime.max
        return edge.replace(tzinfo=UTC)


class Pages(CursorPagination):
    """Ninja's cursor pagination (its walk through the rows unchanged), with a cursor of our own
    grammar (CURSOR above) instead of base64 of a query string: ninja's took any base64, then
    failed with a 500 on whatever it decoded to (a NUL, a date on an integer field, `o=-1`).
    Its input is described exactly in the OpenAPI document: a page size from 1 to 200 and a
    cursor matching CURSOR."""

    class Input(Schema):
        page_size: int | None = Field(None, ge=1, le=200)
        cursor: CursorText | None = None

    class Cursor(CursorPagination.Cursor):
        o: int = Field(default=0, ge=0)  # ninja's limit of 100 rows at one position would 500

        @classmethod
        def from_encoded_param(
            cls, encoded_param: str | None, context: Any = None
        ) -> "Pages.Cursor":
            if not encoded_param:
                return cls()
            match = CURSOR_PARTS.fullmatch(encoded_param)
            if match is None or not re.fullmatch(CURSOR, encoded_param):  # Input checked it
                error = {"type": "cursor", "loc": ["query", "cursor"], "msg": CURSOR_REFUSED}
                raise InputError([error])
            direction, offset, position = match.groups()
            return cls(r=direction == "r", o=int(offset), p=str(int(position)))

        def encode_as_param(self) -> str:
            return f"{'r' if self.r else 'n'}{self.o}.{self.p}"

    def _get_position(self, item: Any) -> str:
        value = getattr(item, self._order_attribute)
        if isinstance(value, datetime):
            return str((value - EPOCH) // MICROSECOND)
        return str(int(value))

    def _find_position(self, queryset: QuerySet, cursor: CursorPagination.Cursor) -> QuerySet:
        if cursor.p is None:
            return queryset
        number = int(cursor.p)
        field = queryset.model._meta.get_field(self._order_attribute)
        value = _moment_at(number) if isinstance(field, models.DateTimeField) else number
        cmp = "gte" if cursor.r == self._order_attribute_reversed else "lte"
        return queryset.filter(**{f"{self._order_attribute}__{cmp}": value})


def _cursor(field: str) -> Any:
    """Pages in the order of `field`, rows at the same value by id: the cursor counts such rows
    (its offset), which means something only if they come in the same order every time."""
    return paginate(Pages, ordering=(field, "pk") if field != "id" else (field,))


def _listed(item: Any) -> dict[int, Any]:
    """A list's answers: the page, a NUL in the address (400, cocrea.core.badinput), a refused
    filter or cursor (422), too many requests (429)."""
    return {200: list[item], 400: schemas.ErrorOut, 422: schemas.ErrorOut, 429: schemas.ErrorOut}


def _named(name: str, choices: type[models.TextChoices]) -> WithJsonSchema:
    """A filter on a fixed set of values, described under its own name. Pydantic names an enum
    after its class, and ninja keeps one schema per name for the whole document: the three
    `Kind`s (institutions, responses, meetings) were all described by the last one, so a client
    sent `kind=forum` to the institutions and got a 422."""
    return WithJsonSchema({"title": name, "type": "string", "enum": list(choices.values)})


# Filters on a fixed set of values take the model's own choices: anything else is a 422.
PlanStatus = Annotated[ActionPlan.Status, _named("PlanStatus", ActionPlan.Status)]
Completion = Annotated[Milestone.Completion, _named("Completion", Milestone.Completion)]
InstitutionKind = Annotated[Institution.Kind, _named("InstitutionKind", Institution.Kind)]
AnswerKind = Annotated[Response.Kind, _named("ResponseKind", Response.Kind)]
DepartmentCode = Annotated[Department, _named("Department", Department)]
MeetingKind = Annotated[Meeting.Kind, _named("MeetingKind", Meeting.Kind)]
Slug = Annotated[str, Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]
PublicId = Annotated[str, Field(max_length=16, pattern=r"^[0-9a-f]+$")]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL stores no NUL character in text


SearchKind = Annotated[SearchEntryKind, _named("SearchKind", SearchEntryKind)]
MEMBER_HELP = (
    "An OGP member's code, as `/api/v1/members` gives it (GTM, GTM-XELA): that member's rows"
    " only. A code no member has finds nothing (an empty list)."
)
MemberCode = Annotated[str, Field(max_length=20, pattern=NO_NUL, description=MEMBER_HELP)]


class SearchFilters(Schema):
    q: Annotated[
        str,
        Field(
            max_length=200,
            pattern=NO_NUL,
            description='What to look for: words (with or without accents), "a phrase" in'
            " quotes, and a word ending in * for what begins with it. Without words, nothing"
            " is found.",
        ),
    ] = ""
    kind: SearchKind | None = None
    plan: Slug | None = None
    institution: Slug | None = None
    department: DepartmentCode | None = None
    policy_area: Slug | None = None
    since: Day | None = None
    until: Day | None = None
    page: int = Field(1, ge=1, le=10_000)


class PlanFilters(Schema):
    member: MemberCode | None = None
    status: PlanStatus | None = None
    updated_since: Moment | None = None


class MemberFilters(Schema):
    national: MemberCode | None = None


@api.get("/members", response=_listed(schemas.MemberOut), tags=["plans"])
@_cursor("created_at")
def member_list(request: HttpRequest, filters: Query[MemberFilters]) -> Any:
    """The OGP members in Cocrea: national governments and OGP Local jurisdictions. Their
    `code` is what every other list's `member` filter takes; `national` (a code) gives a
    country's OGP Local members."""
    return selectors.members(national=filters.national)


@api.get("/plans", response=_listed(schemas.PlanOut), tags=["plans"])
@_cursor("created_at")
def plan_list(request: HttpRequest, filters: Query[PlanFilters]) -> Any:
    """Action plans of every OGP member in Cocrea."""
    return selectors.plans(
        member=filters.member, status=filters.status, since=_aware(filters.updated_since)
    )


@api.get(
    "/plans/{slug}",
    response={
        200: schemas.PlanOut,
        400: schemas.ErrorOut,
        404: schemas.ErrorOut,
        422: schemas.ErrorOut,
        429: schemas.ErrorOut,
    },
    tags=["plans"],
)
def plan_detail(request: HttpRequest, slug: Slug) -> Any:
    """One action plan."""
    return get_object_or_404(selectors.plans(), slug=slug)


class CommitmentFilters(Schema):
    member: MemberCode | None = None
    plan: Slug | None = None
    institution: Slug | None = None
    policy_area: Slug | None = None
    updated_since: Moment | None = None


@api.get("/commitments", response=_listed(schemas.CommitmentOut), tags=["plans"])
@_cursor("created_at")
def commitment_list(request: HttpRequest, filters: Query[CommitmentFilters]) -> Any:
    """Commitments in OGP's template; filter by plan, institution (lead or supporting) and
    policy area."""
    return selectors.commitments(
        member=filters.member,
        plan=filters.plan,
        institution=filters.institution,
        area=filters.policy_area,
        since=_aware(filters.updated_since),
    )


class MilestoneFilters(Schema):
    member: MemberCode | None = None
    plan: Slug | None = None
    commitment: Slug | None = None
    institution: Slug | None = None
    completion: Completion | None = None
    due_before: Day | None = None
    updated_since: Moment | None = None


@api.get("/milestones", response=_listed(schemas.MilestoneOut), tags=["plans"])
@_cursor("created_at")
def milestone_list(request: HttpRequest, filters: Query[MilestoneFilters]) -> Any:
    """Milestones with their official completion; `due_before` finds the late ones."""
    return selectors.milestones(
        member=filters.member,
        plan=filters.plan,
        commitment=filters.commitment,
        institution=filters.institution,
        completion=filters.completion,
        due_before=filters.due_before.isoformat() if filters.due_before else None,
        since=_aware(filters.updated_since),
    )


class InstitutionFilters(Schema):
    member: MemberCode | None = None
    kind: InstitutionKind | None = None
    updated_since: Moment | None = None


@api.get("/institutions", response=_listed(schemas.InstitutionOut), tags=["plans"])
@_cursor("created_at")
def institution_list(request: HttpRequest, filters: Query[InstitutionFilters]) -> Any:
    """Government bodies, civil-society organisations and other actors."""
    return selectors.institutions(
        member=filters.member, kind=filters.kind, since=_aware(filters.updated_since)
    )


@api.get("/policy-areas", response=_listed(schemas.PolicyAreaOut), tags=["plans"])
@_cursor("position")
def policy_area_list(request: HttpRequest) -> Any:
    """OGP's policy-area taxonomy, with the column names of OGP's commitments database."""
    return selectors.policy_areas()


class ReportFilters(Schema):
    member: MemberCode | None = None
    plan: Slug | None = None
    institution: Slug | None = None
    completion: Completion | None = None
    published_since: Moment | None = None


@api.get("/progress-reports", response=_listed(schemas.ProgressReportOut), tags=["tracking"])
@_cursor("published_at")
def progress_report_list(request: HttpRequest, filters: Query[ReportFilters]) -> Any:
    """Published progress reports, with their evidence (files by SHA-256, and links)."""
    return selectors.progress_reports(
        member=filters.member,
        plan=filters.plan,
        institution=filters.institution,
        completion=filters.completion,
        since=_aware(filters.published_since),
    )


class PlanSince(Schema):
    member: MemberCode | None = None
    plan: Slug | None = None
    updated_since: Moment | None = None


@api.get("/assessments", response=_listed(schemas.AssessmentOut), tags=["tracking"])
@_cursor("published_at")
def assessment_list(request: HttpRequest, filters: Query[PlanSince]) -> Any:
    """Civil society's assessments of commitments and milestones."""
    return selectors.assessments(
        member=filters.member, plan=filters.plan, since=_aware(filters.updated_since)
    )


@api.get("/irm-reviews", response=_listed(schemas.IrmReviewOut), tags=["tracking"])
@_cursor("created_at")
def irm_review_list(request: HttpRequest, filters: Query[PlanSince]) -> Any:
    """The Independent Reporting Mechanism's findings per commitment."""
    return selectors.irm_reviews(
        member=filters.member, plan=filters.plan, since=_aware(filters.updated_since)
    )


class ConsultationFilters(Schema):
    member: MemberCode | None = None
    plan: Slug | None = None


@api.get("/consultations", response=_listed(schemas.ConsultationOut), tags=["co-creation"])
@_cursor("created_at")
def consultation_list(request: HttpRequest, filters: Query[ConsultationFilters]) -> Any:
    """Published consultations with their timeline."""
    return selectors.consultations(member=filters.member, plan=filters.plan)


class ProposalFilters(Schema):
    member: MemberCode | None = None
    consultation: Slug | None = None
    policy_area: Slug | None = None
    department: DepartmentCode | None = None
    updated_since: Moment | None = None


@api.get("/proposals", response=_listed(schemas.ProposalOut), tags=["co-creation"])
@_cursor("created_at")
def proposal_list(request: HttpRequest, filters: Query[ProposalFilters]) -> Any:
    """Public proposals (hidden ones are left out), with their counts of supports and
    comments; authors by public name only."""
    return selectors.proposals(
        member=filters.member,
        consultation=filters.consultation,
        area=filters.policy_area,
        department=filters.department,
        since=_aware(filters.updated_since),
    )


class ResponseFilters(Schema):
    member: MemberCode | None = None
    consultation: Slug | None = None
    kind: AnswerKind | None = None
    updated_since: Moment | None = None


@api.get("/responses", response=_listed(schemas.ResponseOut), tags=["co-creation"])
@_cursor("created_at")
def response_list(request: HttpRequest, filters: Query[ResponseFilters]) -> Any:
    """The point of contact's reasoned answers to proposals."""
    return selectors.responses(
        member=filters.member,
        consultation=filters.consultation,
        kind=filters.kind,
        since=_aware(filters.updated_since),
    )


class CommentFilters(Schema):
    member: MemberCode | None = None
    proposal: PublicId | None = None
    updated_since: Moment | None = None


@api.get("/comments", response=_listed(schemas.CommentOut), tags=["co-creation"])
@_cursor("created_at")
def comment_list(request: HttpRequest, filters: Query[CommentFilters]) -> Any:
    """Public comments on public proposals (hidden ones are left out)."""
    return selectors.comments(
        member=filters.member, proposal=filters.proposal, since=_aware(filters.updated_since)
    )


class MeetingFilters(Schema):
    member: MemberCode | None = None
    plan: Slug | None = None
    kind: MeetingKind | None = None
    updated_since: Moment | None = None


@api.get("/meetings", response=_listed(schemas.MeetingOut), tags=["co-creation"])
@_cursor("created_at")
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> Any:
    """Meetings of the multi-stakeholder forum, with agendas, minutes and decisions."""
    return selectors.meetings(
        member=filters.member,
        plan=filters.plan,
        kind=filters.kind,
        since=_aware(filters.updated_since),
    )


class EventFilters(Schema):
    context_type: (
        Annotated[str, Field(max_length=100, pattern=r"^[a-z0-9_]+\.[a-z0-9_]+$")] | None
    ) = None
    since: Moment | None = None


@api.get("/audit-events", response=_listed(schemas.AuditEventOut), tags=["history"])
@_cursor("id")
def audit_event_list(request: HttpRequest, filters: Query[EventFilters]) -> Any:
    """Public events of the hash-chained log (docs/audit-log.md); private events appear only
    in the full download, by their hashes."""
    return selectors.audit_events(since=_aware(filters.since), context_type=filters.context_type)


# Writing: progress-report drafts from an institution's own systems.


class InstitutionToken(HttpBearer):
    """`Authorization: Bearer <token>`: a token an institution's coordinator created."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return services.api_token_find(token)


# No space of any kind. `\S` alone differs between the regex engines: JSON Schema's (ECMAScript)
# counts U+FEFF as a space and U+0085 as not, the Rust one pydantic uses the other way round, so
# a client following the document sent U+0085 and got a 422. Both are named, so both agree.
WEB_ADDRESS = r"^https?://[^\s\u0085\ufeff]+$"


class LinkIn(Schema):
    url: Annotated[str, Field(max_length=500, pattern=WEB_ADDRESS)]
    title: Annotated[str, Field(max_length=200, pattern=NO_NUL)] = ""


class ReportIn(Schema):
    plan: Slug
    commitment: Slug
    milestone: Annotated[int, Field(ge=1, le=999)]
    completion: Completion
    percent: Annotated[int, Field(ge=0, le=100)]
    done: Annotated[str, Field(min_length=1, max_length=5000, pattern=NO_NUL)]
    facts_date: Day
    links: Annotated[list[LinkIn], Field(max_length=10)] = []


class ReportCreated(Schema):
    id: str
    status: str


class FileAdded(Schema):
    id: str
    title: str
    file_name: str
    content_type: str
    size: int
    sha256: str


class EvidenceAdded(Schema):
    id: str
    status: str
    evidence: FileAdded


def _written(created: Any) -> dict[int, Any]:
    """A write's answers: created, refused by a rule (400), no token (401), not this token's
    (403), not found (404), input that does not fit the schema (422), too many requests (429)."""
    return {
        201: created,
        400: schemas.ErrorOut,
        401: schemas.ErrorOut,
        403: schemas.ErrorOut,
        404: schemas.ErrorOut,
        422: schemas.ErrorOut,
        429: schemas.ErrorOut,
    }


@api.post(
    "/progress-reports",
    auth=InstitutionToken(),
    response=_written(ReportCreated),
    tags=["writing"],
)
def progress_report_submit(request: HttpRequest, payload: ReportIn) -> Any:
    """A progress-report draft on a milestone the token's institution is responsible for. It
    waits, like any draft, for the institution to send it and the point of contact to publish
    it. The token acts for its creator: if they can no longer report, the token cannot."""
    milestone = Milestone.objects.filter(
        commitment__plan__slug=payload.plan,
        commitment__slug=payload.commitment,
        number=payload.milestone,
    ).first()
    if milestone is None:
        return Status(404, {"detail": "No such milestone."})
    try:
        report = services.report_draft_submit(
            token=request.auth,  # type: ignore[attr-defined]
            milestone=milestone,
            completion=payload.completion,
            percent=payload.percent,
            done=payload.done,
            facts_date=payload.facts_date,
            links=[(link.url, link.title) for link in payload.links],
        )
    except PermissionDenied:
        return Status(403, {"detail": "This token may not report on that milestone."})
    except ValidationError as error:
        return Status(400, {"detail": error.messages})
    return Status(201, {"id": report.public_id, "status": report.status})


@api.post(
    "/progress-reports/{id}/evidence",
    auth=InstitutionToken(),
    response=_written(EvidenceAdded),
    tags=["writing"],
    # The form takes `file` and `title` and nothing else: said in the document, and held below.
    openapi_extra={
        "requestBody": {
            "content": {"multipart/form-data": {"schema": {"additionalProperties": False}}}
        }
    },
)
def progress_report_evidence_add(
    request: HttpRequest,
    id: PublicId,
    file: File[UploadedFile],
    title: Annotated[str, params.Form(max_length=200, pattern=NO_NUL)] = "",
) -> Any:
    """A file as evidence of a draft the token's institution made (`id` as the draft's creation
    answered), sent as multipart/form-data: `file`, and an optional `title` (the file's name
    otherwise). The file is checked from its content: size up to COCREA_EVIDENCE_MAX_BYTES, and
    a type accepted as evidence (PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV)
    that its name's extension agrees with. Only a draft or a returned report takes files; a
    submitted or published one is a 403."""
    unknown = sorted((set(request.POST) - {"title"}) | (set(request.FILES) - {"file"}))
    if unknown:
        return Status(400, {"detail": [f"Unknown field: {name}" for name in unknown[:10]]})
    report = ProgressReport.objects.filter(public_id=id).first()
    if report is None:
        return Status(404, {"detail": "No such report."})
    try:
        evidence = services.report_evidence_add(
            token=request.auth,  # type: ignore[attr-defined]
            report=report,
            upload=file,
            title=title,
        )
    except PermissionDenied:
        return Status(403, {"detail": "This token may not add evidence to that report."})
    except ValidationError as error:
        return Status(400, {"detail": error.messages})
    return Status(
        201,
        {
            "id": report.public_id,
            "status": report.status,
            "evidence": {
                "id": evidence.public_id,
                "title": evidence.title,
                "file_name": evidence.file_name,
                "content_type": evidence.content_type,
                "size": evidence.size,
                "sha256": evidence.sha256,
            },
        },
    )


@api.get(
    "/search",
    response={
        200: schemas.SearchPageOut,
        400: schemas.ErrorOut,
        422: schemas.ErrorOut,
        429: schemas.ErrorOut,
    },
    tags=["search"],
)
def search(request: HttpRequest, filters: Query[SearchFilters]) -> Any:
    """The site's search (the page /buscar/): public things that match, best first, a page of
    20 at a time, with the same filters. A plan or institution that does not exist finds
    nothing; a query with no words in it (operators only) finds nothing."""
    plan = institution = None
    if filters.plan:
        plan = ActionPlan.objects.filter(slug=filters.plan).values_list("pk", flat=True).first()
    if filters.institution:
        institution = (
            Institution.objects.filter(slug=filters.institution)
            .values_list("pk", flat=True)
            .first()
        )
    if (filters.plan and plan is None) or (filters.institution and institution is None):
        return {"count": 0, "more": False, "page": 1, "pages": 0, "results": []}
    found = search_selectors.search(
        filters.q,
        search_selectors.Filters(
            kind=filters.kind or "",
            plan=plan,
            institution=institution,
            department=filters.department or "",
            policy_area=filters.policy_area or "",
            since=filters.since,
            until=filters.until,
        ),
        page=filters.page,
    )
    page = found.page
    return {
        "count": found.count,
        "more": found.more,
        "page": page.number if page is not None else 1,
        "pages": page.paginator.num_pages if page is not None and found.count else 0,
        "results": [
            {
                "kind": result.entry.kind,
                "title": str(result.title),
                "context": result.entry.context,
                "snippet": str(result.snippet),
                "url": result.entry.url,
                "date": result.entry.date,
            }
            for result in found.results
        ],
    }
