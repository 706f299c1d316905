"""Reporting progress, publishing or returning reports, civil society's assessments, and the
evidence files. Every view checks the rule against the object it acts on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cocrea.core.decorators import acts
from cocrea.core.ratelimits import submission_limited
from cocrea.plans import selectors as plan_selectors
from cocrea.plans.models import Milestone
from cocrea.plans.refusals import account_reason, membership_reason
from cocrea.plans.rules import allowed, civil_society_organisations
from cocrea.tracking import selectors, services
from cocrea.tracking.forms import AssessmentForm, IrmReviewForm, ReportForm, ReturnForm
from cocrea.tracking.models import Evidence, IrmReview, ProgressReport


def _oversized(request: HttpRequest) -> str | None:
    """The file the upload handler stopped reading as too large, if any (core.uploads). Reading
    request.POST first makes Django parse the upload, which is when the handler runs."""
    if request.method != "POST":
        return None
    request.POST  # noqa: B018 - parse the body now
    return getattr(request, "oversized_upload", None)


def _error_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def get_report_for_user(request: HttpRequest, public_id: str, permission: str) -> ProgressReport:
    """The report, or 404 if it does not exist or this person may not even see it, 403 if they
    may see it but not do this."""
    report = selectors.report_get(public_id=public_id)
    if not allowed("tracking.view_report", request.user, report):
        raise Http404
    if not allowed(permission, request.user, report):
        raise PermissionDenied
    return report


@acts("tracking.report_progress")
@require_http_methods(["GET", "POST"])
@login_required
def report_new(request: HttpRequest, plan_slug: str, slug: str, number: int) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    milestone = selectors.milestone_get(plan_slug=plan_slug, commitment_slug=slug, number=number)
    if not allowed("tracking.report_progress", request.user, milestone):
        raise PermissionDenied
    corrects = None
    if request.GET.get("corrige"):
        corrects = get_object_or_404(
            ProgressReport,
            public_id=request.GET["corrige"],
            milestone=milestone,
            status=ProgressReport.Status.PUBLISHED,
        )
    form = ReportForm(request.POST or None, request.FILES or None, oversized=_oversized(request))
    if request.method == "POST" and form.is_valid():
        files, links = form.evidence()
        try:
            report = services.progress_report_create(
                actor=request.user,
                milestone=milestone,
                completion=form.cleaned_data["completion"],
                percent=form.cleaned_data["percent"],
                done=form.cleaned_data["done"],
                facts_date=form.cleaned_data["facts_date"],
                corrects=corrects,
                files=files,
                links=links,
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(
                request,
                _("Draft saved. Add more evidence if needed, then send it for publication."),
            )
            return redirect("tracking:report", public_id=report.public_id)
    return render(
        request,
        "tracking/report_new.html",
        {"milestone": milestone, "form": form, "corrects": corrects},
        status=400 if form.errors else 200,
    )


@acts("tracking.edit_report")
@require_http_methods(["GET", "POST"])
@login_required
def report_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The report as its institution and the point of contact see it; its officials change it
    here while it is a draft (POST)."""
    if limited := submission_limited(request):
        return limited
    report = selectors.report_get(public_id=public_id)
    user = request.user
    if not allowed("tracking.view_report", user, report):
        raise Http404
    can_edit = allowed("tracking.edit_report", user, report)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    initial = {
        "completion": report.completion,
        "percent": report.percent,
        "done": report.done,
        "facts_date": report.facts_date,
    }
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        oversized=_oversized(request),
    )
    if request.method == "POST" and form.is_valid():
        files, links = form.evidence()
        try:
            services.progress_report_update(
                actor=user,
                report=report,
                completion=form.cleaned_data["completion"],
                percent=form.cleaned_data["percent"],
                done=form.cleaned_data["done"],
                facts_date=form.cleaned_data["facts_date"],
                files=files,
                links=links,
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("tracking:report", public_id=report.public_id)
    return render(
        request,
        "tracking/report_detail.html",
        {
            "report": report,
            "form": form if can_edit else None,
            "can_submit": can_edit,
            "can_publish": allowed("tracking.publish_report", user, report),
            "return_form": ReturnForm(),
        },
        status=400 if form.errors else 200,
    )


@acts("tracking.submit_report")
@require_POST
@login_required
def report_submit(request: HttpRequest, public_id: str) -> HttpResponse:
    report = get_report_for_user(request, public_id, "tracking.submit_report")
    services.progress_report_submit(actor=request.user, report=report)
    messages.success(request, _("The report was sent to the point of contact for publication."))
    return redirect("tracking:report", public_id=report.public_id)


@acts("tracking.publish_report")
@require_POST
@login_required
def report_publish(request: HttpRequest, public_id: str) -> HttpResponse:
    report = get_report_for_user(request, public_id, "tracking.publish_report")
    services.progress_report_publish(actor=request.user, report=report)
    messages.success(request, _("The report is published."))
    return redirect(report.milestone.commitment.get_absolute_url() + "#seguimiento")


@acts("tracking.return_report")
@require_POST
@login_required
def report_return(request: HttpRequest, public_id: str) -> HttpResponse:
    report = get_report_for_user(request, public_id, "tracking.return_report")
    form = ReturnForm(request.POST)
    if form.is_valid():
        services.progress_report_return(
            actor=request.user, report=report, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The report was returned to its institution."))
    else:
        messages.error(request, _("Say why the report is returned."))
    return redirect("tracking:report", public_id=report.public_id)


@acts("tracking.assess")
@require_http_methods(["GET", "POST"])
@login_required
def assessment_new(request: HttpRequest, plan_slug: str, slug: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    commitment = plan_selectors.commitment_get(plan_slug=plan_slug, slug=slug)
    if not allowed("tracking.assess", request.user, commitment):
        # Said, not only refused: verify the address, or join an organisation (its link).
        reason = account_reason(
            request.user, request.path, login_text=_("Log in to publish an assessment.")
        ) or membership_reason(request.user, commitment)
        return render(request, "403.html", {"reason": reason}, status=403)
    organisations = civil_society_organisations(request.user, commitment)
    form = AssessmentForm(
        request.POST or None,
        request.FILES or None,
        oversized=_oversized(request),
        organisations=organisations,
        milestones=Milestone.objects.filter(commitment=commitment).order_by("number"),
        initial={"milestone": request.GET.get("hito") or None},
    )
    if request.method == "POST" and form.is_valid():
        files, links = form.evidence()
        try:
            services.assessment_publish(
                actor=request.user,
                commitment=commitment,
                organisation=form.cleaned_data["organisation"],
                milestone=form.cleaned_data["milestone"],
                completion=form.cleaned_data["completion"],
                reading=form.cleaned_data["reading"],
                files=files,
                links=links,
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(request, _("Your assessment is published."))
            return redirect(commitment.get_absolute_url() + "#seguimiento")
    return render(
        request,
        "tracking/assessment_new.html",
        {"commitment": commitment, "form": form},
        status=400 if form.errors else 200,
    )


@require_safe
def evidence_file(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """A file of a published report or of an assessment: anyone. A draft's: only who may see
    the report. Always as a download, with the type found when it was checked."""
    evidence: Evidence = selectors.evidence_get(public_id=public_id)
    report = evidence.report
    if report is not None and not allowed("tracking.view_report", request.user, report):
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.file_name, content_type=evidence.content_type
    )
    public = report is None or report.status == ProgressReport.Status.PUBLISHED
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response


@acts("tracking.record_irm_review")
@require_http_methods(["GET", "POST"])
@login_required
def irm_review(request: HttpRequest, plan_slug: str, slug: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    commitment = plan_selectors.commitment_get(plan_slug=plan_slug, slug=slug)
    if not allowed("tracking.record_irm_review", request.user, commitment):
        raise PermissionDenied
    current = IrmReview.objects.filter(commitment=commitment).first()
    form = IrmReviewForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.irm_review_save(
                actor=request.user, commitment=commitment, review=form.instance
            )
        except ValidationError as error:
            messages.error(request, _error_messages(error))
        else:
            messages.success(request, _("The IRM's findings were recorded."))
            return redirect(commitment.get_absolute_url() + "#irm")
    return render(
        request,
        "tracking/irm_review.html",
        {"commitment": commitment, "form": form},
        status=400 if form.errors else 200,
    )
