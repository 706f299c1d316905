"""Who may do what in the plans domain, as named `rules` predicates. Objects are checked, not
only roles: a coordinator decides only for their own institution."""

from typing import Any

import rules
from allauth.account.models import EmailAddress

from cocrea.accounts.rules import desk_permissions
from cocrea.accounts.rules import has_mfa as has_mfa  # the rules live with accounts
from cocrea.accounts.rules import is_point_of_contact as is_point_of_contact
from cocrea.plans.models import Institution, Membership


@rules.predicate
def has_verified_email(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and EmailAddress.objects.filter(user=user, verified=True).exists()
    )


@rules.predicate
def is_civil_society_member(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and Membership.objects.filter(
            user=user,
            status=Membership.Status.APPROVED,
            institution__kind=Institution.Kind.CIVIL_SOCIETY,
        ).exists()
    )


def civil_society_organisations(user: Any) -> list[Institution]:
    """The civil-society organisations on whose behalf this person may publish."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Institution.objects.filter(
            memberships__user=user,
            memberships__status=Membership.Status.APPROVED,
            kind=Institution.Kind.CIVIL_SOCIETY,
        ).order_by("name")
    )


@rules.predicate
def is_administrator(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))


@rules.predicate
def is_coordinator_of_its_institution(user: Any, membership: Membership | None) -> bool:
    return bool(
        membership is not None
        and getattr(user, "is_authenticated", False)
        and Membership.objects.filter(
            user=user,
            institution_id=membership.institution_id,
            role=Membership.Role.COORDINATOR,
            status=Membership.Status.APPROVED,
        ).exists()
    )


@rules.predicate
def is_pending(user: object, membership: Membership | None) -> bool:
    return membership is not None and membership.status == Membership.Status.PENDING


@rules.predicate
def is_own(user: object, membership: Membership | None) -> bool:
    return membership is not None and membership.user_id == getattr(user, "pk", None)


can_request_membership = has_verified_email
can_decide_membership = (
    is_pending
    & ~is_own
    & has_mfa
    & (is_point_of_contact | is_administrator | is_coordinator_of_its_institution)
)

# The repository itself (members, plans, commitments, milestones, institutions): the point of
# contact and administrators, with two factors. The services check it for every person; the
# system's own work (the demo, OGP imports' rows) passes no person.
can_manage_repository = (is_point_of_contact | is_administrator) & has_mfa

rules.add_perm("plans.request_membership", can_request_membership)
rules.add_perm("plans.decide_membership", can_decide_membership)
rules.add_perm("plans.manage_repository", can_manage_repository)

# The point of contact's desk in the administration (accounts/rules.py): the repository edited
# through the services; OGP's policy areas and people's memberships read only (memberships are
# decided in My space, by rule).
desk_permissions(
    "plans",
    {
        "member": ("view", "change"),
        "actionplan": ("view", "add", "change"),
        "commitment": ("view", "add", "change"),
        "milestone": ("view", "add", "change", "delete"),
        "institution": ("view", "add", "change"),
        "policyarea": ("view",),
        "membership": ("view",),
    },
)


def allowed(permission: str, user: object, obj: object = None) -> bool:
    """The rule itself, without Django's shortcut that gives superusers every permission: an
    administrator too must meet the rule (two-factor authentication included)."""
    return bool(rules.has_perm(permission, user, obj))
