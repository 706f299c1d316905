"""The drafting pages: a consultation's drafts, a draft section by section with its comments,
any version, the comparison of two versions; and the acting pages, each checking its rule on
the object it acts on."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocrea.core.decorators import acts, public_page
from cocrea.core.ratelimits import submission_limited
from cocrea.drafting import selectors, services
from cocrea.drafting.compare import compare_versions
from cocrea.drafting.forms import (
    ApproveForm,
    CommentForm,
    HideForm,
    VersionForm,
    WithdrawForm,
)
from cocrea.drafting.models import VALUE_SECTIONS, Draft, DraftVersion, SectionComment
from cocrea.drafting.refusals import comment_reason
from cocrea.participation.models import Consultation
from cocrea.plans.rules import allowed


def _error_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (an empty POST is a bad submission, not a
    first visit)."""
    return request.POST if request.method == "POST" else None


def _phase_today(consultation: Consultation) -> Any:
    return consultation.phase_on(timezone.localdate())


def get_draft_for_user(request: HttpRequest, public_id: str, permission: str) -> Draft:
    """The draft (404 if it is not public), or 403 if this person may not do this with it."""
    draft = selectors.draft_get(public_id=public_id)
    if not allowed(permission, request.user, draft):
        raise PermissionDenied
    return draft


