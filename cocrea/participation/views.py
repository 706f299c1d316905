"""Consultation pages: the timeline, proposals with their comments, supports and answers, the
moderation log and the co-creation standards panel. Every acting view checks its rule on the
object it acts on; refusals change nothing."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocrea.core.decorators import acts, public_page
from cocrea.core.ratelimits import submission_limited
from cocrea.participation import selectors, services
from cocrea.participation.forms import (
    CommentForm,
    FlagForm,
    HideForm,
    ProposalForm,
    ResponseForm,
    StandardAssessmentForm,
    WorkshopForm,
)
from cocrea.participation.models import Comment, Department, Proposal, Response, Workshop
from cocrea.participation.refusals import discuss_reason, propose_reason
from cocrea.participation.standards import standards_panel
from cocrea.plans import selectors as plan_selectors
from cocrea.plans.models import Institution, Membership
from cocrea.plans.refusals import account_reason, membership_reason
from cocrea.plans.rules import allowed, civil_society_organisations


def _refused(request: HttpRequest, form: Any, error: ValidationError) -> None:
    """A service's refusal, shown on the form it came from."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _require(permission: str, request: HttpRequest, obj: object) -> None:
    if not allowed(permission, request.user, obj):
        raise PermissionDenied


@public_page
def consultation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "participation/consultation_list.html",
        {"consultations": selectors.consultation_list(), "today": today},
    )


@public_page
def consultation(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.consultation_get(slug=slug, user=request.user)
    today = timezone.localdate()
    return render(
        request,
        "participation/consultation.html",
        {
            "consultation": item,
            "phases": item.ordered_phases(),
            "current": item.phase_on(today),
            "next_phase": item.next_phase(today),
            "today": today,
            "figures": selectors.consultation_figures(consultation=item),
            "kinds": Response.Kind,
            "can_propose": allowed("participation.propose", request.user, item),
            "propose_reason": propose_reason(request.user, item, request.path),
            "can_record_workshop": allowed("participation.record_workshop", request.user, item),
            "workshops": list(item.workshops.order_by("-held_on")[:50]),
        },
    )


@public_page
def proposals(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.consultation_get(slug=slug, user=request.user)
    filters = selectors.proposal_filters(request.GET)
    page = selectors.proposal_page(
        consultation=item, filters=filters, number=request.GET.get("page")
    )
    return render(
        request,
        "participation/proposal_list.html",
        {
            "consultation": item,
            "page": page,
            "filters": filters,
            "areas": plan_selectors.policy_area_choices(),
            "departments": Department.choices,
            "answers": Response.Kind.choices,
            # Labels looked up once, not per row (get_FOO_display rebuilds its map each call),
            # and the proposal address built from one reverse(): lean rows (docs/adr/0002).
            "department_labels": dict(Department.choices),
            "answer_labels": {value: str(label) for value, label in Response.Kind.choices},
            "proposal_url": reverse("participation:proposal", kwargs={"public_id": "0"})[:-2],
            "unanswered": selectors.UNANSWERED,
            "sorts": selectors.SORTS,
            "can_propose": allowed("participation.propose", request.user, item),
            "propose_reason": propose_reason(request.user, item, request.path),
        },
    )


@public_page
def proposal(request: HttpRequest, public_id: str) -> HttpResponse:
    item = selectors.proposal_get(public_id=public_id)
    consultation = item.consultation
    if not consultation.is_published and not allowed(
        "participation.manage_consultation", request.user, consultation
    ):
        raise Http404
    user: Any = request.user
    return render(
        request,
        "participation/proposal.html",
        {
            "proposal": item,
            "consultation": consultation,
            "response": getattr(item, "response", None),
            "commitments": selectors.response_commitments(proposal=item),
            "threads": selectors.proposal_threads(proposal=item),
            "supported": selectors.supports(user=user, proposal=item),
            "can_support": allowed("participation.support", user, item),
            "can_comment": allowed("participation.comment", user, item),
            "discuss_reason": discuss_reason(user, item, request.path),
            "can_respond": allowed("participation.respond", user, item),
            "can_flag": allowed("participation.flag", user, item),
            "can_moderate": allowed("participation.moderate", user, item),
            "comment_form": CommentForm(),
            "viewer_id": getattr(user, "pk", None),
        },
    )


@acts("participation.propose")
@require_http_methods(["GET", "POST"])
@login_required
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    item = selectors.consultation_get(slug=slug, user=request.user)
    staff = allowed("participation.record_workshop", request.user, item)
    if not (allowed("participation.propose", request.user, item) or staff):
        # The refusal says why and what to do (the phase's dates, verifying the address).
        reason = propose_reason(request.user, item, request.path)
        return render(request, "403.html", {"reason": reason}, status=403)
    organisations = list(
        Institution.objects.filter(
            memberships__user=request.user.pk, memberships__status=Membership.Status.APPROVED
        ).order_by("name")
    )
    form = ProposalForm(
        request.POST or None,
        organisations=organisations,
        workshops=Workshop.objects.filter(consultation=item).order_by("-held_on")
        if staff
        else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.proposal_create(
                actor=request.user,
                consultation=item,
                title=data["title"],
                problem=data["problem"],
                proposal=data["proposal"],
                policy_area=data.get("policy_area"),
                department=data.get("department") or "",
                municipality=data.get("municipality") or "",
                organisation=data.get("organisation"),
                workshop=data.get("workshop"),
                follow=bool(data.get("follow")),
            )
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Your proposal is published."))
            return redirect(created)
    return render(
        request,
        "participation/proposal_form.html",
        {"consultation": item, "form": form},
        status=400 if form.errors else 200,
    )


@acts("participation.support")
@require_POST
@login_required
def support(request: HttpRequest, public_id: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    item = selectors.proposal_get(public_id=public_id)
    _require("participation.support", request, item)
    try:
        services.support_add(actor=request.user, proposal=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You support this proposal."))
    return redirect(item)


@acts("participation.comment")
@require_POST
@login_required
def comment(request: HttpRequest, public_id: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    item = selectors.proposal_get(public_id=public_id)
    _require("participation.comment", request, item)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(public_id=form.cleaned_data["parent"]).first()
            if parent is None:
                messages.error(request, _("The comment you replied to does not exist."))
                return redirect(item)
        try:
            services.comment_add(
                actor=request.user,
                proposal=item,
                body=form.cleaned_data["body"],
                parent=parent,
                follow=form.cleaned_data["follow"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(f"{item.get_absolute_url()}#comentarios")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(item)


@acts("participation.respond")
@require_http_methods(["GET", "POST"])
@login_required
def respond(request: HttpRequest, public_id: str) -> HttpResponse:
    item = selectors.proposal_get(public_id=public_id)
    _require("participation.respond", request, item)
    current = getattr(item, "response", None)
    initial = {}
    if current is not None:
        initial = {
            "kind": current.kind,
            "reasons": current.reasons,
            "commitments": list(current.commitments.all()),
            "merged_into": current.merged_into.public_id if current.merged_into else None,
        }
    form = ResponseForm(
        request.POST or None,
        initial=initial,
        proposal=item,
        merge_targets=selectors.merge_targets(proposal=item),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.response_save(
                actor=request.user,
                proposal=item,
                kind=data["kind"],
                reasons=data["reasons"],
                commitments=data["commitments"],
                merged_into=data.get("merged_into"),
            )
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("The answer is public and the proposer has been told."))
            return redirect(item)
    return render(
        request,
        "participation/respond.html",
        {"proposal": item, "form": form},
        status=400 if form.errors else 200,
    )


def _target(kind: str, public_id: str) -> Proposal | Comment:
    if kind not in ("propuestas", "comentarios"):
        raise Http404
    if kind == "comentarios":
        return get_object_or_404(
            Comment.objects.select_related("proposal", "proposal__consultation"),
            public_id=public_id,
        )
    return selectors.proposal_get(public_id=public_id)


def _proposal_of(target: Proposal | Comment) -> Proposal:
    return target if isinstance(target, Proposal) else target.proposal


@acts("participation.flag")
@require_http_methods(["GET", "POST"])
@login_required
def flag(request: HttpRequest, kind: str, public_id: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    target = _target(kind, public_id)
    _require("participation.flag", request, target)
    form = FlagForm(request.POST or None)
    done = _("Thank you. A moderator will look at it.")
    return _moderation_form(request, target, form, services.flag_add, done, "flag")


@acts("participation.moderate")
@require_http_methods(["GET", "POST"])
@login_required
def hide(request: HttpRequest, kind: str, public_id: str) -> HttpResponse:
    target = _target(kind, public_id)
    _require("participation.moderate", request, target)
    if request.method == "POST" and request.POST.get("action") == "keep":
        services.flags_dismiss(actor=request.user, target=target)
        messages.success(request, _("The flags are closed and the text stays."))
        return redirect(_proposal_of(target))
    if request.method == "POST" and request.POST.get("action") == "restore":
        try:
            services.content_restore(actor=request.user, target=target)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(_proposal_of(target))
    form = HideForm(request.POST or None)
    done = _("Hidden, with its reason in the moderation log.")
    return _moderation_form(request, target, form, services.content_hide, done, "hide")


def _moderation_form(
    request: HttpRequest,
    target: Proposal | Comment,
    form: FlagForm | HideForm,
    service: Callable[..., object],
    done: str,
    page: str,
) -> HttpResponse:
    """The page (`participation/<page>.html`) whose form flags or hides a proposal or comment:
    on a valid POST, `service` with the reason and note, then back to the proposal with `done`;
    a refusal is shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            service(
                actor=request.user,
                target=target,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, done)
            return redirect(_proposal_of(target))
    return render(
        request,
        f"participation/{page}.html",
        {"target": target, "proposal": _proposal_of(target), "form": form},
        status=400 if form.errors else 200,
    )


@acts("participation.record_workshop")
@require_http_methods(["GET", "POST"])
@login_required
def workshop_new(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.consultation_get(slug=slug, user=request.user)
    _require("participation.record_workshop", request, item)
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workshop = form.save(commit=False)
        workshop.consultation = item
        try:
            services.workshop_record(actor=request.user, workshop=workshop)
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(
                request, _("The workshop is recorded. Add the proposals gathered there.")
            )
            return redirect("participation:proposal_new", slug=item.slug)
    return render(
        request,
        "participation/workshop_form.html",
        {"consultation": item, "form": form},
        status=400 if form.errors else 200,
    )


@public_page
def moderation_log(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/moderation_log.html", {"log": selectors.moderation_log()})


@public_page
def standards(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_selectors.plan_get(slug=slug)
    user: Any = request.user
    return render(
        request,
        "participation/standards.html",
        {
            "panel": standards_panel(plan=plan),
            "can_assess": allowed("participation.assess_standard", user, plan),
        },
    )


@acts("participation.assess_standard")
@require_http_methods(["GET", "POST"])
@login_required
def standard_assess(request: HttpRequest, slug: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    plan = plan_selectors.plan_get(slug=slug)
    if not allowed("participation.assess_standard", request.user, plan):
        # Said, not only refused: verify the address, or join an organisation (its link).
        reason = account_reason(
            request.user, request.path, login_text=_("Log in to publish an assessment.")
        ) or membership_reason(request.user, plan)
        return render(request, "403.html", {"reason": reason}, status=403)
    form = StandardAssessmentForm(
        request.POST or None,
        organisations=civil_society_organisations(request.user, plan),
        initial={"standard": request.GET.get("estandar")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.standard_assess(
                actor=request.user,
                plan=plan,
                standard=data["standard"],
                organisation=data["organisation"],
                rating=data["rating"],
                reading=data["reading"],
                evidence_url=data["evidence_url"],
            )
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Your organisation's reading is published."))
            return redirect("participation:standards", slug=plan.slug)
    return render(
        request,
        "participation/standard_form.html",
        {"plan": plan, "form": form},
        status=400 if form.errors else 200,
    )
