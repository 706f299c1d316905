"""The forum's public pages (its members, rules and meetings) and the point of contact's pages
to announce, change, cancel and document meetings. Every acting view checks the rule."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cocrea.core.decorators import acts, public_page
from cocrea.core.ratelimits import submission_limited
from cocrea.forum import selectors, services
from cocrea.forum.forms import CancelForm, DocumentForm, MeetingForm, MinutesForm
from cocrea.forum.models import Forum, ForumSeat, Meeting
from cocrea.plans.models import ActionPlan
from cocrea.plans.rules import allowed


def _oversized(request: HttpRequest) -> str | None:
    """The file the upload handler stopped reading as too large, if any (core.uploads)."""
    if request.method != "POST":
        return None
    request.POST  # noqa: B018 - parse the body now
    return getattr(request, "oversized_upload", None)


def _error_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _forum_page(request: HttpRequest, forum: Forum | None) -> HttpResponse:
    if forum is None:
        return render(request, "forum/forum_detail.html", {"forum": None})
    today = timezone.localdate()
    seats = selectors.active_seats(forum, today)
    return render(
        request,
        "forum/forum_detail.html",
        {
            "forum": forum,
            "sectors": selectors.by_sector(seats),
            "seat_count": len(seats),
            "meetings": selectors.forum_meetings(forum),
            "can_manage": allowed("forum.manage", request.user, forum),
        },
    )


@public_page
def index(request: HttpRequest) -> HttpResponse:
    """The forum of the default OGP member (the one the home page shows)."""
    return _forum_page(request, selectors.forum_default())


@public_page
def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _forum_page(request, selectors.forum_get(slug))


@public_page
def meeting_detail(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    meeting = selectors.meeting_get(slug, public_id)
    return render(
        request,
        "forum/meeting_detail.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "attendance": selectors.attendance_by_sector(meeting),
            "is_past": meeting.starts_at <= timezone.now(),
            "can_manage": allowed("forum.manage", request.user, meeting.forum),
        },
    )


@require_safe
def document_file(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """A meeting's file, always as a download, with the type found when it was checked."""
    document = selectors.document_get(public_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.file_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _manager_only(request: HttpRequest, forum: Forum) -> None:
    if not allowed("forum.manage", request.user, forum):
        raise PermissionDenied


def _plans(forum: Forum) -> Any:
    return ActionPlan.objects.filter(member_id=forum.member_id).order_by("-number")


def _meeting_fields(form: MeetingForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "title": data["title"],
        "plan": data["plan"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "place": data["place"],
        "online_url": data["online_url"],
        "agenda": data["agenda"],
    }


@acts("forum.manage")
@require_http_methods(["GET", "POST"])
@login_required
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    forum = selectors.forum_get(slug)
    _manager_only(request, forum)
    form = MeetingForm(request.POST or None, plans=_plans(forum))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, forum=forum, **_meeting_fields(form)
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(request, _("The meeting is announced."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "forum/meeting_form.html",
        {"forum": forum, "meeting": None, "form": form},
        status=400 if form.errors else 200,
    )


def _meeting_for_manager(request: HttpRequest, slug: str, public_id: str) -> Meeting:
    meeting = selectors.meeting_get(slug, public_id)
    _manager_only(request, meeting.forum)
    return meeting


@acts("forum.manage")
@require_http_methods(["GET", "POST"])
@login_required
def meeting_edit(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    meeting = _meeting_for_manager(request, slug, public_id)
    if meeting.status != Meeting.Status.SCHEDULED:
        messages.error(request, _("Only a scheduled meeting can be changed."))
        return redirect(meeting.get_absolute_url())
    initial = {
        "kind": meeting.kind,
        "title": meeting.title,
        "plan": meeting.plan_id,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "agenda": meeting.agenda,
    }
    form = MeetingForm(request.POST or None, initial=initial, plans=_plans(meeting.forum))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **_meeting_fields(form))
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(request, _("The meeting was changed."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "forum/meeting_form.html",
        {"forum": meeting.forum, "meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


@acts("forum.manage")
@require_http_methods(["GET", "POST"])
@login_required
def meeting_cancel(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    meeting = _meeting_for_manager(request, slug, public_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(request, _("The meeting is cancelled."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "forum/meeting_cancel.html",
        {"forum": meeting.forum, "meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


@acts("forum.manage")
@require_http_methods(["GET", "POST"])
@login_required
def meeting_minutes(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    meeting = _meeting_for_manager(request, slug, public_id)
    seats: list[ForumSeat] = selectors.active_seats(
        meeting.forum, timezone.localdate(meeting.starts_at)
    )
    initial = {
        "minutes": meeting.minutes,
        "decisions": "\n".join(d.text for d in meeting.decisions.all()),
        "attendance": [a.seat_id for a in meeting.attendance.all()],
        "other_participants": meeting.other_participants,
    }
    form = MinutesForm(request.POST or None, initial=initial, seats=seats)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_minutes_publish(
                actor=request.user,
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                decisions=form.decision_texts(),
                seats=form.cleaned_data["attendance"],
                other_participants=form.cleaned_data["other_participants"],
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(request, _("The minutes are published."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "forum/meeting_minutes.html",
        {"forum": meeting.forum, "meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


@acts("forum.manage")
@require_http_methods(["GET", "POST"])
@login_required
def document_new(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    meeting = _meeting_for_manager(request, slug, public_id)
    form = DocumentForm(request.POST or None, request.FILES or None, oversized=_oversized(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_document_add(
                actor=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(request, _("The document was added."))
            return redirect(meeting.get_absolute_url() + "#documents")
    return render(
        request,
        "forum/document_new.html",
        {"forum": meeting.forum, "meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )
