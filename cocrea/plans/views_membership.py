"""Joining an institution: the request, and the coordinator's or point of contact's decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cocrea.core.decorators import acts
from cocrea.core.ratelimits import submission_limited
from cocrea.plans import services
from cocrea.plans.forms import MembershipDecisionForm, MembershipRequestForm
from cocrea.plans.models import Institution, Membership
from cocrea.plans.rules import allowed


def get_membership_for_user(request: HttpRequest, public_id: str, permission: str) -> Membership:
    """The membership, or 404 if it does not exist, 403 if this person may not act on it."""
    membership = get_object_or_404(
        Membership.objects.select_related("institution", "user"), public_id=public_id
    )
    if not allowed(permission, request.user, membership):
        raise PermissionDenied
    return membership


@acts("plans.request_membership")
@require_POST
@login_required
def membership_request(request: HttpRequest, slug: str) -> HttpResponse:
    if limited := submission_limited(request):
        return limited
    institution = get_object_or_404(Institution, slug=slug)
    if not allowed("plans.request_membership", request.user, institution):
        raise PermissionDenied
    form = MembershipRequestForm(request.POST)
    if form.is_valid():
        try:
            services.membership_request(
                actor=request.user,
                institution=institution,
                role=form.cleaned_data["role"],
                show_on_profile=form.cleaned_data["show_on_profile"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your request was sent to the institution."))
    else:
        messages.error(request, _("Choose the role you ask for."))
    return redirect("accounts:my_space")


@acts("plans.decide_membership")
@require_POST
@login_required
def membership_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    membership = get_membership_for_user(request, public_id, "plans.decide_membership")
    form = MembershipDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.membership_decide(
                actor=request.user,
                membership=membership,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The decision was recorded."))
    else:
        messages.error(request, _("Choose to approve or refuse, and say why when refusing."))
    return redirect("accounts:my_space")
