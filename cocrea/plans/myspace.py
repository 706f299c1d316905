"""What the plans domain adds to a person's space, public profile and data download (listed in
the COCREA_*_SECTIONS settings, so accounts imports no domain app)."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cocrea.accounts.models import RoleGrant, User
from cocrea.plans import rules
from cocrea.plans.forms import MembershipDecisionForm
from cocrea.plans.models import ActionPlan, Commitment, Membership, Milestone


def my_space_section(request: HttpRequest) -> SafeString:
    user: Any = request.user  # signed in: the view requires it
    memberships = list(
        Membership.objects.filter(user=user).select_related("institution").order_by("-created_at")
    )
    approved = [m for m in memberships if m.status == Membership.Status.APPROVED]
    acting_ids = [m.institution_id for m in approved if m.role in Membership.REPORTING_ROLES]
    coordinated = [m.institution_id for m in approved if m.role == Membership.Role.COORDINATOR]
    # Requests this person decides: of their institutions as coordinator, of every institution
    # of the members they run as point of contact (all, for an administrator).
    runs = rules.members_run_by(user)
    decides = Q(institution_id__in=coordinated)
    if runs is None:
        decides = Q()
    elif runs:
        decides |= Q(institution__member_id__in=runs)
    pending = Membership.objects.none()
    if runs is None or runs or coordinated:
        pending = Membership.objects.filter(decides, status=Membership.Status.PENDING)
    pending = pending.exclude(user=user).select_related("institution", "user")
    commitments = (
        Commitment.objects.filter(lead_institution_id__in=acting_ids)
        .select_related("plan", "lead_institution")
        .order_by("-plan__start_date", "number_sort")
    )
    today = timezone.localdate()
    milestones = (
        Milestone.objects.filter(responsible_institution_id__in=acting_ids)
        .exclude(completion__in=[Milestone.Completion.COMPLETE, Milestone.Completion.WITHDRAWN])
        .filter(Q(end_date__isnull=False))
        .select_related("commitment__plan")
        .order_by("end_date")[:50]
    )
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string(
            "plans/_my_space.html",
            {
                "memberships": memberships,
                "pending": list(pending),
                "can_decide": rules.has_mfa(user),
                "decision_form": MembershipDecisionForm(),
                "commitments": list(commitments),
                "milestones": list(milestones),
                "today": today,
            },
            request=request,
        )
    )


def profile_section(request: HttpRequest, person: User) -> SafeString:
    organisations = Membership.objects.filter(
        user=person, status=Membership.Status.APPROVED, show_on_profile=True
    ).select_related("institution")
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string(
            "plans/_profile.html", {"organisations": list(organisations)}, request=request
        )
    )


def personal_data(user: User) -> dict[str, object]:
    return {
        "memberships": list(
            Membership.objects.filter(user=user).values(
                "institution__name",
                "role",
                "status",
                "show_on_profile",
                "created_at",
                "decided_at",
                "decision_reason",
            )
        )
    }


def desk_section(request: HttpRequest) -> SafeString:
    """The point of contact's desk, first in their space: where each part of their job is done.
    The repository, consultations, the forum and OGP's files in the administration, opened to
    the role (accounts/rules.py); the queues (answers, reports, requests, flags) below, on the
    site's own pages. Nothing for anyone else."""
    user: Any = request.user
    runs = rules.members_where(user, RoleGrant.Role.POINT_OF_CONTACT)
    if not runs:
        return SafeString("")
    current = (
        ActionPlan.objects.filter(member_id__in=runs)
        .order_by("-member__is_default", "-start_date")
        .only("slug", "title")
        .first()
    )
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template engine
        render_to_string(
            "plans/_desk.html",
            {"ready": rules.has_mfa(user), "plan": current},
            request=request,
        )
    )