@public_page
def draft_list(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_get(slug=slug)
    return render(
        request,
        "drafting/draft_list.html",
        {
            "consultation": consultation,
            "phase": _phase_today(consultation),
            "commenting": selectors.draft_commenting(
                consultation=consultation, today=timezone.localdate()
            ),
            "drafts": list(selectors.consultation_drafts(consultation=consultation)),
            "can_create": allowed("drafting.create_draft", request.user, consultation),
        },
    )


def _draft_page(
    request: HttpRequest, draft: Draft, comment_form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    version = selectors.version_get(draft=draft)
    return render(
        request,
        "drafting/draft_detail.html",
        {
            "draft": draft,
            "version": version,
            "history": selectors.draft_history(draft=draft),
            "sections": selectors.sections_with_comments(draft=draft),
            "value_sections": VALUE_SECTIONS,
            "phase": _phase_today(draft.consultation),
            "commenting": selectors.draft_commenting(
                consultation=draft.consultation, today=timezone.localdate()
            ),
            "can_comment": allowed("drafting.comment", user, draft),
            "comment_reason": comment_reason(user, draft, request.path),
            "can_add_version": allowed("drafting.add_version", user, draft),
            "can_approve": allowed("drafting.approve", user, draft),
            "can_hide": allowed("drafting.hide_comment", user, SectionComment(version=version)),
            "comment_form": comment_form,
        },
        status=status,
    )


@public_page
def draft_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _draft_page(request, selectors.draft_get(public_id=public_id))


@public_page
def version_detail(request: HttpRequest, public_id: str, number: int) -> HttpResponse:
    draft = selectors.draft_get(public_id=public_id)
    version = selectors.version_get(draft=draft, number=number)
    return render(
        request,
        "drafting/version_detail.html",
        {
            "draft": draft,
            "version": version,
            "history": selectors.draft_history(draft=draft),
            "sections": selectors.sections_with_comments(draft=draft, version=version),
            "value_sections": VALUE_SECTIONS,
        },
    )


def _version_number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 6 else None


@public_page
def compare(request: HttpRequest, public_id: str) -> HttpResponse:
    """Two versions side by side, word by word: ?de=1&a=2. Without both, the last two; a
    missing, malformed or unknown number gets a message, not an error page."""
    draft = selectors.draft_get(public_id=public_id)
    history = selectors.draft_history(draft=draft)
    numbers = [v.number for v in history]
    given = {"de": request.GET.get("de"), "a": request.GET.get("a")}
    error = ""
    before_n: int | None
    after_n: int | None
    if given["de"] is None and given["a"] is None:
        before_n, after_n = (numbers[-2], numbers[-1]) if len(numbers) > 1 else (None, None)
        if before_n is None:
            error = _("This draft has only one version: there is nothing to compare yet.")
    else:
        before_n, after_n = _version_number(given["de"]), _version_number(given["a"])
        if before_n is None or after_n is None:
            error = _("Choose two versions to compare, by their numbers.")
        elif before_n not in numbers or after_n not in numbers:
            error = _("This draft has no version with that number. Its versions are: %(list)s.") % {
                "list": ", ".join(str(n) for n in numbers)
            }
    diffs = []
    if not error and before_n is not None and after_n is not None:
        found = selectors.versions_by_number(draft=draft, numbers=[before_n, after_n])
        diffs = compare_versions(found[before_n], found[after_n])
    return render(
        request,
        "drafting/compare.html",
        {
            "draft": draft,
            "history": history,
            "before": before_n,
            "after": after_n,
            "diffs": diffs,
            "error": error,
        },
        status=400 if error and (given["de"] is not None or given["a"] is not None) else 200,
    )


@acts("drafting.create_draft")
@require_http_methods(["GET", "POST"])
@login_required
def draft_new(request: HttpRequest, slug: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    consultation = selectors.consultation_get(slug=slug)
    if not allowed("drafting.create_draft", request.user, consultation):
        raise PermissionDenied
    form = VersionForm(_posted(request), first=True)
    if request.method == "POST" and form.is_valid():
        fields = form.version_fields()
        try:
            draft = services.draft_create(
                actor=request.user,
                consultation=consultation,
                title=fields["title"],
                version=fields,
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(request, _("The draft is published for comment."))
            return redirect("drafting:draft", public_id=draft.public_id)
    return render(
        request,
        "drafting/version_form.html",
        {"consultation": consultation, "draft": None, "form": form},
        status=400 if form.errors else 200,
    )


def _initial(version: DraftVersion) -> dict[str, Any]:
    initial = {name: getattr(version, name) for name in VersionForm.Meta.fields}
    initial["lead_institution"] = version.lead_institution_id
    initial["change_note"] = ""
    return initial


@acts("drafting.add_version")
@require_http_methods(["GET", "POST"])
@login_required
def version_new(request: HttpRequest, public_id: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    draft = get_draft_for_user(request, public_id, "drafting.add_version")
    latest = selectors.version_get(draft=draft)
    form = VersionForm(_posted(request), initial=_initial(latest))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.draft_version_add(
                actor=request.user, draft=draft, version=form.version_fields()
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(
                request, _("Version %(number)s is published.") % {"number": version.number}
            )
            return redirect("drafting:draft", public_id=draft.public_id)
    return render(
        request,
        "drafting/version_form.html",
        {"consultation": draft.consultation, "draft": draft, "latest": latest, "form": form},
        status=400 if form.errors else 200,
    )


@acts("drafting.comment")
@require_POST
@login_required
def comment_add(request: HttpRequest, public_id: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    draft = get_draft_for_user(request, public_id, "drafting.comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        section = form.cleaned_data["section"]
        try:
            services.section_comment_add(
                actor=request.user, draft=draft, section=section, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(f"{draft.get_absolute_url()}#seccion-{section}")
    return _draft_page(request, draft, comment_form=form, status=400)


@acts("drafting.approve")
@require_http_methods(["GET", "POST"])
@login_required
def approve(request: HttpRequest, public_id: str) -> HttpResponse:
    """The point of contact records the version the forum approved; it becomes a commitment."""
    if limited := submission_limited(request):
        return limited
    draft = get_draft_for_user(request, public_id, "drafting.approve")
    history = selectors.draft_history(draft=draft)
    form = ApproveForm(
        _posted(request), versions=history, meetings=selectors.meetings_for(draft=draft)
    )
    if request.method == "POST" and form.is_valid():
        version = get_object_or_404(DraftVersion, draft=draft, number=form.cleaned_data["version"])
        try:
            draft = services.draft_approve(
                actor=request.user,
                draft=draft,
                version=version,
                meeting=form.cleaned_data.get("meeting"),
            )
        except ValidationError as error:
            form.add_error(None, _error_messages(error))
        else:
            messages.success(request, _("The approved version is now a commitment of the plan."))
            return redirect("drafting:draft", public_id=draft.public_id)
    return render(
        request,
        "drafting/approve.html",
        {"draft": draft, "form": form, "withdraw_form": WithdrawForm()},
        status=400 if form.errors else 200,
    )


@acts("drafting.withdraw")
@require_POST
@login_required
def withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    draft = get_draft_for_user(request, public_id, "drafting.withdraw")
    form = WithdrawForm(request.POST)
    if form.is_valid():
        services.draft_withdraw(actor=request.user, draft=draft, reason=form.cleaned_data["reason"])
        messages.success(request, _("The draft was withdrawn."))
        return redirect("drafting:draft", public_id=draft.public_id)
    return render(
        request,
        "drafting/approve.html",
        {
            "draft": draft,
            "form": ApproveForm(
                versions=selectors.draft_history(draft=draft),
                meetings=selectors.meetings_for(draft=draft),
            ),
            "withdraw_form": form,
        },
        status=400,
    )


@acts("drafting.hide_comment")
@require_http_methods(["GET", "POST"])
@login_required
def comment_hide(request: HttpRequest, public_id: str) -> HttpResponse:
    comment = get_object_or_404(
        SectionComment.objects.select_related("version__draft__consultation", "author"),
        public_id=public_id,
    )
    if not allowed("drafting.hide_comment", request.user, comment):
        raise PermissionDenied
    form = HideForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.section_comment_hide(
            actor=request.user,
            comment=comment,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The comment is hidden; the reason is public."))
        draft = comment.version.draft
        return redirect(f"{draft.get_absolute_url()}#seccion-{comment.section}")
    return render(
        request,
        "drafting/comment_hide.html",
        {"comment": comment, "draft": comment.version.draft, "form": form},
        status=400 if form.errors else 200,
    )
